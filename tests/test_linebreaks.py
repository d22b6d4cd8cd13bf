"""No rendered line of the shipped plans ends inside a Thai word."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

from conftest import PLANS, pdfium_pages
from saoreport import thai
from saoreport.plan.validate import check

THAI = re.compile("[\u0e00-\u0e7f]")


@cache
def dictionary() -> frozenset[str]:
    return frozenset(thai_words())


def between_words(text: str, cut: int) -> bool:
    """Is text[:cut] | text[cut:] a break between two words?

    Either the segmenter puts a boundary there, or the pieces on both sides of the cut are
    dictionary words (the segmenter prefers compounds such as ระบอบประชาธิปไตย, which
    Thai writers break between their words).
    """
    pos = 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        pos += len(token)
        if pos == cut:
            return True
    left = word_tokenize(text[:cut], engine="newmm")[-1]
    right = word_tokenize(text[cut:], engine="newmm")[0]
    return left in dictionary() and right in dictionary()


def cuts(text: str, flat: str) -> list[int] | None:
    """Offsets in *text* where the extracted *flat* text (lines joined by \\n) wraps it,
    other than at a space; None if *text* is not there."""
    chars = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    pattern = "".join(
        f"({re.escape(c)})" + ("[ \\n]" if i + 1 < len(text) and text[i + 1].isspace() else "\\n?")
        for i, c in chars
    )
    match = re.search(pattern.removesuffix("\\n?").removesuffix("[ \\n]"), flat)
    if match is None:
        return None
    found = []
    for k in range(1, len(chars)):
        gap = flat[match.end(k) : match.start(k + 1)]
        if gap == "\n" and not text[chars[k][0] - 1].isspace():
            found.append(chars[k][0])
    return found


def strings(slug: str) -> list[str]:
    plan = check(Path(__file__).resolve().parents[1] / "plans" / slug).plan
    found = [plan.vision, *plan.missions, *plan.goals]
    for s in plan.strategies:
        found += [*(t.name for t in s.tactics), *(i.name for i in s.indicators)]
    for p in plan.projects:
        found += [p.name, p.objective, p.target, p.kpi, p.result]
    return [thai.digits(s, plan.thai_digits) for s in dict.fromkeys(found)]


@pytest.mark.parametrize("slug", [p.name for p in PLANS])
def test_no_line_ends_inside_a_word(built: dict[str, Path], slug: str) -> None:
    flat = re.sub(r"[ \t]*[\r\n]+[ \t]*", "\n", "\n".join(pdfium_pages(built[slug])))
    bad, wrapped = [], 0
    for text in strings(slug):
        found = cuts(text, flat)
        assert found is not None, f"not in the PDF: {text}"
        wrapped += len(found)
        for cut in found:
            if (THAI.match(text[cut - 1]) or THAI.match(text[cut])) and not between_words(
                text, cut
            ):
                bad.append(f"{text[:cut]}|{text[cut:]}")
    assert not bad, "\n".join(bad)
    assert wrapped > (100 if slug == "demo" else 3)  # the check saw real line breaks


def test_the_check_can_fail() -> None:
    assert not between_words("ประชาชนมีความรู้", 4)  # ประช|าชน...
    assert between_words("ประชาชนมีความรู้", 7)
    assert cuts("ตำบล น่าอยู่", "ตำ\nบล น่าอยู่") == [2]
    assert cuts("ตำบล น่าอยู่", "ตำบล\nน่าอยู่") == []
