"""A saved "วิสัยทัศน์ / พันธกิจ" web page (text or HTML) -> a plan file that validates.

A page is read as a run of sections: a heading (วิสัยทัศน์, พันธกิจ, เป้าหมาย / เป้าประสงค์ /
จุดมุ่งหมาย, ยุทธศาสตร์), then a block of text or a list, up to the next heading. Headings may
be numbered ("(1)", "4.1", "2."), carry more words ("วิสัยทัศน์การพัฒนาของเทศบาลตำบล…",
"(Vision)", "ที่ต้องการพัฒนา", "4 ด้าน ดังนี้"), a colon, or the text itself after them.

The page's words are kept exactly; only list numbering, bullets, quotes around the vision,
invisible characters and runs of spaces go. The website's boilerplate (definitions "…
หมายถึง", lead-in sentences "… ดังนี้", page titles, footers) is left out, and said so:
whatever is not placed is reported with its line and kept as a comment in the plan file.
What the page lacks is written as a valid placeholder marked CHECK. Nothing is corrected; a
suspected misspelling of the organization's type is flagged for the user to decide.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from saoreport import thai
from saoreport.errors import SaoError
from saoreport.messages import _, n_
from saoreport.output import read_input
from saoreport.plan.models import MAX_ITEMS, MISSPELT, org_type

MAX_BYTES = 10 * 1024 * 1024  # a saved vision page is tens of kilobytes; a few MB with its markup
MAX_ITEM = 2000  # characters: longer is not one vision, mission or goal but text run together
SHOWN = 300  # characters of a left-out line kept in the report and the plan's comments

SECTIONS = ("vision", "missions", "goals", "strategies")
# "ยุทธศาสตร์ที่ 1 …", "พันธกิจที่ ๑ …" number an item; national and provincial strategies
# are not the SAO's.
_NTH = r"(?!\s*ที่\s*[0-9๐-๙])"
KEYWORDS = {
    "vision": rf"วิสัยทัศน์{_NTH}",
    "missions": rf"พันธกิจ{_NTH}",
    "goals": rf"(?:เป้าหมาย|เป้าประสงค์|จุดมุ่งหมาย){_NTH}",
    "strategies": rf"ยุทธศาสตร์{_NTH}(?!ชาติ)(?!จังหวัด)",
}
# Headings of the website's other parts end a section: "คำขวัญตำบล…", "นโยบายและวิสัยทัศน์".
_OTHER_HEADING = re.compile(
    r"^(?:คำขวัญ|ค่านิยม|อำนาจหน้าที่|ประวัติ|ข้อมูลทั่วไป|สภาพทั่วไป|นโยบาย|อัตลักษณ์|เอกลักษณ์)"
)
_TACTICS = re.compile(r"^(?:แนวทางการพัฒนา|กลยุทธ์|แนวทาง)\S{0,30}$")
_KEYWORD = {key: re.compile(rf"(?:{words})") for key, words in KEYWORDS.items()}
_ORG_WORDS = (
    r"องค์การบริ[หก]ารส่วน(?:ตำบล|จังหวัด)|เทศบาล(?:ตำบล|เมือง|นคร)?|องค์กรปกครองส่วนท้องถิ่น"
    r"|อบต\.|อบจ\.|ทต\.|ทม\.|ทน\.|ตำบล|ท้องถิ่น"
)
# Words a heading may carry after its keyword: "การพัฒนา", "ของเทศบาลตำบลปลายบาง", "(Vision)",
# "ในการพัฒนาท้องถิ่น", "ที่ต้องการพัฒนา", "หรือภารกิจหลักของ…", "4 ด้าน ดังนี้", "(พ.ศ. 2566-2570)".
_QUALIFIER = re.compile(
    r"(?:\s*(?:\([^()]{0,40}\)|\(\s*[A-Za-z]*\s*$|การพัฒนา|พัฒนา|ในการ|ใน|เพื่อ|ของ|และ|หลัก"
    r"|ที่ต้องการ|หรือภารกิจ|ภารกิจ|แนวทาง|กลยุทธ์|ความหมาย(?=\s*$)|[0-9๐-๙]+\s*ด้าน|ดังนี้|มีดังนี้|ไว้ดังนี้"
    rf"|(?:{_ORG_WORDS})[^\s:()“”\"]*|[A-Za-z]+\))"
    r")*"
)
_NUMBERING = re.compile(r"^(?:\(?[0-9๐-๙]{1,2}\)|[0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})*\.?)\s*")
_DECORATION = re.compile(r"^[\s–—\-•*”“\"]+")  # around a heading: "– พันธกิจ –", "” วิสัยทัศน์ “"
_MARKER = re.compile(
    r"^(?:(?:[•\-\*–—·▪●○◦►➢✓]|\(?[0-9๐-๙]{1,3}\)|[0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})+\.?(?=\s)"
    r"|[0-9๐-๙]{1,3}\.(?![0-9๐-๙])"
    r"|(?:ยุทธศาสตร์|ภารกิจหลัก|ภารกิจ|พันธกิจ|เป้าประสงค์|เป้าหมาย)ที่\s*[0-9๐-๙]{1,3}\.?(?=\s|$))\s*)+"
)
_MARKER_NUMBER = re.compile(r"[0-9๐-๙]+")
_OPEN_QUOTES = {"“": "”", '"': '"', "«": "»", "”": "”"}
_QUOTES = "\"“”'‘’«»"
_LEADIN = re.compile(r"(?:ดังนี้|ดังต่อไปนี้|ต่อไปนี้|ได้แก่|ไว้ว่า|คือ)\s*[:：]?\s*$")
_DEFINITION = re.compile(r"หมายถึง")
_GLUED_HEADING = re.compile(
    r"^(?P<before>.*[”\"’»])\s*(?P<heading>(?:" + "|".join(KEYWORDS.values()) + r")"
    r"(?:\s*\([A-Za-z ]{0,20}\))?\s*[:：]?)$"
)
# Site furniture: a footer ends the page's content, and may be glued to the last item.
_FOOTER = re.compile(
    r"Permanent link|ติดต่อเรา|Copyright|©|สงวนลิขสิทธิ์|All rights reserved|Powered by",
    re.I,
)
# A line with a telephone number or an e-mail address (and no list marker) is the site's contact.
_CONTACT = re.compile(
    r"โทร(?:ศัพท์|สาร|\.)?\s*:?\s*0[0-9]|Tel\.?\s*:?\s*\+?[0-9]|[\w.+-]+@[\w-]+\.[\w.]+", re.I
)
_CHROME = re.compile(
    r"^(?:Print this page|Untitled Document|จำนวนผู้เข้าชม|ปรับปรุงล่าสุด|เมนูหลัก|หน้าแรก|"
    r"ผู้เข้าชม|Share\b|Tweet\b|แชร์)",
    re.I,
)
_ORG = re.compile(
    r"(?P<name>(?:องค์การบริ[หก]ารส่วน(?:ตำบล|จังหวัด)|เทศบาล(?:ตำบล|เมือง|นคร))"
    r"[^\s,.:;()“”\"'/]+)"
    r"(?:\s*(?:อำเภอ|อ\.)\s*(?P<district>[^\s,.:;()]+))?"
    r"(?:\s*(?:จังหวัด|จ\.)\s*(?P<province>[^\s,.:;()]+))?"
)
_NEIGHBOURS = re.compile(r"ติดต่อกับ|ทิศ(?:เหนือ|ใต้|ตะวันออก|ตะวันตก)|ใกล้เคียง")  # other SAOs
_SHORT_ORG = re.compile(r"(?P<short>อบต\.|อบจ\.|ทต\.|ทม\.|ทน\.)\s*(?P<name>[^\s,.:;()“”\"'/]+)")
SHORT_NAMES = {
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "ทต.": "เทศบาลตำบล",
    "ทม.": "เทศบาลเมือง",
    "ทน.": "เทศบาลนคร",
}
PLACEHOLDERS = {
    "vision": "CHECK: ใส่วิสัยทัศน์ (หน้าเว็บไม่มี)",
    "missions": "CHECK: ใส่พันธกิจ (หน้าเว็บไม่มี)",
    "goals": "CHECK: ใส่{label} (หน้าเว็บไม่มี)",
}
# Characters that draw nothing: zero-width space and joiners, word joiner, BOM, soft hyphen,
# direction marks, invisible operators, Mongolian vowel separator.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u2061-\u2064\u180e]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BLOCKS = {
    "p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section",
    "ul", "ol", "table", "article", "header", "footer", "nav", "blockquote", "dd", "dt", "hr",
    "center", "pre", "main", "aside", "form", "title",
}  # fmt: skip
# Not the page's text: code, form fields (a textarea's draft, <xmp> and <plaintext> listings),
# and the site's menus and footer (navigation, not the plan).
_SKIPPED = {
    "script", "style", "noscript", "template", "svg", "head", "nav", "aside", "menu", "select",
    "button", "footer", "textarea", "xmp", "plaintext",
}  # fmt: skip
# Noncharacters, never in text: around the text of a link, and before a line that is only links.
_LINK_OPEN, _LINK_CLOSE, LINK_LINE = "\ufdd0", "\ufdd1", "\ufdd2"


class _Text(HTMLParser):
    """HTML -> text, one block element per line (list items keep a bullet)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip = 0  # whatever was left open before it (a <head> without its end tag)
        elif tag in _SKIPPED:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")
        elif tag == "a":
            self.parts.append(_LINK_OPEN)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            self.parts.append(_LINK_CLOSE)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data.replace("\n", " "))


