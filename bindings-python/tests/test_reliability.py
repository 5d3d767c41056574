"""Reliability and security of the binding (docs/reliability.md, bindings section).

Bad arguments raise TypeError/ValueError (or a WebcareError) naming the parameter, never a crash
or a hang; no secret or token in any repr, str, exception or log line; a panic in the core is a
``ServerError`` and the process keeps working; TLS verification is on unless
``danger_accept_invalid_certs=True``; a short soak run under chaos.
"""

from __future__ import annotations

import asyncio
import http.client
import http.server
import json
import logging
import os
import shutil
import ssl
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import webcare
from conftest import CLI, Sandbox, start_sandbox
from webcare import Filter, _native

HUGE = "x" * 1_000_000


def raises_within(fn: Callable[[], Any], seconds: float = 30) -> BaseException:
    """Run ``fn`` in a thread; it must raise (not return, crash or hang) within ``seconds``."""
    out: List[BaseException] = []

    def target() -> None:
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - the test inspects it
            out.append(e)
        else:
            out.append(AssertionError("no exception"))

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"the call did not return within {seconds} s"
    return out[0]


# (name, call, expected exception classes, a word the message must contain)
BAD: List[Tuple[str, Callable[[webcare.Client, str], Any], Tuple[type, ...], str]] = [
    ("result None", lambda c, p: c.result(None), (TypeError,), "id"),  # type: ignore[arg-type]
    ("result float", lambda c, p: c.result(1.5), (TypeError,), "id"),  # type: ignore[arg-type]
    ("result dict", lambda c, p: c.result({}), (TypeError,), "id"),  # type: ignore[arg-type]
    ("result negative", lambda c, p: c.result(-1), (ValueError,), "id"),
    ("result zero", lambda c, p: c.result(0), (ValueError,), "id"),
    ("result 2**70", lambda c, p: c.result(2**70), (ValueError, OverflowError), "id"),
    ("result nan", lambda c, p: c.result(float("nan")), (TypeError, ValueError), "id"),  # type: ignore[arg-type]
    ("event None", lambda c, p: c.event(1, None), (TypeError,), "event"),  # type: ignore[arg-type]
    ("event unknown", lambda c, p: c.event(1, "dancing"), (ValueError,), "dancing"),
    ("event surrogate", lambda c, p: c.event(1, "\ud800"), (ValueError,), "event"),
    ("event huge", lambda c, p: c.event(1, HUGE), (ValueError,), "event"),
    ("reply None", lambda c, p: c.reply(1, None), (TypeError,), "message"),  # type: ignore[arg-type]
    ("reply int", lambda c, p: c.reply(1, 5), (TypeError,), "message"),  # type: ignore[arg-type]
    ("reply blank", lambda c, p: c.reply(1, "  "), (ValueError,), "message"),
    ("reply 1 MB", lambda c, p: c.reply(1, HUGE), (webcare.ValidationError,), "10000"),
    ("reply surrogate", lambda c, p: c.reply(1, "hi \ud800"), (ValueError,), "message"),
    (
        "reply connection -1",
        lambda c, p: c.reply(1, "hi", connection_id=-1),
        (ValueError,),
        "connection_id",
    ),
    ("search None", lambda c, p: c.search(None), (TypeError,), "profile"),  # type: ignore[arg-type]
    ("search empty", lambda c, p: c.search(""), (ValueError,), "profile"),
    ("search int filter", lambda c, p: c.search(p, 42), (TypeError,), "filter"),  # type: ignore[arg-type]
    ("search bad path", lambda c, p: c.search(p, "bogus:1"), (webcare.ValidationError,), "bogus"),
    (
        "search 1 MB word",
        lambda c, p: c.search(p, Filter(word=HUGE)),
        (webcare.WebcareError, ValueError),
        "",
    ),
    ("search 1 MB profile", lambda c, p: c.search(HUGE), (webcare.WebcareError, ValueError), ""),
    ("results limit -3", lambda c, p: c.results(p, limit=-3), (ValueError,), "limit"),
    ("results page_size 0", lambda c, p: c.results(p, page_size=0), (ValueError,), "page_size"),
    ("results since_id str", lambda c, p: c.results(p, since_id="x"), (TypeError,), "since_id"),  # type: ignore[arg-type]
    (
        "watch poll nan",
        lambda c, p: c.watch(p, poll_interval=float("nan")),
        (ValueError,),
        "poll_interval",
    ),
    ("watch poll -1", lambda c, p: c.watch(p, poll_interval=-1), (ValueError,), "poll_interval"),
    ("hand_over handler -5", lambda c, p: c.hand_over(1, "2", -5), (ValueError,), "handler_id"),
    ("close_case empty", lambda c, p: c.close_case(1, ""), (ValueError,), "case_id"),
    ("close_case None", lambda c, p: c.close_case(1, None), (TypeError,), "case_id"),  # type: ignore[arg-type]
    ("sso None", lambda c, p: c.sso_token(None), (TypeError,), "email"),  # type: ignore[arg-type]
    ("sso 1 MB", lambda c, p: c.sso_token(HUGE), (webcare.WebcareError, ValueError), ""),
    ("filter source", lambda c, p: Filter(sources=["myspace"]), (ValueError,), "myspace"),
    ("filter sentiment", lambda c, p: Filter(sentiment="grumpy"), (ValueError,), "grumpy"),
    ("filter limit -1", lambda c, p: Filter(limit=-1), (ValueError,), "limit"),
    ("filter limit str", lambda c, p: Filter(limit="ten"), (TypeError,), "limit"),
    ("filter word surrogate", lambda c, p: Filter(word="\udcff"), (ValueError,), "word"),
    ("filter unknown key", lambda c, p: Filter(colour="red"), (TypeError,), "colour"),
    ("sentiment None", lambda c, p: webcare.sentiment(None), (TypeError,), "text"),  # type: ignore[arg-type]
    (
        "sentiment lang",
        lambda c, p: webcare.sentiment("hi", lang="klingon"),
        (ValueError,),
        "klingon",
    ),
    ("sentiment surrogate", lambda c, p: webcare.sentiment("\ud800"), (ValueError,), "text"),
    (
        "client timeout nan",
        lambda c, p: webcare.Client("http://x", "a", "b", timeout=float("nan")),
        (ValueError,),
        "timeout",
    ),
    (
        "client timeout -1",
        lambda c, p: webcare.Client("http://x", "a", "b", timeout=-1),
        (ValueError,),
        "timeout",
    ),
    (
        "client timeout inf",
        lambda c, p: webcare.Client("http://x", "a", "b", timeout=float("inf")),
        (ValueError,),
        "timeout",
    ),
    (
        "client page_size 0",
        lambda c, p: webcare.Client("http://x", "a", "b", page_size=0),
        (ValueError,),
        "page_size",
    ),
    ("client base_url int", lambda c, p: webcare.Client(5, "a", "b"), (TypeError,), "base_url"),  # type: ignore[arg-type]
    (
        "client danger str",
        lambda c, p: webcare.Client("http://x", "a", "b", danger_accept_invalid_certs="yes"),
        (TypeError,),
        "danger",
    ),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("name,call,expected,word", BAD, ids=[b[0] for b in BAD])
def test_bad_arguments_raise_clear_errors(
    client: webcare.Client,
    profile: str,
    name: str,
    call: Callable[[webcare.Client, str], Any],
    expected: Tuple[type, ...],
    word: str,
) -> None:
    e = raises_within(lambda: call(client, profile))
    assert isinstance(e, expected), f"{name}: {type(e).__name__}: {e}"
    assert word.lower() in str(e).lower(), f"{name}: the message does not name {word!r}: {e}"
    assert len(str(e)) < 2000, f"{name}: the message echoes the huge argument"


def test_bad_arguments_async(sandbox: Sandbox, profile: str) -> None:
    async def main() -> None:
        async with sandbox.async_client() as c:
            with pytest.raises(TypeError):
                await c.result(None)  # type: ignore[arg-type]
            with pytest.raises(ValueError):
                await c.event(1, "dancing")
            with pytest.raises(webcare.ValidationError):
                await c.reply(1, HUGE)
            with pytest.raises(ValueError):
                await c.reply(1, "\ud800")
            # The client still works.
            assert (await c.search(profile, Filter(limit=1))).results

    asyncio.run(asyncio.wait_for(main(), 60))


# ---------------------------------------------------------------------------------------------
# Secrets


class RecordingProxy:
    """An HTTP proxy in front of the sandbox that records every access token it sees go by."""

    def __init__(self, upstream: str) -> None:
        u = urllib.parse.urlsplit(upstream)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.tokens: List[str] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def forward(self) -> None:
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n) if n else None
                auth = self.headers.get("authorization") or ""
                if auth.lower().startswith("bearer "):
                    proxy.tokens.append(auth[7:])
                conn = http.client.HTTPConnection(proxy.host, proxy.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if "accesstoken" in self.path:
                    try:
                        proxy.tokens.append(json.loads(data)["access_token"])
                    except (ValueError, KeyError):
                        pass
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=1)
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture()
def chaos_sandbox() -> Iterator[Sandbox]:
    sb = start_sandbox("--results", "200")
    try:
        yield sb
    finally:
        sb.proc.terminate()
        sb.proc.wait(timeout=10)


