#!/usr/bin/env python3
"""Python benchmarks of `make bench` (run by scripts/bench/run.sh against one sandbox).

    bench_python.py fetch   OUT.json    100k results (pages of 500) into a pandas DataFrame:
                                        webcare, requests, httpx, the openapi-python-client
                                        client (GEN_DIR), curl to /dev/null (the floor)
    bench_python.py async   OUT.json    20 concurrent searches: webcare AsyncClient, aiohttp,
                                        httpx.AsyncClient
    bench_python.py memory  OUT.json KIND [N]   peak RSS of one fresh process (KIND: stream,
                                        dataframe, dataframe-requests)

The sandbox comes from the environment: WEBCARE_BASE_URL, WEBCARE_CLIENT_ID,
WEBCARE_CLIENT_SECRET, WEBCARE_PROFILE. Times are wall-clock medians of BENCH_REPS runs.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

BASE = os.environ["WEBCARE_BASE_URL"].rstrip("/")
CID = os.environ["WEBCARE_CLIENT_ID"]
SECRET = os.environ["WEBCARE_CLIENT_SECRET"]
PROFILE = os.environ.get("WEBCARE_PROFILE", "kpn")
REPS = int(os.environ.get("BENCH_REPS", "5"))
PAGE = 500
N = int(os.environ.get("BENCH_RESULTS", "100000"))
TOKEN_URL = f"{BASE}/oauth/client_credential/accesstoken?grant_type=client_credentials"


def token() -> str:
    import requests

    r = requests.post(TOKEN_URL, data={"client_id": CID, "client_secret": SECRET}, timeout=30)
    r.raise_for_status()
    return str(r.json()["access_token"])


def page_path(offset: int, limit: int = PAGE) -> str:
    return f"/results/{PROFILE}/limit:{limit}/offset:{offset}"


def items_of(body: dict) -> list:
    res = body["data"]["results"]
    return list(res.values()) if isinstance(res, dict) else list(res)


def timed(fn: Callable[[], Any], reps: int) -> tuple[list[float], Any]:
    fn()  # warm-up: token, connections, caches
    times, out = [], None
    for _ in range(reps):
        # Free the last run's frame before the clock starts: `out = fn()` would free it inside
        # the timed region (a million Python strings for a default-dtype frame).
        out = None
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


# ---------------------------------------------------------------------------------------------
# 100k results into a DataFrame


def fetch_webcare() -> Callable[[], Any]:
    import webcare

    client = webcare.Client(BASE, CID, SECRET)
    return lambda: client.results(PROFILE, None, limit=N, page_size=PAGE).to_pandas()


def fetch_webcare_arrow_dtypes() -> Callable[[], Any]:
    import webcare

    client = webcare.Client(BASE, CID, SECRET)
    return lambda: client.results(PROFILE, None, limit=N, page_size=PAGE).to_pandas(
        dtype_backend="pyarrow"
    )


def webcare_split(reps: int) -> dict:
    """Where webcare's time goes: fetching and decoding into Arrow, then Arrow -> pandas."""
    import pyarrow as pa
    import webcare

    client = webcare.Client(BASE, CID, SECRET)
    fetch, convert = [], []
    kept: list[Any] = []  # the last run's table and frame
    for i in range(reps + 1):
        kept.clear()  # freed before the clock starts, as in `timed`
        t0 = time.perf_counter()
        kept.append(pa.table(client.results(PROFILE, None, limit=N, page_size=PAGE).to_arrow_stream()))
        t1 = time.perf_counter()
        kept.append(kept[0].to_pandas())
        t2 = time.perf_counter()
        if i:  # the first run warms up
            fetch.append(t1 - t0)
            convert.append(t2 - t1)
    return {"fetch_decode_s": statistics.median(fetch), "to_pandas_s": statistics.median(convert)}


def paged_frame(get_page: Callable[[int], dict]) -> Any:
    """The obvious loop of the hand-written clients: a page body per offset, its results, one
    DataFrame of them all at the end."""
    import pandas as pd

    rows: list = []
    offset = 0
    while offset < N:
        items = items_of(get_page(offset))
        rows.extend(items)
        if len(items) < PAGE:
            break
        offset += PAGE
    return pd.DataFrame(rows)


def fetch_requests() -> Callable[[], Any]:
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token()}"

    def page(offset: int) -> dict:
        r = session.get(BASE + page_path(offset), timeout=60)
        r.raise_for_status()
        return r.json()

    return lambda: paged_frame(page)


def fetch_httpx() -> Callable[[], Any]:
    import httpx

    client = httpx.Client(headers={"Authorization": f"Bearer {token()}"}, timeout=60)

    def page(offset: int) -> dict:
        r = client.get(BASE + page_path(offset))
        r.raise_for_status()
        return json.loads(r.content)

    return lambda: paged_frame(page)