def decode_page(data: bytes) -> tuple[str, str]:
    """(text, name of the encoding): UTF-8, UTF-16 with or without BOM, TIS-620/windows-874."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), _(
            "{encoding} with BOM", encoding="UTF-8"
        )
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            named = _("{encoding} with BOM", encoding=name.upper())
            return data[2:].decode(name, errors="replace"), named
    utf16 = _utf16_without_bom(data)  # before UTF-8: UTF-16 Thai or Latin is valid UTF-8 too
    if utf16:
        return data.decode(utf16), _("{encoding} without BOM", encoding=utf16.upper())
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Thai in UTF-8 with a few stray bytes (a page pieced together) is not TIS-620: windows-874
    # would read every Thai letter as two others.
    thai_utf8 = data.count(b"\xe0\xb8") + data.count(b"\xe0\xb9")
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if thai_utf8 >= 10 and bad <= thai_utf8 // 20:
        return text, n_(
            "UTF-8 with {count} invalid byte replaced",
            "UTF-8 with {count} invalid bytes replaced",
            bad,
            count=bad,
        )
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        text = ""
    if re.search("[\u0e01-\u0e5b]", text):
        windows = any(0x80 <= byte <= 0x9F for byte in data)
        return text, "windows-874" if windows else "TIS-620"
    raise SaoError(
        _(
            "is neither UTF-8, UTF-16 nor Thai TIS-620/windows-874 text: save the page again as"
            " text or HTML"
        )
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when every other byte is a high byte of Latin or Thai text."""
    if len(data) < 4 or len(data) % 2:
        return None
    for name, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        zero_or_thai = high.count(0x00) + high.count(0x0E)
        if zero_or_thai + high.count(0x20) >= 0.95 * len(high) and zero_or_thai >= len(high) / 2:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


