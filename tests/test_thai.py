import datetime as dt

from saoreport import thai


def test_digits_and_dates() -> None:
    assert thai.thai_digits("2568 ปี 10") == "๒๕๖๘ ปี ๑๐"
    assert thai.thai_date(dt.date(2025, 10, 7)) == "๗ ตุลาคม ๒๕๖๘"
    assert thai.thai_date(dt.date(2025, 10, 7), thai=False) == "7 ตุลาคม 2568"
    assert thai.from_be(dt.date(2568, 10, 7)) == dt.date(2025, 10, 7)
    assert thai.from_be(dt.date(2025, 10, 7)) == dt.date(2025, 10, 7)


def test_fiscal_year() -> None:
    assert thai.fiscal_year_span(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    assert thai.fiscal_year_of(dt.date(2024, 10, 1)) == 2568
    assert thai.fiscal_year_of(dt.date(2024, 9, 30)) == 2567
    assert thai.fiscal_year_of(dt.date(2025, 9, 30)) == 2568


def test_baht_words_and_money() -> None:
    assert thai.baht_words(1_200_000) == "หนึ่งล้านสองแสนบาทถ้วน"
    assert thai.baht_words(21) == "ยี่สิบเอ็ดบาทถ้วน"
    assert thai.money(1250000) == "1,250,000"
    assert thai.money(0) == "-"
    assert thai.ordinal(3) == "ที่สาม"