def test_no_secret_or_token_in_any_output(chaos_sandbox: Sandbox) -> None:
    sb = chaos_sandbox
    canary = "SECRET-canary-123456"
    proxy = RecordingProxy(sb.base_url)
    cap = Capture()
    cap.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("webcare")
    old_level = logger.level
    logger.addHandler(cap)
    logger.setLevel(1)  # every level, trace included
    out: List[str] = []
    try:
        good = webcare.Client(proxy.url, sb.client_id, sb.client_secret, max_retries=2, timeout=30)
        bad = webcare.Client(proxy.url, sb.client_id, canary, max_retries=0)
        out += [repr(good), str(good), repr(bad), str(bad)]
        cfg = good.configuration()
        out += [repr(cfg), str(cfg.to_dict())]
        profile = cfg.search_names()[0]
        page = good.search(profile, Filter(limit=3))
        out += [repr(page), repr(page.results)]
        email = next(u["email"] for u in cfg.users if u.get("email"))
        sso = good.sso_token(email)
        sso_value = sso.reveal()
        assert sso_value
        out += [repr(sso), str(sso), repr(sso.extra), str(sso.expires)]
        errors: List[BaseException] = []
        for call in (
            lambda: bad.configuration(),  # 401 from the token endpoint
            lambda: good.result(999_999_999),  # 404
            lambda: good.sso_token("nobody@nowhere.example"),
            lambda: webcare.Client(
                "http://127.0.0.1:1", "id", canary, max_retries=0
            ).configuration(),
        ):
            errors.append(raises_within(call))
        # A token revoked behind the client's back: a 401, a new token, a retry.
        sb.control("POST", "/_sandbox/tokens/revoke", {"client_id": sb.client_id})
        good.search(profile, Filter(limit=1))
        # 429s and 5xx from chaos, with retries logged at warning level.
        sb.control("POST", "/_sandbox/chaos", {"spec": "429=0.5,503=0.3,drop=0.1"})
        for _ in range(10):
            try:
                good.search(profile, Filter(limit=1))
            except webcare.WebcareError as e:
                errors.append(e)
        sb.control("POST", "/_sandbox/chaos", {"spec": "none"})
        for e in errors:
            assert isinstance(e, webcare.WebcareError), repr(e)
            out += [repr(e), str(e), repr(e.args), str(e.__dict__), repr(e.__reduce__())]
        assert any(isinstance(e, webcare.AuthError) for e in errors)
        webcare.Client(proxy.url, sb.client_id, sb.client_secret).configuration()  # flushes logs
    finally:
        logger.removeHandler(cap)
        logger.setLevel(old_level)
        proxy.close()
    assert len(set(proxy.tokens)) >= 2, "the proxy saw no tokens"
    assert cap.lines, "no log lines at the most verbose level"
    assert any("retry" in line for line in cap.lines), cap.lines[:20]
    text = "\n".join(out + cap.lines)
    for secret in [canary, sb.client_secret, sso_value, *set(proxy.tokens)]:
        assert secret not in text, f"a secret ({secret[:4]}...) leaked"


