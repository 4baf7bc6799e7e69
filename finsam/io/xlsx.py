"""One sheet of an xlsx workbook (the first, unless told) as text cells (calamine, through fastexcel), and the cells
in it that cannot be read: a formula saved without its value, and (as their text, found by finsam.io.tables) Excel
error values.

Every way a workbook can be broken raises `WorkbookError` with a sentence for people, and a workbook over a limit
(finsam.io.limits: the zip's sizes, each sheet's dimension) raises LimitExceeded before the reader is given it;
finsam.io.tables turns either into a rejected file. The functions that give the workbook to the reader (read_sheet,
other_sheets) run in the reader's child process (finsam.io.guard), and so does first_column.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from finsam.io import limits

ROW = "rad"
EXCEL_ERRORS = {"Ref": "#REF!", "Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
                "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}
# What a broken workbook raises on the way in: the zip container (BadZipFile, zlib.error, EOFError, an
# unsupported compression or an encrypted member: NotImplementedError, RuntimeError), a part missing from it
# (KeyError), XML that is not text (UnicodeDecodeError, a ValueError), calamine's own errors, and reading the file.
READ_ERRORS = (fastexcel.FastExcelError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, KeyError,
               ValueError, NotImplementedError, RuntimeError, OSError)
CHUNK = 1 << 22


class WorkbookError(ValueError):
    """The file cannot be read as an xlsx workbook; the text says why, for people."""


@dataclass(frozen=True)
class BadCell:
    rad: int          # the sheet's row number
    col: int          # position in the frame (c0, c1, ...); below 0 for a column left of every value
    hittat: str
    beskrivning: str
    forvantat: str


UNCACHED = ("a formula saved without its value", "a value: open the file in Excel and save it again (a workbook "
            "written by a program other than Excel may store formulas only), or paste the cells as values")


MERGED = ("merged cells: only the first holds the value, the others read as blank (a blank insats or förbund means "
          "something else)", "cells that are not merged, each with its own value (unmerge them and fill each one)")


def read_sheet(path: Path, index: int | None = None) -> tuple[int, pl.DataFrame, list[BadCell], list[BadCell]]:
    """Sheet `index` (0 = the first; None = the first sheet that is not hidden: a hidden sheet is old or working
    data no reader sees) as text columns c0.. plus `rad` (the sheet's row number) and `_n`, after its index; then
    its formulas without a stored value and, apart, its merged ranges (a BadCell at the range's last row: a merged
    title above the header is no fault, finsam.io.tables judges them against the header's row).
    Dates become YYYY-MM-DD (or YYYY-MM-DD HH:MM:SS), whole numbers lose their '.0'. An error cell (#REF!, ...)
    keeps its text, for finsam.io.tables to reject with its cell; a formula without a stored value is a BadCell.
    The workbook's limits are checked first (every sheet's: other_sheets may read them all)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = _checked_parts(z, path)
            if index is None:
                index = next((i for i, (_, _, dold) in enumerate(parts) if not dold), 0)
            name, part, _ = parts[index]
            first_row, (uncached, merged) = _first_row(z, part), _formulas_and_merges(z, part)
            first_col = _first_column(z, part) if uncached or merged else 0
        sheet = fastexcel.read_excel(path).load_sheet(index, header_row=None, dtypes="string")
        _check_read(name, sheet)
        batch, errors = sheet.to_arrow_with_errors()
        frame = pl.from_arrow(batch)
    except zipfile.BadZipFile:
        raise WorkbookError(_not_a_workbook(path)) from None
    except READ_ERRORS as e:
        raise WorkbookError(f"not a readable xlsx workbook ({type(e).__name__}: {str(e)[:300]})") from None
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    if errors is not None:
        for e in errors.errors:
            kind = re.search(r"Error\((\w+)\)", e.detail)
            row, col = e.offset_position
            frame[row, col] = EXCEL_ERRORS.get(kind.group(1), "#" + kind.group(1)) if kind else "#ERROR"
    width = frame.width
    frame = frame.select(
        pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias(ROW),
        pl.lit(width, dtype=pl.Int64).alias("_n"),
        *(pl.col(c).fill_null("").str.strip_chars().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1")
          for c in frame.columns))
    return index, frame, [BadCell(rad, col - first_col, f"={formula}", *UNCACHED) for rad, col, formula in uncached], \
        [BadCell(r2, c1 - first_col, ref, *MERGED) for ref, c1, r2 in merged]


def other_sheets(path: Path, n_rows: int, read: int = 0) -> list[tuple[int, str, list[list[str]]]]:
    """(index, name, the first `n_rows` rows as text) of every sheet but sheet `read` and the hidden ones, to find
    the header of a workbook whose first sheet has none (a cover or instructions sheet first, or one workbook with a
    sheet per source). A sheet that cannot be read is left out."""
    try:
        reader = fastexcel.read_excel(path)
        names = reader.sheet_names
        with zipfile.ZipFile(path) as z:
            dolda = {i for i, (_, _, dold) in enumerate(_sheet_parts(z)) if dold}
    except (*READ_ERRORS, zipfile.BadZipFile, ValueError):
        return []
    sheets = []
    for i, name in ((i, n) for i, n in enumerate(names) if i != read and i not in dolda):
        try:
            sheet = reader.load_sheet(i, header_row=None, n_rows=n_rows, dtypes="string")
            _check_read(name, sheet)
            frame = sheet.to_polars()
        except READ_ERRORS:
            continue
        sheets.append((i, name, [["" if v is None else str(v).strip() for v in row] for row in frame.iter_rows()]))
    return sheets


def _not_a_workbook(path: Path) -> str:
    """Why a file named .xlsx is not a zip: an old or encrypted workbook, or text (a csv with the wrong name)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("not an xlsx workbook: an Excel 97-2003 (.xls) workbook or a password-protected one; save it as "
                ".xlsx without a password")
    if b"\x00" not in head:  # binary formats have NUL bytes near the start; text has none
        return "not an xlsx workbook: the file is text (a csv file named .xlsx?); name it .csv"
    return "not a readable xlsx workbook (BadZipFile: File is not a zip file)"


def _checked_parts(z: zipfile.ZipFile, path: Path) -> list[tuple[str, str, bool]]:
    """(name, zip member, hidden) of every sheet, once the workbook is within its limits (finsam.io.limits): the sizes
    its zip directory declares, and the range each sheet declares (its dimension, which Excel and every library
    writes: the range the reader sets a cell aside for)."""
    limits.check_zip([(i.filename, i.file_size) for i in z.infolist()], path.stat().st_size)
    parts = _sheet_parts(z)
    for name, part, _ in parts:
        with z.open(part) as fh:
            dimension = DIMENSION.search(fh.read(1 << 16))  # it comes before the sheet's views and cells
        if dimension is not None:
            first, last = dimension.group(1).upper(), (dimension.group(2) or dimension.group(1)).upper()
            (c1, r1), (c2, r2) = _cell_ref(first), _cell_ref(last)
            ref = (first + b":" + last if dimension.group(2) else first).decode()
            limits.check_sheet(name, abs(r2 - r1) + 1, abs(c2 - c1) + 1, ref)
    return parts


def _check_read(name: str, sheet) -> None:
    """A sheet's size as read, for a sheet that declares no range or a false one (one far larger stops the
    reader's child at its memory cap first): checked before its cells are copied out of the reader."""
    limits.check_sheet(name, sheet.height, sheet.width, None)


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Za-z]{1,3}\d+)(?::([A-Za-z]{1,3}\d+))?"')


