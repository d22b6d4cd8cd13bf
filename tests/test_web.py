"""The workspace in the browser (saoreport serve), through Starlette's TestClient: pages are
read as a person reads them (controls found by their Thai labels, never by CSS classes),
plan.yaml stays the source of truth (one field, one line of `git diff`), and what must be
refused is refused."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette would rather have httpx2, not packaged here
    from starlette.testclient import TestClient

from saoreport.web.app import Config, create_app

SEEDS = ROOT.parent / "shared" / "seeds"


# Reading pages as a person does ------------------------------------------------------------------


class Page(HTMLParser):
    """Controls by their label's text; headings, alerts and the text of each element by id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.labels: dict[str, str] = {}  # label text -> the id it is for
        self.controls: dict[str, dict[str, str]] = {}  # id -> attributes (+ "text" for textarea)
        self.by_id: dict[str, str] = {}  # id -> its text
        self.headings: list[tuple[int, str]] = []
        self.live: list[str] = []  # the text inside aria-live regions
        self.buttons: list[
            tuple[str, str, dict[str, str]]
        ] = []  # (text or aria-label, form action, form fields)
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self._form: dict[str, str] = {}
        self._fields: dict[str, str] = {}
        self._live_depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form, self._fields = a, {}
        if tag == "input" and a.get("type") == "hidden":
            self._fields[a.get("name", "")] = a.get("value", "")
        if tag in ("input", "select", "textarea") and "id" in a:
            self.controls[a["id"]] = a
        if tag == "option" and "selected" in a and self._open:
            for t, attrs_, _text in reversed(self._open):
                if t == "select":
                    self.controls[attrs_["id"]]["value"] = a.get("value", "")
                    break
        if "aria-live" in a:
            self._live_depth += 1
        if tag not in ("input", "br", "meta", "link", "img", "option"):
            self._open.append((tag, a, []))

    def handle_endtag(self, tag: str) -> None:
        if tag not in [t for t, _a, _x in self._open]:
            return
        while self._open:
            t, a, text = self._open.pop()
            content = " ".join("".join(text).split())
            for _t, _a, outer in self._open:
                outer.append("".join(text))
            if "id" in a:
                self.by_id[a["id"]] = content
            if t == "label" and "for" in a:
                self.labels[content.rstrip(" *")] = a["for"]
            if t == "textarea" and "id" in a:
                self.controls[a["id"]]["value"] = "".join(text)
            if t in ("h1", "h2", "h3", "h4"):
                self.headings.append((int(t[1]), content))
            if t == "button":
                self.buttons.append(
                    (
                        a.get("aria-label") or content,
                        self._form.get("action", ""),
                        dict(self._fields),
                    )
                )
            if "aria-live" in a:
                self.live.append(content)
                self._live_depth -= 1
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)

    def control(self, label: str) -> dict[str, str]:
        assert label in self.labels, f"no control labelled {label!r}; labels: {list(self.labels)}"
        return self.controls[self.labels[label]]

    def form_values(self) -> dict[str, str]:
        """Every named control's value, as the browser would send the page's last form."""
        out = dict(self._fields)
        for a in self.controls.values():
            if a.get("name") and a.get("type") not in ("file", "checkbox", "hidden"):
                out[a["name"]] = a.get("value", "")
        return out

    def problem_of(self, label: str) -> str:
        control = self.control(label)
        assert control.get("aria-invalid") == "true", f"{label}: not marked invalid"
        return self.by_id[control["aria-describedby"]]


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found
    return found.group(1)


# The workspace over a copy of plans/ in a git repository ------------------------------------------


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, Path]:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans" / "demo", plans / "demo")
    git = ["git", "-c", "user.email=o@example.org", "-c", "user.name=office"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "plans"], cwd=tmp_path, check=True)
    config = Config(plans=plans, archive=tmp_path / "archive", out=tmp_path / "build")
    return TestClient(create_app(config)), tmp_path


