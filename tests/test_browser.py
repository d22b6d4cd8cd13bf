"""The workspace end to end in a real browser: Debian's headless Chromium driven by Playwright,
as an officer uses it, in Thai. Controls are found by their role and Thai name (what a screen
reader says), never by CSS classes. A screenshot of every step is kept (the folder named by
SAOREPORT_SCREENSHOTS, else the test's tmp folder) to be looked at.

open the workspace -> start a plan from the Khi Lek seed page -> fill what the page lacks ->
a validation problem shown in Thai beside its field -> fixed -> a project added -> build ->
the strategy PDF downloaded, its text holds the project's name -> a version archived -> a
เพิ่มเติม edition started, its dates and reasons filled -> a second project added by it ->
its book made, its text holds that project only -> the two versions compared.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

from conftest import ROOT, pdfium_pages, pdftotext, squash
from saoreport.thai import thai_digits
from served import CHROMIUM, CHROMIUM_ARGS, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no /usr/bin/chromium (make test-deps)"),
]

# Khi Lek's saved page (the seeds beside the checkout, as tests/test_import.py finds them)
SEEDS = Path(os.environ.get("SAOREPORT_SEEDS") or ROOT.parent / "shared" / "seeds")
SEED = SEEDS / "001_c9d5a2aada27164c.txt"
FIRST = "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้านขี้เหล็ก หมู่ที่ 3"
SECOND = "โครงการขุดลอกหนองน้ำสาธารณะ บ้านโนนสำราญ หมู่ที่ 7"
AMENDMENT = "เพิ่มเติม ครั้งที่ 1/2570"
REASONS = "หนองน้ำสาธารณะตื้นเขิน ไม่พอใช้ในฤดูแล้ง จึงต้องเพิ่มโครงการขุดลอก"


class Steps:
    """The browser's page, and a numbered screenshot of each step."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0

    def shot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Page]:
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # an empty profile of its own
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            locale="th-TH",
            viewport={"width": 1200, "height": 900},
            accept_downloads=True,
        )
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            context.close()


def _wait_done(page: Page, words: str) -> None:
    """Until the live region says the job is done (the page reloads itself when it is)."""
    status = page.get_by_role("status")
    expect(status).to_contain_text(words, timeout=600_000)


