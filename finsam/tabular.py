"""Turn a messy csv/xlsx export into a frame of text cells with canonical column names.

Shared by every source: encodings, separators, title rows above the header, header aliases, trailing
Totalt/Summa rows. Typing values is `finsam.convert`'s job; meaning is SQL's.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from finsam.config import norm_name
from finsam.findings import FEL, FileRejected, Finding

MAX_TITLE_ROWS = 10
TOTAL_WORDS = {"totalt", "summa", "total"}
ROW = "rad"  # the row number in the file (1-based, title rows and header counted)


@dataclass(frozen=True)
class Column:
    name: str                      # canonical name used in code and SQL
    aliases: tuple[str, ...]       # header texts accepted, compared with header_key
    required: bool = True


@dataclass
class RawTable:
    fil: str                                   # path shown to people (relative to the data dir)
    frame: pl.DataFrame                        # one String column per canonical column found, plus `rad`
    headers: dict[str, str]                    # canonical name -> header text as written in the file
    total: dict[str, str] | None = None        # the trailing Totalt/Summa row, if any
    total_rad: int | None = None
    kalla: str = ""
    header_rad: int | None = None                     # the header's row number in the file
    header_cells: list[str] = field(default_factory=list)  # every cell of the header row, mapped or not
    andrad: dt.datetime | None = None                 # the file's modification time

    def label(self, column: str) -> str:
        return self.headers.get(column, column)

    def source(self) -> list[pl.Expr]:
        """Where each row came from: the file and its modification time (the newest file wins a duplicate)."""
        return [pl.lit(self.fil).alias("fil"), pl.lit(self.andrad, dtype=pl.Datetime("us")).alias("andrad")]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1252; anything else is not text we accept."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file is UTF-16 text; save it as UTF-8 or Windows-1252 (ANSI)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise ValueError("the file holds NUL bytes: it is not a text (csv) file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as e:
            raise ValueError(f"byte 0x{raw[e.start]:02x} at offset {e.start} is neither UTF-8 nor Windows-1252 "
                             "text") from None


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    for cells in reader:
        rows.append((start, [c.strip() for c in cells]))
        start = reader.line_num + 1
    return rows


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = wb.worksheets[0]
        return [(n, [_cell(v) for v in values]) for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        wb.close()


def header_key(text: str) -> str:
    """Headers match case- and whitespace-insensitively: 'Inskrivnings datum' is 'Inskrivningsdatum'."""
    return "".join(str(text).split()).casefold()


def _match_header(cells: list[str], columns: list[Column]) -> dict[int, str] | None:
    """Position -> canonical name, when every required column is present in `cells`."""
    lookup = {header_key(a): c.name for c in columns for a in (c.name, *c.aliases)}
    found = {i: lookup[header_key(v)] for i, v in enumerate(cells) if header_key(v) in lookup}
    names = set(found.values())
    if all(c.name in names for c in columns if c.required):
        return found
    return None


def _reject(fil: str, kalla: str, beskrivning: str, **kw) -> FileRejected:
    return FileRejected(fil, [Finding("fil_avvisad", FEL, beskrivning, kalla=kalla, fil=fil, **kw)])


def read_table(path: Path, columns: list[Column], fil: str, kalla: str) -> RawTable:
    """Read the first sheet or the csv, find the header within the first rows, keep the data rows as text."""
    expected = ", ".join(c.name for c in columns if c.required)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            candidates = [_xlsx_rows(path)]
        except Exception as e:  # openpyxl raises many kinds for a broken workbook
            raise _reject(fil, kalla, f"not a readable xlsx workbook ({type(e).__name__}: {e})") from None
    elif suffix == ".csv":
        try:
            text = _decode(path.read_bytes())
            candidates = [_csv_rows(text, d) for d in (";", ",", "\t")]
        except (ValueError, csv.Error) as e:
            raise _reject(fil, kalla, f"not a readable csv file: {e}") from None
    else:
        raise _reject(fil, kalla, "unsupported file type", hittat=path.name,
                      forvantat="a .csv or .xlsx file (save .xls and .ods files as .xlsx)")

    for rows in candidates:
        for pos, (rad, cells) in enumerate(rows[: MAX_TITLE_ROWS + 1]):
            mapping = _match_header(cells, columns)
            if mapping is not None:
                table = _build(fil, kalla, rows, pos, mapping)
                table.andrad = dt.datetime.fromtimestamp(path.stat().st_mtime)
                return table
    first = next((cells for _, cells in candidates[0] if any(cells)), [])
    raise _reject(fil, kalla, f"no header row in the first {MAX_TITLE_ROWS + 1} rows",
                  hittat="; ".join(first)[:200], forvantat=f"a header with the columns {expected}")


def _build(fil: str, kalla: str, rows, pos: int, mapping: dict[int, str]) -> RawTable:
    header_rad, header_cells = rows[pos]
    counts: dict[str, int] = {}
    for name in mapping.values():
        counts[name] = counts.get(name, 0) + 1
    twice = [i for i, n in mapping.items() if counts[n] > 1]
    if twice:
        raise _reject(fil, kalla, "a column appears more than once in the header", rad=header_rad,
                      kolumn=header_cells[twice[-1]], hittat="; ".join(header_cells), forvantat="each column once")
    data = [(rad, cells) for rad, cells in rows[pos + 1:] if any(cells)]
    width = max(i for i, c in enumerate(header_cells) if c) + 1
    ragged = [(rad, len(cells)) for rad, cells in data if any(cells[width:])]
    if ragged:  # a stray separator shifts every cell after it: the row cannot be read safely
        raise FileRejected(fil, [Finding("fil_avvisad", FEL, "row has more cells than the header", kalla=kalla,
                                         fil=fil, rad=rad, hittat=f"{n} cells", forvantat=f"at most {width} cells")
                                 for rad, n in ragged[:200]])
    total = total_rad = None
    if data:
        rad, cells = data[-1]
        first = next(c for c in cells if c)
        if norm_name(first) in TOTAL_WORDS:
            data.pop()
            total_rad = rad
            total = {name: cells[i] if i < len(cells) else "" for i, name in mapping.items()}
            total = {k: ("" if norm_name(v) in TOTAL_WORDS else v) for k, v in total.items()}
    frame = pl.DataFrame(
        {ROW: [rad for rad, _ in data],
         **{name: [cells[i] if i < len(cells) else "" for _, cells in data] for i, name in mapping.items()}},
        schema={ROW: pl.Int64, **{name: pl.String for name in mapping.values()}},
    )
    headers = {name: header_cells[i] for i, name in mapping.items()}
    return RawTable(fil, frame, headers, total, total_rad, kalla, header_rad, list(header_cells))
