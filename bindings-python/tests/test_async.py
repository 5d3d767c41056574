from __future__ import annotations

import asyncio
import time
from typing import List

import pytest

import webcare
from conftest import Sandbox
from webcare import Filter


def test_async_operations(sandbox: Sandbox, profile: str) -> None:
    async def main() -> None:
        async with sandbox.async_client() as c:
            cfg = await c.configuration()
            assert profile in cfg.search_names()
            page = await c.search(profile, Filter(limit=5))
            assert len(page) == 5
            r = page.results[0]
            full = await c.result(r.unique_id)
            assert isinstance(full, webcare.ResultWithContext)
            alone = await c.result(r.unique_id, context=False)
            assert alone == r
            ids = [x.unique_id async for x in c.results(profile, page_size=30, limit=75)]
            assert len(set(ids)) == 75
            pages = [p async for p in c.results(profile, page_size=30, limit=75).pages()]
            assert [len(p) for p in pages] == [30, 30, 15]
            with pytest.raises(webcare.NotFoundError):
                await c.result(999_999_999)
            with pytest.raises(ValueError):
                await c.result(-1)
            target = next(
                x
                for x in await c.results(profile, limit=200).to_list()
                if x.reply_available and not x.own and x.case_id
            )
            await c.event(target.unique_id, "starttyping")
            sent = await c.reply(target.unique_id, "On it!")
            assert sent.result is not None and sent.result.own
            assert target.search_id is not None and target.case_id is not None
            handler = cfg.user_ids()[-1]
            await c.hand_over(target.search_id, target.case_id, handler)
            await c.release_handler(target.search_id, target.case_id)
            await c.close_case(target.search_id, target.case_id)
            email = next(u["email"] for u in cfg.users if u.get("email"))
            tok = await c.sso_token(email)
            assert tok.reveal() and tok.reveal() not in repr(tok)
        assert c.closed

    asyncio.run(main())


def test_async_calls_run_concurrently(sandbox: Sandbox, profile: str) -> None:
    async def main() -> float:
        c = sandbox.async_client()
        await c.configuration()  # token
        t0 = time.perf_counter()
        pages = await asyncio.gather(*[c.search(profile, Filter(limit=20)) for _ in range(20)])
        assert all(len(p) == 20 for p in pages)
        return time.perf_counter() - t0

    assert asyncio.run(main()) < 30


def test_async_cancellation(sandbox: Sandbox, profile: str) -> None:
    async def main() -> None:
        c = sandbox.async_client()
        task = asyncio.ensure_future(c.results(profile).to_arrow_stream())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The client still works.
        assert len(await c.search(profile, Filter(limit=1))) == 1

    asyncio.run(main())


def test_async_watch(sandbox: Sandbox, profile: str) -> None:
    async def main() -> List[str]:
        c = sandbox.async_client()
        w = c.watch(profile, poll_interval=0.1)
        assert await w.poll() == []
        sandbox.inbound("async hello")
        r = await asyncio.wait_for(w.__anext__(), 20)
        return [r.description or ""]

    assert asyncio.run(main()) == ["async hello"]


def test_sync_client_inside_running_loop(sandbox: Sandbox, profile: str) -> None:
    """Jupyter runs code inside an event loop: the sync client still works (never deadlocks)."""

    async def main() -> int:
        with sandbox.client() as c:
            return len(c.search(profile, Filter(limit=2)))

    assert asyncio.run(main()) == 2