def clean(text: str) -> tuple[str, list[str]]:
    """Remove invisible and control characters; NFC; report what went."""
    notes: list[str] = []
    counts: dict[str, int] = {}
    for pattern, what in ((_INVISIBLE, "invisible"), (_CONTROL, "control")):
        for char in pattern.findall(text):
            key = f"U+{ord(char):04X} {unicodedata.name(char, what + ' character')}"
            counts[key] = counts.get(key, 0) + 1
        text = pattern.sub("", text)
    if counts:
        listed = ", ".join(f"{n} × {key}" for key, n in sorted(counts.items()))
        notes.append(_("removed characters that print nothing: {characters}", characters=listed))
    text = _SPACES.sub(" ", text)
    if "\u0e4d\u0e32" in text:
        notes.append(_("ํ + า (NIKHAHIT + SARA AA) written as ำ (SARA AM), as it reads"))
        text = text.replace("\u0e4d\u0e32", "\u0e33")
    return unicodedata.normalize("NFC", text), notes


def page_lines(source: str) -> list[str]:
    if re.search(r"<(?:!doctype|html|body|head|p|div|li|br|table|span|h[1-6])\b", source, re.I):
        parser = _Text()
        parser.feed(source)
        parser.close()
        lines = "".join(parser.parts).split("\n")
        return [_mark_links(line) for line in lines]
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _mark_links(line: str) -> str:
    """A line that is only links (a menu, a list of links) starts with LINK_LINE."""
    if _LINK_OPEN not in line:
        return line.replace(_LINK_CLOSE, "")
    outside = re.sub(f"{_LINK_OPEN}[^{_LINK_CLOSE}]*(?:{_LINK_CLOSE}|$)", "", line)
    text = line.replace(_LINK_OPEN, "").replace(_LINK_CLOSE, "")
    only_links = not outside.strip(" -•|") and text.strip(" -•|")
    return LINK_LINE + text if only_links else text


