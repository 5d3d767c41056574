"""Soak run of the Python binding: a watcher and repliers against the CLI sandbox with chaos on.

    python bindings-python/soak.py [--ops 5000] [--repliers 6] [--chaos SPEC] [--base-url URL]

Starts ``webcare sandbox --port 0 --json`` (``$CARGO_TARGET_DIR/debug/webcare``, or ``--cli``)
unless ``--base-url`` points at one. An injector posts inbound messages through
``/_sandbox/inbound`` (controls are never subject to chaos) and revokes the client's tokens every
second and expires them by moving the sandbox clock an hour forward every five (the CLI has no
``--token-ttl``); a watcher (``AsyncClient.watch(...).poll()``) collects every new result;
repliers send an ``opened`` event and a reply with a unique text to every inbound result. At the
end, with chaos off, it checks:

- every injected id was yielded by the watcher exactly once, and the watcher never yielded an id
  twice or out of order;
- every reply the client reported as sent is stored exactly once (searching ``word:`` the run
  id) and listed in its parent's ``replies`` (a sample of 200);
- a reply that failed with a response (``ServerError``, ``RateLimitError``) is not stored; one
  that failed with ``TimeoutError``/``NetworkError`` (outcome unknown) is stored at most once;
- every failure is a ``webcare.WebcareError`` of an expected kind (no ``AuthError``: token expiry
  and revocation are handled transparently);
- the client fetched a token more than once.

Prints a report (operations, failures by kind, faults injected counted from
``/_sandbox/requests``) and exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "python"))

import webcare  # noqa: E402
from webcare import Filter  # noqa: E402

DEFAULT_CHAOS = "429=0.03,500=0.02,502=0.03,503=0.02,spike=0.02:200ms,drop=0.01"
EXPECTED_KINDS = {"Server", "Network", "Timeout", "RateLimited"}


class Controls:
    """The ``/_sandbox/`` controls (no auth, no chaos)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base}/_sandbox/{path}",
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode() or "null")


class LogStats:
    """Counts from ``/_sandbox/requests`` (polled during the run: it keeps the last 10,000)."""

    def __init__(self, ctl: Controls) -> None:
        self.ctl = ctl
        self.cursor = int(ctl.call("GET", "requests").get("last") or 0)
        self.api = 0
        self.token = 0
        self.faults: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()

    def collect(self) -> None:
        v = self.ctl.call("GET", f"requests?since={self.cursor}")
        for r in v.get("requests") or []:
            if int(r.get("seq") or 0) <= self.cursor:
                continue
            if "accesstoken" in (r.get("path") or ""):
                self.token += 1
            else:
                self.api += 1
            self.statuses[int(r.get("status") or 0)] += 1
            chaos = r.get("chaos")
            if chaos:
                self.faults["spike" if chaos.startswith("latency") else chaos] += 1
        self.cursor = max(self.cursor, int(v.get("last") or 0))


