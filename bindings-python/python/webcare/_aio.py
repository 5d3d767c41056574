"""Waiting for native calls without the runtime's threads ever touching the interpreter.

A native ``*_async`` method starts the work on the core's runtime and returns a ``Pending``.
When the work finishes, the runtime thread writes an 8-byte token to a pipe that the running
event loop watches (``loop.add_reader``); the loop's callback then takes the result in its own
thread, with the GIL. No thread outside Python ever waits for the GIL, so an exit with calls in
flight is safe. One pipe per event loop; it is never closed (a finishing call may still write
to it), which costs two file descriptors per event loop.

Blocking calls (:func:`wait`) work the same way: the calling thread blocks in ``os.read`` on a
pipe (CPython releases the GIL, and Ctrl-C interrupts it and cancels the call), so no Rust frame
is on the stack while a thread waits. Pipes are pooled and reused.

Core log events are buffered by the extension and handed to ``logging`` here, from the calling
thread, after every call (:func:`flush_logs`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import weakref
from typing import Any, Callable, Dict, List, Tuple

from ._native import Pending, _set_log_level, _take_logs

__all__ = ["call", "wait", "flush_logs"]

_logger = logging.getLogger("webcare")


def refresh_log_level() -> None:
    """Tell the extension which events to keep (the logger's effective level)."""
    _set_log_level(255 if _logger.disabled else _logger.getEffectiveLevel())


def flush_logs() -> None:
    """Hand buffered core log events to the ``webcare`` logger."""
    for level, message in _take_logs():
        _logger.log(level, "%s", message)
    refresh_log_level()


_pool: List[Tuple[int, int]] = []
_pool_lock = threading.Lock()


def _reset_after_fork() -> None:
    # The parent's pipes are shared with it: never reuse them in the child.
    global _pool, _pool_lock
    _pool = []
    _pool_lock = threading.Lock()
    _wakers.clear()


def wait(start: Callable[[int, int], Pending]) -> Any:
    """Start a native call (``start(wake_fd, token)``) and block until its result."""
    refresh_log_level()
    with _pool_lock:
        pipe = _pool.pop() if _pool else os.pipe()
    read_fd, write_fd = pipe
    try:
        pending = start(write_fd, 0)
    except BaseException:
        # Bad arguments: nothing was started, the pipe is clean.
        with _pool_lock:
            _pool.append(pipe)
        raise
    finished = False
    try:
        got = b""
        while len(got) < 8:
            got += os.read(read_fd, 8 - len(got))
        finished = True
    finally:
        if finished:
            with _pool_lock:
                _pool.append(pipe)
        else:
            # Interrupted (Ctrl-C): abort the call; the pipe may still get a late write, so it
            # is not reused.
            pending.cancel()
    try:
        return pending.result()
    finally:
        flush_logs()


class _Waker:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        self.pending: Dict[int, Tuple[asyncio.Future[Any], Pending]] = {}
        self.next_token = 0
        self.partial = b""
        loop.add_reader(self.read_fd, self._ready)

    def _ready(self) -> None:
        data = self.partial
        while True:
            try:
                chunk = os.read(self.read_fd, 65536)
            except (BlockingIOError, InterruptedError):
                break
            if not chunk:
                break
            data += chunk
        whole = len(data) - len(data) % 8
        self.partial = data[whole:]
        for i in range(0, whole, 8):
            token = int.from_bytes(data[i : i + 8], "little")
            entry = self.pending.pop(token, None)
            if entry is None:
                continue
            fut, pending = entry
            if fut.done():
                continue
            try:
                fut.set_result(pending.result())
            except BaseException as e:  # noqa: BLE001 - handed to the awaiting coroutine
                fut.set_exception(e)


_wakers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Waker] = weakref.WeakKeyDictionary()


def _waker(loop: asyncio.AbstractEventLoop) -> _Waker:
    w = _wakers.get(loop)
    if w is None:
        w = _Waker(loop)
        _wakers[loop] = w
    return w


async def call(start: Callable[[int, int], Pending]) -> Any:
    """Start a native call (``start(wake_fd, token)``) and await its result."""
    refresh_log_level()
    loop = asyncio.get_running_loop()
    waker = _waker(loop)
    token = waker.next_token
    waker.next_token += 1
    fut: asyncio.Future[Any] = loop.create_future()
    pending = start(waker.write_fd, token)
    waker.pending[token] = (fut, pending)
    try:
        return await fut
    except asyncio.CancelledError:
        waker.pending.pop(token, None)
        pending.cancel()
        raise
    finally:
        flush_logs()


os.register_at_fork(after_in_child=_reset_after_fork)
