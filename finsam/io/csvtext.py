"""A csv file's bytes as records: the encoding, the records that may hold the header, and the data rows as text
columns c0.. plus `rad`, read by polars (fast) or record by record by the csv module (careful).

A file is UTF-8 (with or without BOM) or, when it is not valid UTF-8 and holds no UTF-8 sequence at all,
Windows-1252. A byte that is neither (a stray Windows-1252 byte in a UTF-8 file, one of the five bytes Windows-1252
leaves undefined) is not guessed at: it is read as a mark, the private-use character U+F700 + the byte, for
finsam.io.tables to reject the file with the cell that holds it.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass

import numpy as np
import polars as pl

ROW = "rad"
HEAD_BYTES = 1 << 20  # the header is looked for in the first records; they are parsed from this much text
SPARE = 8             # empty cells past the header (trailing separators) polars takes before the careful reader
MARK = 0xF700         # an undecodable byte b is read as chr(MARK + b)
MARKS = "[\uf780-\uf7ff]"
# A UTF-8 sequence of two, three or four bytes: its lead byte, then as many continuation bytes (0x80-0xBF).
UTF8_LEAD = ((0xC2, 0xDF, 1), (0xE0, 0xEF, 2), (0xF0, 0xF4, 3))
CHUNK = 1 << 24


@dataclass
class Decoded:
    data: bytes              # the text as UTF-8 (a BOM may lead): the file's own bytes when it was UTF-8
    marks: str | None = None  # what a marked byte is not ("UTF-8" ...), when the file holds any


def decode(raw: bytes) -> Decoded:
    """UTF-8 or Windows-1252, as the module says; anything else (UTF-16, binary) raises ValueError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file is UTF-16 text; save it as UTF-8 or Windows-1252 (ANSI)")
    if b"\x00" in raw:
        raise ValueError("the file holds NUL bytes: it is not a text (csv) file")
    if _is_utf8(raw):
        return Decoded(raw)
    if utf8_sequence(raw):
        text, marks = raw.decode("utf-8-sig", errors="surrogateescape"), "UTF-8, as the rest of the file is"
    else:
        text, marks = raw.decode("cp1252", errors="surrogateescape"), "a Windows-1252 character"
    marked = re.sub("[\udc80-\udcff]", lambda m: chr(ord(m.group()) - 0xDC00 + MARK), text)
    return Decoded(marked.encode("utf-8"), None if marked is text else marks)


def utf8_sequence(raw: bytes) -> bool:
    """Whether the bytes hold a UTF-8 sequence anywhere (UTF8_LEAD), found with numpy a chunk at a time: a regular
    expression took 12 ms for a 600 KB Windows-1252 export, holding the GIL the parse threads share."""
    data = np.frombuffer(raw, dtype=np.uint8)
    for start in range(0, len(data), CHUNK):
        part = data[start:start + CHUNK + 3]          # a sequence may run past the chunk's end
        lead = np.flatnonzero(part[:CHUNK] >= UTF8_LEAD[0][0])
        if not lead.size:
            continue
        cont = np.concatenate(((part >= 0x80) & (part <= 0xBF), np.zeros(3, dtype=bool)))
        first = part[lead]
        for low, high, n in UTF8_LEAD:
            found = (first >= low) & (first <= high)
            for k in range(1, n + 1):
                found &= cont[lead + k]
            if found.any():
                return True
    return False


def _is_utf8(raw: bytes) -> bool:
    """Whether the bytes are UTF-8, checked a chunk at a time: no copy of the whole text as a str."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), CHUNK):
            decoder.decode(view[start:start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def unmark(text: str) -> tuple[str, int | None]:
    """A cell as people may see it (an undecodable byte shown as U+FFFD), and the first such byte."""
    first = re.search(MARKS, text)
    return re.sub(MARKS, "\ufffd", text), (ord(first.group()) - MARK if first else None)


def text(data: bytes) -> str:
    return data.decode("utf-8-sig")


def records(text: str, delimiter: str, limit: int | None = None) -> tuple[list[tuple[int, list[str]]], int]:
    """(line number where the record starts, stripped cells) per record, for the first `limit` records or all;
    and the line number after the last record read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for cells in itertools.islice(reader, limit):
            rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as e:   # a field past the module's limit (128 KB): say where
        raise csv.Error(f"the record from row {start} on: {e}") from None
    return rows, start


