#!/usr/bin/env python3
"""Write BENCHMARKS.md from the results of scripts/bench/run.sh (target/bench/results/*.json).

Keeps the "## Sentiment" section (written by scripts/eval_sentiment.py) and replaces the rest.
    report.py RESULTS_DIR BENCHMARKS.md
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

RES = Path(sys.argv[1])
MD = Path(sys.argv[2])
MB = 2**20


def load(name: str) -> dict:
    p = RES / name
    return json.loads(p.read_text()) if p.is_file() else {}


def sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
    osr = {}
    if os.path.exists("/etc/os-release"):
        for ln in open("/etc/os-release"):
            if "=" in ln:
                k, v = ln.rstrip().split("=", 1)
                osr[k] = v.strip('"')
    return "\n".join([
        "| | |", "|---|---|",
        f"| CPU | {cpu}, {os.cpu_count()} cores (nproc {sh('nproc')}) |",
        f"| RAM | {mem / 2**20:.1f} GiB |",
        f"| OS | {osr.get('PRETTY_NAME', platform.system())}, kernel {platform.release()} |",
        f"| Rust | {sh('rustc --version')} |",
        f"| Python | {platform.python_version()} |",
        f"| Node | {sh('node --version')} |",
        f"| curl / wrk | {sh('curl --version | head -1').split(' (')[0]} / {sh('wrk --version 2>&1 | head -1').split(' [')[0] or 'n/a'} |",
        "| pinned bench deps | scripts/bench/requirements.txt, scripts/bench/node/package-lock.json |",
    ])


def python_fetch(targets: list) -> str:
    d = load("py_fetch.json")
    if not d:
        return "(not run)\n"
    t = d["tools"]
    wc = t.get("webcare", {}).get("median_s")
    floor = t.get("curl (floor)", {}).get("median_s")
    rows = ["| tool | median (s) | results/s | webcare speed-up |", "|---|---|---|---|"]
    for name, v in t.items():
        if "error" in v:
            rows.append(f"| {name} | failed: `{v['error'][:160]}` | | |")
            continue
        m = v["median_s"]
        rows.append(f"| {name} | {m:.3f} | {d['results'] / m:,.0f} | {m / wc:.2f}x |" if wc else f"| {name} | {m:.3f} | | |")

    def ratio(name: str) -> float | None:
        v = t.get(name, {}).get("median_s")
        return v / wc if v and wc else None

    r_req, r_gen = ratio("requests"), ratio("openapi-python-client")
    targets.append(("Python 100k -> DataFrame vs requests", ">= 5x faster", f"{r_req:.2f}x" if r_req else "n/a", mark(r_req >= 5 if r_req else None)))
    targets.append(("Python 100k -> DataFrame vs generated client", ">= 10x faster", f"{r_gen:.2f}x" if r_gen else "n/a", mark(r_gen >= 10 if r_gen else None)))
    if wc and floor:
        targets.append(("Python 100k -> DataFrame vs curl floor", "<= 1.3x the floor", f"{wc / floor:.2f}x the floor", mark(wc / floor <= 1.3)))
    wa = t.get(ARROW_DTYPES, {}).get("median_s")
    if wa and floor:
        targets.append(("Python 100k -> DataFrame (`dtype_backend=\"pyarrow\"`) vs curl floor", "<= 1.3x the floor", f"{wa / floor:.2f}x the floor", mark(wa / floor <= 1.3)))
    return (
        f"{d['results']:,} results of profile `kpn`, pages of {d['page']} (`limit:{d['page']}/offset:n`), "
        "into a `pandas.DataFrame`; wall-clock median of the runs after one warm-up run. "
        "webcare: `Client(...).results(profile, limit=100_000, page_size=500).to_pandas()` (pandas' "
        "default dtypes: a Python string per text cell), and the same with `dtype_backend=\"pyarrow\"` "
        "(`pandas.ArrowDtype` columns on the Arrow memory); requests / "
        "httpx: a session, `GET` each page, `json`, collect `data.results`, `pandas.DataFrame(rows)`; "
        "openapi-python-client: the client generated from the sandbox's `/openapi.json` (see below), "
        "`search_results.sync_detailed`, `.parsed.to_dict()`, `DataFrame`; curl: one process fetching "
        "the same pages over one connection to /dev/null (no decoding: the floor).\n\n" + "\n".join(rows) + "\n"
        + floor_note(d, floor)
    )


ARROW_DTYPES = 'webcare, dtype_backend="pyarrow"'


def floor_note(d: dict, floor: float | None) -> str:
    """Where webcare's time goes against the floor (which reads the bytes and decodes nothing)."""
    split = d.get("webcare_split")
    est = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion/decode/search_page_500_arrow/new/estimates.json"
    if not split or not floor:
        return ""
    pages = d["results"] / d["page"]
    parts = [
        f"\nWhere webcare's time goes (medians of {REPS_NOTE} separate runs): fetching and decoding into "
        f"Arrow columns {split['fetch_decode_s']:.3f} s, Arrow -> pandas (`Table.to_pandas()`, "
        f"Python strings) {split['to_pandas_s']:.3f} s."
    ]
    if est.is_file():
        page_ns = json.loads(est.read_text())["median"]["point_estimate"]
        decode_s = page_ns * pages / 1e9
        bound = (decode_s + floor) / 2
        parts.append(
            f" Decoding alone ({page_ns / 1e6:.2f} ms per page of 500 in the criterion benchmark "
            f"`decode/search_page_500_arrow`, one thread) is {decode_s:.3f} s of CPU for "
            f"{pages:.0f} pages, {decode_s / floor:.1f}x the whole floor (curl reads the same bytes and "
            "decodes nothing). The pager fetches up to 4 pages ahead and decodes one per core at a time, but the 2 cores are shared with "
            "the sandbox, whose serving takes about the floor's time: even with both cores always busy "
            f"and nothing but decoding on the client, a pull takes at least ({decode_s:.3f} + "
            f"{floor:.3f}) / 2 = {bound:.3f} s, {bound / floor:.2f}x the floor, before receiving the "
            "bytes and building the frame."
        )
    return "".join(parts) + "\n"