def start_sandbox(cli: str) -> Tuple[subprocess.Popen[str], Dict[str, Any]]:
    proc = subprocess.Popen(
        [cli, "sandbox", "--port", "0", "--json", "--results", "500"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise SystemExit(
            f"soak: the sandbox did not start: {proc.stderr.read() if proc.stderr else ''}"
        )
    threading.Thread(target=lambda: proc.stderr and proc.stderr.read(), daemon=True).start()
    return proc, json.loads(line)


def reply_text(run_id: str, rid: int) -> str:
    return f"{run_id} reply to {rid}"


class Soak:
    def __init__(self, args: argparse.Namespace, info: Dict[str, Any]) -> None:
        self.args = args
        self.ctl = Controls(info["base_url"])
        self.client_id: str = info["client_id"]
        self.client = webcare.AsyncClient(
            info["base_url"],
            info["client_id"],
            info["client_secret"],
            max_retries=8,
            request_timeout=10,
            timeout=60,
            poll_interval=0.05,
        )
        self.ops = 0
        self.polls = 0
        self.events_ok = 0
        self.failures: Counter[str] = Counter()
        self.untyped: List[str] = []
        self.yielded: List[int] = []
        self.replies: Dict[int, Tuple[str, Any]] = {}
        self.handled = 0
        self.stop_watch = False
        self.queue: asyncio.Queue[Optional[int]] = asyncio.Queue()
        self.violations: List[str] = []
        self.revocations = 0
        self.clock_moves = 0
        self.slowest: Dict[str, float] = {}

    def fail(self, what: str, e: BaseException) -> Optional[str]:
        if isinstance(e, webcare.WebcareError):
            kind: str = e.kind
            self.failures[f"{what} {kind}"] += 1
            return kind
        self.untyped.append(f"{what}: {type(e).__name__}: {e}")
        return None

    def timed(self, what: str, t0: float) -> None:
        self.slowest[what] = max(self.slowest.get(what, 0.0), time.monotonic() - t0)

    async def watcher(self, profile: str, since: int) -> None:
        w = self.client.watch(profile, since_id=since, poll_interval=0.05)
        while not self.stop_watch:
            self.polls += 1
            self.ops += 1
            t0 = time.monotonic()
            try:
                batch = await w.poll()
            except Exception as e:  # noqa: BLE001 - every failure is recorded and checked
                self.timed("watch", t0)
                self.fail("watch", e)
                await asyncio.sleep(0.02)
                continue
            self.timed("watch", t0)
            if not batch:
                await asyncio.sleep(0.05)
            for r in batch:
                self.yielded.append(r.unique_id)
                if not r.own:
                    self.queue.put_nowait(r.unique_id)

    async def replier(self, run_id: str, connection: int) -> None:
        while True:
            rid = await self.queue.get()
            if rid is None:
                return
            t0 = time.monotonic()
            try:
                await self.client.event(rid, "opened")
                self.events_ok += 1
            except Exception as e:  # noqa: BLE001
                self.fail("event", e)
            self.timed("event", t0)
            t0 = time.monotonic()
            try:
                sent = await self.client.reply(
                    rid, reply_text(run_id, rid), connection_id=connection
                )
                self.replies[rid] = ("sent", sent.result.unique_id if sent.result else 0)
            except Exception as e:  # noqa: BLE001
                self.replies[rid] = ("failed", self.fail("reply", e))
            self.timed("reply", t0)
            self.ops += 2  # counted when done: the injector counts the unfinished ones
            self.handled += 1

    async def run(self) -> int:
        args = self.args
        started = time.monotonic()
        ctl = self.ctl
        await asyncio.to_thread(ctl.call, "POST", "chaos", {"spec": "none"})
        await asyncio.to_thread(ctl.call, "POST", "quota", {"spec": "1000000000/minute"})
        cfg = await self.client.configuration()
        profile = cfg.search_names()[0]
        twitter = next(c["id"] for c in cfg.connections if c.get("sourceName") == "twitter")
        page = await self.client.search(profile, Filter(limit=1))
        newest = page.results[0].unique_id if page.results else 0
        run_id = f"soakpy{int(time.time() * 1000) & 0xFFFFFFFF:08x}"
        log = await asyncio.to_thread(LogStats, ctl)
        await asyncio.to_thread(ctl.call, "POST", "chaos", {"spec": args.chaos})

        watcher = asyncio.create_task(self.watcher(profile, newest))
        repliers = [
            asyncio.create_task(self.replier(run_id, twitter)) for _ in range(args.repliers)
        ]

        injected: List[int] = []
        last_revoke = last_clock = last_log = time.monotonic()
        i = 0
        while True:
            in_flight = len(injected) - self.handled
            if self.ops + 2 * in_flight >= args.ops:
                break
            if in_flight >= 30:
                await asyncio.sleep(0.005)
                continue
            now = time.monotonic()
            if now - last_revoke >= 1 or i == 10:
                last_revoke = now
                await asyncio.to_thread(
                    ctl.call, "POST", "tokens/revoke", {"client_id": self.client_id}
                )
                self.revocations += 1
            if now - last_clock >= 5:
                last_clock = now
                await asyncio.to_thread(ctl.call, "POST", "clock", {"advance_seconds": 3600})
                self.clock_moves += 1
            if now - last_log >= 1:
                last_log = now
                await asyncio.to_thread(log.collect)
            body = {
                "source": "twitter",
                "text": f"{run_id} inbound {i}: mijn internet doet het niet",
                "person": f"Soak Person {i % 50}",
                "profile": profile,
                "private": False,
            }
            v = await asyncio.to_thread(ctl.call, "POST", "inbound", body)
            injected.append(int(v["uniqueId"]))
            i += 1
            if i % 500 == 0:
                print(
                    f"soak: {i} injected, {self.ops} ops, {time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                )

        # Drain: everything handled, every sent reply seen by the watcher.
        deadline = time.monotonic() + 120
        while True:
            sent_ids = [v for k, v in self.replies.values() if k == "sent"]
            max_sent = max(sent_ids, default=0)
            last = self.yielded[-1] if self.yielded else 0
            if self.handled >= len(injected) and last >= max_sent:
                break
            if time.monotonic() > deadline:
                self.violations.append(
                    f"drain timed out: {self.handled} of {len(injected)} handled, "
                    f"watch at {last}, newest reply {max_sent}"
                )
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        self.stop_watch = True
        await watcher
        for _ in repliers:
            self.queue.put_nowait(None)
        await asyncio.gather(*repliers)
        await asyncio.to_thread(ctl.call, "POST", "chaos", {"spec": "none"})
        await asyncio.to_thread(log.collect)

        # Verification, chaos off.
        for a, b in zip(self.yielded, self.yielded[1:]):
            if b <= a:
                self.violations.append(f"watch yielded {b} after {a} (duplicate or out of order)")
        seen = Counter(self.yielded)
        for rid in injected:
            if seen[rid] != 1:
                self.violations.append(f"inbound {rid} yielded {seen[rid]} times by watch")
        stored: Dict[str, List[int]] = {}
        async for r in self.client.results(
            profile, Filter(word=run_id, limit=500), since_id=newest
        ):
            if r.own:
                stored.setdefault(r.description or "", []).append(r.unique_id)
        sent = failed = unknown_stored = unknown_absent = 0
        for rid in injected:
            found = stored.get(reply_text(run_id, rid), [])
            outcome = self.replies.get(rid)
            if outcome is None:
                self.violations.append(f"inbound {rid} was never replied to")
            elif outcome[0] == "sent":
                sent += 1
                reply_id = outcome[1]
                if len(found) != 1:
                    self.violations.append(
                        f"reply to {rid} reported sent ({reply_id}) but stored {len(found)} times"
                    )
                elif reply_id and found[0] != reply_id:
                    self.violations.append(
                        f"reply to {rid} reported as {reply_id} but stored as {found[0]}"
                    )
                if seen[reply_id] != 1:
                    self.violations.append(
                        f"sent reply {reply_id} not yielded exactly once by watch"
                    )
            else:
                failed += 1
                kind = outcome[1]
                if kind in ("Timeout", "Network"):
                    if len(found) > 1:
                        self.violations.append(
                            f"reply to {rid} (failed, {kind}) stored {len(found)} times"
                        )
                    elif found:
                        unknown_stored += 1
                    else:
                        unknown_absent += 1
                elif found:
                    self.violations.append(
                        f"reply to {rid} failed with {kind} (a response) "
                        f"but was stored {len(found)} times"
                    )
        checked = 0
        for rid, (k, reply_id) in list(self.replies.items()):
            if k != "sent" or checked >= 200:
                continue
            checked += 1
            parent = await self.client.result(rid, context=False)
            if str(reply_id) not in [str(x) for x in (parent.replies or [])]:
                self.violations.append(f"parent {rid} does not list reply {reply_id}")
        for what, n in self.failures.items():
            if what.rsplit(" ", 1)[-1] not in EXPECTED_KINDS:
                self.violations.append(f"{n} unexpected failures: {what}")
        for u in self.untyped[:20]:
            self.violations.append(f"not a WebcareError: {u}")
        if self.ops < args.ops:
            self.violations.append(f"only {self.ops} operations (wanted {args.ops})")
        fetches = self.client._n.token_fetch_count
        if fetches < 2:
            self.violations.append(f"the token never expired or was revoked ({fetches} fetches)")

        elapsed = time.monotonic() - started
        print(f"python soak report ({elapsed:.1f} s)")
        print(
            f"  operations:        {self.ops} (watch polls {self.polls}, "
            f"events ok {self.events_ok}, replies {sent + failed})"
        )
        print(
            f"  inbound injected:  {len(injected)}, "
            f"yielded by watch: {len(self.yielded)} (inbound + replies)"
        )
        print(
            f"  replies:           {sent} sent, {failed} failed "
            f"({unknown_stored} unknown-outcome stored, {unknown_absent} not stored)"
        )
        print(f"  API requests:      {log.api} (status {dict(sorted(log.statuses.items()))})")
        print(f"  faults injected:   {sum(log.faults.values())} {dict(sorted(log.faults.items()))}")
        print(
            f"  tokens:            {log.token} token requests, {fetches} client fetches, "
            f"{self.revocations} revocations, {self.clock_moves} clock moves of 1 h"
        )
        print(f"  failures by kind:  {dict(sorted(self.failures.items()))}")
        print(f"  slowest call (s):  { {k: round(v, 2) for k, v in sorted(self.slowest.items())} }")
        if self.violations:
            print(f"  result:            FAIL ({len(self.violations)})")
            for v in self.violations[:50]:
                print(f"    - {v}")
            return 1
        print("  result:            PASS")
        return 0


def main() -> int:
    root = HERE.parent
    target = Path(os.environ.get("CARGO_TARGET_DIR", root / "target"))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ops", type=int, default=5000)
    p.add_argument("--repliers", type=int, default=6)
    p.add_argument("--chaos", default=DEFAULT_CHAOS)
    p.add_argument("--base-url")
    p.add_argument("--cli", default=str(target / "debug" / "webcare"))
    args = p.parse_args()
    proc = None
    if args.base_url:
        ctl = Controls(args.base_url)
        acct = ctl.call("GET", "accounts")["accounts"][0]
        info = {
            "base_url": args.base_url,
            "client_id": acct["client_id"],
            "client_secret": acct["client_secret"],
        }
    else:
        proc, info = start_sandbox(args.cli)
    print(f"soak: python, {args.ops} operations, chaos '{args.chaos}'", file=sys.stderr)
    try:
        return asyncio.run(Soak(args, info).run())
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
