"""Exceptions raised by webcare.

Every error is a :class:`WebcareError` with the same fields in every language binding:
``kind`` (``"Auth"``, ``"NotFound"``, ...), the HTTP ``status`` (or ``None``), the server's
``request_id``, the ``message``, ``retry_after`` (seconds, or ``None``) and the backend's
validation ``messages``. Errors are picklable. Secrets never appear in them.
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = [
    "WebcareError",
    "AuthError",
    "ForbiddenError",
    "NotFoundError",
    "ValidationError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "NetworkError",
    "DecodeError",
    "ConfigError",
]


class WebcareError(Exception):
    """The base class of every webcare error."""

    default_kind = "Server"

    def __init__(
        self,
        message: str = "",
        *,
        kind: Optional[str] = None,
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        messages: Optional[Sequence[Dict[str, str]]] = None,
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.kind: str = kind or self.default_kind
        self.status: Optional[int] = status
        self.request_id: Optional[str] = request_id
        self.retry_after: Optional[float] = retry_after
        self.messages: List[Dict[str, str]] = [dict(m) for m in (messages or [])]

    def _fields(self) -> Dict[str, Any]:
        return {
            "kind": self.kind,
            "status": self.status,
            "request_id": self.request_id,
            "retry_after": self.retry_after,
            "messages": self.messages,
        }

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._fields()))

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"(HTTP {self.status})")
        if self.request_id:
            parts.append(f"[request {self.request_id}]")
        return " ".join(p for p in parts if p)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, "
            f"status={self.status!r}, request_id={self.request_id!r})"
        )


def _rebuild(cls: type, message: str, fields: Dict[str, Any]) -> WebcareError:
    err: WebcareError = cls(message, **fields)
    return err


class AuthError(WebcareError):
    """Bad credentials or a rejected token (401)."""

    default_kind = "Auth"


class ForbiddenError(WebcareError):
    """Not allowed (403)."""

    default_kind = "Forbidden"


class NotFoundError(WebcareError):
    """No such result, case, user or profile (404)."""

    default_kind = "NotFound"


class ValidationError(WebcareError, ValueError):
    """The request was invalid (a 4xx, a backend validation message, or bad input such as a
    filter path that does not parse). Also a builtin ``ValueError``."""

    default_kind = "Validation"


class RateLimitError(WebcareError):
    """Over quota (429); ``retry_after`` says how many seconds to wait, when known."""

    default_kind = "RateLimited"


class ServerError(WebcareError):
    """The server failed (5xx) after retries, or an internal error in webcare."""

    default_kind = "Server"


class TimeoutError(WebcareError, builtins.TimeoutError):  # noqa: A001
    """A connect, request or total timeout. Also a builtin ``TimeoutError``."""

    default_kind = "Timeout"

    def __init__(self, message: str = "", **fields: Any) -> None:
        WebcareError.__init__(self, message, **fields)
        self.args = (message,)


class NetworkError(WebcareError, builtins.ConnectionError):
    """The connection failed. Also a builtin ``ConnectionError``."""

    default_kind = "Network"

    def __init__(self, message: str = "", **fields: Any) -> None:
        WebcareError.__init__(self, message, **fields)
        self.args = (message,)


class DecodeError(WebcareError):
    """The response could not be decoded."""

    default_kind = "Decode"


class ConfigError(WebcareError):
    """The client is misconfigured (missing base URL or credentials, bad option values)."""

    default_kind = "Config"
