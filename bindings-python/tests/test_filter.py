from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any, Dict

import pytest

import webcare
from webcare import Filter

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "filters.json"


def load() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(VECTORS.read_text())
    return data


def test_keywords_and_chaining_are_equal() -> None:
    a = Filter(sources=["twitter"], sentiment="negative", limit=25)
    b = Filter().source("twitter").sentiment("negative").limit(25)
    assert a == b
    assert hash(a) == hash(b)
    assert str(a) == "source:twitter/negative/limit:25"
    assert repr(a) == "Filter('source:twitter/negative/limit:25')"


def test_chaining_returns_new_objects() -> None:
    base = Filter()
    neg = base.sentiment("negative")
    assert base is not neg
    assert str(base) == ""
    assert not base
    assert neg
    with pytest.raises(AttributeError):
        base.x = 1  # type: ignore[attr-defined]


def test_parse_round_trip_and_pickle() -> None:
    f = Filter(
        sources=["twitter", "facebook"],
        sentiment="very negative",
        period=(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), "2024-01-31T23:59:59"),
        word="slow internet",
        result_ids=[1, 2],
        order="least_recent",
        checked=False,
    )
    assert Filter.parse(str(f)) == f
    assert Filter.parse("/" + str(f)) == f
    assert pickle.loads(pickle.dumps(f)) == f
    assert Filter.from_dict(f.to_dict()) == f
    assert f.replace(word=None) == Filter.parse(str(f)).replace(word=None)
    assert "word:slow+internet" in str(f)


def test_all_builders() -> None:
    f = (
        Filter()
        .source("twitter", "facebook")
        .sentiment(-1)
        .period("week")
        .category("c")
        .label("l")
        .hashtag("h")
        .website("w")
        .word("x")
        .profile("p")
        .country("nl")
        .city("a")
        .municipality("m")
        .province("pr")
        .result_id(5, 6)
        .assigned(3)
        .order("most_recent")
        .since_id(9)
        .new_results()
        .limit(10)
        .offset(20)
        .checked()
    )
    assert Filter.parse(str(f)) == f
    assert f.to_path("kpn").startswith("/results/kpn/source:twitter,facebook/negative/week")


@pytest.mark.parametrize("case", load()["valid"], ids=lambda c: c["name"])
def test_valid_vectors(case: Dict[str, Any]) -> None:
    f = Filter.from_dict(case["filter"])
    assert f.to_path(case["profile"]) == case["path"]
    for path in [case["path"], *case.get("alternates", [])]:
        profile, parsed = Filter.parse_path(path)
        assert profile == case["profile"]
        assert parsed == f


@pytest.mark.parametrize("case", load()["invalid"], ids=lambda c: c["name"])
def test_invalid_vectors(case: Dict[str, Any]) -> None:
    with pytest.raises(webcare.ValidationError) as info:
        Filter.parse_path(case["path"])
    assert info.value.kind == case["error_kind"]
    assert case["error_contains"] in info.value.message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"limit": -1}, ValueError),
        ({"limit": 0}, ValueError),
        ({"limit": "10"}, TypeError),
        ({"since_id": -5}, ValueError),
        ({"sources": ["myspace"]}, ValueError),
        ({"sentiment": "meh"}, ValueError),
        ({"sentiment": 3}, ValueError),
        ({"checked": "yes"}, TypeError),
        ({"word": ""}, ValueError),
        ({"word": 5}, TypeError),
        ({"period": "fortnight"}, ValueError),
        ({"order": "random"}, ValueError),
        ({"bogus": 1}, TypeError),
    ],
)
def test_bad_arguments(kwargs: Dict[str, Any], exc: type) -> None:
    with pytest.raises(exc):
        Filter(**kwargs)