def fetch_generated() -> Callable[[], Any]:
    """The client openapi-python-client generated from the sandbox's /openapi.json (GEN_DIR)."""
    gen = Path(os.environ["GEN_DIR"])
    pkg = next(p.name for p in gen.iterdir() if (p / "client.py").is_file())
    sys.path.insert(0, str(gen))
    client_mod = importlib.import_module(f"{pkg}.client")
    search = importlib.import_module(f"{pkg}.api.results.search_results")
    # The generated code percent-encodes `/` in {filters}, which turns `limit:500/offset:0` into
    # one (invalid) segment; keep `/` as a user of the generated client would have to.
    import urllib.parse

    search.quote = lambda s, safe="": urllib.parse.quote(s, safe="/")  # type: ignore[attr-defined]
    client = client_mod.AuthenticatedClient(base_url=BASE, token=token(), timeout=None)

    def page(offset: int) -> dict:
        resp = search.sync_detailed(
            profile=PROFILE, filters=f"limit:{PAGE}/offset:{offset}", client=client
        )
        if resp.status_code != 200 or resp.parsed is None:
            raise RuntimeError(f"generated client: {resp.status_code} {resp.content[:200]!r}")
        return resp.parsed.to_dict()

    return lambda: paged_frame(page)


def fetch_curl() -> Callable[[], Any]:
    """The floor: one curl process fetching the same pages (one connection) to /dev/null."""
    tok = token()
    cfg = tempfile.NamedTemporaryFile("w", suffix=".curlrc", delete=False)
    cfg.write(f'header = "Authorization: Bearer {tok}"\nsilent\nfail\n')
    for offset in range(0, N, PAGE):
        cfg.write(f'url = "{BASE}{page_path(offset)}"\noutput = "/dev/null"\n')
    cfg.close()
    return lambda: subprocess.run(["curl", "-K", cfg.name], check=True)


def cmd_fetch(out: Path) -> None:
    result: dict = {"results": N, "page": PAGE, "tools": {}}
    tools = [
        ("curl (floor)", fetch_curl, REPS),
        ("webcare", fetch_webcare, REPS),
        ('webcare, dtype_backend="pyarrow"', fetch_webcare_arrow_dtypes, REPS),
        ("requests", fetch_requests, REPS),
        ("httpx", fetch_httpx, REPS),
        ("openapi-python-client", fetch_generated, max(1, REPS // 2)),
    ]
    only = os.environ.get("BENCH_ONLY")
    for name, make, reps in tools:
        if only and only not in name:
            continue
        try:
            times, df = timed(make(), reps)
        except Exception as e:  # a tool that fails is a finding, not a crash of the bench
            print(f"   {name}: FAILED: {type(e).__name__}: {e}", flush=True)
            result["tools"][name] = {"error": f"{type(e).__name__}: {e}"[:500]}
            continue
        rows = None if df is None or isinstance(df, subprocess.CompletedProcess) else len(df)
        med = statistics.median(times)
        print(f"   {name:24} median {med:7.3f} s  runs {[round(t, 3) for t in times]}  rows {rows}", flush=True)
        result["tools"][name] = {"median_s": med, "runs": times, "rows": rows}
    if not only or only in "webcare":
        result["webcare_split"] = webcare_split(REPS)
        print(f"   webcare split: {result['webcare_split']}", flush=True)
    out.write_text(json.dumps(result, indent=2))


# ---------------------------------------------------------------------------------------------
# 20 concurrent searches


CONC = 20
SMALL = 25


async def async_webcare(batches: int) -> list[float]:
    import webcare

    client = webcare.AsyncClient(BASE, CID, SECRET)

    async def batch() -> None:
        pages = await asyncio.gather(
            *(client.search(PROFILE, f"limit:{SMALL}/offset:{i * SMALL}") for i in range(CONC))
        )
        assert all(len(p.results) == SMALL for p in pages)

    return await run_batches(batch, batches)


async def async_aiohttp(batches: int) -> list[float]:
    import aiohttp

    headers = {"Authorization": f"Bearer {token()}"}
    async with aiohttp.ClientSession(headers=headers) as session:

        async def one(i: int) -> list:
            async with session.get(BASE + page_path(i * SMALL, SMALL)) as r:
                r.raise_for_status()
                return items_of(await r.json())

        async def batch() -> None:
            pages = await asyncio.gather(*(one(i) for i in range(CONC)))
            assert all(len(p) == SMALL for p in pages)

        return await run_batches(batch, batches)


async def async_httpx(batches: int) -> list[float]:
    import httpx

    headers = {"Authorization": f"Bearer {token()}"}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=60) as client:

        async def one(i: int) -> list:
            r = await client.get(BASE + page_path(i * SMALL, SMALL))
            r.raise_for_status()
            return items_of(r.json())

        async def batch() -> None:
            pages = await asyncio.gather(*(one(i) for i in range(CONC)))
            assert all(len(p) == SMALL for p in pages)

        return await run_batches(batch, batches)


async def run_batches(batch: Callable[[], Any], batches: int) -> list[float]:
    for _ in range(3):
        await batch()  # warm-up: token, connection pool
    times = []
    for _ in range(batches):
        t = time.perf_counter()
        await batch()
        times.append(time.perf_counter() - t)
    return times


def cmd_async(out: Path) -> None:
    batches = int(os.environ.get("BENCH_BATCHES", "50"))
    result: dict = {"concurrency": CONC, "limit": SMALL, "batches": batches, "tools": {}}
    for name, fn in [
        ("webcare AsyncClient", async_webcare),
        ("aiohttp", async_aiohttp),
        ("httpx.AsyncClient", async_httpx),
    ]:
        times = asyncio.run(fn(batches))
        med = statistics.median(times)
        print(f"   {name:24} median {med * 1000:7.2f} ms per batch of {CONC}", flush=True)
        result["tools"][name] = {"median_s": med, "p90_s": sorted(times)[int(0.9 * len(times))]}
    out.write_text(json.dumps(result, indent=2))


# ---------------------------------------------------------------------------------------------
# Peak RSS (one fresh process per measurement)


def rss_now() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cmd_memory(out: Path, kind: str, n: int) -> None:
    import pandas  # noqa: F401  (imported before the baseline, like an analysis script would)
    import pyarrow  # noqa: F401

    import webcare

    client = webcare.Client(BASE, CID, SECRET)
    client.search(PROFILE, "limit:1")  # token, connection
    base = rss_now()
    t = time.perf_counter()
    if kind == "stream":
        count = 0
        for _ in client.results(PROFILE, None, limit=n, page_size=PAGE):
            count += 1
    elif kind == "dataframe":
        count = len(client.results(PROFILE, None, limit=n, page_size=PAGE).to_pandas())
    elif kind == "dataframe-requests":
        global N
        N = n
        count = len(fetch_requests()())
    else:
        raise SystemExit(f"unknown memory kind {kind}")
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    res = {"kind": kind, "results": count, "baseline_bytes": base, "peak_bytes": peak,
           "growth_bytes": peak - base, "seconds": secs}
    print(f"   python {kind:20} {count} results: baseline {base / 2**20:.1f} MB, peak "
          f"{peak / 2**20:.1f} MB, growth {(peak - base) / 2**20:.1f} MB ({secs:.1f} s)", flush=True)
    out.write_text(json.dumps(res, indent=2))


# ---------------------------------------------------------------------------------------------
# Import time (fresh processes, median)


def fresh(cmd: list[str], reps: int) -> float:
    times = []
    for _ in range(reps + 2):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times[2:])