@pytest.mark.skipif(not SEED.exists(), reason="shared/seeds is not beside the checkout")
def test_an_officer_makes_a_plan_in_the_browser(tmp_path: Path, browser_page: Page) -> None:
    page = browser_page
    screens = Path(os.environ.get("SAOREPORT_SCREENSHOTS") or tmp_path / "screens")
    screens.mkdir(parents=True, exist_ok=True)
    steps = Steps(page, screens)
    p = page
    with served(tmp_path / "office", []) as address:
        # 1. The workspace: the list of SAOs, empty.
        p.goto(address + "/")
        expect(p.get_by_role("heading", level=1)).to_have_text(
            "องค์กรปกครองส่วนท้องถิ่นและแผนของแต่ละแห่ง"
        )
        steps.shot("workspace")

        # 2. A plan from Khi Lek's saved web page.
        p.get_by_role("link", name="เริ่มแผน").click()
        section = p.get_by_role("region", name="จากหน้าเว็บของ อปท. ที่บันทึกไว้ (วิสัยทัศน์และพันธกิจ)")
        section.get_by_label("ชื่อโฟลเดอร์ (อักษรละติน ตัวเลข และ - เช่น nong-bua)").fill("khi-lek")
        section.get_by_label("หน้าเว็บที่บันทึกไว้ (.html หรือ .txt)").set_input_files(SEED)
        steps.shot("start-from-page")
        section.get_by_role("button", name="เริ่มจากหน้าเว็บ").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("องค์การบริหารส่วนตำบลขี้เหล็ก")
        steps.shot("plan-imported")

        # 3. What the page lacks: the executive's name, and a strategy.
        p.get_by_role("link", name="องค์กร").click()
        p.get_by_label("ชื่อผู้บริหาร").fill("นายสมชาย ใจดี")
        p.get_by_role("button", name="บันทึก").click()
        expect(p.get_by_text("บันทึกแล้ว")).to_be_visible()
        steps.shot("organisation-saved")
        p.goto(address + "/plan/khi-lek")
        p.get_by_role("link", name=re.compile("^ยุทธศาสตร์")).click()
        p.get_by_role("region", name="เพิ่ม", exact=True).get_by_role("button", name="เพิ่ม").click()
        expect(p.get_by_label("รหัส")).to_have_value("S1")
        p.get_by_label("ชื่อยุทธศาสตร์").fill("การพัฒนาด้านโครงสร้างพื้นฐาน")
        p.get_by_role("button", name="บันทึก").click()
        expect(p.get_by_text("บันทึกแล้ว")).to_be_visible()
        steps.shot("strategy-named")

        # 4. A project, with a budget that validation refuses, shown in Thai beside its field.
        p.goto(address + "/plan/khi-lek")
        p.get_by_role("link", name=re.compile("^โครงการ")).click()
        adding = p.get_by_role("region", name="เพิ่ม", exact=True)
        adding.get_by_label("แผนงาน", exact=True).fill("แผนงานเคหะและชุมชน")
        adding.get_by_role("button", name="เพิ่ม", exact=True).click()
        _fill_project(p, FIRST, "-5")
        p.get_by_role("button", name="บันทึก").click()
        budget = p.get_by_role("group", name="งบประมาณ (บาท)").get_by_label("2570")
        expect(budget).to_have_attribute("aria-invalid", "true")
        problem = p.locator(f"#{budget.get_attribute('id')}-err")
        expect(problem).to_contain_text("ต้องไม่น้อยกว่า 0")
        expect(p.get_by_role("alert")).to_contain_text("ยังไม่ได้บันทึก: แก้ไขช่องที่มีเครื่องหมายด้านล่าง")
        steps.shot("validation-problem")
        budget.fill("1500000")
        p.get_by_role("button", name="บันทึก").click()
        expect(p.get_by_text("บันทึกแล้ว")).to_be_visible()
        steps.shot("project-saved")
        plan_yaml = (tmp_path / "office/plans/khi-lek/plan.yaml").read_text(encoding="utf-8")
        assert f"name: {FIRST}" in plan_yaml and "2570: 1500000" in plan_yaml

        # 5. Build, with its progress said in the live region; the PDF's text.
        p.goto(address + "/plan/khi-lek")
        p.get_by_role("link", name="จัดทำเอกสาร").click()
        p.get_by_role("button", name="จัดทำเอกสาร").click()
        steps.shot("building")
        _wait_done(p, "เสร็จแล้ว")
        steps.shot("built")
        with p.expect_download() as download:
            p.get_by_role("link", name="ดาวน์โหลด strategy.pdf").click()
        pdf = tmp_path / "strategy.pdf"
        download.value.save_as(pdf)
        assert squash(thai_digits(FIRST)) in squash(pdftotext(pdf))
        assert squash(thai_digits(FIRST)) in squash("".join(pdfium_pages(pdf)))
        p.get_by_role("link", name="เปิด strategy.pdf").click()  # Chromium's own PDF viewer
        expect(p).to_have_url(re.compile(r"/files/build/khi-lek/2570/strategy\.pdf$"))
        for _try in range(40):  # for the screenshot only: until the viewer has drawn the page
            if Image.open(io.BytesIO(p.screenshot())).convert("L").getextrema()[1] > 200:
                break
            p.wait_for_timeout(250)
        steps.shot("pdf-in-the-browser")
        p.go_back()
        p.get_by_role("link", name="ดูภาพหน้าของ strategy.pdf").click()
        p.get_by_role("searchbox").or_(p.get_by_label("หาหน้าจากข้อความ (เช่น ชื่อโครงการ)")).fill(FIRST)
        p.get_by_role("button", name="ค้นหา").click()
        image = p.get_by_role("img", name=re.compile("ภาพหน้า"))
        expect(image).to_be_visible()
        assert image.evaluate("i => i.decode().then(() => i.naturalWidth)") == 1100
        steps.shot("page-of-the-project")

        # 6. Archive a version.
        p.goto(address + "/plan/khi-lek/archive")
        p.get_by_role("button", name="เก็บฉบับใหม่เข้าคลัง").click()
        _wait_done(p, "เสร็จแล้ว")
        expect(p.get_by_text("เก็บเข้าคลังเป็นฉบับใหม่แล้ว: v1")).to_be_visible()
        steps.shot("archived")

        # 7. A เพิ่มเติม edition started against v1: its dates, in the order the regulation
        # asks (after the plan's approval), and its reasons in the Markdown editor.
        p.goto(address + "/plan/khi-lek")
        p.get_by_role("link", name="ฉบับเพิ่มเติม เปลี่ยนแปลง และแก้ไข").click()
        expect(p.get_by_text("แก้ไขจากฉบับในคลัง: 2570/v1")).to_be_visible()
        p.get_by_label("ประเภทของฉบับ").select_option("เพิ่มเติม")
        steps.shot("edition-start")
        p.get_by_role("button", name="เริ่มฉบับ", exact=True).click()
        for label, value in (
            ("วันที่คณะกรรมการสนับสนุนการจัดทำแผนจัดทำร่าง", "2570-02-01"),
            ("วันที่คณะกรรมการพัฒนาท้องถิ่นพิจารณา", "2570-02-10"),
            ("วันที่ประชาคมท้องถิ่นพิจารณา", "2570-02-15"),
            ("สมัยประชุมสภา", "สมัยสามัญ สมัยที่ 1 ประจำปี 2570"),
            ("ครั้งที่ประชุมสภา", "ครั้งที่ 1"),
            ("วันที่สภาให้ความเห็นชอบ", "2570-02-20"),
            ("วันที่ผู้บริหารอนุมัติ", "2570-02-25"),
            ("วันที่ประกาศใช้", "2570-02-28"),
        ):
            p.get_by_label(label, exact=True).fill(value)
        p.get_by_role("button", name="บันทึก").click()
        expect(p.get_by_text("บันทึกแล้ว")).to_be_visible()
        steps.shot("edition-dates")
        p.goto(address + "/plan/khi-lek/editions")
        p.get_by_role("link", name=f"แก้ไขเหตุผลและความจำเป็น: {AMENDMENT}").click()
        p.get_by_label(re.compile("^ข้อความ")).fill(f"# เหตุผลและความจำเป็น\n\n{REASONS}\n")
        p.get_by_role("button", name="บันทึก").click()
        expect(p.get_by_text("บันทึกแล้ว")).to_be_visible()
        steps.shot("edition-reasons")

        # 8. A second project, added by that edition (chosen from the plan's editions).
        p.goto(address + "/plan/khi-lek/rows/projects")
        adding = p.get_by_role("region", name="เพิ่ม", exact=True)
        adding.get_by_label("แผนงาน", exact=True).fill("แผนงานการเกษตร")
        adding.get_by_role("button", name="เพิ่ม", exact=True).click()
        _fill_project(p, SECOND, "300000")
        p.get_by_label("เพิ่มโดยแผนฉบับ (เช่น เพิ่มเติม ครั้งที่ 1/2568)").select_option(AMENDMENT)
        p.get_by_role("button", name="บันทึก").click()
        expect(p.get_by_text("บันทึกแล้ว")).to_be_visible()
        steps.shot("amendment-project")

        # 9. The edition's book: made in a worker, opened, its text read.
        p.goto(address + "/plan/khi-lek/editions")
        p.get_by_role("button", name="ทำเล่มของฉบับล่าสุด").click()
        _wait_done(p, "ทำเล่มของฉบับเสร็จ")
        steps.shot("edition-book-made")
        opened = p.get_by_role("link", name="เปิด amendment-add-1-2570.pdf")
        book = p.request.get(address + str(opened.get_attribute("href"))).body()
        text = squash("".join(pdfium_pages(book)))
        assert squash(thai_digits(SECOND)) in text
        assert squash(thai_digits(FIRST)) not in text  # not in its forms, nor anywhere
        assert squash(REASONS) in text or squash(thai_digits(REASONS)) in text
        p.get_by_role("link", name="ดูภาพหน้าของ amendment-add-1-2570.pdf").click()
        first_page = p.get_by_role("img", name=re.compile("ภาพหน้า")).first
        expect(first_page).to_be_visible()
        assert first_page.evaluate("i => i.decode().then(() => i.naturalWidth)") == 1100
        steps.shot("edition-book-page")

        # 10. Compare the archived version with the plan now.
        p.goto(address + "/plan/khi-lek/archive")
        p.get_by_label("ฉบับเดิม").select_option(label="ฉบับที่เก็บไว้ 2570/v1")
        p.get_by_label("ฉบับใหม่").select_option(label="แผนฉบับปัจจุบัน")
        steps.shot("compare-chosen")
        p.get_by_role("button", name="เปรียบเทียบ").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("เปรียบเทียบฉบับ")
        changes = p.get_by_role("main").inner_text()
        assert SECOND in changes or thai_digits(SECOND) in changes
        assert FIRST not in changes and thai_digits(FIRST) not in changes  # unchanged
        steps.shot("compared")
    assert sorted(path.name for path in screens.iterdir())[-1].startswith(f"{steps.count:02d}")


def _fill_project(p: Page, name: str, budget: str) -> None:
    """The new project's form, opened by Add: every field a ผ.02 row needs."""
    fields = {
        "ชื่อโครงการ": name,
        "วัตถุประสงค์": "เพื่อให้ประชาชนสัญจรไปมาได้สะดวกและปลอดภัย",
        "เป้าหมาย (ผลผลิตของโครงการ)": "ถนน คสล. กว้าง 4 เมตร ยาว 200 เมตร",
        "ตัวชี้วัด (KPI)": "ร้อยละ 90 ของผู้ใช้เส้นทางพึงพอใจ",
        "ผลที่คาดว่าจะได้รับ": "ประชาชนสัญจรได้สะดวก",
        "หน่วยงานที่รับผิดชอบหลัก": "กองช่าง",
    }
    for label, value in fields.items():
        p.get_by_label(label).fill(value)
    p.get_by_role("group", name="งบประมาณ (บาท)").get_by_label("2570").fill(budget)
