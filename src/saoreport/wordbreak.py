"""Where Thai text may break, as a Thai typesetter would have it: the reference for a word is
PyThaiNLP's newmm with its default dictionary, which keeps compounds (ผู้รับผิดชอบ, อาสาสมัคร)
whole. Plain text in, masks out: used by the line breaking hooked into the layout
(pdf/linebreak.py) and by the forms' column widths (document/columns.py), so that both break
the same way. Segmentation is done once per string (cached)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

THAI = re.compile("[\u0e00-\u0e7f]")
DIGITS = "0-9\u0e50-\u0e59"
NUMBER = re.compile(rf"[{DIGITS}](?:[{DIGITS},./:]*[{DIGITS}])?")
# Words that take a number after them: "ร้อยละ ๒๐", "หมู่ที่ ๕", "ข้อ ๒๔", "พ.ศ. ๒๕๖๘".
NUMBERING = re.compile(
    rf"(?:(หมู่ที่|ม\.|ครั้งที่|สมัยที่|ฉบับที่|ข้อ|มาตรา|ที่|พ\.ศ\.|ค\.ศ\.|เลขที่)|ร้อยละ|ละ)"
    rf"[ \u00a0]?[{DIGITS}]"
)  # group 1: the number is a label ("หมู่ที่ ๕ จำนวน ๓ แห่ง"), not a quantity with a unit
# Words read with the unit after a number: "๒๐ ต่อปี", "๑ ครั้งต่อเดือน".
UNIT_JOINERS = frozenset({"ต่อ"})


class Dictionary:
    """PyThaiNLP's default word list as newmm reads it: the words of the list that begin a
    text at a position, shortest first, as pythainlp.util.Trie.prefixes gives them. A set of
    the words and the words in order (the words that begin with a piece of text follow it in
    order) instead of a trie of nodes: the same segmentation (tested), read in a fifth of the
    time of two sets (0.04 s against 0.17 s) and a tenth of the trie's, which counts in an
    edited plan's rebuild."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words: frozenset[str] = frozenset(word.strip() for word in words) - {""}
        self.ordered: list[str] = sorted(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = []
        ordered, count, low = self.ordered, len(self.ordered), 0
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            if piece in self.words:
                found.append(piece)
            low = bisect_left(ordered, piece, low)  # the first word from *piece* on
            longer = low + 1 if low < count and ordered[low] == piece else low
            if longer == count or not ordered[longer].startswith(piece):
                break  # no longer word begins with *piece*
        return found


@cache
def dictionary() -> Dictionary:
    from pythainlp.corpus import thai_words

    return Dictionary(thai_words())


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    found = word_tokenize(text, engine="newmm", keep_whitespace=True, custom_dict=dictionary())  # type: ignore[arg-type]
    return tuple(found)


def load() -> None:
    """Read the dictionary now (about 0.07 CPU-seconds): worker processes forked after this
    have it already, instead of each reading it again."""
    dictionary()


def is_word(token: str) -> bool:
    return bool(THAI.search(token)) and token not in ("ฯ", "ฯลฯ")


@lru_cache(maxsize=16384)
def kept(text: str) -> tuple[bytes, bytes, bytes]:
    """Where *text* may not break, three masks over its positions (0..len): with every rule;
    without the last-two-words rule; words alone (compounds, ฯลฯ, ฯ with its word), for a
    line too narrow for the others. Position p is between text[p-1] and text[p]."""
    n = len(text)
    keep = bytearray(n + 1)
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for token in tokens(text):
        spans.append((pos, pos + len(token), token))
        pos += len(token)

    def join(a: int, b: int) -> None:  # no break strictly inside text[a:b]
        for p in range(a + 1, b):
            keep[p] = 1

    for a, b, token in spans:
        if THAI.search(token):
            join(a, b)
        if token.startswith("ฯ") and a > 0 and not text[a - 1].isspace():
            keep[a] = 1
    for match in re.finditer("ฯลฯ", text):
        join(match.start(), match.end())
    words_only = bytes(keep)
    labels = set()  # numbers that follow a numbering word: "หมู่ที่ ๕ จำนวน" is no unit
    for match in NUMBERING.finditer(text):
        join(match.start(), match.end())
        if match.group(1):
            labels.add(match.end() - 1)
    # A number with the word after it (its unit or classifier), "ต่อ" with the word after.
    starts = {a: i for i, (a, _, _) in enumerate(spans)}
    for match in NUMBER.finditer(text):
        if match.start() in labels:
            continue
        end = match.end()
        if end < n and text[end] in " \u00a0":
            end += 1
        i = starts.get(end)
        if i is None or not is_word(spans[i][2]):
            continue
        last = spans[i][1]
        if spans[i][2] in UNIT_JOINERS and i + 1 < len(spans) and is_word(spans[i + 1][2]):
            last = spans[i + 1][1]
        join(match.start(), last)
    before_end = bytes(keep)
    # The last two words of the paragraph stay together.
    words = [a for a, _, token in spans if is_word(token)]
    if len(words) >= 3:
        join(words[-2], n)
    return bytes(keep), before_end, words_only


# The names of Pango's library, as WeasyPrint tries them (weasyprint/text/ffi.py), Linux's first.
PANGO = (
    "libpango-1.0.so.0",
    "libpango-1.0-0",
    "pango-1.0-0",
    "pango-1.0",
    "libpango-1.0.dylib",
    "libpango-1.0-0.dll",
)
# PangoLogAttr's flags, in their order (a bit field of one guint: 4 bytes).
_LOG_ATTRS = (
    "is_line_break",
    "is_mandatory_break",
    "is_char_break",
    "is_white",
    "is_cursor_position",
    "is_word_start",
    "is_word_end",
    "is_sentence_boundary",
    "is_sentence_start",
    "is_sentence_end",
    "backspace_deletes_character",
    "is_expandable_space",
    "is_word_boundary",
)


@cache
def _pango() -> Any:
    """Pango's pango_get_log_attrs through ctypes (None: no Pango by these names). WeasyPrint
    has the same call (text.line_break.get_log_attrs), but importing WeasyPrint takes 0.2 s:
    the column widths of an edited table need the breaks and nothing else of it."""
    import ctypes

    class LogAttr(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint, 1) for name in _LOG_ATTRS]

    for name in PANGO:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.pango_language_from_string.restype = ctypes.c_void_p
        lib.pango_language_from_string.argtypes = [ctypes.c_char_p]
        lib.pango_get_log_attrs.restype = None
        lib.pango_get_log_attrs.argtypes = [
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.POINTER(LogAttr),
            ctypes.c_int,
        ]
        return lib, LogAttr
    return None


def line_breaks(text: str, lang: str = "th") -> bytes:
    """Where Pango (with libthai) may break *text* as WeasyPrint lays it out: 1 at position p
    (between text[p-1] and text[p], 0..len) where it may. The same call, on the same bytes,
    as WeasyPrint's get_log_attrs (tested against it)."""
    found = _pango()
    if found is None:  # Pango under another name: WeasyPrint's own binding finds it
        from weasyprint.text.line_break import get_log_attrs

        attrs = get_log_attrs(text, lang)
        return bytes(attrs[p].is_line_break for p in range(len(text) + 1))
    lib, log_attr = found
    for control in "\u202a\u202b\u202c\u202d\u202e":  # as WeasyPrint does (no bidi yet)
        text = text.replace(control, "\u200b")
    data = text.encode().replace(b"\x00", b"")
    attrs = (log_attr * (len(text) + 1))()
    language = lib.pango_language_from_string(lang.encode())
    lib.pango_get_log_attrs(data, len(data), -1, language, attrs, len(text) + 1)
    return bytes(attr.is_line_break for attr in attrs)