# ---------------------------------------------------------------------------------------------
# Panics


def test_forced_panic_is_a_server_error_and_the_process_survives(
    client: webcare.Client, profile: str
) -> None:
    for _ in range(3):
        with pytest.raises(webcare.ServerError) as info:
            _native._debug_panic()
        assert info.value.kind == "Server" and info.value.status is None
        assert "internal error in webcare" in str(info.value)
        assert "forced panic for tests" in str(info.value)
        assert client.search(profile, Filter(limit=1)).results

    async def in_a_loop() -> None:
        with pytest.raises(webcare.ServerError):
            await asyncio.to_thread(_native._debug_panic)

    asyncio.run(in_a_loop())
    assert client.search(profile, Filter(limit=1)).results


def test_forced_panic_in_a_child_process(sandbox: Sandbox) -> None:
    code = (
        "import webcare, webcare._native as n\n"
        "try:\n    n._debug_panic()\n"
        "except webcare.ServerError as e:\n    print('caught', e.kind)\n"
        "c = webcare.Client()\nprint(len(c.configuration().search_names()) > 0)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        env=sb_env(sandbox),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["caught", "Server", "True"]


def sb_env(sandbox: Sandbox) -> Dict[str, str]:
    env = sandbox.env()
    env["RUST_BACKTRACE"] = "0"
    return env


# ---------------------------------------------------------------------------------------------
# TLS


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl CLI to make a self-signed certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def answer(self) -> None:
            body = b'{"ErrorCode":"invalid_client","Error":"self-signed test server"}'
            self.send_response(401)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_tls_verification_is_on_by_default(https_server: str) -> None:
    c = webcare.Client(https_server, "id", "secret", max_retries=0, timeout=20)
    with pytest.raises(webcare.NetworkError):
        c.configuration()
    # Explicitly dangerous: the handshake succeeds and the server's 401 comes through.
    d = webcare.Client(
        https_server, "id", "secret", max_retries=0, timeout=20, danger_accept_invalid_certs=True
    )
    with pytest.raises(webcare.AuthError):
        d.configuration()

    async def main() -> None:
        async with webcare.AsyncClient(https_server, "id", "s", max_retries=0) as a:
            with pytest.raises(webcare.NetworkError):
                await a.configuration()

    asyncio.run(main())


# ---------------------------------------------------------------------------------------------
# Soak (a short run; `make soak` runs 5,000 operations)


def test_short_soak_under_chaos() -> None:
    ops = os.environ.get("WEBCARE_SOAK_OPS", "250")
    soak = Path(__file__).resolve().parents[1] / "soak.py"
    r = subprocess.run(
        [sys.executable, str(soak), "--ops", ops, "--cli", str(CLI)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    print(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert "result:            PASS" in r.stdout