REPS_NOTE = os.environ.get("BENCH_REPS", "5")


def gen_note() -> str:
    log = (RES / "gen.log").read_text() if (RES / "gen.log").is_file() else ""
    return log


def python_async(targets: list) -> str:
    d = load("py_async.json")
    if not d:
        return "(not run)\n"
    t = d["tools"]
    wc = t["webcare AsyncClient"]["median_s"]
    rows = ["| tool | median per batch (ms) | p90 (ms) | webcare speed-up |", "|---|---|---|---|"]
    for name, v in t.items():
        rows.append(f"| {name} | {v['median_s'] * 1000:.2f} | {v['p90_s'] * 1000:.2f} | {v['median_s'] / wc:.2f}x |")
    return (f"A batch of {d['concurrency']} concurrent searches (`limit:{d['limit']}`, distinct offsets) "
            f"with `asyncio.gather`, {d['batches']} batches after 3 warm-up batches.\n\n" + "\n".join(rows) + "\n")


def node(targets: list) -> str:
    s, c = load("node_seq.json"), load("node_conc.json")
    out = []
    if s:
        t = s["tools"]
        rows = ["| tool | median (ms) | p90 (ms) | p99 (ms) | vs webcare |", "|---|---|---|---|---|"]
        wc = t["webcare"]["median_ms"]
        for name, v in t.items():
            rows.append(f"| {name} | {v['median_ms']:.3f} | {v['p90_ms']:.3f} | {v['p99_ms']:.3f} | {v['median_ms'] / wc:.2f}x |")
        r = wc / t["undici.request"]["median_ms"]
        targets.append(("Node sequential latency vs undici.request", "<= 1.2x", f"{r:.2f}x", mark(r <= 1.2)))
        out.append(f"Sequential small calls (`limit:1` search, JSON decoded), {s['calls']} calls per tool after 50 "
                   "warm-up calls, two interleaved rounds (the better median counts).\n\n" + "\n".join(rows) + "\n")
    for c, what in ((c, "searches (`limit:25`, distinct offsets)"),
                    (load("node_conc_small.json"), "small calls (`limit:1`, the calls of the sequential benchmark)")):
        if not c:
            continue
        t = c["tools"]
        wc = t["webcare"]["median_ms"]
        rows = ["| tool | median per batch (ms) | p90 (ms) | client CPU per batch (ms) | sandbox CPU per batch (ms) | webcare speed-up |",
                "|---|---|---|---|---|---|"]
        for name, v in t.items():
            cpu = f"{v['client_cpu_ms']:.2f}" if "client_cpu_ms" in v else "-"
            sb = f"{v['sandbox_cpu_ms']:.2f}" if "sandbox_cpu_ms" in v else "-"
            rows.append(f"| {name} | {v['median_ms']:.2f} | {v['p90_ms']:.2f} | {cpu} | {sb} | {v['median_ms'] / wc:.2f}x |")
        r = t["fetch"]["median_ms"] / wc
        limit = c.get("limit", 25)
        targets.append((f"Node 20 concurrent calls (`limit:{limit}`) vs fetch", ">= 2x faster", f"{r:.2f}x", mark(r >= 2)))
        rounds = c.get("rounds", 1)
        how = f", {rounds} interleaved rounds (the better median of each tool counts)" if rounds > 1 else ""
        out.append(f"\nBatches of {c['concurrency']} concurrent {what}, {c['batches']} batches per round{how}. "
                   "CPU: the client process (all threads) and the sandbox (from `/proc`, clock ticks, approximate), "
                   "per batch of the same round.\n\n" + "\n".join(rows) + "\n")
        if limit > 1:
            out.append("undici and fetch work on the JS thread alone; webcare on two (a runtime thread does the HTTP "
                       "and writes each page as JSON straight from the response, the JS thread only parses it), so on "
                       "2 cores shared with the sandbox its batch is bounded by client CPU plus sandbox CPU over two "
                       "cores, and its client CPU is above undici's: the page is read twice, once in Rust (the "
                       "lenient rules) and once by `JSON.parse`. The first round's CPU includes V8 compiling the "
                       "benchmark. Medians of one tool move by 10-30% from one run of `make bench` to the next on "
                       "this machine.\n")
    return "\n".join(out) or "(not run)\n"


