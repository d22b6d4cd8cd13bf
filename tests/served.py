"""`saoreport serve` in a subprocess over a copy of plans, for the tests that talk to it as a
browser does (tests/test_web_builds.py, tests/test_browser.py)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, headless, with no network of its own (this machine's network is closed)
# and nothing kept between runs (an empty profile per test: Playwright's user_data_dir).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def served(
    folder: Path, slugs: list[str], lang: str = "th", plans: Path | None = None
) -> Iterator[str]:
    """Copy the shipped plans *slugs* into *folder*/plans, start `saoreport serve` there on a
    free port, yield its address and stop it (SIGTERM, then SIGKILL) when done."""
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        shutil.copytree((plans or ROOT / "plans") / slug, folder / "plans" / slug)
    port = free_port()
    log = (folder / "serve.log").open("wb")
    env = {**os.environ, "SAOREPORT_LANG": lang}
    process = subprocess.Popen(
        [sys.executable, "-m", "saoreport", "serve", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(600):  # up to a minute for the workspace to start
            if process.poll() is not None:
                raise AssertionError((folder / "serve.log").read_text(errors="replace"))
            try:
                if httpx.get(address + "/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield address
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def csrf(client: httpx.Client, path: str) -> str:
    """The session's CSRF token, from a form of the page at *path*."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)
