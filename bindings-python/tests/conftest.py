"""Session fixtures: a sandbox started from the `webcare` CLI, and clients for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import webcare

REPO = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
CLI = Path(os.environ.get("WEBCARE_CLI", TARGET / "debug" / "webcare"))


class Sandbox:
    def __init__(self, info: Dict[str, Any], proc: subprocess.Popen[str]) -> None:
        self.info = info
        self.proc = proc
        self.base_url: str = info["base_url"]
        self.client_id: str = info["client_id"]
        self.client_secret: str = info["client_secret"]
        self.profiles: List[str] = list(info.get("search_profiles") or ["kpn"])

    def client(self, **kw: Any) -> webcare.Client:
        return webcare.Client(self.base_url, self.client_id, self.client_secret, **kw)

    def async_client(self, **kw: Any) -> webcare.AsyncClient:
        return webcare.AsyncClient(self.base_url, self.client_id, self.client_secret, **kw)

    def env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update(
            WEBCARE_BASE_URL=self.base_url,
            WEBCARE_CLIENT_ID=self.client_id,
            WEBCARE_CLIENT_SECRET=self.client_secret,
            PYTHONPATH=str(Path(webcare.__file__).parent.parent),
        )
        return env

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url.rstrip("/") + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def inbound(self, text: str, source: str = "twitter", **extra: Any) -> Any:
        return self.control("POST", "/_sandbox/inbound", {"source": source, "text": text, **extra})


def start_sandbox(*args: str) -> Sandbox:
    if not CLI.exists():
        raise RuntimeError(f"{CLI} not found: run `cargo build -p webcare-cli` first")
    proc = subprocess.Popen(
        [str(CLI), "sandbox", "--port", "0", "--json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"the sandbox did not start: {err}")
    # Keep draining stderr so the sandbox never blocks on a full pipe.
    threading.Thread(target=lambda: proc.stderr and proc.stderr.read(), daemon=True).start()
    return Sandbox(json.loads(line), proc)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    sb = start_sandbox()
    try:
        yield sb
    finally:
        sb.proc.terminate()
        try:
            sb.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sb.proc.kill()


@pytest.fixture(scope="session")
def client(sandbox: Sandbox) -> Iterator[webcare.Client]:
    with sandbox.client() as c:
        yield c


@pytest.fixture(scope="session")
def profile(sandbox: Sandbox) -> str:
    return sandbox.profiles[0]


@pytest.fixture(scope="session")
def config(client: webcare.Client) -> webcare.Configuration:
    return client.configuration()


def run_python(
    code: str, env: Dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout
    )
