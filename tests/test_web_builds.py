"""Builds in the workspace (`saoreport serve`, web/builds.py and web/jobs.py): two builds at
once in the worker processes while the server keeps answering, the documents served from the
build output only, a page found by its text and shown as an image."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from conftest import pdfium_pages, squash
from saoreport.thai import thai_digits
from served import csrf, served

# plans/demo's first project
PROJECT = "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้านตัวอย่าง หมู่ที่ 1 (สายบ้านตัวอย่าง – บ้านโนนงาม)"
PRINTED = squash(thai_digits(PROJECT))  # as the book prints it (settings.digits: thai)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Path]]:
    folder = tmp_path_factory.mktemp("workspace")
    with (
        served(folder, ["demo", "nong-hang"], lang="en") as address,
        httpx.Client(base_url=address, timeout=120) as client,
    ):
        yield client, folder


def _state(client: httpx.Client, slug: str) -> str | None:
    answer = client.get(f"/plan/{slug}/build.json")
    assert answer.status_code == 200
    state: str | None = answer.json()["state"]
    return state


def test_the_server_answers_while_two_builds_run(workspace: tuple[httpx.Client, Path]) -> None:
    client, folder = workspace
    token = csrf(client, "/plan/demo/build")
    for slug in ("demo", "nong-hang"):
        started = client.post(f"/plan/{slug}/build", data={"csrf": token})
        assert started.status_code == 303, started.text
    answered = 0  # pages answered while both builds were running
    for _poll in range(6000):  # at most about ten minutes
        states = {_state(client, s) for s in ("demo", "nong-hang")}
        if states == {"running"}:
            listing = client.get("/")  # the list of SAOs validates every plan: real work
            assert listing.status_code == 200
            assert "องค์การบริหารส่วนตำบลหนองฮาง" in listing.text
            shown = client.get("/plan/demo/build")  # the build's own page, while it runs
            assert shown.status_code == 200 and 'aria-live="polite"' in shown.text
            assert '<meta http-equiv="refresh"' in shown.text  # without scripts too
            answered += 1
        if states <= {"done", "failed"}:
            break
        time.sleep(0.05)
    assert states == {"done"}, [client.get(f"/plan/{s}/build").text for s in ("demo", "nong-hang")]
    assert answered > 0
    page = client.get("/plan/demo/build").text
    assert "/files/build/demo/2568/strategy.pdf" in page
    strategy = client.get("/files/build/demo/2568/strategy.pdf")
    assert strategy.headers["content-type"] == "application/pdf"
    assert strategy.content == (folder / "build/demo/2568/strategy.pdf").read_bytes()
    assert PRINTED in squash("".join(pdfium_pages(strategy.content)))


def test_a_page_found_by_its_text_shown_as_an_image(
    workspace: tuple[httpx.Client, Path],
) -> None:
    client, folder = workspace
    if _state(client, "demo") != "done":
        token = csrf(client, "/plan/demo/build")
        client.post("/plan/demo/build", data={"csrf": token})
        for _poll in range(6000):
            if _state(client, "demo") in ("done", "failed"):
                break
            time.sleep(0.05)
    shown = client.get("/plan/demo/pages/2568/strategy.pdf", params={"find": PROJECT})
    assert shown.status_code == 200
    number = int(re.search(r"/plan/demo/pages/2568/strategy.pdf/(\d+).png", shown.text)[1])
    pages = pdfium_pages(folder / "build/demo/2568/strategy.pdf")
    assert PRINTED in squash(pages[number - 1])
    assert not any(PRINTED in squash(p) for p in pages[: number - 1])
    image = client.get(f"/plan/demo/pages/2568/strategy.pdf/{number}.png")
    assert image.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(image.content))
    assert picture.width == 1100
    assert picture.convert("L").getextrema()[0] < 100  # ink on the page
    missing = client.get("/plan/demo/pages/2568/strategy.pdf", params={"find": "ไม่มีข้อความนี้"})
    assert "No page holds this text" in missing.text


@pytest.mark.parametrize(
    "path",
    [
        "/plan/demo/pages/2568/plan.yaml",
        "/plan/demo/pages/2568/..%2F..%2F..%2Fplans%2Fdemo%2Fplan.yaml",
        "/plan/demo/pages/..%2F2568/strategy.pdf/1.png",
        "/plan/..%2Fplans/build.json",
        "/plan/demo/pages/2568/strategy.pdf/999.png",
    ],
)
def test_nothing_but_documents_of_the_build(
    workspace: tuple[httpx.Client, Path], path: str
) -> None:
    client, _folder = workspace
    answer = client.get(path)
    assert answer.status_code in (403, 404), answer.text
    assert "plan:" not in answer.text  # not the plan file's YAML


def _wait(client: httpx.Client, slug: str) -> None:
    for _poll in range(6000):
        if _state(client, slug) in ("done", "failed"):
            return
        time.sleep(0.05)


def test_archive_freeze_verify_and_the_council_summary(
    workspace: tuple[httpx.Client, Path],
) -> None:
    """Archived by a worker, checked by rebuilding, compared with the plan edited since in a
    text editor (the file is the source of truth), the council's summary made as a PDF."""
    client, folder = workspace
    token = csrf(client, "/plan/nong-hang/archive")
    _wait(client, "nong-hang")
    assert client.post("/plan/nong-hang/archive", data={"csrf": token}).status_code == 303
    _wait(client, "nong-hang")
    archived = client.get("/plan/nong-hang/archive").text
    assert "Archived as a new version: v1" in archived, archived
    assert (folder / "archive/nong-hang/2570/v1/manifest.json").is_file()
    assert "/files/archive/nong-hang/2570/v1/strategy.pdf" in archived
    client.post("/plan/nong-hang/archive/verify", data={"csrf": token})
    _wait(client, "nong-hang")
    checked = client.get("/plan/nong-hang/archive").text
    assert "2570/v1: checked, intact" in checked, checked
    plan = folder / "plans/nong-hang/plan.yaml"
    text = plan.read_text(encoding="utf-8")
    vision = re.search(r"^vision: (.+)$", text, re.M)[1]
    plan.write_text(text.replace(vision, "วิสัยทัศน์ใหม่ของตำบล", 1), encoding="utf-8")
    compared = client.get("/plan/nong-hang/compare", params={"a": "2570/v1", "b": "current"})
    assert compared.status_code == 200
    assert "วิสัยทัศน์ใหม่ของตำบล" in compared.text
    assert (
        client.post(
            "/plan/nong-hang/compare", data={"csrf": token, "a": "2570/v1", "b": "current"}
        ).status_code
        == 303
    )
    _wait(client, "nong-hang")
    again = client.get("/plan/nong-hang/compare", params={"a": "2570/v1", "b": "current"}).text
    link = re.search(r'href="(/files/build/nong-hang/changes/[^"]+\.pdf)"', again)
    assert link, again
    summary = client.get(link[1])
    assert summary.headers["content-type"] == "application/pdf"
    assert squash("วิสัยทัศน์ใหม่ของตำบล") in squash("".join(pdfium_pages(summary.content)))
    for wrong in ("../2570/v1", "2570/v9", "current/../../x"):
        answer = client.get("/plan/nong-hang/compare", params={"a": wrong, "b": "current"})
        assert answer.status_code == 404
