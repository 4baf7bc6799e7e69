"""Turn a messy csv/xlsx export into a frame of text cells with canonical column names.

Shared by every source: encodings, separators, title rows above the header, header aliases, trailing
Totalt/Summa rows. Typing values is `finsam.convert`'s job; meaning is SQL's.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from finsam.config import norm_name
from finsam.findings import FEL, FileRejected, Finding
from finsam.pnr import scrub

MAX_TITLE_ROWS = 10
TOTAL_WORDS = {"totalt", "summa", "total"}
ROW = "rad"  # the row number in the file (1-based, title rows and header counted)
HEAD_CHARS = 1 << 20  # the header is looked for in the first records; they are parsed from this much text
SPARE = 8             # empty cells past the header (trailing separators) polars takes before the careful reader


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
        return [pl.lit(scrub(self.fil)).alias("fil"), pl.lit(self.andrad, dtype=pl.Datetime("us")).alias("andrad")]


def _decode(raw: bytes) -> tuple[str, bytes]:
    """UTF-8 (with or without BOM) or Windows-1252; anything else is not text we accept. Returns the text and
    the same text as UTF-8 bytes without BOM (the original bytes when they were UTF-8: no second copy)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file is UTF-16 text; save it as UTF-8 or Windows-1252 (ANSI)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise ValueError("the file holds NUL bytes: it is not a text (csv) file")
    try:
        return raw.decode("utf-8"), raw
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as e:
            raise ValueError(f"byte 0x{raw[e.start]:02x} at offset {e.start} is neither UTF-8 nor Windows-1252 "
                             "text") from None
        return text, text.encode("utf-8")


