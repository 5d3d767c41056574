"""Result iterators: every result across pages, page access, and DataFrame export."""

from __future__ import annotations

import asyncio
import time
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    Dict,
    Iterator,
    List,
    Literal,
    Optional,
    Sequence,
)

from ._aio import call, wait
from ._native import ArrowResults, NativePager, NativeWatcher, Page, WebcareResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow

__all__ = ["Results", "AsyncResults", "Watch", "AsyncWatch"]


class _Progress:
    """A tqdm bar when asked for (tqdm is an optional dependency)."""

    def __init__(self, enabled: bool, total: Optional[int], desc: str) -> None:
        self._bar: Any = None
        if enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError as e:  # pragma: no cover - depends on the environment
                raise ImportError(
                    "progress=True needs tqdm: pip install 'webcare[progress]'"
                ) from e
            self._bar = tqdm(total=total, desc=desc, unit=" results")

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _table(stream: ArrowResults) -> pyarrow.Table:
    try:
        import pyarrow as pa
    except ImportError as e:  # pragma: no cover
        raise ImportError("to_arrow() needs pyarrow: pip install 'webcare[arrow]'") from e
    return pa.table(stream)


DtypeBackend = Literal["numpy_nullable", "pyarrow"]


def _check_dtype_backend(dtype_backend: object) -> None:
    """Refuse a bad ``dtype_backend`` before any request is made."""
    if dtype_backend not in (None, "numpy_nullable", "pyarrow"):
        raise ValueError(
            "dtype_backend must be 'numpy_nullable' or 'pyarrow' (or None for pandas' "
            f"defaults), got {dtype_backend!r}"
        )


def _pandas(stream: ArrowResults, dtype_backend: Optional[DtypeBackend] = None) -> pandas.DataFrame:
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover
        raise ImportError(
            "to_pandas() needs pandas and pyarrow: pip install 'webcare[pandas]'"
        ) from e
    table = _table(stream)
    if dtype_backend == "pyarrow":
        # Every column stays in Arrow memory: no Python string per cell.
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if dtype_backend == "numpy_nullable":
        return table.to_pandas(types_mapper=_nullable_dtypes(pd).get)
    return table.to_pandas()


def _nullable_dtypes(pd: Any) -> Dict[Any, Any]:
    """Arrow types to pandas' nullable extension dtypes (what ``pandas.read_*(...,
    dtype_backend="numpy_nullable")`` gives)."""
    import pyarrow as pa

    return {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
        pa.uint64(): pd.UInt64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.float32(): pd.Float32Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.string(): pd.StringDtype(),
        pa.large_string(): pd.StringDtype(),
    }


def _polars(stream: ArrowResults) -> polars.DataFrame:
    try:
        import polars as pl
    except ImportError as e:  # pragma: no cover
        raise ImportError("to_polars() needs polars: pip install 'webcare[polars]'") from e
    frame = pl.DataFrame(stream)
    return frame


