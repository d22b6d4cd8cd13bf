"""Thai conventions: digits, Buddhist-era dates, fiscal years, baht in words, ordinals."""

from __future__ import annotations

import datetime as dt

from pythainlp.util import bahttext, num_to_thaiword

BE_OFFSET = 543
MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
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
