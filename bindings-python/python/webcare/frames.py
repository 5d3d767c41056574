"""DataFrame helpers: score a text column offline, in Rust.

>>> df = client.results("kpn", Filter(period="week")).to_pandas()
>>> df = webcare.add_sentiment(df, column="description", lang="auto")
>>> df[["description", "sentiment_compound", "sentiment_label"]].head()
"""

from __future__ import annotations

from typing import Any, List, Optional, TypeVar

from ._native import sentiment_many

DF = TypeVar("DF")


def _column_values(df: Any, column: str) -> List[Optional[str]]:
    if not hasattr(df, "columns"):
        raise TypeError(
            f"add_sentiment: expected a pandas or polars DataFrame, got {type(df).__name__}"
        )
    if column not in df.columns:
        raise KeyError(f"add_sentiment: the DataFrame has no column {column!r}")
    values = df[column]
    to_list = getattr(values, "to_list", None) or getattr(values, "tolist", None)
    if to_list is None:
        raise TypeError(
            f"add_sentiment: expected a pandas or polars DataFrame, got {type(df).__name__}"
        )
    out: List[Optional[str]] = []
    for v in to_list():
        out.append(v if isinstance(v, str) else None)
    return out


def add_sentiment(
    df: DF,
    column: str = "description",
    *,
    lang: str = "auto",
    prefix: str = "sentiment_",
) -> DF:
    """Return a copy of ``df`` (pandas or polars) with the text in ``column`` scored.

    Adds ``{prefix}compound`` (float, -1..1), ``{prefix}label`` (``very_negative`` ..
    ``very_positive``), ``{prefix}value`` (int8, -2..2) and ``{prefix}language`` (``en``/``nl``).
    Missing or non-text cells get null/NaN. Scoring runs in Rust with the GIL released, with the
    same code and thresholds as the sandbox and every other package.
    """
    if not isinstance(column, str):
        raise TypeError("add_sentiment: column must be a str")
    texts = _column_values(df, column)
    present = [t for t in texts if t is not None]
    scores = iter(sentiment_many(present, lang) if present else [])
    compound: List[Optional[float]] = []
    label: List[Optional[str]] = []
    value: List[Optional[int]] = []
    language: List[Optional[str]] = []
    for t in texts:
        if t is None:
            compound.append(None)
            label.append(None)
            value.append(None)
            language.append(None)
            continue
        s = next(scores)
        compound.append(s.compound)
        label.append(s.label)
        value.append(s.value)
        language.append(s.language)
    module = type(df).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        return df.with_columns(  # type: ignore[attr-defined, no-any-return]
            pl.Series(f"{prefix}compound", compound, dtype=pl.Float64),
            pl.Series(f"{prefix}label", label, dtype=pl.Utf8),
            pl.Series(f"{prefix}value", value, dtype=pl.Int8),
            pl.Series(f"{prefix}language", language, dtype=pl.Utf8),
        )
    if module == "pandas":
        import pandas as pd

        out = df.copy()  # type: ignore[attr-defined]
        out[f"{prefix}compound"] = pd.Series(compound, index=out.index, dtype="float64")
        out[f"{prefix}label"] = pd.Series(label, index=out.index, dtype="object")
        out[f"{prefix}value"] = pd.Series(value, index=out.index, dtype="Int8")
        out[f"{prefix}language"] = pd.Series(language, index=out.index, dtype="object")
        return out  # type: ignore[no-any-return]
    raise TypeError(
        f"add_sentiment: expected a pandas or polars DataFrame, got {type(df).__name__}"
    )