def _cell_ref(ref: bytes) -> tuple[int, int]:
    """b"B12" -> (column 1, row 12)."""
    letters, digits = re.fullmatch(rb"([A-Z]+)(\d+)", ref).groups()
    return _col_index(letters), int(digits)


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(name, zip member, hidden: state hidden or veryHidden) of every sheet, in the workbook's order (calamine's
    too)."""
    workbook = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for rel in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(r'\bId="([^"]+)"', rel.group()), re.search(r'\bTarget="([^"]+)"', rel.group())
        if rid and target:
            name = target.group(1).lstrip("/")
            targets[rid.group(1)] = name if name.startswith("xl/") else "xl/" + name
    parts = []
    for sheet in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name, rid = re.search(r'\bname="([^"]*)"', sheet.group()), re.search(r'\br:id="([^"]+)"', sheet.group())
        if name and rid and rid.group(1) in targets:
            hidden = re.search(r'\bstate="(?:hidden|veryHidden)"', sheet.group()) is not None
            parts.append((name.group(1), targets[rid.group(1)], hidden))
    if not parts:
        raise ValueError("the workbook lists no sheet")
    return parts


HAS_VALUE = rb"<(?:\w+:)?(?:v|t)(?:\s[^>]*)?>[^<]"  # a stored value, or inline text, that is not empty


def _first_row(z: zipfile.ZipFile, part: str) -> int:
    """The row number of the sheet's first row with a value, read from the top of its XML (calamine starts its
    rows there; people count from row 1)."""
    with z.open(part) as fh:
        head = fh.read(1 << 20)
    for row in re.finditer(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)", head, re.S):
        if row.group(2) and re.search(HAS_VALUE, row.group(2)):
            return int(row.group(1))
    return 1


CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)


MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="(([A-Z]+)(\d+)(?::[A-Z]+(\d+))?)"')


def _formulas_and_merges(z: zipfile.ZipFile, part: str
                         ) -> tuple[list[tuple[int, int, str]], list[tuple[str, int, int]]]:
    """(row, column, formula) of every formula saved without its value: calamine reads such a cell as empty,
    which would pass for a blank (the cells are looked at only in a sheet that has formulas at all); and (range,
    first column, last row) of every merged range, found in the same pass over the sheet's XML (they follow its
    rows)."""
    formulas, merged = False, []
    for buf in _rows(z, part):
        formulas = formulas or re.search(rb"<(?:\w+:)?f\b", buf) is not None
        merged += [(m.group(1).decode(), _col_index(m.group(2)), int(m.group(4) or m.group(3)))
                   for m in MERGE.finditer(buf)]
    return (_uncached_formulas(z, part) if formulas else []), merged


def _uncached_formulas(z: zipfile.ZipFile, part: str) -> list[tuple[int, int, str]]:
    """(row, column, formula) of every formula saved without its value (every cell is read)."""
    # (t="str" with an empty value is a formula whose stored value is empty text)
    return [(row, col, (formula.group(1) or b"").decode("utf-8", "replace"))
            for row, col, attrs, inner in _cells(z, part)
            if not re.search(HAS_VALUE, inner) and (formula := FORMULA.search(inner)) is not None
            and b't="str"' not in attrs]


def first_column(path: Path, index: int = 0) -> int:
    """Sheet `index`'s leftmost column with a value, which calamine reads as column 0 (a sheet may start at
    column B). Every cell is read: only the message of a rejected file needs it (0 if the workbook cannot be
    read again)."""
    try:
        with zipfile.ZipFile(path) as z:
            return _first_column(z, _sheet_parts(z)[index][1])
    except READ_ERRORS:
        return 0


def _first_column(z: zipfile.ZipFile, part: str) -> int:
    return min((col for _, col, _, inner in _cells(z, part) if re.search(HAS_VALUE, inner)), default=0)


def _cells(z: zipfile.ZipFile, part: str):
    """(row, column, attributes, content) of every cell of the sheet."""
    for buf in _rows(z, part):
        for cell in CELL.finditer(buf):
            ref = re.search(rb'\br="([A-Z]+)(\d+)"', cell.group(1))
            if ref is not None:
                yield int(ref.group(2)), _col_index(ref.group(1)), cell.group(1), cell.group(2) or b""


def _rows(z: zipfile.ZipFile, part: str):
    """The sheet's XML in chunks of whole rows, so that a large sheet is never in memory at once."""
    tail = b""
    with z.open(part) as fh:
        while chunk := fh.read(CHUNK):
            buf = tail + chunk
            cut = buf.rfind(b"row>") + 4
            if cut < 4:
                tail = buf
                continue
            yield buf[:cut]
            tail = buf[cut:]
    yield tail


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def col_letter(index: int) -> str:
    """0 -> A, 26 -> AA: how a spreadsheet names a column without a header."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