@dataclass
class Found:
    """What the page gave, each with the line (1-based) it came from."""

    org: tuple[str, str, str, int] | None = None  # name, district, province, line
    vision: list[tuple[int, str]] = field(default_factory=list)
    missions: list[tuple[int, str]] = field(default_factory=list)
    goals: list[tuple[int, str]] = field(default_factory=list)
    goals_label: str = "เป้าหมาย"
    strategies: list[tuple[int, str]] = field(default_factory=list)
    left_out: list[tuple[int, str, str]] = field(default_factory=list)  # line, why, text
    flags: list[tuple[int, str]] = field(default_factory=list)
    encoding: str = "UTF-8"
    placed: set[int] = field(default_factory=set)  # lines that went into the plan or the report

    def leave(self, number: int, why: str, text: str) -> None:
        self.placed.add(number)
        if len(text) > SHOWN:
            size = len(text)
            shown = text[:SHOWN]
            text = n_(
                "{text}… ({count} character)",
                "{text}… ({count} characters)",
                size,
                text=shown,
                count=f"{size:,}",
            )
        self.left_out.append((number, why, text))


@dataclass
class _Heading:
    section: str
    rest: str  # the text after the heading on its line ("" if none)


def _starts_with_keyword(text: str) -> str | None:
    for key, pattern in _KEYWORD.items():
        if pattern.match(text):
            return key
    return None


def _title(text: str) -> bool:
    """A page title names several sections: "วิสัยทัศน์ / พันธกิจ", "วิสัยทัศน์ พันธกิจ และ…"."""
    if len(text) > 150 or any(q in text for q in _QUOTES) or _DEFINITION.search(text):
        return False
    named = {key for key, pattern in _KEYWORD.items() if pattern.search(text)}
    return len(named) >= 2 and _starts_with_keyword(text) is not None


def _heading(text: str, current: str | None) -> _Heading | None:
    """The section *text* opens, and what follows the heading on its line; None if no heading."""
    if len(text) > 400:
        return None
    marker = _MARKER.match(text)
    decoration = _DECORATION.match(text)
    if decoration:
        quotes = '”“"' if any(q in decoration.group() for q in '”“"') else ""
        text = text[decoration.end() :].rstrip(" –—-*" + quotes)
    numbered = _NUMBERING.match(text)
    body = text[numbered.end() :] if numbered else text
    key = _starts_with_keyword(body)
    if key is None or _DEFINITION.search(body):
        return None
    keyword = _KEYWORD[key].match(body)
    assert keyword is not None
    after = body[keyword.end() :]
    qualifier = _QUALIFIER.match(after)
    rest = (after[qualifier.end() :] if qualifier else after).strip()
    if marker and key == current and rest:
        return None  # "1. ยุทธศาสตร์การพัฒนา ด้าน…" in the strategies is an item of the list
    if rest.startswith((":", "：")):
        rest = rest[1:].strip()
        english = re.fullmatch(r"\(?\s*[A-Za-z ]*\)?", rest)
        return _Heading(key, "" if english else rest)
    if not rest:
        return _Heading(key, "")
    if any(q in rest for q in _QUOTES) or _LEADIN.search(rest):
        return _Heading(key, rest)
    # "วิสัยทัศน์   ชุมชนพอเพียง …": the text right after the keyword, no colon
    inline = after[:1].isspace() and len(rest) <= 200
    if inline and not re.search(r"ได้กำหนด|กำหนด.*ไว้", rest):
        return _Heading(key, rest)
    return None


def _split_glued(line: str) -> list[str]:
    """'…ยั่งยืน”พันธกิจ' -> the vision and the heading; '…ดีPermanent link' -> item, footer."""
    parts = [line]
    if len(line) <= 2000:
        glued = _GLUED_HEADING.match(line)
        if glued and glued.group("before").strip():
            parts = [glued.group("before").strip(), glued.group("heading").strip()]
    out: list[str] = []
    for part in parts:
        footer = _FOOTER.search(part)
        if footer and footer.start() > 0 and part[: footer.start()].strip():
            out += [part[: footer.start()].strip(), part[footer.start() :].strip()]
        else:
            out.append(part)
    return out


def _number(marker: str) -> int | None:
    found = _MARKER_NUMBER.findall(marker)
    if not found:
        return None
    return int(found[-1].translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))


def _org(found: Found, number: int, line: str) -> bool:
    """Take the organization's name (and district, province) from a line outside the items."""
    if _NEIGHBOURS.search(line):
        return False
    match = _ORG.search(line)
    name = district = province = ""
    if match:
        name = match.group("name")
        district, province = match.group("district") or "", match.group("province") or ""
    else:
        short = _SHORT_ORG.search(line)
        if not short:
            return False
        name = SHORT_NAMES[short.group("short")] + short.group("name")
        if found.org is None:
            read = _("the name {name} is read from {short}", name=name, short=repr(short.group()))
            found.flags.append((number, read))
    if name.startswith(("องค์การบริหารส่วนจังหวัด", "องค์การบริการส่วนจังหวัด")) and not province:
        province = name.removeprefix("องค์การบริหารส่วนจังหวัด").removeprefix("องค์การบริการส่วนจังหวัด")
    old = found.org
    if old is None or (not (old[1] or old[2]) and (district or province)):
        found.org = (name, district, province, number)
    return True