def head(data: bytes, delimiter: str, limit: int) -> tuple[list[tuple[int, list[str]]], list[int]]:
    """The first `limit` records (they may hold the header), and the line each next record starts on. Only the
    head of the file is parsed, unless those records reach its end."""
    part = data[:HEAD_BYTES].decode("utf-8-sig", errors="ignore")  # a character cut in two at the end is dropped
    rows, start = records(part, delimiter, limit)
    if len(data) > HEAD_BYTES and start - 1 >= part.count("\n"):
        rows, start = records(text(data), delimiter, limit)
    return rows, [r for r, _ in rows[1:]] + [start]


def fast_frame(data: bytes, delimiter: str, first_line: int, columns: int, ragged: int) -> pl.DataFrame | None:
    """The records from line `first_line` on as text columns c0.. (as many as the header's `columns`) plus `rad`,
    parsed by polars; None when the file needs the careful reader: lone CR line ends, record starts that quote
    parity cannot tell, or a filled cell at position `ragged` or later (a row wider than the header).

    Memory: the bytes are not copied, the line starts are found before polars reads, and a column is trimmed
    only when a cell in it needs it (tests/test_bad_input.py bounds the whole parse of a 150 MB file)."""
    if data.count(b"\r") != data.count(b"\r\n"):
        return None
    offset = 0
    for _ in range(first_line - 1):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return pl.DataFrame(schema={ROW: pl.Int64, "_n": pl.Int64, **{f"c{i}": pl.String for i in range(columns)}})
    # a record starts on every line that begins outside a quoted field: an even number of quotes before it
    body = np.frombuffer(data, dtype=np.uint8, offset=offset)
    starts = np.concatenate(([0], np.flatnonzero(body == 10) + 1))
    starts = starts[starts < len(body)]
    lines = np.flatnonzero(np.searchsorted(np.flatnonzero(body == 34), starts) % 2 == 0) + first_line
    del body, starts
    width = columns + SPARE
    try:
        frame = pl.read_csv(data, has_header=False, skip_lines=first_line - 1, separator=delimiter, quote_char='"',
                            infer_schema=False, schema={f"c{i}": pl.String for i in range(width)},
                            missing_columns="insert", empty_string_is_null=False, raise_if_empty=False)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):  # more cells than width, quoting polars
        return None  # reads otherwise, or a file that makes polars panic (a BaseException): the careful reader
    if len(lines) != frame.height:
        return None
    wide = [pl.col(f"c{i}").str.strip_chars() != "" for i in range(ragged, width)]
    if wide and frame.select(pl.any_horizontal(*wide).fill_null(False).any()).item():
        return None  # a row wider than the header: the careful reader counts its cells for the finding
    cells = [f"c{i}" for i in range(columns)]
    frame = frame.select(pl.Series(ROW, lines, dtype=pl.Int64), pl.lit(None, dtype=pl.Int64).alias("_n"), *cells)
    # which columns have a cell to trim, in one pass over the frame (a pass per column was most of a small file's
    # parse); only those, and those with an empty cell, are replaced, one at a time: no second copy of the file's cells
    trim = frame.select(pl.col(c).str.contains(r"^\s|\s$").any() for c in cells).row(0) if cells else ()
    for c, trimmas in zip(cells, trim, strict=True):
        column = frame[c]
        if not column.null_count() and not trimmas:
            continue
        if column.null_count():
            column = column.fill_null("")
        if trimmas:
            column = column.str.strip_chars()
        frame = frame.with_columns(column)
    return frame


def careful_frame(data: bytes, delimiter: str, skip: int) -> pl.DataFrame:
    """Every record after the first `skip`, read by the csv module, as the same frame fast_frame gives."""
    return rows_frame(records(text(data), delimiter)[0][skip:])


def rows_frame(rows: list[tuple[int, list[str]]]) -> pl.DataFrame:
    """Records as (line, cells) -> text columns c0.. plus `rad` and `_n` (the record's number of cells)."""
    width = max((len(c) for _, c in rows), default=0)
    return pl.DataFrame({ROW: [r for r, _ in rows], "_n": [len(c) for _, c in rows],
                         **{f"c{i}": [c[i] if i < len(c) else "" for _, c in rows] for i in range(width)}},
                        schema={ROW: pl.Int64, "_n": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
