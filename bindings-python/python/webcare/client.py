"""The blocking :class:`Client` and the asyncio :class:`AsyncClient`.

Both are built from keyword arguments or the ``WEBCARE_BASE_URL``, ``WEBCARE_CLIENT_ID``,
``WEBCARE_CLIENT_SECRET`` (and optional ``WEBCARE_TOKEN_URL``) environment variables, and both
are context managers. Blocking calls release the GIL while they wait (other threads run, and
Ctrl-C cancels the request); async calls are awaitables backed by the core's runtime.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Optional, Type, Union, cast

from ._aio import call, wait
from ._native import (
    Ack,
    Configuration,
    Filter,
    NativeClient,
    Page,
    ReplySent,
    ResultWithContext,
    SsoToken,
    WebcareResult,
)
from ._results import AsyncResults, AsyncWatch, Results, Watch
from .errors import ConfigError

__all__ = ["Client", "AsyncClient", "FilterLike"]

FilterLike = Union[Filter, str, None]
"""A :class:`Filter`, a filter path string (``"source:twitter/negative"``), or ``None``."""


class _Base:
    def __init__(
        self,
        base_url: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        *,
        token_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        page_size: Optional[int] = None,
        poll_interval: Optional[float] = None,
        user_agent: Optional[str] = None,
        max_retries: Optional[int] = None,
        danger_accept_invalid_certs: bool = False,
    ) -> None:
        self._native_client: Optional[NativeClient] = NativeClient(
            base_url,
            client_id,
            client_secret,
            token_url=token_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            request_timeout=request_timeout,
            page_size=page_size,
            poll_interval=poll_interval,
            user_agent=user_agent,
            max_retries=max_retries,
            danger_accept_invalid_certs=danger_accept_invalid_certs,
        )
        self._base_url = self._native_client.base_url
        self._client_id = self._native_client.client_id

    @property
    def _n(self) -> NativeClient:
        if self._native_client is None:
            raise ConfigError("the client is closed")
        return self._native_client

    @property
    def base_url(self) -> str:
        """The API base URL."""
        return self._base_url

    @property
    def client_id(self) -> str:
        """The OAuth2 client id."""
        return self._client_id

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._native_client is None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, "
            f"client_id={self._client_id!r}, client_secret='[REDACTED]')"
        )


class Client(_Base):
    """A blocking Webcare client.

    >>> with webcare.Client() as client:  # doctest: +SKIP
    ...     for r in client.results("kpn", Filter(sentiment="negative"), limit=100):
    ...         print(r.unique_id, r.description)
    """

    @classmethod
    def from_env(cls, **kwargs: Any) -> Client:
        """A client from the ``WEBCARE_*`` environment variables (keywords override)."""
        return cls(**kwargs)

    def close(self) -> None:
        """Close the client (later calls raise :class:`ConfigError`)."""
        self._native_client = None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def configuration(self) -> Configuration:
        """``GET /configuration``: the account, its users, searches and connections."""
        return cast("Configuration", wait(lambda fd, t: self._n.configuration_async(fd, t)))

    def sso_token(self, email: str) -> SsoToken:
        """A new single sign-on token for a user (``token.reveal()`` gives the secret)."""
        return cast("SsoToken", wait(lambda fd, t: self._n.sso_token_async(fd, t, email)))

    def search(self, profile: str, filter: FilterLike = None) -> Page:
        """One page: the filter's own ``limit`` and ``offset`` apply."""
        return cast("Page", wait(lambda fd, t: self._n.search_async(fd, t, profile, filter)))

    def results(
        self,
        profile: str,
        filter: FilterLike = None,
        *,
        limit: Optional[int] = None,
        page_size: Optional[int] = None,
        since_id: Optional[int] = None,
        progress: bool = False,
    ) -> Results:
        """Every result of the filter across pages (at most ``limit``).

        With ``since_id``, every result after that id, oldest first (keyset paging).
        ``progress=True`` shows a tqdm bar.
        """
        n = self._n
        pager = n.pager(profile, filter, limit=limit, page_size=page_size, since_id=since_id)
        return Results(lambda: pager, limit, progress)

    def result(self, id: int, context: bool = True) -> Union[ResultWithContext, WebcareResult]:
        """One result: with its conversation context (default), or alone (``context=False``)."""
        return cast(
            "Union[ResultWithContext, WebcareResult]",
            wait(lambda fd, t: self._n.result_async(fd, t, id, context)),
        )

    def reply(
        self,
        id: int,
        message: str,
        connection_id: Optional[int] = None,
        public: bool = True,
    ) -> ReplySent:
        """Reply to a result (never sent twice)."""
        return cast(
            "ReplySent",
            wait(lambda fd, t: self._n.reply_async(fd, t, id, message, connection_id, public)),
        )

    def event(self, id: int, event: str) -> Ack:
        """Send an event: ``"starttyping"``, ``"stoptyping"``, ``"closed"`` or ``"opened"``."""
        return cast("Ack", wait(lambda fd, t: self._n.event_async(fd, t, id, event)))

    def close_case(self, search_id: int, case_id: Union[str, int]) -> Ack:
        """Close a case."""
        return cast("Ack", wait(lambda fd, t: self._n.close_case_async(fd, t, search_id, case_id)))

    def hand_over(self, search_id: int, case_id: Union[str, int], handler_id: int) -> Ack:
        """Hand a case over to another handler."""
        return cast(
            "Ack",
            wait(lambda fd, t: self._n.hand_over_async(fd, t, search_id, case_id, handler_id)),
        )

    def release_handler(self, search_id: int, case_id: Union[str, int]) -> Ack:
        """Leave a case without a handler."""
        return cast(
            "Ack", wait(lambda fd, t: self._n.release_handler_async(fd, t, search_id, case_id))
        )

    def watch(
        self,
        profile: str,
        filter: FilterLike = None,
        since_id: Optional[int] = None,
        poll_interval: Optional[float] = None,
    ) -> Watch:
        """New results as they arrive (an endless iterator; each result exactly once).

        Without ``since_id`` it starts after the newest result at the first poll.
        """
        return Watch(self._n.watcher(profile, filter, since_id, poll_interval))


