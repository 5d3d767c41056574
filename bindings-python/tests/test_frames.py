"""webcare.add_sentiment on pandas and polars DataFrames (offline, no sandbox needed)."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import webcare

TEXTS = [
    "Thanks, this is great service!",
    "Mijn internet werkt alweer niet, echt slecht",
    None,
    "The router is on the table.",
]


def test_pandas_columns_and_values() -> None:
    df = pd.DataFrame({"description": TEXTS, "id": [1, 2, 3, 4]})
    out = webcare.add_sentiment(df)
    assert "sentiment_compound" not in df.columns, "the input is not modified"
    assert list(out.columns[-4:]) == [
        "sentiment_compound",
        "sentiment_label",
        "sentiment_value",
        "sentiment_language",
    ]
    assert str(out["sentiment_value"].dtype) == "Int8"
    assert out["sentiment_compound"].iloc[0] > 0.5
    assert out["sentiment_compound"].iloc[1] < 0
    assert out["sentiment_language"].iloc[1] == "nl"
    assert pd.isna(out["sentiment_compound"].iloc[2])
    assert out["sentiment_label"].iloc[3] == "neutral"
    one = webcare.sentiment(TEXTS[1])
    assert out["sentiment_compound"].iloc[1] == pytest.approx(one.compound)
    assert out["sentiment_label"].iloc[1] == one.label


def test_polars_and_prefix() -> None:
    df = pl.DataFrame({"text": TEXTS})
    out = webcare.add_sentiment(df, column="text", lang="en", prefix="s_")
    assert out.schema["s_value"] == pl.Int8
    assert out["s_compound"][0] > 0.5
    assert out["s_compound"][2] is None
    assert out["s_language"][1] == "en"


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no column 'nope'"):
        webcare.add_sentiment(pd.DataFrame({"a": ["x"]}), column="nope")
    with pytest.raises(TypeError, match="pandas or polars"):
        webcare.add_sentiment([1, 2, 3])  # type: ignore[type-var]
