from __future__ import annotations

import math

import pytest

import webcare


def test_one_text() -> None:
    s = webcare.sentiment("Thanks, great help!")
    assert s.label in ("positive", "very_positive")
    assert s.value > 0
    assert s.language == "en"
    assert 0 < s.compound <= 1
    assert math.isclose(s.pos + s.neu + s.neg, 1.0, abs_tol=0.01)
    assert "Score(" in repr(s)
    assert float(s) == s.compound
    assert s.to_dict()["label"] == s.label


def test_dutch_and_explicit_language() -> None:
    s = webcare.sentiment("Slechte service, heel teleurstellend", lang="auto")
    assert s.language == "nl"
    assert s.value < 0
    assert webcare.sentiment("slecht", lang="nl").language == "nl"
    with pytest.raises(ValueError):
        webcare.sentiment("x", lang="klingon")
    with pytest.raises(TypeError):
        webcare.sentiment(5)  # type: ignore[arg-type]


def test_many_matches_one_by_one() -> None:
    texts = ["good", "terrible service", "Heel goed geholpen, dank je!", "ok"]
    scores = webcare.sentiment_many(texts)
    assert [s.compound for s in scores] == [webcare.sentiment(t).compound for t in texts]
    assert webcare.sentiment_many(iter(texts), compound=True) == [s.compound for s in scores]


def test_many_with_missing_values_and_pandas() -> None:
    import pandas as pd

    series = pd.Series(["good", None, float("nan"), "bad"])
    out = webcare.sentiment_many(series, compound=True)
    assert len(out) == 4 and math.isnan(out[1]) and math.isnan(out[2])
    objs = webcare.sentiment_many(series)
    assert objs[1] is None and objs[0].value > 0
    with pytest.raises(TypeError):
        webcare.sentiment_many("a string")
    with pytest.raises(TypeError):
        webcare.sentiment_many([1, 2])
