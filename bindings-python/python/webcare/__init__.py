"""webcare: a client for the Parley Webcare API (KPN SocialMediaWebcare - Tracebuzz).

>>> import webcare
>>> webcare.sentiment("Thanks, great help!").label
'very_positive'

See :class:`Client`, :class:`AsyncClient`, :class:`Filter` and :mod:`webcare.errors`.
"""

from __future__ import annotations

import atexit
import logging

from . import errors
from ._native import (
    Ack,
    ArrowResults,
    Configuration,
    Filter,
    Page,
    ReplySent,
    ResultWithContext,
    Score,
    SsoToken,
    WebcareResult,
    __version__,
    _shutdown,
    sentiment,
    sentiment_many,
)
from ._results import AsyncResults, AsyncWatch, Results, Watch
from .client import AsyncClient, Client, FilterLike
from .errors import (
    AuthError,
    ConfigError,
    DecodeError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TimeoutError,
    ValidationError,
    WebcareError,
)
from .frames import add_sentiment

# Core log events go to the "webcare" logger; silent unless the application configures logging.
logging.getLogger("webcare").addHandler(logging.NullHandler())
# Stop forwarding log events from the runtime's threads before the interpreter finalizes.
atexit.register(_shutdown)

__all__ = [
    "Ack",
    "ArrowResults",
    "AsyncClient",
    "AsyncResults",
    "AsyncWatch",
    "AuthError",
    "Client",
    "ConfigError",
    "Configuration",
    "DecodeError",
    "Filter",
    "FilterLike",
    "ForbiddenError",
    "NetworkError",
    "NotFoundError",
    "Page",
    "RateLimitError",
    "ReplySent",
    "ResultWithContext",
    "Results",
    "Score",
    "ServerError",
    "SsoToken",
    "TimeoutError",
    "ValidationError",
    "Watch",
    "WebcareError",
    "WebcareResult",
    "__version__",
    "errors",
    "sentiment",
    "sentiment_many",
    "add_sentiment",
]
