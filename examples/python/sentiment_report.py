"""Sentiment report: a week of results as a DataFrame, sentiment per source per day, and the
most negative open cases.

Run against the sandbox (``webcare sandbox`` prints the credentials):

    WEBCARE_BASE_URL=... WEBCARE_CLIENT_ID=... WEBCARE_CLIENT_SECRET=... \\
        python examples/python/sentiment_report.py [profile]
"""

from __future__ import annotations

import os
import sys
import time

import pandas as pd

import webcare


def main() -> int:
    profile = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("WEBCARE_PROFILE", "kpn")
    with webcare.Client() as client:
        started = time.perf_counter()
        # `caseStatus` is not a typed field: ask for it as an extra column.
        df = client.results(profile, webcare.Filter(period="week"), page_size=1000).to_pandas(
            extra=["caseStatus"]
        )
        elapsed = time.perf_counter() - started
    print(f"{len(df)} results of the last week from '{profile}' in {elapsed:.2f}s")
    if df.empty:
        return 0

    # Re-score the texts offline (English and Dutch), in Rust with the GIL released.
    df["compound"] = webcare.sentiment_many(df["description"].fillna(""), compound=True)

    inbound = df[~df["own"]]
    per_day = (
        inbound.assign(day=inbound["time"].dt.floor("D"))
        .pivot_table(index="day", columns="source_name", values="sentiment", aggfunc="mean")
        .round(2)
    )
    print("\nMean sentiment per source per day (-2 very negative .. 2 very positive):")
    print(per_day.to_string())

    cases = (
        inbound.dropna(subset=["case_id"])
        .groupby("case_id")
        .agg(
            messages=("unique_id", "size"),
            mean_sentiment=("sentiment", "mean"),
            mean_compound=("compound", "mean"),
            last=("time", "max"),
            source=("source_name", "first"),
            status=("caseStatus", "last"),
        )
    )
    open_cases = cases[cases["status"] != "closed"]
    worst = open_cases.sort_values(["mean_sentiment", "mean_compound"]).head(5)
    print("\nMost negative open cases:")
    print(worst.to_string())
    summary = pd.Series(
        {"results": len(df), "sources": df["source_name"].nunique(), "open cases": len(open_cases)}
    )
    print("\n" + summary.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