def numstat(repo: Path) -> str:
    return subprocess.run(
        ["git", "diff", "--numstat"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def test_the_list_of_saos_says_year_build_versions_and_validity(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    broken = root / "plans" / "broken"
    shutil.copytree(root / "plans" / "demo", broken)
    text = (broken / "plan.yaml").read_text(encoding="utf-8")
    (broken / "plan.yaml").write_text(
        text.replace("fiscal_year: 2568", "fiscal_year: 2590"), "utf-8"
    )
    built = root / "build" / "demo" / "2568"
    built.mkdir(parents=True)
    (built / "strategy.pdf").write_bytes(b"%PDF-1.7")
    for n in (1, 2):
        (root / "archive" / "demo" / "2568" / f"v{n}").mkdir(parents=True)
    page = Page(client.get("/").text)
    assert (1, "องค์กรปกครองส่วนท้องถิ่นและแผนของแต่ละแห่ง") in page.headings
    html = client.get("/").text
    demo_row = re.search(r'<tr>\s*<th scope="row"><a href="/plan/demo">.*?</tr>', html, re.S)
    broken_row = re.search(r'<tr>\s*<th scope="row"><a href="/plan/broken">.*?</tr>', html, re.S)
    assert demo_row and broken_row
    cells = re.findall(r"<td>(.*?)</td>", demo_row.group(), re.S)
    assert cells[0] == "2568" and cells[3] == "2" and cells[4] == "ถูกต้อง"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells[2])
    assert "ปัญหา 1 รายการ" in broken_row.group()
    (broken / "plan.yaml").write_text(text + "\nvision: [unclosed\n", encoding="utf-8")
    shown = client.get("/plan/broken")  # not YAML: the overview says where, in Thai
    assert shown.status_code == 200
    assert re.search(r"plan\.yaml:\d+\)", shown.text) and "ปัญหา" in shown.text


def test_one_field_edited_in_the_browser_is_one_line_of_git_diff(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    page = Page(client.get("/plan/demo/edit/organization").text)
    assert page.control("อำเภอ")["value"] == "เมืองสมมุติ"
    values = page.form_values()
    values[page.control("อำเภอ")["name"]] = "เมืองใหม่"
    answer = client.post("/plan/demo/edit/organization", data=values)
    assert answer.status_code == 200 and "บันทึกแล้ว" in " ".join(Page(answer.text).live)
    assert numstat(root) == "1\t1\tplans/demo/plan.yaml\n"
    diff = subprocess.run(["git", "diff", "-U0"], cwd=root, capture_output=True, text=True).stdout
    assert "-  district: เมืองสมมุติ\n+  district: เมืองใหม่\n" in diff


def test_a_budget_and_a_new_year_are_one_line_and_comments_stay(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    plan = root / "plans" / "demo" / "plan.yaml"
    before = plan.read_text(encoding="utf-8")
    page = Page(client.get("/plan/demo/row/projects.0").text)
    values = page.form_values()
    values[page.control("2566")["name"]] = "1300000"
    values[page.control("2568")["name"]] = "50000"  # a year the project had no budget in
    assert client.post("/plan/demo/row/projects.0", data=values).status_code == 200
    assert numstat(root) == "1\t1\tplans/demo/plan.yaml\n"
    after = plan.read_text(encoding="utf-8")
    assert "budget: {2566: 1300000, 2568: 50000}" in after
    assert after.splitlines()[0] == before.splitlines()[0]  # the file's comment


def test_an_edit_made_in_a_text_editor_shows_on_reload(office: tuple[TestClient, Path]) -> None:
    client, root = office
    plan = root / "plans" / "demo" / "plan.yaml"
    assert (
        Page(client.get("/plan/demo/edit/vision").text)
        .control("วิสัยทัศน์")["value"]
        .startswith("ตำบลน่าอยู่")
    )
    text = plan.read_text(encoding="utf-8").replace("vision: ตำบลน่าอยู่", "vision: ตำบลแก้ไขแล้ว")
    plan.write_text(text, encoding="utf-8")
    value = Page(client.get("/plan/demo/edit/vision").text).control("วิสัยทัศน์")["value"]
    assert value.startswith("ตำบลแก้ไขแล้ว")


def test_a_stale_form_is_refused_and_the_editors_change_kept(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    plan = root / "plans" / "demo" / "plan.yaml"
    page = Page(client.get("/plan/demo/edit/organization").text)
    edited = plan.read_text(encoding="utf-8").replace("province: อุบลราชธานี", "province: ยโสธร")
    plan.write_text(edited, encoding="utf-8")
    values = page.form_values()
    values[page.control("อำเภอ")["name"]] = "เมืองใหม่"
    answer = client.post("/plan/demo/edit/organization", data=values)
    assert answer.status_code == 409
    assert "ยังไม่ได้บันทึก" in " ".join(Page(answer.text).live)
    assert Page(answer.text).control("อำเภอ")["value"] == "เมืองใหม่"  # the typing is kept
    assert plan.read_text(encoding="utf-8") == edited


def test_a_problem_shows_in_thai_beside_its_field_and_nothing_is_written(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    page = Page(client.get("/plan/demo/row/projects.0").text)
    values = page.form_values()
    values[page.control("2566")["name"]] = "-5"
    answer = client.post("/plan/demo/row/projects.0", data=values)
    assert answer.status_code == 422
    shown = Page(answer.text)
    assert shown.problem_of("2566") == "ต้องไม่น้อยกว่า 0 (พบ -5)"
    assert "ยังไม่ได้บันทึก" in " ".join(shown.live)
    assert numstat(root) == ""
    values[page.control("2566")["name"]] = "5"  # corrected: saved
    assert client.post("/plan/demo/row/projects.0", data=values).status_code == 200
    assert numstat(root) == "1\t1\tplans/demo/plan.yaml\n"


def test_projects_are_added_moved_and_deleted_in_their_table(
    office: tuple[TestClient, Path],
) -> None:
    from saoreport.plan.validate import check

    client, root = office
    folder = root / "plans" / "demo"
    before = check(folder).plan.projects
    html = client.get("/plan/demo/rows/projects").text
    page = Page(html)
    add = [b for b in page.buttons if b[0] == "เพิ่ม" and b[1].endswith("/rows/projects/add")]
    assert add
    values = {**add[-1][2], page.control("แผนงาน")["name"]: "แผนงานใหม่"}
    values[page.control("ยุทธศาสตร์")["name"]] = "S2"
    answer = client.post(add[-1][1], data=values)
    assert answer.status_code == 200
    form = Page(answer.text)
    values = form.form_values()
    values[form.control("ชื่อโครงการ")["name"]] = "โครงการทดลองเพิ่มใหม่"
    assert client.post(str(answer.url), data=values).status_code == 200
    after = check(folder).plan.projects
    assert len(after) == len(before) + 1
    new = next(p for p in after if p.name == "โครงการทดลองเพิ่มใหม่")
    assert (new.strategy, new.programme) == ("S2", "แผนงานใหม่")
    # move the first project of S1's first programme down: it swaps with the next of its group
    first = before[0]
    group = [p for p in before if (p.strategy, p.programme) == (first.strategy, first.programme)]
    page = Page(client.get("/plan/demo/rows/projects").text)
    down = next(b for b in page.buttons if b[0] == f"เลื่อนลง: {first.name}")
    assert client.post(down[1], data=down[2]).status_code == 200
    moved = [p.id for p in check(folder).plan.projects]
    assert moved.index(first.id) > moved.index(group[1].id)
    page = Page(client.get("/plan/demo/rows/projects").text)
    delete = next(b for b in page.buttons if b[0] == f"ลบ: {first.name}")
    assert client.post(delete[1], data=delete[2]).status_code == 200
    assert first.id not in [p.id for p in check(folder).plan.projects]


def test_start_a_plan_from_the_skeleton_a_page_and_a_workbook(
    office: tuple[TestClient, Path],
) -> None:
    from saoreport.plan.validate import check

    client, root = office
    plans = root / "plans"
    page = Page(client.get("/new").text)
    csrf = token(client.get("/new").text)
    answer = client.post(
        "/new/skeleton",
        data={
            "csrf": csrf,
            page.controls["sk-slug"]["name"]: "nong-bua",
            page.control("ชื่อตามกฎหมายขององค์กร")["name"]: "องค์การบริหารส่วนตำบลหนองบัว",
            page.control("อำเภอ")["name"]: "เมือง",
            page.control("จังหวัด")["name"]: "ขอนแก่น",
            page.control("ปีแรกของแผน (พ.ศ.)")["name"]: "2566",
        },
    )
    assert answer.status_code == 200 and str(answer.url).endswith("/plan/nong-bua")
    checked = check(plans / "nong-bua")  # the skeleton validates
    assert checked.plan.organization.name == "องค์การบริหารส่วนตำบลหนองบัว"
    assert checked.plan.plan.period.first == 2566
    general = (plans / "nong-bua" / "parts" / "1-general.md").read_text("utf-8")
    assert re.search(r"^# .*ด้านกายภาพ", general, re.M)  # the standard headings of ส่วนที่ ๑
    exported = client.get("/plan/demo/workbook.xlsx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    answer = client.post(
        "/new/workbook",
        data={"csrf": csrf, "slug": "from-book"},
        files={"file": ("demo.xlsx", exported.content)},
    )
    assert answer.status_code == 200
    assert len(check(plans / "from-book").plan.projects) == len(check(plans / "demo").plan.projects)
    if SEEDS.is_dir():
        seed = SEEDS / "001_c9d5a2aada27164c.txt"
        answer = client.post(
            "/new/page",
            data={"csrf": csrf, "slug": "khi-lek"},
            files={"file": ("khi-lek.txt", seed.read_bytes())},
        )
        assert answer.status_code == 200
        shipped = check(ROOT / "plans" / "khi-lek").plan
        assert check(plans / "khi-lek").plan.vision == shipped.vision


def test_a_workbook_is_imported_only_after_its_change_is_shown(
    office: tuple[TestClient, Path],
) -> None:
    from openpyxl import load_workbook

    client, root = office
    plan = root / "plans" / "demo" / "plan.yaml"
    before = plan.read_bytes()
    book = load_workbook(io.BytesIO(client.get("/plan/demo/workbook.xlsx").content))
    name = "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้านตัวอย่าง หมู่ที่ 1 (สายบ้านตัวอย่าง – บ้านโนนงาม)"
    cell = next(c for s in book.worksheets for row in s.iter_rows() for c in row if c.value == name)
    cell.value = name.replace("ก่อสร้าง", "ซ่อมสร้าง")  # where the preview's shortened name shows it
    data = io.BytesIO()
    book.save(data)
    page = Page(client.get("/plan/demo/workbook").text)
    answer = client.post(
        "/plan/demo/workbook",
        data={"csrf": token(client.get("/plan/demo/workbook").text)},
        files={page.control("แฟ้มงาน (.xlsx, .xls หรือ .ods)")["name"]: ("b.xlsx", data.getvalue())},
    )
    assert answer.status_code == 200
    assert "แก้ไขโครงการ P0001" in answer.text and "โครงการซ่อมสร้างถนน" in answer.text
    assert plan.read_bytes() == before  # shown, not yet written
    confirm = next(b for b in Page(answer.text).buttons if b[0] == "นำเข้าตามนี้")
    done = client.post(confirm[1], data=confirm[2])
    assert done.status_code == 200
    assert "โครงการซ่อมสร้างถนน" in plan.read_text(encoding="utf-8")


def test_markdown_is_previewed_and_saved_and_an_image_outside_is_refused(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    preface = root / "plans" / "demo" / "preface.md"
    before = preface.read_bytes()
    html = client.get("/plan/demo/text/preface").text
    page = Page(html)
    values = page.form_values()
    field = page.control("ข้อความ (Markdown: # หัวข้อ, - รายการ, **ตัวหนา**, | ตาราง |)")["name"]
    values[field] = "# คำนำใหม่\n\n![แผนที่](../../../../etc/hosts)\n"
    values["action"] = "save"
    answer = client.post("/plan/demo/text/preface", data=values)
    assert answer.status_code == 422
    assert "อยู่นอกโฟลเดอร์แผน" in " ".join(Page(answer.text).live)
    assert preface.read_bytes() == before
    values["action"] = "preview"  # without a script: the Preview button
    shown = client.post("/plan/demo/text/preface", data=values).text
    assert '<h3 id="preface-1" class="md">คำนำใหม่</h3>' in shown and "/etc/hosts" not in re.sub(
        r"&#39;[^&]*&#39;", "", shown.split('id="preview"')[1]
    )
    live = client.post(
        "/plan/demo/preview/preface",
        data={"text": "## ภาพ\n\n![โลโก้](logo.svg)"},
        headers={"X-CSRF-Token": token(html)},
    )
    assert '<img src="/files/plans/demo/logo.svg" alt="โลโก้">' in live.text
    values[field] = "# คำนำใหม่\n\nข้อความ\n"
    values["action"] = "save"
    assert client.post("/plan/demo/text/preface", data=values).status_code == 200
    assert preface.read_text(encoding="utf-8") == "# คำนำใหม่\n\nข้อความ\n"


# Safety ------------------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_or_from_another_site_is_refused(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    page = Page(client.get("/plan/demo/edit/organization").text)
    values = page.form_values()
    values[page.control("อำเภอ")["name"]] = "เมืองใหม่"
    for data, headers in (
        ({k: v for k, v in values.items() if k != "csrf"}, {}),
        ({**values, "csrf": "x" * 43}, {}),
        (values, {"Origin": "http://evil.example"}),
    ):
        answer = client.post("/plan/demo/edit/organization", data=data, headers=headers)
        assert answer.status_code == 403
        assert Page(answer.text).headings[0] == (1, "คำขอถูกปฏิเสธ")
    fresh = TestClient(client.app)  # another browser: no session, so no token is right
    assert fresh.post("/plan/demo/edit/organization", data=values).status_code == 403
    assert numstat(root) == ""


def test_uploads_over_the_limit_of_the_wrong_type_or_named_outside_are_refused(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    csrf = token(client.get("/plan/demo/images").text)
    svg = (ROOT / "plans" / "demo" / "logo.svg").read_bytes()
    absolute = str(root / "outside.svg")
    for name in ("../outside.svg", "../../outside.svg", absolute, "images/../../x.svg"):
        answer = client.post("/plan/demo/images", data={"csrf": csrf}, files={"file": (name, svg)})
        assert answer.status_code == 403, name
    assert not list(root.rglob("outside.svg")) and not list(root.rglob("x.svg"))
    answer = client.post("/plan/demo/images", data={"csrf": csrf}, files={"file": ("x.exe", svg)})
    assert answer.status_code == 400 and ".svg" in " ".join(Page(answer.text).live)
    answer = client.post(
        "/plan/demo/images",
        data={"csrf": csrf},
        files={"file": ("big.png", b"\x89PNG" + b"0" * 5_000_001)},
    )
    assert answer.status_code == 400 and "ใหญ่กว่า" in answer.text
    small = TestClient(create_app(Config(plans=root / "plans", max_body=10_000)))
    csrf = token(small.get("/plan/demo/images").text)
    answer = small.post(
        "/plan/demo/images", data={"csrf": csrf}, files={"file": ("a.svg", b"x" * 20_000)}
    )
    assert answer.status_code == 413 and "ใหญ่เกินกว่า" in answer.text
    assert not (root / "plans" / "demo" / "images").exists()


def test_no_file_outside_plans_archive_and_the_build_output_is_served(
    office: tuple[TestClient, Path],
) -> None:
    client, root = office
    (root / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "plans" / "demo" / "link.txt").symlink_to(root / "secret.txt")
    assert client.get("/files/plans/demo/logo.svg").status_code == 200
    for url in (
        "/files/plans/demo/%2e%2e/%2e%2e/secret.txt",
        "/files/plans/%2e%2e/secret.txt",
        "/files/plans/demo/..%2f..%2fsecret.txt",
        "/files/plans//" + str(root / "secret.txt"),
        "/files/plans/demo/link.txt",
        "/files/plans/demo/.git/config",
        "/files/secrets/secret.txt",
        "/files/build/../secret.txt",
    ):
        answer = client.get(url)
        assert answer.status_code in (403, 404), url
        assert "secret" not in answer.text.replace("secret.txt", ""), url
    raw = client.get("/plan/demo/text/preface")  # a URL's own `..`, sent as it is
    assert raw.status_code == 200
    scope_path = "/files/plans/demo/../../secret.txt"
    answer = client.request("GET", "http://testserver" + scope_path.replace("..", "%2E%2E"))
    assert answer.status_code == 403


def test_a_url_outside_the_plans_names_no_plan(office: tuple[TestClient, Path]) -> None:
    client, _root = office
    for url in (
        "/plan/%2e%2e/edit/organization",
        "/plan/.git/edit/plan",
        "/plan/nope/rows/projects",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/plan/demo/row/projects.999999").status_code == 404
    assert client.get("/plan/demo/rows/secrets").status_code == 404


def test_two_saves_from_one_page_at_once_write_one_and_refuse_the_other(
    office: tuple[TestClient, Path],
) -> None:
    import threading

    client, root = office
    page = Page(client.get("/plan/demo/edit/organization").text)
    forms = []
    for district in ("เมืองหนึ่ง", "เมืองสอง"):
        values = page.form_values()
        values[page.control("อำเภอ")["name"]] = district
        forms.append(values)
    statuses: list[int] = []
    start = threading.Barrier(2)

    def save(values: dict[str, str]) -> None:
        start.wait()
        statuses.append(client.post("/plan/demo/edit/organization", data=values).status_code)

    threads = [threading.Thread(target=save, args=(values,)) for values in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]  # the second was made from a page now stale
    assert numstat(root) == "1\t1\tplans/demo/plan.yaml\n"


def test_serve_says_when_its_port_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    from saoreport.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        assert main(["serve", "--port", str(port)]) == 1
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert f"cannot open the workspace at 127.0.0.1:{port}" in err and "--port" in err
    assert main(["serve", "--plans", str(tmp_path / "none")]) == 2


def test_a_page_asked_for_by_another_host_name_is_refused(office: tuple[TestClient, Path]) -> None:
    """A web page that points its own name at 127.0.0.1 (DNS rebinding) is refused, even GET."""
    _client, root = office
    from saoreport.web.app_config import LOOPBACK

    local = TestClient(create_app(Config(plans=root / "plans", hosts=LOOPBACK)))
    assert local.get("http://127.0.0.1:8000/plan/demo").status_code == 200
    assert local.get("http://localhost:8000/").status_code == 200
    answer = local.get("http://evil.example:8000/plan/demo")
    assert answer.status_code == 403 and "127.0.0.1" in answer.text


# plan.yaml edited in place (web/yamltext.py) -------------------------------------------------

PLAN_TEXT = """\
# the office's own comment
organization:
  name: อบต.ตัวอย่าง  # the legal name
  executive:
    title: นายก
plan:
  period: {first: 2566, last: 2570}
vision: |
  บรรทัดแรก
  บรรทัดสอง
missions:
  - หนึ่ง
  - สอง
projects:
  - id: P1
    budget: {2566: 5}
"""


def _load(text: str) -> object:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def test_yamltext_writes_each_value_over_its_own_characters() -> None:
    from saoreport.web import yamltext

    edits = yamltext.Edits(PLAN_TEXT)
    edits.set(("organization", "name"), "อบต.ใหม่: ตัวอย่าง")  # a colon: quoted
    edits.set(("organization", "executive", "name"), "นายสมมุติ")  # a new key
    edits.set(("vision",), "บรรทัดเดียว")
    edits.set(("missions", 1), "สองใหม่")
    edits.set(("projects", 0, "budget", 2568), "7")  # a new year in a flow mapping
    text = edits.apply()
    assert text.splitlines()[0] == "# the office's own comment"
    assert '  name: "อบต.ใหม่: ตัวอย่าง"  # the legal name\n' in text
    assert "    title: นายก\n    name: นายสมมุติ\n" in text
    assert "vision: บรรทัดเดียว\nmissions:" in text
    assert "    budget: {2566: 5, 2568: 7}\n" in text
    data = _load(text)
    assert isinstance(data, dict) and data["missions"] == ["หนึ่ง", "สองใหม่"]
    rows = yamltext.delete_row(text, ("projects",), 0)
    assert rows.endswith("projects: []\n") and _load(rows)["projects"] == []  # type: ignore[index]
    again = yamltext.insert_row(rows, ("projects",), {"id": "P2", "budget": {}}, None)
    assert _load(again)["projects"] == [{"id": "P2", "budget": {}}]  # type: ignore[index]


@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"),
        min_size=1,
        max_size=40,
    )
)
def test_yamltext_any_text_reads_back_as_it_was_typed(value: str) -> None:
    from saoreport.web import yamltext

    edits = yamltext.Edits(PLAN_TEXT)
    edits.set(("organization", "name"), value, text=True)
    edits.set(("missions", 0), value, text=True)
    data = _load(edits.apply())
    assert isinstance(data, dict)
    assert data["organization"]["name"] == value and data["missions"][0] == value


def test_an_edition_is_added_and_its_dates_filled_in_its_form(
    office: tuple[TestClient, Path],
) -> None:
    from saoreport.plan.models import Plan

    client, root = office
    plan = root / "plans" / "demo" / "plan.yaml"
    before = _load(plan.read_text(encoding="utf-8"))
    assert isinstance(before, dict)
    n = len(before["editions"])  # the demo's เพิ่มเติม 1/2568 and เปลี่ยนแปลง 1/2568
    page = Page(client.get("/plan/demo/rows/editions").text)
    add = next(b for b in page.buttons if b[1].endswith("/rows/editions/add"))
    answer = client.post(add[1], data=add[2])
    assert answer.status_code == 200 and str(answer.url).endswith(f"/row/editions.{n}")
    subprocess.run(
        ["git", "commit", "-qam", "edition"],
        cwd=root,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "o",
            "GIT_AUTHOR_EMAIL": "o@example.org",
            "GIT_COMMITTER_NAME": "o",
            "GIT_COMMITTER_EMAIL": "o@example.org",
        },
    )
    form = Page(answer.text)
    values = form.form_values()
    values[form.control("สมัยประชุมสภา")["name"]] = "สมัยสามัญ สมัยที่ 3 ประจำปี 2568"
    values[form.control("ครั้งที่ประชุมสภา")["name"]] = "ครั้งที่ 2"
    values[form.control("วันที่สภาให้ความเห็นชอบ")["name"]] = "2568-09-08"
    # what a เพิ่มเติม (ข้อ 22) goes through: its reasons, the bodies, the executive's approval
    (plan.parent / "add-2-2568.md").write_text("# เหตุผลและความจำเป็น\n\nถนนชำรุด\n", "utf-8")
    values[form.control("เหตุผลและความจำเป็น (แฟ้ม Markdown ในโฟลเดอร์แผน)")["name"]] = "add-2-2568.md"
    values[form.control("วันที่คณะกรรมการสนับสนุนการจัดทำแผนจัดทำร่าง")["name"]] = "2568-08-04"
    values[form.control("วันที่คณะกรรมการพัฒนาท้องถิ่นพิจารณา")["name"]] = "2568-08-11"
    values[form.control("วันที่ประชาคมท้องถิ่นพิจารณา")["name"]] = "2568-08-18"
    values[form.control("วันที่ผู้บริหารอนุมัติ")["name"]] = "2568-09-12"
    assert client.post(str(answer.url), data=values).status_code == 200
    # council: and its 3 keys, and one line for each of the five other fields
    assert numstat(root) == "9\t0\tplans/demo/plan.yaml\n"
    data = _load(plan.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    edition = data["editions"][n]  # the next เพิ่มเติม of the plan's fiscal year
    assert (edition["kind"], edition["number"], edition["year"]) == ("เพิ่มเติม", 2, 2568)
    assert str(edition["council"]["date"]) == "2568-09-08"
    if "editions" in Plan.model_fields:  # with the editions model (issue 28) it validates
        from saoreport.plan.validate import check

        assert check(plan.parent).plan.editions[n].number == 2


def test_a_form_sent_back_unchanged_writes_nothing(office: tuple[TestClient, Path]) -> None:
    """Every part's form sent back as it came (a literal block's last line break, a quoted
    name, a flow budget, Thai digits) leaves plan.yaml byte for byte."""
    client, root = office
    plan = root / "plans" / "demo" / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "vision: ตำบลน่าอยู่", "vision: |\n  ตำบลน่าอยู่\n  บรรทัดสอง\nx_vision: ตำบลน่าอยู่", 1
    )
    text = text.replace("x_vision: ", "# ", 1)
    plan.write_text(text, encoding="utf-8")
    before = plan.read_bytes()
    for url in (
        "/plan/demo/edit/organization",
        "/plan/demo/edit/plan",
        "/plan/demo/edit/vision",
        "/plan/demo/edit/settings",
        "/plan/demo/row/strategies.0",
        "/plan/demo/row/strategies.0.indicators.0",
        "/plan/demo/row/projects.0",
        "/plan/demo/row/equipment.0",
    ):
        page = Page(client.get(url).text)
        answer = client.post(url, data=page.form_values())
        assert answer.status_code == 200, url
        assert plan.read_bytes() == before, url