class Results(Iterator[WebcareResult]):
    """Every result of a search across pages (single use).

    Iterate it (``for r in client.results(...)``), walk it page by page (:meth:`pages`), or
    export the remaining results as columns built in Rust (:meth:`to_arrow`,
    :meth:`to_pandas`, :meth:`to_polars`, :meth:`to_arrow_stream`).
    """

    def __init__(
        self, make: Callable[[], NativePager], limit: Optional[int], progress: bool
    ) -> None:
        self._make = make
        self._pager: Optional[NativePager] = None
        self._buffer: List[WebcareResult] = []
        self._limit = limit
        self._progress_enabled = progress
        self._progress: Optional[_Progress] = None
        self.pages_fetched = 0
        self.results_yielded = 0

    def _native(self) -> NativePager:
        if self._pager is None:
            self._pager = self._make()
            self._progress = _Progress(self._progress_enabled, self._limit, "webcare")
        return self._pager

    def _done(self) -> None:
        if self._progress is not None:
            self._progress.close()

    def _count(self, n: int) -> None:
        self.pages_fetched += 1
        if self._progress is not None:
            self._progress.update(n)

    def __iter__(self) -> Results:
        return self

    def __next__(self) -> WebcareResult:
        while not self._buffer:
            page: Optional[Page] = wait(self._native().next_page_async)
            if page is None:
                self._done()
                raise StopIteration
            self._count(len(page))
            self._buffer = page.results[::-1]
        self.results_yielded += 1
        return self._buffer.pop()

    def pages(self) -> Iterator[Page]:
        """The remaining pages."""
        pager = self._native()
        while True:
            page: Optional[Page] = wait(pager.next_page_async)
            if page is None:
                self._done()
                return
            self._count(len(page))
            yield page

    def to_arrow_stream(self, extra: Optional[Sequence[str]] = None) -> ArrowResults:
        """The remaining results as Arrow data (``__arrow_c_stream__``), without pyarrow.

        ``extra`` names fields the client does not know (see ``WebcareResult.extra``) to add as
        string columns (JSON text for values that are not strings).
        """
        pager = self._native()
        names = list(extra or [])
        parts: List[ArrowResults] = []
        try:
            while True:
                part: Optional[ArrowResults] = wait(
                    lambda fd, t: pager.next_arrow_async(fd, t, names)
                )
                if part is None:
                    break
                self._count(len(part))
                parts.append(part)
        finally:
            self._done()
        return ArrowResults.concat(parts) if parts else pager.collect_arrow(names)

    def to_arrow(self, extra: Optional[Sequence[str]] = None) -> pyarrow.Table:
        """The remaining results as a ``pyarrow.Table`` (needs pyarrow)."""
        return _table(self.to_arrow_stream(extra))

    def to_pandas(
        self,
        extra: Optional[Sequence[str]] = None,
        *,
        dtype_backend: Optional[DtypeBackend] = None,
    ) -> pandas.DataFrame:
        """The remaining results as a ``pandas.DataFrame`` (needs pandas and pyarrow).

        ``dtype_backend`` as in ``pandas.read_parquet``: ``None`` gives pandas' defaults (NumPy
        columns; text as Python strings, or pandas 3's ``str``), ``"numpy_nullable"`` pandas'
        nullable dtypes, ``"pyarrow"`` ``pandas.ArrowDtype`` columns that keep the Arrow memory
        (the fastest and smallest: no Python object per cell).
        """
        _check_dtype_backend(dtype_backend)
        return _pandas(self.to_arrow_stream(extra), dtype_backend)

    def to_polars(self, extra: Optional[Sequence[str]] = None) -> polars.DataFrame:
        """The remaining results as a ``polars.DataFrame`` (needs polars)."""
        return _polars(self.to_arrow_stream(extra))

    def to_list(self) -> List[WebcareResult]:
        """The remaining results as a list."""
        return list(self)