def read_page(source: str) -> Found:
    found = Found()
    text, notes = clean(source)
    found.flags += [(1, note) for note in notes]
    # 1. lines -> (number, text, heading or None); footers end the page's content
    rows: list[tuple[int, str, _Heading | None]] = []
    current: str | None = None
    ended = False
    for number, raw in enumerate(page_lines(text), 1):
        link = raw.startswith(LINK_LINE)  # a link is never a heading: menus name the sections
        whole = " ".join(raw.removeprefix(LINK_LINE).split())
        if not whole:
            continue
        for wrong, right in MISSPELT.items():
            if wrong in whole:
                misspelt = _(
                    "{wrong} looks like a misspelling of {right}",
                    wrong=repr(wrong),
                    right=repr(right),
                )
                found.flags.append((number, misspelt))
        for line in _split_glued(whole):
            if ended:
                found.leave(number, _("after the page's end (site footer)"), line)
                continue
            contact = _CONTACT.search(line) and not _MARKER.match(line) and len(line) < 300
            footer = (
                _FOOTER.match(line)
                or contact
                or (_FOOTER.search(line) and len(line) < 200 and not rows)
            )
            if footer and not link:  # a menu's "ติดต่อเรา" is no footer
                if found.org is None:
                    _org(found, number, line)
                ended = bool(rows)
                why = _("site footer: the page's content ends here") if ended else _("site header")
                found.leave(number, why, line)
                continue
            if _CHROME.match(line):
                found.leave(number, _("website text"), line)
                continue
            numbered = _NUMBERING.match(line)
            body = line[numbered.end() :] if numbered else line
            if _title(body):
                _org(found, number, line)
                found.leave(number, _("page title"), line)
                continue
            heading = None if link else _heading(line, current)
            if heading is None and not link and len(line) <= 60 and _OTHER_HEADING.match(line):
                _org(found, number, line)
                found.leave(number, _("heading of another part of the website"), line)
                heading = _Heading("other", "")
            if heading is not None:
                current = heading.section
                found.placed.add(number)
                _org(found, number, line)
            rows.append((number, line, heading))
    # 2. rows -> blocks: a heading, then its lines up to the next heading
    blocks: list[tuple[str | None, list[tuple[int, str]]]] = [(None, [])]
    labelled = False  # the goals' label comes from their first heading
    for number, line, heading in rows:
        if heading is not None:
            blocks.append((heading.section, []))
            if heading.section == "goals" and not labelled:
                labelled = True
                found.goals_label = "เป้าประสงค์" if "เป้าประสงค์" in line else "เป้าหมาย"
            if heading.rest:
                blocks[-1][1].append((number, heading.rest))
            continue
        blocks[-1][1].append((number, line))
    # 3. each block by its kind
    for section, lines in blocks:
        if section is None:
            _intro(found, lines, {key for key, _lines in blocks})
        elif section == "other":
            for number, line in lines:
                found.leave(number, _("under another heading of the website"), line)
        elif section == "vision":
            _vision(found, lines)
        else:
            _items(found, section, lines)
    return found


def _intro(found: Found, lines: list[tuple[int, str]], headed: set[str | None]) -> None:
    """Before the first heading: the organization; and, for a section the page gives no heading
    (*headed* are those it does), a lead-in that opens it or a quoted vision under the title."""
    for i, (number, line) in enumerate(lines):
        named = _org(found, number, line)
        if _LEADIN.search(line) and not _MARKER.match(line):
            keys = [(m.start(), k) for k, p in _KEYWORD.items() for m in p.finditer(line)]
            if keys and max(keys)[1] not in headed:  # "… ได้กำหนดวิสัยทัศน์ไว้ดังนี้"
                section = max(keys)[1]
                why = _("introduction (the name, district and province come from it)")
                lead_in = _("lead-in to the {section}", section=_section(section))
                found.leave(number, why if named else lead_in, line)
                rest = lines[i + 1 :]
                if section == "vision":
                    _vision(found, rest)
                else:
                    _items(found, section, rest)
                return
        if line[:1] in '“"«' and "vision" not in headed:  # a quoted vision under the title
            _vision(found, lines[i:])
            return
        intro = _("introduction (the name, district and province come from it)")
        found.leave(number, intro if named else _("before the first heading"), line)


