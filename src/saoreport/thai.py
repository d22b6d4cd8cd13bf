"""Thai conventions: digits, Buddhist-era dates, fiscal years, baht in words, ordinals."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from pythainlp.util import bahttext, num_to_thaiword

from saoreport.messages import _

BE_OFFSET = 543
MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(text: object) -> str:
    """'2568' -> '๒๕๖๘'; anything else in the text is kept."""
    return str(text).translate(_TO_THAI)


def digits(text: object, thai: bool) -> str:
    """*text* with its Arabic digits made Thai when *thai*; else as it is."""
    return thai_digits(text) if thai else str(text)


def one_style(text: object, thai: bool) -> str:
    """*text* with every digit Thai (*thai*) or every digit Arabic: the documents' digit rule."""
    return thai_digits(text) if thai else str(text).translate(_TO_ARABIC)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def from_be(date: dt.date) -> dt.date:
    """Plan files may write dates in either era: a year above 2400 is Buddhist era."""
    return date.replace(year=date.year - BE_OFFSET) if date.year > 2400 else date


def be_iso(date: dt.date) -> str:
    """dt.date(2024, 8, 14) -> '2567-08-14': a date as a plan file writes it."""
    return f"{be_year(date.year)}-{date.month:02d}-{date.day:02d}"


def thai_date(date: dt.date, thai: bool = True) -> str:
    """dt.date(2025, 10, 7) -> '๗ ตุลาคม ๒๕๖๘'."""
    return digits(f"{date.day} {MONTHS[date.month - 1]} {be_year(date.year)}", thai)


def fiscal_year_of(date: dt.date) -> int:
    """The Buddhist-era fiscal year a date falls in (1 October starts the next one)."""
    return be_year(date.year) + (1 if date.month >= 10 else 0)


def fiscal_year_span(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """FY 2568 -> (1 Oct 2024, 30 Sep 2025), i.e. 1 Oct 2567 - 30 Sep 2568 BE."""
    end_ce = fiscal_year - BE_OFFSET
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def baht_words(amount: int | float) -> str:
    """1_200_000 -> 'หนึ่งล้านสองแสนบาทถ้วน'."""
    return str(bahttext(amount))


def ordinal(n: int) -> str:
    """3 -> 'ที่สาม', for headings such as 'ส่วนที่สาม'."""
    return "ที่" + str(num_to_thaiword(n))


def money(amount: int, thai: bool = False) -> str:
    """1250000 -> '1,250,000' (Thai digits: '๑,๒๕๐,๐๐๐'); 0 -> '-'. Any amount up to the
    plan's ten digits: 9999999999 -> '9,999,999,999'."""
    return digits(f"{amount:,}", thai) if amount else "-"


# What people type for a number or a date in a plan file ----------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_MONTH = {
    name: month
    for month, names in enumerate(zip(MONTHS, MONTHS_SHORT, strict=True), 1)
    for name in names
}
_MONTH |= {name.replace(".", ""): n for name, n in _MONTH.items()}  # "สค" for "ส.ค."
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WORDS = re.compile(
    r"(?:วันที่\s*)?(\d{1,2})\s*("
    + "|".join(map(re.escape, sorted(_MONTH, key=len)[::-1]))
    + r")\s*(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)?\s*(\d{4})"
)


def arabic_digits(text: str) -> str:
    """'๒๕๗๐' -> '2570'; anything else in the text is kept."""
    return text.translate(_TO_ARABIC)


def typed_number(text: str) -> int | float | None:
    """A number written with Thai digits, which YAML reads as text ('๒๕๗๐', '๑๒.๕'), as the
    number; None for any other text (Arabic digits in quotes stay text: the plan file's rule)."""
    if not any("๐" <= c <= "๙" for c in text):
        return None
    plain = arabic_digits(text.strip())
    if not _NUMBER.fullmatch(plain):
        return None
    return float(plain) if "." in plain else int(plain)


def plan_date(year: int, month: int, day: int) -> dt.date:
    """The day a plan file means by *year*-*month*-*day*, the year in either era (above 2400:
    Buddhist). Kept in the year written, as YAML reads 2569-08-20, where that year's calendar
    has the day too; else as the Christian-era date (2567-02-29 is 2024-02-29: the Buddhist
    year 2567 is no leap year, the number 2567 is). ValueError for a day that does not exist."""
    if 2400 < year <= 2800:
        ce_year = year - BE_OFFSET
    elif 1800 <= year <= 2300:
        ce_year = year
    else:
        raise ValueError(
            _(
                "the year {year} is neither a Buddhist-era year (such as 2569)"
                " nor a Christian-era one (such as 2026)",
                year=year,
            )
        )
    if not 1 <= month <= 12:
        raise ValueError(_("there is no month {month}: write a month from 1 to 12", month=month))
    try:
        meant = dt.date(ce_year, month, day)
    except ValueError:
        days = calendar.monthrange(ce_year, month)[1]
        raise ValueError(
            _(
                "there is no such day: {month} {year} has {days} days; write a day from 1 to"
                " {days}",
                month=month_name(month),
                year=year,  # as written, in its era
                days=days,
            )
        ) from None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return meant


def month_name(month: int) -> str:
    """The month's name in the user's language (for messages; documents use MONTHS)."""
    names = (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
        _("July"), _("August"), _("September"), _("October"), _("November"), _("December"),
    )  # fmt: skip
    return names[month - 1]


def typed_date(text: str) -> dt.date:
    """A date as Thai offices type it, in Thai or Arabic digits and either era: 2569-08-20,
    2569-8-20, 20/08/2569 (always day/month/year, the Thai order), 20 สิงหาคม 2569, 20 ส.ค.
    2569, วันที่ 20 สิงหาคม พ.ศ. 2569. A year of two digits is not read. ValueError, saying
    the forms, for any other text, and for a day that does not exist."""
    plain = " ".join(arabic_digits(text).split())
    found = _ISO.fullmatch(plain)
    if found:
        year, month, day = (int(g) for g in found.groups())
        return plan_date(year, month, day)
    found = _SLASHED.fullmatch(plain)
    if found:
        day, month, year = (int(g) for g in found.groups())
        return plan_date(year, month, day)
    found = _WORDS.fullmatch(plain)
    if found:
        day_text, name, era, year_text = found.groups()
        if era and era.startswith("ค") != (int(year_text) < 2400):
            raise ValueError(_("{text!r}: the year is not of the era written", text=text))
        return plan_date(int(year_text), _MONTH[name], int(day_text))
    raise ValueError(
        _(
            "{text!r} is not a date: write the day as 2569-08-20, 20/08/2569 or 20 สิงหาคม 2569"
            " (day, month, then the Buddhist-era year)",
            text=text,
        )
    )
