"""Editions in the workspace (web/editions.py): start one against the latest archived version
(its entry appended to plan.yaml, nothing else changed; its number the next one; its reasons
file made beside plan.yaml), make its book in a worker as `saoreport edition` does, and no
reasons file outside the plan folder."""

from __future__ import annotations

import shutil
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import pdfium_pages, squash
from test_editions import ADDED, FIXTURE, NAMES
from test_web import Page, numstat

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from saoreport.archive import versions
from saoreport.web.app import Config, create_app

GIT = ["git", "-c", "user.email=o@example.org", "-c", "user.name=office"]
DATES = """\
    drafted: 2568-01-10
    committee: 2568-01-20
    forum: 2568-01-25
    council: {session: สมัยสามัญ สมัยที่ 1 ประจำปี 2568, meeting: ครั้งที่ 1, date: 2568-02-05}
    approved: 2568-02-10
    announced: 2568-02-12
"""


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Path]]:
    """The fixture อบต. (plans/thot-long) in git, its plan archived as 2568/v1."""
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    folder = tmp_path / "plans" / "thot-long"
    shutil.copytree(FIXTURE, folder)
    for old in (folder / "editions").glob("*.md"):  # the reasons the workspace makes
        old.unlink()
    versions.freeze(folder, tmp_path / "archive")
    subprocess.run([*GIT, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "add", "plans"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "commit", "-qm", "plans"], cwd=tmp_path, check=True)
    config = Config(plans=tmp_path / "plans", archive=tmp_path / "archive", out=tmp_path / "build")
    with TestClient(create_app(config)) as client:
        yield client, tmp_path


def _start(client: TestClient, kind: str = "เพิ่มเติม") -> str:
    page = Page(client.get("/plan/thot-long/editions").text)
    start = next(b for b in page.buttons if b[0] == "เริ่มฉบับ")
    values = {**start[2], "kind": kind, "year": page.control("ปีของฉบับ (พ.ศ.)")["value"]}
    answer = client.post(start[1], data=values)
    assert answer.status_code == 200, answer.text
    return str(answer.url)


def test_starting_an_edition_appends_its_entry_only(office: tuple[TestClient, Path]) -> None:
    client, root = office
    plan = root / "plans" / "thot-long" / "plan.yaml"
    before = plan.read_text(encoding="utf-8")
    opened = _start(client)
    assert opened.endswith("/plan/thot-long/row/editions.0")  # its form, for the dates
    # editions: and the five keys of its entry; nothing else in plan.yaml moved
    assert numstat(root) == "6\t0\tplans/thot-long/plan.yaml\n"
    after = plan.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :].split("\n")[1:6] == [
        "  - kind: เพิ่มเติม",
        "    number: 1",
        "    year: 2568",
        "    base: 2568/v1",
        "    reasons: editions/add-1-2568.md",
    ]
    reasons = plan.parent / "editions" / "add-1-2568.md"
    assert reasons.read_text(encoding="utf-8").startswith("# ")
    # the reasons in the Markdown editor, linked from the edition's row
    listed = client.get("/plan/thot-long/editions").text
    assert "/plan/thot-long/text/edition-add-1-2568" in listed
    editor = client.get("/plan/thot-long/text/edition-add-1-2568")
    assert editor.status_code == 200 and "editions/add-1-2568.md" in editor.text
    # the next เพิ่มเติม of 2568 is number 2; a เปลี่ยนแปลง counts on its own
    _start(client)
    _start(client, "เปลี่ยนแปลง")
    text = plan.read_text(encoding="utf-8")
    assert "reasons: editions/add-2-2568.md" in text
    assert "reasons: editions/change-1-2568.md" in text
    # the projects' form offers the editions by name
    project = client.get("/plan/thot-long/row/projects.0").text
    assert '<option value="เพิ่มเติม ครั้งที่ 2/2568">' in project


def test_a_wrong_year_is_said_beside_its_field(office: tuple[TestClient, Path]) -> None:
    client, root = office
    page = Page(client.get("/plan/thot-long/editions").text)
    start = next(b for b in page.buttons if b[0] == "เริ่มฉบับ")
    answer = client.post(start[1], data={**start[2], "kind": "เพิ่มเติม", "year": "68"})
    assert answer.status_code == 422
    shown = Page(answer.text)
    year = shown.control("ปีของฉบับ (พ.ศ.)")
    assert year["aria-invalid"] == "true"
    assert "2568" in shown.by_id[year["aria-describedby"]]
    assert numstat(root) == ""


@pytest.mark.parametrize("name", ["../elsewhere.md", "/etc/passwd.md"])
def test_reasons_outside_the_plan_folder_are_refused(
    office: tuple[TestClient, Path], name: str
) -> None:
    client, root = office
    form = Page(client.get(_start(client)).text)
    subprocess.run([*GIT, "commit", "-qam", "started"], cwd=root, check=True)
    values = form.form_values()
    values[form.control("เหตุผลและความจำเป็น (แฟ้ม Markdown ในโฟลเดอร์แผน)")["name"]] = name
    answer = client.post(str(form_url(client)), data=values)
    assert answer.status_code == 422
    assert "ต้องเป็นไฟล์ในโฟลเดอร์แผน" in answer.text or "inside the plan folder" in answer.text
    assert numstat(root) == ""
    for key in ("edition-..%2F..%2Fx", "edition-add-1-2568%2F..%2F..%2Fplan"):
        assert client.get(f"/plan/thot-long/text/{key}").status_code == 404


def form_url(client: TestClient) -> str:
    return "/plan/thot-long/row/editions.0"


def test_the_edition_book_is_made_in_a_worker(office: tuple[TestClient, Path]) -> None:
    client, root = office
    _start(client)
    plan = root / "plans" / "thot-long" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("editions:\n", ADDED + "editions:\n", 1) + DATES
    plan.write_text(text, encoding="utf-8")
    (plan.parent / "editions" / "add-1-2568.md").write_text(
        "# เหตุผลและความจำเป็น\n\nตำบลทดลองแก้ไขประสบปัญหาน้ำท่วมขัง\n", "utf-8"
    )
    page = Page(client.get("/plan/thot-long/editions").text)
    make = next(b for b in page.buttons if b[0] == "ทำเล่มของฉบับล่าสุด")
    assert client.post(make[1], data=make[2]).status_code == 200
    for _poll in range(6000):
        state = client.get("/plan/thot-long/build.json").json()["state"]
        if state in ("done", "failed"):
            break
        time.sleep(0.05)
    shown = client.get("/plan/thot-long/editions").text
    assert state == "done", shown
    for name in ("amendment-add-1-2568.pdf", "announcement-add-1-2568.pdf"):
        assert f"/files/build/thot-long/2568/{name}" in shown
    book = client.get("/files/build/thot-long/2568/amendment-add-1-2568.pdf")
    assert book.headers["content-type"] == "application/pdf"
    flat = squash("".join(pdfium_pages(book.content)))
    for key in ("P04", "P05"):
        assert squash(NAMES[key]) in flat, key
    for key in ("P01", "P02", "P03"):
        assert squash(NAMES[key]) not in flat, key
    assert client.get("/plan/thot-long/pages/2568/amendment-add-1-2568.pdf").status_code == 200