def _continues_heading(line: str) -> bool:
    """'ขององค์การบริหารส่วนตำบลบ้านพระ', 'Vision) การพัฒนาของ…': the heading's words go on."""
    rest = re.sub(r"^[A-Za-z ]*\)", "", line)
    qualifier = _QUALIFIER.match(rest)
    return bool(qualifier and qualifier.end() == len(rest) and rest.strip()) or rest != line


def _vision(found: Found, lines: list[tuple[int, str]]) -> None:
    """The vision: the quoted text, or the first lines of the block that read as one phrase."""
    taken: list[tuple[int, str]] = []  # unquoted lines read as the vision so far
    i = 0
    while i < len(lines):
        number, line = lines[i]
        i += 1
        if found.vision:
            explains = _MARKER.match(line) or _DEFINITION.search(line)
            why = (
                _("explains the vision (the plan holds one vision)")
                if explains
                else _("after the vision")
            )
            found.leave(number, why, line)
            continue
        if _DEFINITION.search(line) and (_starts_with_keyword(line) or line.startswith("หมายถึง")):
            found.leave(number, _("the website's definition of the heading"), line)
            continue
        if not taken and _continues_heading(line):
            found.leave(number, _("the heading's words"), line)
            continue
        start = next((j for j, c in enumerate(line) if c in _OPEN_QUOTES), None)
        if start is not None and len(line) - start > 1:
            # from the opening quote to its closing one, over as many lines as it takes
            close = _OPEN_QUOTES[line[start]]
            parts, end_line = [line[start + 1 :]], number
            closing = parts[0].find(close)
            j = i
            while closing < 0 and j < len(lines) and j - i < 10:
                end_line, more = lines[j]
                found.placed.add(end_line)
                parts.append(more)
                closing = more.find(close)
                j += 1
            if closing >= 0:
                i = j
                text = " ".join([*parts[:-1], parts[-1][:closing]])
                after = parts[-1][closing + 1 :].strip()
                for n, before in taken:
                    found.leave(n, _("before the quoted vision"), before)
                taken = []
                if line[:start].strip():
                    why = (
                        _("lead-in to the quoted vision")
                        if _LEADIN.search(line[:start])
                        else _("before the quoted vision")
                    )
                    found.leave(number, why, line[:start].strip())
                _set_vision(found, number, text)
                found.placed.add(number)
                if after:
                    found.leave(end_line, _("after the vision"), after)
                continue
        if _DEFINITION.search(line):
            found.leave(number, _("explains the vision (the plan holds one vision)"), line)
            continue
        if _LEADIN.search(line) and not _MARKER.match(line):
            found.leave(number, _("lead-in to the {section}", section=_section("vision")), line)
            continue
        marker = _MARKER.match(line)
        phrase = line[marker.end() :].strip() if marker else line
        so_far = " ".join(text for _n, text in taken)
        if taken and (
            marker
            or len(phrase) > 150
            or len(so_far) > 400
            or phrase.strip(_QUOTES + " ") in so_far
            or re.search(r"\s:\s|หมายถึง", phrase)
        ):
            _set_vision(found, taken[0][0], so_far)
            taken = []
            found.leave(number, _("explains the vision (the plan holds one vision)"), line)
            continue
        taken.append((number, phrase))
        found.placed.add(number)
    if taken and not found.vision:
        _set_vision(found, taken[0][0], " ".join(text for _n, text in taken))


def _set_vision(found: Found, number: int, text: str) -> None:
    text = " ".join(text.split()).strip(_QUOTES + " ")
    if len(text) > MAX_ITEM:
        found.leave(
            number, _("{count} characters: too long for the vision", count=f"{len(text):,}"), text
        )
    elif text:
        found.vision.append((number, text))


