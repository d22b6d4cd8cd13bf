"""A workbook's file checked before calamine reads it, so that no file can take the process
down: calamine (Rust) aborts when an allocation fails, which no `except` catches.

What is checked, from the file's bytes and without decompressing more than the limits allow:
the zip directory of an .xlsx or .ods (entries, the total decompressed size, each entry's
compression ratio), then each sheet's XML read as a stream: the cells that hold something
(calamine keeps every cell from A1 to the farthest one of them), the text they expand to (a
shared string is stored once and counted at every cell that refers to it), and the cells
whose value calamine would give as an empty string: an error (#DIV/0!, #REF!, #N/A …) and a
formula saved without its value (as openpyxl and some other tools write them).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import olefile  # type: ignore[import-untyped]

from saoreport.errors import SaoError
from saoreport.excel.forms import Unread
from saoreport.messages import _

MAX_FILE = 64 << 20  # bytes of the workbook file; a city's plan workbook is a few MB
MAX_UNZIPPED = 256 << 20  # bytes of all of an .xlsx's or .ods's parts, decompressed
MAX_RATIO = 100  # an entry of more than 1 MB that is compressed more than this is a zip bomb
MAX_ENTRIES = 10_000  # parts in the zip
MAX_CELLS = 1_000_000  # cells that hold something; 10,000 projects take about 500,000
MAX_AREA = 6_000_000  # cells from A1 to each sheet's farthest used cell, all sheets together
MAX_TEXT = 20_000_000  # characters of text in all cells (a plan's is 1-2 million)


def _error_advice() -> str:
    return _("correct the formula in the workbook, or type the amount")


def _formula_advice() -> str:
    return _(
        "open the workbook in Excel or LibreOffice and save it (that stores the formula's"
        " result), or type the amount"
    )


def _cannot_read(path: Path, reason: object) -> SaoError:
    return SaoError(
        _(
            "{file}: cannot read the workbook ({reason}): open it in Excel or LibreOffice,"
            " save it as .xlsx, and import again",
            file=path,
            reason=reason,
        )
    )


def _refused(path: Path, reason: object) -> SaoError:
    return SaoError(_("{file}: not imported: {reason}", file=path, reason=reason))


@dataclass
class Scan:
    """What the checks found: per sheet name, the cells calamine would give as empty."""

    unread: dict[str, dict[tuple[int, int], Unread]] = field(default_factory=dict)
    data: bytes | None = None  # the bytes calamine is to read, when not the file's own


class _Refused(Exception):
    pass


def check(path: Path, data: bytes) -> Scan:
    """Refuse (SaoError naming *path* and the limit) a workbook that would take more than
    the limits to read; else what calamine will not show."""
    if data.startswith(_OLE):
        try:
            return _Xls(path, data).scan()
        except _Refused as exc:
            raise _refused(path, exc) from None
        except (OSError, ValueError, IndexError, struct.error):
            raise _cannot_read(path, _("the file is damaged or incomplete")) from None
    if not data.startswith(b"PK\x03\x04"):
        raise SaoError(
            _(
                "{file}: cannot read the workbook: it is not a file saved by Excel or"
                " LibreOffice (.xlsx, .xls or .ods); open it there, save it as .xlsx, and"
                " import again",
                file=path,
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return _Zip(path, book).scan()
    except _Refused as exc:
        raise _refused(path, exc) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError):
        raise _cannot_read(path, _("the file is damaged or incomplete")) from None
    except (ValueError, KeyError, IndexError, struct.error):
        raise _cannot_read(path, _("the file is damaged or incomplete")) from None
    except NotImplementedError:  # a compression method zipfile does not know (a RuntimeError)
        reason = _("it is packed in a way Excel and LibreOffice do not write")
        raise _cannot_read(path, reason) from None
    except RuntimeError as exc:  # zipfile's "… is encrypted, password required for extraction"
        if "password" in str(exc) or "encrypted" in str(exc):
            reason = _(
                "it is protected by a password: open it in Excel, remove the password"
                " (File, Info, Protect Workbook) and save it"
            )
        else:
            reason = _("the file is damaged or incomplete")
        raise _cannot_read(path, reason) from None
    except (expat.ExpatError, UnicodeError):
        raise _cannot_read(path, _("a sheet's XML is damaged")) from None


_COLUMN = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


def _cell(ref: str) -> tuple[int, int] | None:
    """'B3' -> (2, 1), 0-based (row, column)."""
    m = _COLUMN.match(ref.replace("$", "").upper())
    if not m:
        return None
    col = 0
    for letter in m.group(1):
        col = col * 26 + ord(letter) - 64
    return int(m.group(2)) - 1, col - 1


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Zip:
    def __init__(self, path: Path, book: zipfile.ZipFile) -> None:
        self.path, self.book = path, book
        self.cells = 0
        self.area = 0
        self.text = 0
        self.read_bytes = 0
        self.names = {info.filename.lower(): info.filename for info in book.infolist()}

    def scan(self) -> Scan:
        infos = self.book.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _Refused(
                _(
                    "{count} parts in the file (at most {limit}): not a plan workbook, or a"
                    " damaged one",
                    count=f"{len(infos):,}",
                    limit=f"{MAX_ENTRIES:,}",
                )
            )
        total = sum(info.file_size for info in infos)
        if total > MAX_UNZIPPED:
            raise _Refused(
                _(
                    "{size} MB once decompressed (at most {limit} MB): not a plan workbook, or"
                    " a damaged one",
                    size=f"{total / (1 << 20):,.0f}",
                    limit=MAX_UNZIPPED >> 20,
                )
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1 << 20 and ratio > MAX_RATIO:
                raise _Refused(
                    _(
                        "{part} is compressed {ratio} to 1 (a 'zip bomb'; at most {limit} to"
                        " 1): not a plan workbook",
                        part=info.filename,
                        ratio=f"{ratio:,.0f}",
                        limit=MAX_RATIO,
                    )
                )
        seen: set[str] = set()
        for info in infos:
            if info.filename.lower() in seen:  # which of the two would calamine read?
                raise _Refused(
                    _(
                        "two parts named {part}: a damaged or altered file; save the workbook"
                        " again in Excel or LibreOffice",
                        part=repr(info.filename),
                    )
                )
            seen.add(info.filename.lower())
        scan = self._ods() if "content.xml" in self.names else self._xlsx()
        scan.data = self._copy()
        return scan

    def _copy(self) -> bytes:
        """The parts again, as zipfile read them (at most their stated sizes, each checked
        against its CRC): calamine reads what was checked, whatever a crafted directory,
        local header or deflate stream would make another reader see."""
        self.read_bytes = 0
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
            for info in self.book.infolist():
                if info.is_dir():
                    continue
                entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                stored = info.filename == "mimetype"  # an .ods's first part, as written
                entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                with copy.open(entry, "w", force_zip64=True) as target:
                    for chunk in self._stream(info.filename):
                        target.write(chunk)
        return out.getvalue()

    # Reading a part as a stream, within the limits ------------------------------------------

    def _stream(self, name: str) -> Iterator[bytes]:
        with self.book.open(self.names[name.lower()]) as part:
            while chunk := part.read(1 << 20):
                self.read_bytes += len(chunk)
                if self.read_bytes > MAX_UNZIPPED:  # a directory that lies about the sizes
                    raise _Refused(
                        _(
                            "more than {limit} MB once decompressed: not a plan workbook",
                            limit=MAX_UNZIPPED >> 20,
                        )
                    )
                yield chunk

    def _parse(
        self,
        name: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None],
        chars: Callable[[str], None],
    ) -> None:
        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        parser.buffer_text = True
        for chunk in self._stream(name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _small(self, name: str) -> list[tuple[str, dict[str, str]]]:
        """The elements of a small part (workbook.xml, its relationships), in order."""
        out: list[tuple[str, dict[str, str]]] = []
        if name.lower() in self.names:
            self._parse(name, lambda n, a: out.append((_local(n), a)), lambda n: None, _ignore)
        return out

    def _count(self, sheet: str, row: int, col: int, text: int, times: int = 1) -> None:
        """A cell holding something at (row, col), *times* over (an .ods repeats cells)."""
        self.cells += times
        self.text += text * times
        if self.cells > MAX_CELLS:
            raise _Refused(
                _(
                    "more than {limit} cells hold something (sheet '{sheet}'): not a plan workbook",
                    limit=f"{MAX_CELLS:,}",
                    sheet=sheet,
                )
            )
        if self.text > MAX_TEXT:
            raise _Refused(
                _(
                    "its cells hold more than {limit} characters of text (sheet '{sheet}', a"
                    " text repeated in many cells?): not a plan workbook",
                    limit=f"{MAX_TEXT:,}",
                    sheet=sheet,
                )
            )
        if row >= 1_048_576 or col >= 16_384:
            raise _Refused(
                _(
                    "sheet '{sheet}' has a cell outside any sheet's rows and columns: a damaged"
                    " file; save it again in Excel or LibreOffice",
                    sheet=sheet,
                )
            )

    def _area(self, sheet: str, rows: int, cols: int) -> None:
        self.area += rows * cols
        if self.area > MAX_AREA:
            raise _Refused(
                _(
                    "sheet '{sheet}' has cells as far as row {rows}, column {cols} (from A1 to"
                    " there, more than {limit} cells in all sheets): delete what is far outside"
                    " the table (select the empty rows and columns, Delete), save, and import"
                    " again",
                    sheet=sheet,
                    rows=f"{rows:,}",
                    cols=f"{cols:,}",
                    limit=f"{MAX_AREA:,}",
                )
            )

    # .xlsx ----------------------------------------------------------------------------------

    def _xlsx(self) -> Scan:
        rels = {
            a.get("Id", ""): (a.get("Type", ""), a.get("Target", ""))
            for n, a in self._small("xl/_rels/workbook.xml.rels")
            if n == "Relationship"
        }

        def parts(target: str) -> list[str]:
            """Every part a reader may take *target* for (relative to xl/, to the root, or
            as written): all of them are checked."""
            target = target.replace("\\", "/")
            names = {posixpath.normpath(posixpath.join("xl", target)), target.lstrip("/")}
            names.add(posixpath.normpath(target.lstrip("/")))
            return sorted(n for n in names if n.lower() in self.names)

        lengths = array("q")
        strings = {"xl/sharedStrings.xml"} | {
            name
            for kind, target in rels.values()
            if kind.endswith("/sharedStrings")
            for name in parts(target)
        }
        for name in sorted(n for n in strings if n.lower() in self.names):
            found = self._shared(name)  # the longest of each index, if two parts give it
            merged = array("q", map(max, zip(found, lengths, strict=False)))
            merged += (found if len(found) > len(lengths) else lengths)[len(merged) :]
            lengths = merged
        scan = Scan()
        for n, a in self._small("xl/workbook.xml"):
            if n != "sheet":
                continue
            rid = next((v for k, v in a.items() if _local(k) == "id"), "")
            name = a.get("name", "")
            found_parts = parts(rels.get(rid, ("", ""))[1])
            if not found_parts:
                raise _Refused(
                    _(
                        "sheet '{sheet}' is not in the file: a damaged workbook; save it again"
                        " in Excel or LibreOffice",
                        sheet=name,
                    )
                )
            for part in found_parts:
                scan.unread[name] = self._sheet(name, part, lengths)
        return scan

    def _shared(self, name: str) -> array[int]:
        lengths = array("q")
        depth = {"si": 0, "t": 0, "rPh": 0}
        size = [0]

        def start(tag: str, attrs: dict[str, str]) -> None:
            tag = _local(tag)
            if tag in depth:
                depth[tag] += 1
            if tag == "si":
                size[0] = 0

        def end(tag: str) -> None:
            tag = _local(tag)
            if tag in depth:
                depth[tag] -= 1
            if tag == "si":
                lengths.append(size[0])
                if len(lengths) > MAX_CELLS:
                    raise _Refused(
                        _(
                            "more than {limit} different texts: not a plan workbook",
                            limit=f"{MAX_CELLS:,}",
                        )
                    )

        def chars(text: str) -> None:
            if depth["t"] and not depth["rPh"]:  # phonetic runs (rPh) are not the cell's text
                size[0] += len(text)
                if size[0] > MAX_TEXT:
                    raise _Refused(
                        _(
                            "a text of more than {limit} characters: not a plan workbook",
                            limit=f"{MAX_TEXT:,}",
                        )
                    )

        self._parse(name, start, end, chars)
        return lengths

    def _sheet(self, sheet: str, name: str, lengths: array[int]) -> dict[tuple[int, int], Unread]:
        unread: dict[tuple[int, int], Unread] = {}
        state: dict[str, object] = {}
        at = [-1, -1]  # row, column of the last cell
        far = [0, 0]  # rows, columns from A1 to the farthest cell that holds something
        inside: list[str] = []
        value: list[str] = []
        formula: list[str] = []
        inline = [0]

        def start(tag: str, attrs: dict[str, str]) -> None:
            tag = _local(tag)
            inside.append(tag)
            if tag == "row":
                r = attrs.get("r", "")
                at[0] = int(r) - 1 if r.isdigit() else at[0] + 1
                at[1] = -1
            elif tag == "c":
                place = _cell(attrs.get("r", ""))
                if place is None:
                    place = (max(at[0], 0), at[1] + 1)
                at[0], at[1] = place
                state.clear()
                state["t"] = attrs.get("t", "n")
                value.clear()
                formula.clear()
                inline[0] = 0
            elif tag in ("v", "f", "is"):
                state[tag] = True

        def chars(text: str) -> None:
            where = inside[-1] if inside else ""
            if where == "v":
                value.append(text)
            elif where == "f":
                if sum(map(len, formula)) < 60:
                    formula.append(text)
            elif where == "t" and "is" in inside:
                inline[0] += len(text)

        def end(tag: str) -> None:
            tag = _local(tag)
            if inside:
                inside.pop()
            if tag != "c" or not ("v" in state or "f" in state or "is" in state):
                return
            row, col = at
            kind = state["t"]
            text = "".join(value)
            size = 0
            if kind == "s" and text.strip().isdigit() and int(text) < len(lengths):
                size = lengths[int(text)]
            elif kind == "inlineStr":
                size = inline[0]
            elif kind == "str":
                size = len(text)
            self._count(sheet, row, col, size)
            far[0], far[1] = max(far[0], row + 1), max(far[1], col + 1)
            if far[0] * far[1] + self.area > MAX_AREA:
                self._area(sheet, far[0], far[1])
            if kind == "e":
                unread[row, col] = Unread(
                    _("the error {error}", error=text.strip() or "#?"), _error_advice()
                )
            elif "f" in state and not text.strip():
                shown = "".join(formula)
                shown = shown if len(shown) <= 40 else shown[:40] + "…"
                unread[row, col] = Unread(
                    _("a formula (={formula}) saved without its value", formula=shown),
                    _formula_advice(),
                )

        self._parse(name, start, end, chars)
        self._area(sheet, far[0], far[1])
        return unread

    # .ods -----------------------------------------------------------------------------------

    def _ods(self) -> Scan:
        scan = Scan()
        sheet = [""]
        row = [-1]
        col = [-1]
        far = [0, 0]
        repeat = {"rows": 1, "cols": 1}
        cell: dict[str, object] = {}
        text = [0]
        shown: list[str] = []  # the start of the cell's text: an error's "#DIV/0!", "Err:502"
        depth = [0]  # inside a cell's text:p
        row_cells: list[tuple[int, int, int]] = []  # (column, repeat, text) of the row's cells

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "table" and tag.startswith("table:"):
                sheet[0] = attrs.get("table:name", "")
                scan.unread.setdefault(sheet[0], {})
                row[0], far[0], far[1] = -1, 0, 0
            elif local == "table-row":
                repeat["rows"] = _repeat(attrs.get("table:number-rows-repeated"))
                row[0] += 1
                col[0] = -1
                row_cells.clear()
            elif local in ("table-cell", "covered-table-cell"):
                repeat["cols"] = _repeat(attrs.get("table:number-columns-repeated"))
                col[0] += 1
                cell.clear()
                cell.update(attrs)
                text[0] = 0
                shown.clear()
            elif local == "p" and cell:
                depth[0] += 1
                cell["text"] = True

        def chars(data: str) -> None:
            if depth[0]:
                text[0] += len(data)
                if sum(map(len, shown)) < 20:
                    shown.append(data)

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "p" and depth[0]:
                depth[0] -= 1
            elif local in ("table-cell", "covered-table-cell"):
                holds = "office:value-type" in cell or "table:formula" in cell or "text" in cell
                if holds:
                    row_cells.append((col[0], repeat["cols"], text[0]))
                    r, c = row[0], col[0]
                    if cell.get("calcext:value-type") == "error":
                        error = "".join(shown).strip()[:20] or "#?"
                        scan.unread[sheet[0]][r, c] = Unread(
                            _("the error {error}", error=error), _error_advice()
                        )
                    elif "table:formula" in cell and "office:value-type" not in cell:
                        scan.unread[sheet[0]][r, c] = Unread(
                            _("a formula saved without its value"), _formula_advice()
                        )
                col[0] += repeat["cols"] - 1
                cell.clear()
            elif local == "table-row":
                rows = repeat["rows"]
                for c, times, size in row_cells:
                    self._count(sheet[0], row[0], c + times - 1, size, times * rows)
                    far[1] = max(far[1], c + times)
                if row_cells:
                    far[0] = row[0] + rows
                    if far[0] * far[1] + self.area > MAX_AREA:
                        self._area(sheet[0], far[0], far[1])
                row[0] += rows - 1
            elif local == "table" and tag.startswith("table:"):
                self._area(sheet[0], far[0], far[1])

        self._parse("content.xml", start, end, chars)
        return scan


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1


def _ignore(text: str) -> None:
    pass


# .xls ---------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?"}
_ERRORS |= {0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_CONTINUE = 0x003C


class _Xls(_Zip):
    """An .xls: its Workbook stream (olefile opens the OLE container) walked record by record
    (BIFF8): the shared strings' lengths, then each sheet's cells, as for an .xlsx."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.cells = self.area = self.text = self.read_bytes = 0
        ole = olefile.OleFileIO(data)
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            raise ValueError("no Workbook stream (not an Excel 97-2003 workbook)")
        self.biff: bytes = ole.openstream(name).read()

    def records(self, pos: int) -> Iterator[tuple[int, int, bytes]]:
        """(position, type, data) from *pos* to the end of the substream (EOF)."""
        biff = self.biff
        while pos + 4 <= len(biff):
            kind, size = struct.unpack_from("<HH", biff, pos)
            yield pos, kind, biff[pos + 4 : pos + 4 + size]
            pos += 4 + size
            if kind == 0x000A:  # EOF
                return

    def scan(self) -> Scan:
        sheets: list[tuple[str, int]] = []
        lengths = array("q")
        records = self.records(0)
        for _k, kind, body in records:
            if kind == 0x0085 and len(body) >= 8:  # BOUNDSHEET8: offset, state, type, name
                offset, _state, sheet_type, count, high = struct.unpack_from("<IBBBB", body)
                raw = body[8 : 8 + count * (2 if high & 1 else 1)]
                name = raw.decode("utf-16-le" if high & 1 else "latin-1")
                if sheet_type == 0:
                    sheets.append((name, offset))
            elif kind == 0x00FC:  # SST, with its CONTINUE records
                parts = [body]
                lengths = self._sst(parts, records)
        scan = Scan()
        for name, offset in sheets:
            scan.unread[name] = self._sheet_cells(name, offset, lengths)
        return scan

    def _sst(self, parts: list[bytes], records: Iterator[tuple[int, int, bytes]]) -> array[int]:
        """The character count of each shared string (XLUnicodeRichExtendedString), read
        across CONTINUE records (where the characters go on after a new flags byte)."""
        for _k, kind, body in records:  # the CONTINUEs right after the SST
            if kind != _CONTINUE:
                break
            parts.append(body)
        lengths = array("q")
        unique = struct.unpack_from("<I", parts[0], 4)[0]
        if unique > MAX_CELLS:
            raise _Refused(
                _(
                    "more than {limit} different texts: not a plan workbook",
                    limit=f"{MAX_CELLS:,}",
                )
            )
        part, pos = 0, 8

        def take(n: int) -> bytes:
            nonlocal part, pos
            out = b""
            while n:
                if pos >= len(parts[part]):
                    part, pos = part + 1, 0
                chunk = parts[part][pos : pos + n]
                out, pos, n = out + chunk, pos + len(chunk), n - len(chunk)
            return out

        for _n in range(unique):
            count, flags = struct.unpack("<HB", take(3))
            runs = struct.unpack("<H", take(2))[0] if flags & 0x08 else 0
            ext = struct.unpack("<I", take(4))[0] if flags & 0x04 else 0
            left, wide = count, flags & 0x01
            while left:  # characters, a new flags byte at each record boundary
                if pos >= len(parts[part]):
                    part, pos = part + 1, 0
                    wide = parts[part][0] & 0x01
                    pos = 1
                room = (len(parts[part]) - pos) // (2 if wide else 1)
                step = min(left, room) if room else left
                take(step * (2 if wide else 1))
                left -= step
            take(4 * runs + ext)
            lengths.append(count)
        return lengths

    def _sheet_cells(
        self, sheet: str, offset: int, lengths: array[int]
    ) -> dict[tuple[int, int], Unread]:
        unread: dict[tuple[int, int], Unread] = {}
        far = [0, 0]

        def cell(row: int, col: int, text: int = 0) -> None:
            self._count(sheet, row, col, text)
            far[0], far[1] = max(far[0], row + 1), max(far[1], col + 1)
            if far[0] * far[1] + self.area > MAX_AREA:
                self._area(sheet, far[0], far[1])

        for _k, kind, body in self.records(offset):
            if kind in (0x0203, 0x027E, 0x0006, 0x0205, 0x00FD, 0x0204) and len(body) >= 6:
                row, col = struct.unpack_from("<HH", body)
                text = 0
                if kind == 0x00FD and len(body) >= 10:  # LABELSST
                    index = struct.unpack_from("<I", body, 6)[0]
                    text = lengths[index] if index < len(lengths) else 0
                elif kind == 0x0204 and len(body) >= 8:  # LABEL
                    text = struct.unpack_from("<H", body, 6)[0]
                cell(row, col, text)
                code = None
                if kind == 0x0205 and len(body) >= 8 and body[7]:  # BOOLERR, an error
                    code = body[6]
                formula_error = body[12:14] == b"\xff\xff" and body[6] == 2
                if kind == 0x0006 and len(body) >= 14 and formula_error:  # result: an error
                    code = body[8]
                if code is not None:
                    error = _ERRORS.get(code, "#?")
                    unread[row, col] = Unread(_("the error {error}", error=error), _error_advice())
            elif kind == 0x00BD and len(body) >= 6:  # MULRK: a run of numbers on a row
                row, first = struct.unpack_from("<HH", body)
                last = struct.unpack_from("<H", body, len(body) - 2)[0]
                for col in range(first, last + 1):
                    cell(row, col)
        self._area(sheet, far[0], far[1])
        return unread
