from __future__ import annotations

import asyncio
import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import webcare
from conftest import Sandbox
from webcare import Filter

EXPECTED = {
    "unique_id": pa.uint64(),
    "time": pa.timestamp("ms", tz="UTC"),
    "source": pa.int64(),
    "source_name": pa.string(),
    "type": pa.int64(),
    "status": pa.int64(),
    "sentiment": pa.int8(),
    "sentiment_label": pa.string(),
    "private": pa.bool_(),
    "own": pa.bool_(),
    "checked": pa.bool_(),
    "title": pa.string(),
    "description": pa.string(),
    "case_id": pa.string(),
    "person_id": pa.string(),
    "profile_id": pa.string(),
    "search_id": pa.uint64(),
    "link": pa.string(),
    "reply_available": pa.bool_(),
}


def test_to_arrow_columns_and_types(client: webcare.Client, profile: str) -> None:
    table = client.results(profile, page_size=100, limit=250).to_arrow()
    assert table.num_rows == 250
    for name, typ in EXPECTED.items():
        assert table.schema.field(name).type == typ, name
    ids = table.column("unique_id").to_pylist()
    assert len(set(ids)) == 250
    rows = list(client.results(profile, page_size=100, limit=250))
    assert ids == [r.unique_id for r in rows]
    assert table.column("description").to_pylist() == [r.description for r in rows]
    assert table.column("sentiment").to_pylist() == [r.sentiment for r in rows]


def test_to_pandas(client: webcare.Client, profile: str) -> None:
    df = client.results(profile, Filter(sentiment="negative"), limit=120).to_pandas()
    assert len(df) == 120
    assert set(EXPECTED) <= set(df.columns)
    assert str(df["time"].dtype).startswith("datetime64[ms, UTC]")
    assert df["sentiment"].dtype == "int8"
    assert (df["sentiment"] == -1).all()
    assert df["own"].dtype == bool
    per_source = df.groupby("source_name").size()
    assert per_source.sum() == 120


def test_to_polars(client: webcare.Client, profile: str) -> None:
    df = client.results(profile, limit=90, page_size=40).to_polars()
    assert isinstance(df, pl.DataFrame)
    assert df.height == 90
    assert df.schema["time"] == pl.Datetime("ms", "UTC")
    assert df.schema["sentiment"] == pl.Int8


def test_empty_result_keeps_columns(client: webcare.Client, profile: str) -> None:
    df = client.results(profile, Filter(word="zzzz-nothing-matches-this")).to_pandas()
    assert len(df) == 0 and "unique_id" in df.columns


def test_arrow_stream_without_pyarrow_api(client: webcare.Client, profile: str) -> None:
    stream = client.results(profile, limit=10).to_arrow_stream()
    assert stream.num_rows == 10 and len(stream) == 10
    assert hasattr(stream, "__arrow_c_stream__")
    # It can be read more than once.
    assert pa.table(stream).num_rows == pa.table(stream).num_rows == 10
    assert pa.RecordBatchReader.from_stream(stream).read_all().num_rows == 10
    page = client.search(profile, Filter(limit=4))
    assert pa.table(page.to_arrow_stream()).num_rows == 4
    assert webcare.ArrowResults.column_names()[0] == "unique_id"


def test_progress_bar(client: webcare.Client, profile: str, capsys: object) -> None:
    df = client.results(profile, limit=60, page_size=20, progress=True).to_pandas()
    assert len(df) == 60
    assert len(list(client.results(profile, limit=30, page_size=20, progress=True))) == 30


def test_async_to_pandas(sandbox: Sandbox, profile: str) -> None:
    async def main() -> pd.DataFrame:
        c = sandbox.async_client()
        return await c.results(profile, limit=70, page_size=25).to_pandas()

    df = asyncio.run(main())
    assert len(df) == 70


def test_extra_fields_as_columns(client: webcare.Client, profile: str) -> None:
    rows = list(client.results(profile, limit=50))
    names = sorted({k for r in rows for k in r.extra})
    assert names, "the sandbox serves fields the client does not type"
    name = names[0]
    df = client.results(profile, limit=50).to_pandas(extra=[name, "noSuchField"])
    assert list(df.columns[-2:]) == [name, "noSuchField"]
    assert df["noSuchField"].isna().all()
    want = [
        None
        if r.extra.get(name) is None
        else r.extra[name]
        if isinstance(r.extra[name], str)
        else json.dumps(r.extra[name], separators=(",", ":"))
        for r in rows
    ]
    assert df[name].where(df[name].notna(), None).tolist() == want
    empty = client.results(profile, Filter(word="zzzz-nothing-matches-this")).to_arrow(extra=[name])
    assert empty.num_rows == 0 and empty.column_names[-1] == name


def test_async_extra_fields(sandbox: Sandbox, profile: str) -> None:
    async def main() -> pl.DataFrame:
        c = sandbox.async_client()
        return await c.results(profile, limit=30).to_polars(extra=["caseStatus"])

    df = asyncio.run(main())
    assert df.height == 30 and df.columns[-1] == "caseStatus"


def test_to_pandas_dtype_backends(client: webcare.Client, profile: str) -> None:
    default = client.results(profile, limit=80, page_size=30).to_pandas()
    arrow = client.results(profile, limit=80, page_size=30).to_pandas(dtype_backend="pyarrow")
    nullable = client.results(profile, limit=80, page_size=30).to_pandas(
        dtype_backend="numpy_nullable"
    )
    assert list(arrow.columns) == list(default.columns) == list(nullable.columns)
    assert isinstance(arrow["description"].dtype, pd.ArrowDtype)
    assert isinstance(arrow["unique_id"].dtype, pd.ArrowDtype)
    assert str(arrow["time"].dtype).startswith("timestamp[ms, tz=UTC]")
    assert isinstance(nullable["description"].dtype, pd.StringDtype)
    assert nullable["unique_id"].dtype == pd.UInt64Dtype()
    assert nullable["own"].dtype == pd.BooleanDtype()
    assert nullable["sentiment"].dtype == pd.Int8Dtype()
    # The same cells whichever the backend.
    for col in ("unique_id", "description", "sentiment", "own", "case_id"):
        want = [None if pd.isna(v) else v for v in default[col].tolist()]
        assert [None if pd.isna(v) else v for v in arrow[col].tolist()] == want, col
        assert [None if pd.isna(v) else v for v in nullable[col].tolist()] == want, col
    assert arrow["tags"].tolist() == [list(t) for t in default["tags"].tolist()]


def test_to_pandas_refuses_an_unknown_dtype_backend(
    client: webcare.Client, sandbox: Sandbox, profile: str
) -> None:
    with pytest.raises(ValueError, match="dtype_backend must be 'numpy_nullable' or 'pyarrow'"):
        client.results(profile, limit=5).to_pandas(dtype_backend="numpy")  # type: ignore[arg-type]

    async def main() -> None:
        c = sandbox.async_client()
        await c.results(profile, limit=5).to_pandas(dtype_backend="arrow")  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="got 'arrow'"):
        asyncio.run(main())