class AsyncResults(AsyncIterator[WebcareResult]):
    """Every result of a search across pages, for ``async for`` (single use)."""

    def __init__(
        self, make: Callable[[], NativePager], limit: Optional[int], progress: bool
    ) -> None:
        self._make = make
        self._pager: Optional[NativePager] = None
        self._buffer: List[WebcareResult] = []
        self._limit = limit
        self._progress_enabled = progress
        self._progress: Optional[_Progress] = None
        self.pages_fetched = 0
        self.results_yielded = 0

    def _native(self) -> NativePager:
        if self._pager is None:
            self._pager = self._make()
            self._progress = _Progress(self._progress_enabled, self._limit, "webcare")
        return self._pager

    def _done(self) -> None:
        if self._progress is not None:
            self._progress.close()

    def _count(self, n: int) -> None:
        self.pages_fetched += 1
        if self._progress is not None:
            self._progress.update(n)

    def __aiter__(self) -> AsyncResults:
        return self

    async def __anext__(self) -> WebcareResult:
        while not self._buffer:
            page: Optional[Page] = await call(self._native().next_page_async)
            if page is None:
                self._done()
                raise StopAsyncIteration
            self._count(len(page))
            self._buffer = page.results[::-1]
        self.results_yielded += 1
        return self._buffer.pop()

    async def pages(self) -> AsyncIterator[Page]:
        """The remaining pages."""
        pager = self._native()
        while True:
            page = await call(pager.next_page_async)
            if page is None:
                self._done()
                return
            self._count(len(page))
            yield page

    async def to_arrow_stream(self, extra: Optional[Sequence[str]] = None) -> ArrowResults:
        """The remaining results as Arrow data (``__arrow_c_stream__``), without pyarrow."""
        pager = self._native()
        names = list(extra or [])
        parts: List[ArrowResults] = []
        try:
            while True:
                part: Optional[ArrowResults] = await call(
                    lambda fd, t: pager.next_arrow_async(fd, t, names)
                )
                if part is None:
                    break
                self._count(len(part))
                parts.append(part)
        finally:
            self._done()
        return ArrowResults.concat(parts)

    async def to_arrow(self, extra: Optional[Sequence[str]] = None) -> pyarrow.Table:
        """The remaining results as a ``pyarrow.Table``."""
        return _table(await self.to_arrow_stream(extra))

    async def to_pandas(
        self,
        extra: Optional[Sequence[str]] = None,
        *,
        dtype_backend: Optional[DtypeBackend] = None,
    ) -> pandas.DataFrame:
        """The remaining results as a ``pandas.DataFrame`` (``dtype_backend``: see
        :meth:`Results.to_pandas`)."""
        _check_dtype_backend(dtype_backend)
        return _pandas(await self.to_arrow_stream(extra), dtype_backend)

    async def to_polars(self, extra: Optional[Sequence[str]] = None) -> polars.DataFrame:
        """The remaining results as a ``polars.DataFrame``."""
        return _polars(await self.to_arrow_stream(extra))

    async def to_list(self) -> List[WebcareResult]:
        """The remaining results as a list."""
        return [r async for r in self]


class Watch(Iterator[WebcareResult]):
    """New results as they arrive, each exactly once, in id order (endless).

    Polls every ``poll_interval`` seconds while nothing is new. ``last_id`` is the id of the
    last result yielded: pass it as ``since_id`` to resume after a restart.
    """

    def __init__(self, native: NativeWatcher) -> None:
        self._native = native
        self._buffer: List[WebcareResult] = []
        self.last_id: Optional[int] = None

    def __iter__(self) -> Watch:
        return self

    def __next__(self) -> WebcareResult:
        while not self._buffer:
            batch: List[WebcareResult] = wait(self._native.next_batch_async)
            if batch:
                self._buffer = batch[::-1]
            else:
                time.sleep(self._native.poll_interval)
        r = self._buffer.pop()
        self.last_id = r.unique_id
        return r

    def poll(self) -> List[WebcareResult]:
        """What is new now (polls once, never sleeps)."""
        fresh: List[WebcareResult] = wait(self._native.next_batch_async)
        out = self._buffer[::-1] + fresh
        self._buffer = []
        if out:
            self.last_id = out[-1].unique_id
        return out


class AsyncWatch(AsyncIterator[WebcareResult]):
    """New results as they arrive, for ``async for`` (endless). See :class:`Watch`."""

    def __init__(self, native: NativeWatcher) -> None:
        self._native = native
        self._buffer: List[WebcareResult] = []
        self.last_id: Optional[int] = None

    def __aiter__(self) -> AsyncWatch:
        return self

    async def __anext__(self) -> WebcareResult:
        while not self._buffer:
            batch: List[WebcareResult] = await call(self._native.next_batch_async)
            if batch:
                self._buffer = batch[::-1]
            else:
                await asyncio.sleep(self._native.poll_interval)
        r = self._buffer.pop()
        self.last_id = r.unique_id
        return r

    async def poll(self) -> List[WebcareResult]:
        """What is new now (polls once, never sleeps)."""
        fresh: List[WebcareResult] = await call(self._native.next_batch_async)
        out = self._buffer[::-1] + fresh
        self._buffer = []
        if out:
            self.last_id = out[-1].unique_id
        return out