def _csv_records(text: str, delimiter: str, limit: int | None = None) -> tuple[list[tuple[int, list[str]]], int]:
    """(line number where the record starts, stripped cells) per record, for the first `limit` records or all;
    and the line number after the last record read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    for cells in itertools.islice(reader, limit):
        rows.append((start, [c.strip() for c in cells]))
        start = reader.line_num + 1
    return rows, start


def _csv_head(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], list[int]]:
    """The records that may hold the header, and the line each next record starts on. Only the head of the text
    is parsed, unless those records reach its end."""
    head = text[:HEAD_CHARS]
    rows, start = _csv_records(head, delimiter, MAX_TITLE_ROWS + 1)
    if len(text) > len(head) and start - 1 >= head.count("\n"):
        rows, start = _csv_records(text, delimiter, MAX_TITLE_ROWS + 1)
    return rows, [r for r, _ in rows[1:]] + [start]


def _csv_frame(data: bytes, delimiter: str, first_line: int, columns: int, ragged: int) -> pl.DataFrame | None:
    """The records from line `first_line` on as text columns c0.. (as many as the header's `columns`) plus `rad`,
    parsed by polars; None when the file needs the careful reader: lone CR line ends, record starts that quote
    parity cannot tell, or a filled cell at position `ragged` or later (a row wider than the header)."""
    if data.count(b"\r") != data.count(b"\r\n"):
        return None
    offset = 0
    for _ in range(first_line - 1):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return pl.DataFrame(schema={ROW: pl.Int64, "_n": pl.Int64, **{f"c{i}": pl.String for i in range(columns)}})
    body = data[offset:]
    width = columns + SPARE
    try:
        frame = pl.read_csv(body, has_header=False, separator=delimiter, quote_char='"', infer_schema=False,
                            schema={f"c{i}": pl.String for i in range(width)}, missing_columns="insert",
                            empty_string_is_null=False, raise_if_empty=False)
    except pl.exceptions.PolarsError:  # more cells than width, or quoting polars reads otherwise
        return None
    # a record starts on every line that begins outside a quoted field: an even number of quotes before it
    buf = np.frombuffer(body, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(buf == 10) + 1))
    starts = starts[starts < len(body)]
    quoted = np.searchsorted(np.flatnonzero(buf == 34), starts) % 2 == 1
    lines = np.flatnonzero(~quoted)
    if len(lines) != frame.height:
        return None
    frame = frame.select(pl.Series(ROW, lines + first_line, dtype=pl.Int64), pl.lit(None, dtype=pl.Int64).alias("_n"),
                         *(pl.col(f"c{i}").fill_null("").str.strip_chars() for i in range(width)))
    if frame.select(pl.any_horizontal(*(pl.col(f"c{i}") != "" for i in range(ragged, width))).any()).item():
        return None  # a row wider than the header: the careful reader counts its cells for the finding
    return frame


def _rows_frame(rows: list[tuple[int, list[str]]]) -> pl.DataFrame:
    """Records as read by the csv module (or a sheet) -> the same frame _csv_frame gives."""
    width = max((len(c) for _, c in rows), default=0)
    return pl.DataFrame({ROW: [r for r, _ in rows], "_n": [len(c) for _, c in rows],
                         **{f"c{i}": [c[i] if i < len(c) else "" for _, c in rows] for i in range(width)}},
                        schema={ROW: pl.Int64, "_n": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})


EXCEL_ERRORS = {"Ref": "#REF!", "Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
                "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}


def _xlsx_frame(path: Path) -> pl.DataFrame:
    """The first sheet as text columns c0.. plus `rad` (the sheet's row number) and `_n`, read by calamine.
    Dates become YYYY-MM-DD (or YYYY-MM-DD HH:MM:SS), whole numbers lose their '.0'. Error cells (#REF!, ...)
    keep their text, so a check can still find them (fastexcel lists them with their positions)."""
    import fastexcel

    first = _first_row(path)  # calamine starts at the first row with a value; people count from row 1
    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
    batch, errors = sheet.to_arrow_with_errors()
    frame = pl.from_arrow(batch)
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    if errors is not None:
        for e in errors.errors:
            kind = re.search(r"Error\((\w+)\)", e.detail)
            row, col = e.offset_position
            frame[row, col] = EXCEL_ERRORS.get(kind.group(1), "#" + kind.group(1)) if kind else "#ERROR"
    width = frame.width
    return frame.select(
        pl.int_range(first, first + frame.height, dtype=pl.Int64).alias(ROW),
        pl.lit(width, dtype=pl.Int64).alias("_n"),
        *(pl.col(c).fill_null("").str.strip_chars().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1")
          for c in frame.columns))


def _first_row(path: Path) -> int:
    """The row number of the first sheet's first row with a value, read from the top of its XML (openpyxl
    would read the whole sheet to size it). A broken workbook raises zipfile's or KeyError's message."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        rid = re.search(r'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', workbook).group(1)
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        target = re.search(rf'<Relationship\b[^>]*?Id="{re.escape(rid)}"[^>]*?Target="([^"]+)"', rels) or \
            re.search(rf'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="{re.escape(rid)}"', rels)
        name = target.group(1).lstrip("/")
        name = name if name.startswith("xl/") else "xl/" + name
        with z.open(name) as fh:
            head = fh.read(1 << 20).decode("utf-8", errors="ignore")
    for row in re.finditer(r"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)", head, re.S):
        if row.group(2) and re.search(r"<(?:\w+:)?(?:v|is)\b", row.group(2)):
            return int(row.group(1))
    return 1


def _head_rows(frame: pl.DataFrame) -> list[tuple[int, list[str]]]:
    head = frame.head(MAX_TITLE_ROWS + 1)
    cells = [c for c in head.columns if c.startswith("c")]
    return [(r[0], list(r[2:])) for r in head.select(ROW, "_n", *cells).iter_rows()]


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
            grid = _xlsx_frame(path)
        except Exception as e:  # calamine and openpyxl raise many kinds for a broken workbook
            raise _reject(fil, kalla, f"not a readable xlsx workbook ({type(e).__name__}: {e})") from None
        head = _head_rows(grid)
        for pos, (rad, cells) in enumerate(head):
            mapping = _match_header(cells, columns)
            if mapping is not None:
                data = grid.filter(pl.col(ROW) > rad)
                return _table(path, fil, kalla, rad, cells, mapping, data)
        first = next((cells for _, cells in head if any(cells)), [])
    elif suffix == ".csv":
        try:
            text, data = _decode(path.read_bytes())
            for delimiter in (";", ",", "\t"):  # the separator is the one that gives a header
                head, next_lines = _csv_head(text, delimiter)
                for pos, (rad, cells) in enumerate(head):
                    mapping = _match_header(cells, columns)
                    if mapping is None:
                        continue
                    frame = _csv_frame(data, delimiter, next_lines[pos], len(cells), _width(cells))
                    if frame is None:  # the careful reader: the csv module, record by record
                        rows, _ = _csv_records(text, delimiter)
                        frame = _rows_frame(rows[pos + 1:])
                    return _table(path, fil, kalla, rad, cells, mapping, frame)
            first = next((cells for _, cells in _csv_records(text, ";")[0] if any(cells)), [])
        except (ValueError, csv.Error) as e:
            raise _reject(fil, kalla, f"not a readable csv file: {e}") from None
    else:
        raise _reject(fil, kalla, "unsupported file type", hittat=path.name,
                      forvantat="a .csv or .xlsx file (save .xls and .ods files as .xlsx)")
    raise _reject(fil, kalla, f"no header row in the first {MAX_TITLE_ROWS + 1} rows",
                  hittat="; ".join(first)[:200], forvantat=f"a header with the columns {expected}")


def _width(header_cells: list[str]) -> int:
    return max(i for i, c in enumerate(header_cells) if c) + 1


def _table(path: Path, fil: str, kalla: str, header_rad: int, header_cells: list[str], mapping: dict[int, str],
           grid: pl.DataFrame) -> RawTable:
    """The data rows below the header (`grid`: rad, _n and text cells c0..) as a RawTable, after the checks every
    file gets: each column once, no row wider than the header, a trailing Totalt/Summa row set apart."""
    counts: dict[str, int] = {}
    for name in mapping.values():
        counts[name] = counts.get(name, 0) + 1
    twice = [i for i, n in mapping.items() if counts[n] > 1]
    if twice:
        raise _reject(fil, kalla, "a column appears more than once in the header", rad=header_rad,
                      kolumn=header_cells[twice[-1]], hittat="; ".join(header_cells), forvantat="each column once")
    cells = [c for c in grid.columns if c.startswith("c")]
    data = grid.filter(pl.any_horizontal(*(pl.col(c) != "" for c in cells))) if cells else grid.clear()
    width = _width(header_cells)
    extra = [c for c in cells if int(c[1:]) >= width]
    if extra:  # a stray separator shifts every cell after it: the row cannot be read safely
        ragged = data.filter(pl.any_horizontal(*(pl.col(c) != "" for c in extra)))
        if ragged.height:
            raise FileRejected(fil, [Finding("fil_avvisad", FEL, "row has more cells than the header", kalla=kalla,
                                             fil=fil, rad=rad, hittat=f"{n} cells", forvantat=f"at most {width} cells")
                                     for rad, n in ragged.select(ROW, "_n").head(200).iter_rows()])
    total = total_rad = None
    if data.height:
        last = data.row(-1, named=True)
        first = next(last[c] for c in cells if last[c])
        if norm_name(first) in TOTAL_WORDS:
            data = data.head(-1)
            total_rad = last[ROW]
            total = {name: last.get(f"c{i}", "") for i, name in mapping.items()}
            total = {k: ("" if norm_name(v) in TOTAL_WORDS else v) for k, v in total.items()}
    frame = data.select(ROW, *((pl.col(f"c{i}") if f"c{i}" in data.columns else pl.lit("", dtype=pl.String))
                               .alias(name) for i, name in mapping.items()))
    headers = {name: header_cells[i] for i, name in mapping.items()}
    return RawTable(fil, frame, headers, total, total_rad, kalla, header_rad, list(header_cells),
                    dt.datetime.fromtimestamp(path.stat().st_mtime))