def _items(found: Found, section: str, lines: list[tuple[int, str]]) -> None:
    """A list: one item a marker ("1.", "(1)", "•", "ยุทธศาสตร์ที่ 1"), or one a line if none."""
    target: list[tuple[int, str]] = getattr(found, section)
    kept: list[tuple[int, str, re.Match[str] | None]] = []
    for k, (number, line) in enumerate(lines):
        marker = _MARKER.match(line)
        if _DEFINITION.search(line) and (
            _starts_with_keyword(line) or line.startswith("หมายถึง") or not marker
        ):
            found.leave(number, _("the website's definition of the heading"), line)
        elif not marker and _LEADIN.search(line):
            found.leave(number, _("lead-in to the {section}", section=_section(section)), line)
        elif k == 0 and not kept and _continues_heading(line):
            found.leave(number, _("the heading's words"), line)
        else:
            kept.append((number, line, marker))
    if section == "strategies" and any(_TACTICS.match(line) for _n, line, _m in kept):
        _strategies_with_tactics(found, kept)
        return
    has_markers = any(marker for _n, _l, marker in kept)
    started = False
    for k, (number, line, marker) in enumerate(kept):
        if not has_markers:
            _add(found, target, number, line)
            continue
        if marker:
            text = line[marker.end() :].strip()
            if text:
                _add(found, target, number, text)
                started = True
            continue
        if not started:
            before = _("lead-in or label before the {section}", section=_section(section))
            found.leave(number, before, line)
            continue
        following = next((m for _n, _l, m in kept[k + 1 :] if m), None)
        vision = found.vision[0][1] if found.vision else ""
        if (following is not None and _number(following.group()) == 1) or (
            len(line) < 60 and line.strip(_QUOTES + " ") in vision
        ):
            found.leave(
                number, _("a label grouping the {section}", section=_section(section)), line
            )
            continue
        start, before = target[-1]
        joined = f"{before} {line}"
        if len(joined) > MAX_ITEM:
            found.leave(number, _("too long to continue the item of line {line}", line=start), line)
        else:
            target[-1] = (start, joined)
            found.placed.add(number)


def _strategies_with_tactics(
    found: Found, kept: list[tuple[int, str, re.Match[str] | None]]
) -> None:
    """Each strategy a line, its แนวทางการพัฒนา (tactics) a list under it: the tactics stay out."""
    tactics = False
    for number, line, marker in kept:
        if _TACTICS.match(line):
            found.leave(number, _("heading of the tactics of the strategy above"), line)
            tactics = True
        elif marker and tactics:
            tactic = _("a tactic of the strategy above (tactics are not imported)")
            found.leave(number, tactic, line)
        else:
            _add(found, found.strategies, number, line[marker.end() :] if marker else line)
            tactics = False


def _add(found: Found, target: list[tuple[int, str]], number: int, text: str) -> None:
    if len(text) > MAX_ITEM:
        found.leave(
            number, _("{count} characters: too long for one item", count=f"{len(text):,}"), text
        )
        return
    target.append((number, text))
    found.placed.add(number)


def _yaml(text: str) -> str:
    """A YAML scalar for *text*: plain where that is safe, else double-quoted."""
    plain = re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*(?<![\s:])", text)
    if plain and text.lower() not in ("yes", "no", "true", "false", "null", "~"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _drop_unprintable(found: Found) -> None:
    """Characters the font cannot draw (emoji, symbols) leave their item, and are reported."""
    from saoreport.fonts.family import font_family
    from saoreport.fonts.glyphs import covered

    cmap = covered(font_family(None).faces["regular"])

    def printable(number: int, text: str) -> str:
        bad = sorted({c for c in text if ord(c) not in cmap and not c.isspace()})
        if not bad:
            return text
        names = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, '?')})" for c in bad)
        dropped = _("dropped {characters}: not in the font, would print as a box", characters=names)
        found.flags.append((number, dropped))
        return " ".join("".join(c for c in text if c not in bad).split())

    for section in SECTIONS:
        items: list[tuple[int, str]] = getattr(found, section)
        kept = [(number, printable(number, text)) for number, text in items]
        setattr(found, section, [(number, text) for number, text in kept if text])
    if found.org:
        name, district, province, number = found.org
        fields = [printable(number, text) for text in (name, district, province)]
        found.org = (fields[0], fields[1], fields[2], number) if fields[0] else None


def _within_limits(found: Found) -> None:
    """A plan holds at most MAX_ITEMS missions, goals and strategies: the items after them
    are left out, each reported at its line, so that the plan written validates."""
    for section in ("missions", "goals", "strategies"):
        items: list[tuple[int, str]] = getattr(found, section)
        for number, text in items[MAX_ITEMS:]:
            most = _(
                "the plan holds at most {count} {section}",
                count=MAX_ITEMS,
                section=_section(section),
            )
            found.leave(number, most, text)
        setattr(found, section, items[:MAX_ITEMS])


