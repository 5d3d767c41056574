"""The runtime rules: the GIL is released, exit with requests in flight is safe, fork works,
and core log events reach `logging`."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import List

import pytest

import webcare
from conftest import Sandbox, run_python, start_sandbox
from webcare import Filter


def test_blocking_calls_release_the_gil(client: webcare.Client, profile: str) -> None:
    stop = threading.Event()
    ticks: List[int] = [0]

    def spin() -> None:
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.05)
        before = ticks[0]
        started = time.perf_counter()
        n = client.results(profile, page_size=100, limit=1500).to_arrow_stream().num_rows
        elapsed = time.perf_counter() - started
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert n == 1500
    # A thread spinning in Python made real progress while the call waited.
    assert during > 10_000, (during, elapsed)


def test_two_threads_make_progress_concurrently(sandbox: Sandbox, profile: str) -> None:
    c = sandbox.client()
    c.configuration()
    spans: List[List[float]] = [[], []]

    def work(i: int) -> None:
        for _ in range(8):
            t0 = time.perf_counter()
            assert len(c.search(profile, Filter(limit=50))) == 50
            spans[i].append(t0)
            spans[i].append(time.perf_counter())

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    a0, a1 = min(spans[0]), max(spans[0])
    b0, b1 = min(spans[1]), max(spans[1])
    assert a0 < b1 and b0 < a1, "the two threads' calls overlap in time"


EXIT_SCRIPT = r"""
import asyncio, logging, os, sys, threading
import webcare
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
profile = sys.argv[1] if len(sys.argv) > 1 else os.environ["PROFILE"]
c = webcare.Client()
def bg():
    try:
        c.results(profile, page_size=50).to_arrow_stream()
    except Exception:
        pass
for _ in range(2):
    threading.Thread(target=bg, daemon=True).start()
async def main():
    ac = webcare.AsyncClient()
    tasks = [asyncio.ensure_future(ac.search(profile)) for _ in range(4)]
    tasks.append(asyncio.ensure_future(ac.results(profile).to_arrow_stream()))
    await asyncio.sleep(0.03)
    global leaked
    leaked = tasks  # keep references: coroutines still pending at exit
asyncio.run(main())
# Exit now, with blocking and async requests in flight.
"""


def test_exit_with_requests_in_flight_is_safe(sandbox: Sandbox, profile: str) -> None:
    env = sandbox.env()
    env["PROFILE"] = profile
    runs = int(os.environ.get("WEBCARE_EXIT_RUNS", "50"))
    failures = []
    for i in range(runs):
        p = run_python(EXIT_SCRIPT, env, timeout=60)
        if p.returncode != 0:
            failures.append((i, p.returncode, p.stderr[-2000:]))
    assert not failures, failures[:3]


def test_fork_child_can_call(sandbox: Sandbox, profile: str) -> None:
    code = r"""
import os, sys, webcare
c = webcare.Client()
assert len(c.search(os.environ["PROFILE"], "limit:2")) == 2   # the parent's runtime is running
pid = os.fork()
if pid == 0:
    try:
        n = len(webcare.Client().search(os.environ["PROFILE"], "limit:3"))
        n2 = len(c.search(os.environ["PROFILE"], "limit:4"))
        os._exit(0 if (n, n2) == (3, 4) else 3)
    except BaseException as e:
        print("child failed:", repr(e), file=sys.stderr)
        os._exit(4)
_, status = os.waitpid(pid, 0)
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
assert len(c.search(os.environ["PROFILE"], "limit:5")) == 5     # the parent still works
print("ok")
"""
    env = sandbox.env()
    env["PROFILE"] = profile
    p = run_python(code, env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "ok"


def test_core_logs_reach_logging(
    sandbox: Sandbox, profile: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="webcare"):
        c = sandbox.client()
        c.search(profile, Filter(limit=1))
    records = [r for r in caplog.records if r.name == "webcare"]
    assert records, "no webcare log records"
    text = "\n".join(r.getMessage() for r in records)
    assert "webcare::" in text
    assert sandbox.client_secret not in text
    # Nothing is logged when the logger is not enabled.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="webcare"):
        sandbox.client().search(profile, Filter(limit=1))
    assert not [r for r in caplog.records if r.levelno < logging.WARNING]


def test_ctrl_c_cancels_a_blocking_call() -> None:
    slow = start_sandbox("--chaos", "latency=4000ms")
    try:
        code = r"""
import os, signal, sys, threading, time, webcare
c = webcare.Client(timeout=60)
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
t = time.perf_counter()
try:
    c.configuration()
    print("finished")
except KeyboardInterrupt:
    print(f"interrupted {time.perf_counter() - t:.2f}")
"""
        p = run_python(code, slow.env(), timeout=60)
        assert p.returncode == 0, p.stderr
        out = p.stdout.strip()
        assert out.startswith("interrupted"), out
        assert float(out.split()[1]) < 3.0
    finally:
        slow.proc.terminate()
        slow.proc.wait(timeout=10)


def test_blocking_calls_do_not_leak_file_descriptors(client: webcare.Client, profile: str) -> None:
    client.search(profile, Filter(limit=1))
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        client.search(profile, Filter(limit=1))
        with pytest.raises(ValueError):
            client.result(-1)
    assert len(os.listdir("/proc/self/fd")) <= before + 2
