from __future__ import annotations

import pickle
import time

import pytest

import webcare
from conftest import Sandbox
from webcare import Filter


def test_configuration(client: webcare.Client, profile: str) -> None:
    cfg = client.configuration()
    assert profile in cfg.search_names()
    assert cfg.sources["twitter"] == 1 or "twitter" in cfg.sources
    assert cfg.user_ids()
    search = cfg.search(profile)
    assert search is not None and search["name"] == profile
    assert "Configuration(" in repr(cfg)
    assert isinstance(cfg.to_dict(), dict)


def test_sso_token_is_redacted(client: webcare.Client, config: webcare.Configuration) -> None:
    email = next(u["email"] for u in config.users if u.get("email"))
    token = client.sso_token(email)
    secret = token.reveal()
    assert secret
    assert secret not in repr(token) and secret not in str(token)
    assert "[REDACTED]" in repr(token) and "Some(" not in repr(token)
    with pytest.raises(TypeError):
        pickle.dumps(token)
    with pytest.raises(webcare.NotFoundError):
        client.sso_token("nobody@nowhere.example")
    with pytest.raises(webcare.ValidationError):
        client.sso_token("not-an-email")


def test_client_repr_hides_secret(sandbox: Sandbox, client: webcare.Client) -> None:
    assert sandbox.client_secret not in repr(client)
    assert "[REDACTED]" in repr(client)


def test_search_one_page(client: webcare.Client, profile: str) -> None:
    page = client.search(profile, Filter(limit=7))
    assert len(page) == 7 and len(page.results) == 7
    r = page.results[0]
    assert isinstance(r, webcare.WebcareResult)
    assert page.limit == 7 and page.offset == 0
    # A filter path string works too.
    assert len(client.search(profile, "limit:3")) == 3


def test_results_iterate_every_page(client: webcare.Client, profile: str) -> None:
    it = client.results(profile, Filter(sentiment="negative"), page_size=50, limit=230)
    ids = [r.unique_id for r in it]
    assert len(ids) == 230 and len(set(ids)) == 230
    assert it.pages_fetched == 5
    for r in client.results(profile, Filter(sentiment="negative"), limit=20):
        assert r.sentiment == -1 and r.sentiment_label == "negative"


def test_results_pages(client: webcare.Client, profile: str) -> None:
    pages = list(client.results(profile, page_size=40, limit=100).pages())
    assert [len(p) for p in pages] == [40, 40, 20]
    assert [p.offset for p in pages] == [0, 40, 80]


def test_results_since_id_is_keyset(client: webcare.Client, profile: str) -> None:
    newest = client.search(profile, Filter(limit=30)).results
    since = newest[-1].unique_id
    after = [r.unique_id for r in client.results(profile, since_id=since, page_size=7)]
    assert after == sorted(after) and all(i > since for i in after)
    assert set(r.unique_id for r in newest[:-1]) <= set(after)


def test_result_objects_are_frozen_and_typed(client: webcare.Client, profile: str) -> None:
    r = client.search(profile, Filter(limit=1)).results[0]
    with pytest.raises(AttributeError):
        r.unique_id = 5  # type: ignore[misc]
    d = r.to_dict()
    assert d["unique_id"] == r.unique_id and "extra" in d
    assert isinstance(r.extra, dict)
    assert r.source_name is None or isinstance(r.source_name, str)
    assert r.timestamp is None or r.timestamp.tzinfo is not None
    assert f"unique_id={r.unique_id}" in repr(r)
    assert r == client.result(r.unique_id, context=False)
    raw = r.raw()
    assert raw["uniqueId"] == r.unique_id
    # Unknown fields are kept: everything in raw() that is not a known field is in extra.
    for k, v in r.extra.items():
        assert raw[k] == v


def test_result_with_context(client: webcare.Client, profile: str) -> None:
    r = client.search(profile, Filter(limit=1)).results[0]
    full = client.result(r.unique_id)
    assert isinstance(full, webcare.ResultWithContext)
    assert full.result.unique_id == r.unique_id
    assert isinstance(full.context, list)
    with pytest.raises(webcare.NotFoundError) as info:
        client.result(999_999_999)
    assert info.value.status == 404 and info.value.kind == "NotFound"