def sandbox(targets: list) -> str:
    runs = []
    for p in sorted(RES.glob("wrk*.txt")):
        txt = p.read_text()
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", txt).group(1))
        lat = {}
        for q, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\b", txt, re.M):
            lat[q] = float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", txt)
        runs.append((rps, lat, int(non2xx.group(1)) if non2xx else 0))
    for p in sorted(RES.glob("autocannon*.json")):
        j = json.loads(p.read_text())
        runs.append((j["requests"]["average"], {"50": j["latency"]["p50"], "99": j["latency"]["p99"]}, j.get("non2xx", 0)))
    if not runs:
        return "(not run)\n"
    runs.sort(key=lambda r: r[0])
    med = runs[len(runs) // 2]
    rows = ["| run | req/s | p50 (ms) | p99 (ms) | non-2xx |", "|---|---|---|---|---|"]
    for i, (rps, lat, bad) in enumerate(runs, 1):
        rows.append(f"| {i} | {rps:,.0f} | {lat.get('50', 0):.2f} | {lat.get('99', 0):.2f} | {bad} |")
    targets.append(("Sandbox 25-result search, c=32: throughput", ">= 15,000 req/s", f"{med[0]:,.0f} req/s", mark(med[0] >= 15000)))
    targets.append(("Sandbox 25-result search, c=32: p99", "< 10 ms", f"{med[1].get('99', 0):.2f} ms", mark(med[1].get("99", 1e9) < 10)))
    tool = "wrk" if list(RES.glob("wrk*.txt")) else "autocannon"
    return (f"`GET /results/kpn/limit:25` with a bearer token, 32 connections, 10 s per run, 3 runs after a "
            f"3 s warm-up ({tool} `-t2 -c32 -d10s --latency`), on the same 2 cores as the sandbox. "
            "Sorted by req/s; the middle run counts.\n\n" + "\n".join(rows) + "\n")


def memory(targets: list) -> str:
    rows = ["| what | results | baseline RSS (MB) | peak RSS (MB) | growth (MB) | time (s) |", "|---|---|---|---|---|---|"]
    for f, label in [("mem_py_stream.json", "Python: `for r in client.results(...)`"),
                     ("mem_node_stream.json", "Node: `for await (const r of client.results(...))`"),
                     ("mem_py_dataframe.json", "Python: webcare `.to_pandas()`"),
                     ("mem_py_dataframe_requests.json", "Python: requests + json + `pandas.DataFrame`")]:
        d = load(f)
        if not d:
            continue
        rows.append(f"| {label} | {d['results']:,} | {d['baseline_bytes'] / MB:.1f} | {d['peak_bytes'] / MB:.1f} | "
                    f"{d['growth_bytes'] / MB:.1f} | {d['seconds']:.1f} |")
        if f.endswith("stream.json"):
            lang = "Python" if "py" in f else "Node"
            targets.append((f"{lang} iterator memory growth, {d['results']:,} results", "< 50 MB",
                            f"{d['growth_bytes'] / MB:.1f} MB", mark(d["growth_bytes"] < 50 * MB)))
    seed = load("seed_stream.json")
    note = (f" The streaming runs use a second sandbox seeded with {seed['results']:,} results "
            f"(seeding took {seed['seed_seconds']:.0f} s).") if seed else ""
    return ("Peak RSS of one fresh process per row (Python: `ru_maxrss`; Node: `process.memoryUsage().rss` "
            "polled every 10 ms and `resourceUsage().maxRSS`), against the RSS after imports and one warm-up call; "
            f"pages of 500.{note}\n\n" + "\n".join(rows) + "\n")


def imports(targets: list) -> str:
    d = load("import.json")
    if not d:
        return "(not run)\n"
    targets.append(("Python `import webcare`", "< 100 ms", f"{d['python_import_s'] * 1000:.1f} ms", mark(d["python_import_s"] < 0.1)))
    req = d.get("node_require_inproc_s", d["node_require_s"])
    targets.append(("Node `require('webcare')`", "< 50 ms", f"{req * 1000:.1f} ms", mark(req < 0.05)))
    return "\n".join([
        "Median wall time of fresh processes (21 each, after 2 warm-ups); the import time is the "
        "difference to a bare interpreter.\n",
        "| command | median (ms) |", "|---|---|",
        f"| `python -c pass` | {d['python_bare_s'] * 1000:.1f} |",
        f"| `python -c 'import webcare'` | {d['python_webcare_s'] * 1000:.1f} |",
        f"| import webcare (difference) | **{d['python_import_s'] * 1000:.1f}** |",
        f"| `python -X importtime`: cumulative for `webcare` | {d.get('python_importtime_cumulative_s', 0) * 1000:.1f} |",
        f"| `node -e ''` | {d['node_bare_s'] * 1000:.1f} |",
        f"| `node -e \"require('webcare')\"` | {d['node_webcare_s'] * 1000:.1f} |",
        f"| require('webcare') (difference) | {d['node_require_s'] * 1000:.1f} |",
        f"| require('webcare') timed inside the process (`process.hrtime` around the `require`) | **{d.get('node_require_inproc_s', float('nan')) * 1000:.1f}** |",
    ]) + "\n"


def criterion() -> str:
    root = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    rows = ["| benchmark | median | |", "|---|---|---|"]
    for est in sorted(root.glob("*/*/new/estimates.json")):
        group, name = est.parts[-4], est.parts[-3]
        if group == "report":
            continue
        med = json.loads(est.read_text())["median"]["point_estimate"]  # ns
        human = f"{med / 1e6:.3f} ms" if med > 1e6 else (f"{med / 1e3:.2f} µs" if med > 1e3 else f"{med:.0f} ns")
        extra = ""
        if group == "decode":
            extra = f"{500 / (med / 1e9):,.0f} results/s"
        elif group == "sentiment":
            extra = f"{1e9 / med:,.0f} texts/s"
        rows.append(f"| {group}/{name} | {human} | {extra} |")
    return ("`cargo bench -p webcare --features arrow --bench hot_paths -- --warm-up-time 1 --measurement-time 3` "
            "(core/benches/hot_paths.rs; the page is core/benches/data/page500.json, 500 results, "
            "545 KiB, from the sandbox). A regression guard, not a comparison.\n\n" + "\n".join(rows) + "\n")


def sentiment_target(text: str, targets: list) -> None:
    # The table of `make eval-sentiment`: English 1 thread, English all cores, Dutch ...
    rust = re.search(r"\| Rust `webcare::sentiment::score_in`[^|]*\| ([\d,]+) \| ([\d,]+) \|", text)
    vader = re.search(r"\| Python vaderSentiment [^|]*\| ([\d,]+) \|", text)
    py = re.search(r"\| Python `webcare.sentiment_many\(texts, lang\)`[^|]*\| *\| ([\d,]+) \|", text)
    num = lambda m, k: float(m.group(k).replace(",", ""))  # noqa: E731
    if rust and vader:
        v = num(vader, 1)
        r1, r = num(rust, 1) / v, num(rust, 2) / v
        targets.append(("Sentiment, Rust `score_many` (all cores) vs vaderSentiment 3.3.2", ">= 50x", f"{r:.1f}x", mark(r >= 50)))
        targets.append(("Sentiment, Rust `score_in` (1 thread) vs vaderSentiment 3.3.2", ">= 50x", f"{r1:.1f}x", mark(r1 >= 50)))
        if py:
            p = num(py, 1) / v
            targets.append(("Sentiment, Python `sentiment_many` vs vaderSentiment", ">= 50x", f"{p:.1f}x", mark(p >= 50)))


def main() -> None:
    old = MD.read_text() if MD.is_file() else ""
    m = re.search(r"^## Sentiment\n.*?(?=^## |\Z)", old, re.S | re.M)
    sent = m.group(0).rstrip() + "\n" if m else "## Sentiment\n\n(run `make eval-sentiment`)\n"
    targets: list = []
    parts = {
        "fetch": python_fetch(targets), "async": python_async(targets), "node": node(targets),
        "sandbox": sandbox(targets), "memory": memory(targets), "imports": imports(targets),
        "criterion": criterion(),
    }
    sentiment_target(sent, targets)
    seed = load("seed.json")
    tt = ["| benchmark | target | measured | |", "|---|---|---|---|"]
    tt += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets]
    gen = gen_note()
    gen_md = ""
    if "Duplicate key" in gen or "Error" in gen or "Warning" in gen:
        gen_md = ("\nThe generated client: with the default configuration `openapi-python-client "
                  "generate` fails on our document (`POST /results/{resultId}/event/{event}` lists "
                  "`starttyping` and `startTyping`, which collide as enum members):\n\n"
                  "```\nValueError: Duplicate key STARTTYPING in enum post_event_event.PostEventEvent; "
                  "consider setting literal_enums in your config\n```\n\n"
                  "so the bench generates it with `literal_enums: true`. Its `search_results` also "
                  "percent-encodes the `{filters}` path parameter, `/` included, so "
                  "`limit:500/offset:0` arrives as one segment and the sandbox answers 400; the bench "
                  "patches the generated module's `quote` to keep `/` (what a user would have to do)."
                  "\n")
    doc = f"""# Benchmarks

Produced by `make bench` (scripts/bench/run.sh): release builds of the CLI, the Python extension
and the Node addon; one `webcare sandbox --results {seed and os.environ.get('BENCH_SEED_RESULTS', '150000')} --quota 1000000000/minute`
(quota raised; seeded in {seed.get('seed_seconds', 0):.1f} s) on 127.0.0.1, shared by every
benchmark; medians of repeated runs. Client and sandbox share the same 2 cores, so every
number includes the sandbox's own time. The sandbox is deterministic (seed 42); absolute numbers
move with load on a shared machine, ratios are steadier; a ratio close to its target line can
land on either side of it from one run to the next.

Reproduce: `make bench` (about 15 minutes; raw results in `target/bench/results/`).

## Machine

{machine()}

## Targets

{chr(10).join(tt)}

## Python: 100k results into a pandas DataFrame

{parts['fetch']}{gen_md}
## Python async: 20 concurrent searches

{parts['async']}
## Node: sequential and concurrent calls

{parts['node']}
## Sandbox throughput

{parts['sandbox']}
## Memory

{parts['memory']}
## Import time

{parts['imports']}
## Core hot paths (criterion)

{parts['criterion']}
{sent}"""
    MD.write_text(doc)
    print(f"wrote {MD}")
    for a, b, c, d in targets:
        print(f"   {a}: {c} (target {b}) {d.strip('*')}")


if __name__ == "__main__":
    main()