def cmd_import(out: Path) -> None:
    reps = int(os.environ.get("BENCH_IMPORT_REPS", "21"))
    py, node, pkg = sys.executable, "node", os.environ["WEBCARE_NODE_PKG"]
    res = {
        "python_bare_s": fresh([py, "-c", "pass"], reps),
        "python_webcare_s": fresh([py, "-c", "import webcare"], reps),
        "node_bare_s": fresh([node, "-e", ""], reps),
        "node_webcare_s": fresh([node, "-e", f"require({json.dumps(pkg)})"], reps),
    }
    # -X importtime: the cumulative microseconds of the top-level `webcare` import.
    p = subprocess.run([py, "-X", "importtime", "-c", "import webcare"], capture_output=True,
                       text=True, check=True)
    for line in p.stderr.splitlines():
        parts = [x.strip() for x in line.split("|")]
        if len(parts) == 3 and parts[2] == "webcare":
            res["python_importtime_cumulative_s"] = int(parts[1]) / 1e6
    # The require timed inside the process as well (the difference of two process times is
    # within their noise when the require itself takes a few milliseconds).
    timer = (f"const t = process.hrtime.bigint(); require({json.dumps(pkg)}); "
             "console.log(Number(process.hrtime.bigint() - t) / 1e9)")
    inproc = [float(subprocess.run([node, "-e", timer], check=True, capture_output=True,
                                   text=True).stdout) for _ in range(reps)]
    res["node_require_inproc_s"] = statistics.median(inproc)
    res["python_import_s"] = res["python_webcare_s"] - res["python_bare_s"]
    res["node_require_s"] = res["node_webcare_s"] - res["node_bare_s"]
    print(f"   python import webcare {res['python_import_s'] * 1000:.1f} ms over a bare interpreter "
          f"(-X importtime {res.get('python_importtime_cumulative_s', 0) * 1000:.1f} ms); "
          f"node require {res['node_require_s'] * 1000:.1f} ms over bare node "
          f"({res['node_require_inproc_s'] * 1000:.1f} ms timed in the process)", flush=True)
    out.write_text(json.dumps(res, indent=2))


def main() -> None:
    cmd, out = sys.argv[1], Path(sys.argv[2])
    if cmd == "import":
        return cmd_import(out)
    if cmd == "fetch":
        cmd_fetch(out)
    elif cmd == "async":
        cmd_async(out)
    elif cmd == "memory":
        cmd_memory(out, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else N)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