def test_bad_arguments(client: webcare.Client, profile: str) -> None:
    with pytest.raises(ValueError):
        client.result(-1)
    with pytest.raises(TypeError):
        client.result("12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.result(True)
    with pytest.raises(ValueError):
        client.event(1, "dancing")
    with pytest.raises(ValueError):
        client.reply(1, "")
    with pytest.raises(ValueError):
        client.results(profile, limit=-3)
    with pytest.raises(TypeError):
        client.search(profile, 42)  # type: ignore[arg-type]
    with pytest.raises(webcare.ValidationError):
        client.search(profile, "bogus:1")


def test_reply_event_and_cases(
    client: webcare.Client, profile: str, config: webcare.Configuration
) -> None:
    r = next(
        x
        for x in client.results(profile, Filter(order="most_recent"), limit=200)
        if x.reply_available and not x.own and x.case_id
    )
    ack = client.event(r.unique_id, "starttyping")
    assert ack.method == "post" and "starttyping" in ack.url
    client.event(r.unique_id, "stop_typing")
    sent = client.reply(r.unique_id, "Thanks for reaching out, we are on it.")
    assert sent.result is not None and sent.result.own
    assert sent.result.case_id == r.case_id
    assert sent.connection_id > 0 and "connection_id=" in repr(sent)
    ctx = client.result(r.unique_id)
    assert isinstance(ctx, webcare.ResultWithContext)
    assert r.search_id is not None and r.case_id is not None
    handler = config.user_ids()[-1]
    assert "handOverToHandler" in client.hand_over(r.search_id, r.case_id, handler).url
    assert "releaseHandler" in client.release_handler(r.search_id, r.case_id).url
    assert client.close_case(r.search_id, r.case_id).url.endswith("/close")
    with pytest.raises(webcare.WebcareError):
        client.close_case(r.search_id, "no-such-case")


def test_auth_error(sandbox: Sandbox) -> None:
    with webcare.Client(sandbox.base_url, sandbox.client_id, "wrong-secret") as c:
        with pytest.raises(webcare.AuthError) as info:
            c.configuration()
    e = info.value
    assert e.status == 401 and e.kind == "Auth"
    assert "wrong-secret" not in str(e) and "wrong-secret" not in repr(e)
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is webcare.AuthError and again.status == 401


def test_from_env_and_context_manager(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in sandbox.env().items():
        if k.startswith("WEBCARE_"):
            monkeypatch.setenv(k, v)
    with webcare.Client() as c:
        assert c.base_url == sandbox.base_url.rstrip("/")
        assert c.configuration()
    assert c.closed
    with pytest.raises(webcare.ConfigError):
        c.configuration()
    monkeypatch.delenv("WEBCARE_CLIENT_SECRET")
    with pytest.raises(webcare.ConfigError):
        webcare.Client()


def test_network_error_is_connection_error() -> None:
    c = webcare.Client("http://127.0.0.1:9", "id", "secret", timeout=5, max_retries=0)
    with pytest.raises(ConnectionError) as info:
        c.configuration()
    assert isinstance(info.value, webcare.NetworkError)


def test_watch_yields_new_inbound(sandbox: Sandbox, client: webcare.Client, profile: str) -> None:
    w = client.watch(profile, poll_interval=0.1)
    assert w.poll() == []  # starts after the newest result
    sandbox.inbound("My internet is down again, please help")
    sandbox.inbound("Nog steeds geen internet")
    deadline = time.monotonic() + 20
    got = []
    while len(got) < 2 and time.monotonic() < deadline:
        got.append(next(w))
    assert [g.description for g in got] == [
        "My internet is down again, please help",
        "Nog steeds geen internet",
    ]
    assert w.last_id == got[-1].unique_id
    # Resume after a restart: nothing is yielded twice.
    sandbox.inbound("third")
    w2 = client.watch(profile, since_id=w.last_id, poll_interval=0.1)
    assert next(w2).description == "third"