def plan_yaml(found: Found, source: Path, today: dt.date, digest: str) -> str:
    if not (found.vision or found.missions or found.goals or found.strategies):
        raise SaoError(
            _(
                "{file}: found no vision, missions, goals or strategies on this page"
                " (is it the page that shows the วิสัยทัศน์ and พันธกิจ?)",
                file=source,
            )
        )
    fiscal_year = thai.fiscal_year_of(today)
    first = 2566 + 5 * ((fiscal_year - 2566) // 5)
    unknown = ("(ชื่อองค์กรปกครองส่วนท้องถิ่น)", "", "", 0)
    name, district, province, _line = found.org or unknown
    prefix, kind, short = org_type(name)
    suffix = name.removeprefix(prefix)

    def check(value: str, missing: str) -> str:
        return _yaml(value) if value else f"{_yaml(missing)}  # CHECK: " + _("not on the page")

    label = found.goals_label

    def listing(key: str) -> list[str]:
        items: list[tuple[int, str]] = getattr(found, key)
        if items:
            return [f"  - {_yaml(text)}" for _n, text in items]
        placeholder = PLACEHOLDERS[key].format(label=label)
        gives_no = _("the page gives no {section}", section=_section(key))
        return [f"  - {_yaml(placeholder)}  # CHECK: {gives_no}"]

    vision = (
        _yaml(found.vision[0][1])
        if found.vision
        else f"{_yaml(PLACEHOLDERS['vision'])}  # CHECK: "
        + _("the page gives no {section}", section=_section("vision"))
    )
    out = [
        "# "
        + _(
            "Imported by `saoreport import` from {file} ({encoding}, sha256 {digest}…) on {date}.",
            file=source.name,
            encoding=found.encoding,
            digest=digest,
            date=today.isoformat(),
        ),
        *_comment(
            _(
                "Vision, missions, goals and strategies are the page's words; lines marked CHECK"
                " are placeholders for what the page does not give: replace them before the plan"
                " goes to the council."
            )
        ),
        "organization:",
        f"  name: {check(name if found.org else '', unknown[0])}",
        f"  short_name: {_yaml(short + suffix)}",
        f"  type: {kind}",
        f"  district: {check(district, '(อำเภอ)')}",
        f"  province: {check(province, '(จังหวัด)')}",
        "  executive:",
        f"    title: {_yaml('นายก' + name)}  # CHECK: " + _("add `name:` of the chief executive"),
        "plan:",
        f"  period: {{first: {first}, last: {first + 4}}}  # CHECK: " + _("the plan's five years"),
        f"  fiscal_year: {fiscal_year}  # CHECK",
        f"vision: {vision}",
        "missions:",
        *listing("missions"),
        f"goals_label: {label}",
        "goals:",
        *listing("goals"),
    ]
    if found.strategies:
        out.append("strategies:")
        for i, (_n, text) in enumerate(found.strategies, 1):
            out += [f"  - id: S{i}", f"    name: {_yaml(text)}"]
    if found.left_out:
        out.append("")
        out.append("# " + _("Left out of the plan (line of the page: why: text):"))
        out += [f"#   {n}: {why}: {text}" for n, why, text in found.left_out]
    return "\n".join(out) + "\n"


def _section(key: str) -> str:
    """The name of a section of the plan, as a message says it."""
    if key == "vision":
        return _("vision")
    if key == "missions":
        return _("missions")
    if key == "goals":
        return _("goals")
    return _("strategies")


def _comment(text: str) -> list[str]:
    """*text* as comment lines of the plan file, each at most 96 characters."""
    import textwrap

    return ["# " + line for line in textwrap.wrap(text, 94, break_on_hyphens=False)]


def read_source(source: Path) -> tuple[str, str, str]:
    """(text, encoding, sha256 prefix) of the saved page; SaoError if it cannot be one."""
    data = read_input(source, MAX_BYTES, "vision-and-mission page")
    try:
        text, encoding = decode_page(data)
    except SaoError as exc:
        raise SaoError(f"{source}: {exc}") from None
    if len(_CONTROL.findall(text)) > max(16, len(text) // 100):
        raise SaoError(
            _(
                "{file}: is not a text or HTML page (it is full of control characters): save the"
                " page again as text or HTML",
                file=source,
            )
        )
    return text, encoding, hashlib.sha256(data).hexdigest()[:16]


def import_page(
    source: Path, slug: str, out: Path, today: dt.date, force: bool = False
) -> tuple[Path, Found]:
    """Write *out*/*slug*/plan.yaml from the page saved in *source*."""
    text, encoding, digest = read_source(source)
    found = read_page(text)
    found.encoding = encoding
    if encoding != "UTF-8":
        found.flags.insert(0, (1, _("the page was read as {encoding}", encoding=encoding)))
    _drop_unprintable(found)
    _within_limits(found)
    target = out / slug / "plan.yaml"
    if target.exists() and not force:
        raise SaoError(_("{file} exists; use --force to replace it", file=target))
    content = plan_yaml(found, source, today, digest)
    from saoreport.output import write_atomic

    write_atomic(target, content.encode("utf-8"))
    return target, found