class AsyncClient(_Base):
    """An asyncio Webcare client: the same methods as :class:`Client`, awaitable.

    >>> async with webcare.AsyncClient() as client:  # doctest: +SKIP
    ...     async for r in client.results("kpn", limit=100):
    ...         print(r.unique_id)
    """

    @classmethod
    def from_env(cls, **kwargs: Any) -> AsyncClient:
        """A client from the ``WEBCARE_*`` environment variables (keywords override)."""
        return cls(**kwargs)

    async def close(self) -> None:
        """Close the client (later calls raise :class:`ConfigError`)."""
        self._native_client = None

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.close()

    async def configuration(self) -> Configuration:
        """``GET /configuration``."""
        return cast("Configuration", await call(self._n.configuration_async))

    async def sso_token(self, email: str) -> SsoToken:
        """A new single sign-on token for a user."""
        return cast("SsoToken", await call(lambda fd, t: self._n.sso_token_async(fd, t, email)))

    async def search(self, profile: str, filter: FilterLike = None) -> Page:
        """One page."""
        return cast("Page", await call(lambda fd, t: self._n.search_async(fd, t, profile, filter)))

    def results(
        self,
        profile: str,
        filter: FilterLike = None,
        *,
        limit: Optional[int] = None,
        page_size: Optional[int] = None,
        since_id: Optional[int] = None,
        progress: bool = False,
    ) -> AsyncResults:
        """Every result across pages, for ``async for`` (see :meth:`Client.results`)."""
        n = self._n
        pager = n.pager(profile, filter, limit=limit, page_size=page_size, since_id=since_id)
        return AsyncResults(lambda: pager, limit, progress)

    async def result(
        self, id: int, context: bool = True
    ) -> Union[ResultWithContext, WebcareResult]:
        """One result, with or without its context."""
        return cast(
            "Union[ResultWithContext, WebcareResult]",
            await call(lambda fd, t: self._n.result_async(fd, t, id, context)),
        )

    async def reply(
        self,
        id: int,
        message: str,
        connection_id: Optional[int] = None,
        public: bool = True,
    ) -> ReplySent:
        """Reply to a result."""
        return cast(
            "ReplySent",
            await call(
                lambda fd, t: self._n.reply_async(fd, t, id, message, connection_id, public)
            ),
        )

    async def event(self, id: int, event: str) -> Ack:
        """Send an event."""
        return cast("Ack", await call(lambda fd, t: self._n.event_async(fd, t, id, event)))

    async def close_case(self, search_id: int, case_id: Union[str, int]) -> Ack:
        """Close a case."""
        return cast(
            "Ack", await call(lambda fd, t: self._n.close_case_async(fd, t, search_id, case_id))
        )

    async def hand_over(self, search_id: int, case_id: Union[str, int], handler_id: int) -> Ack:
        """Hand a case over to another handler."""
        return cast(
            "Ack",
            await call(
                lambda fd, t: self._n.hand_over_async(fd, t, search_id, case_id, handler_id)
            ),
        )

    async def release_handler(self, search_id: int, case_id: Union[str, int]) -> Ack:
        """Leave a case without a handler."""
        return cast(
            "Ack",
            await call(lambda fd, t: self._n.release_handler_async(fd, t, search_id, case_id)),
        )

    def watch(
        self,
        profile: str,
        filter: FilterLike = None,
        since_id: Optional[int] = None,
        poll_interval: Optional[float] = None,
    ) -> AsyncWatch:
        """New results as they arrive, for ``async for``."""
        return AsyncWatch(self._n.watcher(profile, filter, since_id, poll_interval))
