"""Turn a messy csv/xlsx export into a frame of text cells with canonical column names.

Shared by every source: which paths are read, encodings and separators (finsam.io.csvtext), workbooks
(finsam.io.xlsx), title rows above the header, header aliases, cells that cannot be read (an undecodable byte, an
Excel error value, a formula without its value), trailing Totalt/Summa rows. Typing values is `finsam.io.convert`'s
job; meaning is SQL's.

Whatever is wrong with a file, read_table raises FileRejected, with findings that name the file and, where there
is one, the row and column: no other exception leaves it for a bad file. That includes a file over a limit of
finsam.io.limits (checked before the file is parsed) and a workbook on which the xlsx reader, run in a child
process (finsam.io.guard), dies or runs out of memory or time.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from finsam.config import norm_name
from finsam.io import csvtext, guard, limits, xlsx
from finsam.io.findings import FEL, FileRejected, Finding
from finsam.privacy.personniva import is_person_key
from finsam.privacy.pnr import mask, scrub

MAX_TITLE_ROWS = 10
TOTAL_WORDS = {"totalt", "summa", "total"}
ROW = "rad"  # the row number in the file (1-based, title rows and header counted)
MAX_CELLS = 200  # findings per file about single cells; a file with more is rejected all the same
ERROR_VALUES = sorted(xlsx.EXCEL_ERRORS.values())
ERROR_IN_BYTES = re.compile(rb"#(?:REF!|DIV/0!|N/A|NAME\?|NULL!|NUM!|VALUE!|GETTING_DATA)")


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


def _head_rows(frame: pl.DataFrame) -> list[tuple[int, list[str]]]:
    head = frame.head(MAX_TITLE_ROWS + 1)
    cells = [c for c in head.columns if c.startswith("c")]
    return [(r[0], list(r[2:])) for r in head.select(ROW, "_n", *cells).iter_rows()]


def header_key(text: str) -> str:
    """Headers match as names do (config.norm_name: case, Unicode form) and regardless of every space: 'Inskrivnings
    datum' is 'Inskrivningsdatum', and so is a header whose 'ö' is an 'o' with a combining diaeresis."""
    return norm_name(text).replace(" ", "")


def _match_header(cells: list[str], columns: list[Column]) -> dict[int, str] | None:
    """Position -> canonical name, when every required column is present in `cells`."""
    lookup = {header_key(a): c.name for c in columns for a in (c.name, *c.aliases)}
    found = {i: lookup[header_key(v)] for i, v in enumerate(cells) if header_key(v) in lookup}
    names = set(found.values())
    if all(c.name in names for c in columns if c.required):
        return found
    return None


def _find_header(head: list[tuple[int, list[str]]], columns: list[Column]):
    """(position in `head`, row, cells, mapping) of the first row that is a header, or None."""
    for pos, (rad, cells) in enumerate(head):
        mapping = _match_header(cells, columns)
        if mapping is not None:
            return pos, rad, cells, mapping
    return None


def _reject(fil: str, kalla: str, beskrivning: str, **kw) -> FileRejected:
    return FileRejected(fil, [Finding("fil_avvisad", FEL, beskrivning, kalla=kalla, fil=fil, **kw)])


def read_table(path: Path, columns: list[Column], fil: str, kalla: str) -> RawTable:
    """Read the csv, or the workbook's sheet with the header (the first, else the one other sheet that has it), find
    the header within the first rows, keep the data rows as text."""
    info = _check_path(path, fil, kalla)
    andrad = dt.datetime.fromtimestamp(info.st_mtime)
    with _bounded(fil, kalla):
        limits.check_size(info.st_size)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _reject(fil, kalla, "unsupported file type", hittat=path.name,
                      forvantat="a .csv or .xlsx file (save .xls and .ods files as .xlsx)")
    read = _read_xlsx if suffix == ".xlsx" else _read_csv
    header_rad, header_cells, mapping, grid = read(path, columns, fil, kalla)
    return _table(fil, kalla, header_rad, header_cells, mapping, grid, andrad)


def _check_path(path: Path, fil: str, kalla: str) -> os.stat_result:
    """Only regular files inside the data directory are read. A link is followed when it leads to a file inside
    it; one that leads outside it, to a folder or nowhere is rejected without reading what it points to. An
    empty or unreadable file is rejected too. Returns the file's stat."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (FileNotFoundError, RuntimeError):  # nothing there, or a loop of links
                raise _reject(fil, kalla, "a link that leads nowhere", hittat=os.readlink(path),
                              forvantat="a file, or a link to a file inside the data directory") from None
            if not target.is_relative_to(_data_dir(path, fil).resolve()):
                kind = "folder" if target.is_dir() else "file"
                raise _reject(fil, kalla, f"a link to a {kind} outside the data directory: not read",
                              hittat=str(target),
                              forvantat="a file inside the data directory (FINSAM_DATA_DIR), or a link to one")
        info = path.stat()
        if stat.S_ISDIR(info.st_mode) and path.is_symlink():
            raise _reject(fil, kalla, "a link to a folder: not followed (folders are read, links to them are not)",
                          hittat=os.readlink(path), forvantat="a file, or a link to a file inside the data directory")
        if stat.S_ISDIR(info.st_mode):  # listed by finsam.ingest.folder.raw_files because it could not look inside
            raise _reject(fil, kalla, "a folder whose files cannot be listed", forvantat="a folder finsam may read")
        if not stat.S_ISREG(info.st_mode):
            raise _reject(fil, kalla, "not a regular file", forvantat="a .csv or .xlsx file")
        with open(path, "rb"):
            pass
    except OSError as e:
        raise _reject(fil, kalla, f"the file could not be read ({e.strerror or type(e).__name__})") from None
    if info.st_size == 0:
        raise _reject(fil, kalla, "the file is empty", hittat="0 bytes", forvantat="a header row and data rows")
    return info


def _data_dir(path: Path, fil: str) -> Path:
    """The data directory `fil` is relative to (the file's own folder when `fil` is just a label)."""
    parts = Path(fil).parts
    if len(parts) < len(path.parts) and path.parts[-len(parts):] == parts:
        return Path(*path.parts[:-len(parts)])
    return path.parent


BadCells = list[tuple[int, int, str, str, str]]  # (row, column position, found, what is wrong, expected)


def _read_xlsx(path: Path, columns: list[Column], fil: str, kalla: str):
    """(header row, header cells, mapping, data rows) of the first sheet that has the source's header: the first
    sheet that is not hidden, else the one other visible sheet that has it (a cover or instructions sheet first, or
    one fill-in workbook with a sheet per source, saved into each source's folder). Two other sheets with a header
    reject the file: which one holds the data is not for the reader to guess. A hidden sheet is never read: it holds
    what no reader of the workbook sees (old figures, working data)."""
    index, grid, uncached, merged = _sheet(path, None, fil, kalla)
    head = _head_rows(grid)
    found = _find_header(head, columns)
    if found is None:
        with _bounded(fil, kalla):
            sheets = guard.run(xlsx.other_sheets, path, MAX_TITLE_ROWS + 1, index)
        elsewhere = [(i, name) for i, name, rows in sheets if _find_header(list(enumerate(rows, start=1)), columns)]
        if len(elsewhere) != 1:
            where = (" of the first sheet; sheets " + ", ".join(f"'{n}'" for _, n in elsewhere) + " each have one: "
                     "keep the data on one sheet") if elsewhere else ""
            raise _no_header(fil, kalla, columns, head, where)
        index, grid, uncached, merged = _sheet(path, elsewhere[0][0], fil, kalla)
        found = _find_header(_head_rows(grid), columns)
        if found is None:  # the sheet changed between two reads
            raise _no_header(fil, kalla, columns, _head_rows(grid), f" of sheet '{elsewhere[0][1]}'")
    _, rad, cells, mapping = found
    bad = [(c.rad, c.col, c.hittat, c.beskrivning, c.forvantat)
           for c in [*uncached, *(m for m in merged if m.rad > rad)]] + _error_cells(grid, None)
    if bad:  # a column without a header is named by its letter, and calamine's column 0 need not be A
        headless = any(_column_name(cells, col) is None for _, col, *_ in bad)
        with _bounded(fil, kalla):
            offset = guard.run(xlsx.first_column, path, index) if headless else 0
        raise _cells_rejected(fil, kalla, _masked(bad, columns, mapping), cells, offset)
    return rad, cells, mapping, grid.filter(pl.col(ROW) > rad)


def _sheet(path: Path, index: int | None, fil: str, kalla: str):
    """(index, rows, formulas without a value, merged ranges) of sheet `index` (None: the first that is not
    hidden)."""
    with _bounded(fil, kalla):
        return guard.run(xlsx.read_sheet, path, index)


@contextmanager
def _bounded(fil: str, kalla: str) -> Iterator[None]:
    """A file over a limit (finsam.io.limits), a broken workbook, and a workbook the reader's child process
    (finsam.io.guard) stopped on, as the file's rejection."""
    try:
        yield
    except limits.LimitExceeded as e:
        raise _reject(fil, kalla, e.beskrivning, rad=e.rad, hittat=e.found, forvantat=e.forvantat) from None
    except (xlsx.WorkbookError, guard.ReaderFailed) as e:
        raise _reject(fil, kalla, str(e)) from None


def _read_csv(path: Path, columns: list[Column], fil: str, kalla: str):
    """(header row, header cells, mapping, data rows) of a csv file, unless a cell cannot be read."""
    with _unreadable_csv(fil, kalla):
        raw = path.read_bytes()
    with _bounded(fil, kalla):
        limits.check_text(raw)
    with _unreadable_csv(fil, kalla):
        decoded = csvtext.decode(raw)
    del raw  # the decoded text is the file's own bytes, or its UTF-8 copy
    errors = ERROR_IN_BYTES.search(decoded.data) is not None
    first_head = None
    for delimiter in (";", ",", "\t"):  # the separator is the one that gives a header
        with _unreadable_csv(fil, kalla):
            head, next_lines = csvtext.head(decoded.data, delimiter, MAX_TITLE_ROWS + 1)
        first_head = first_head or head
        found = _find_header(head, columns)
        if found is None:
            continue
        pos, rad, cells, mapping = found
        frame = csvtext.fast_frame(decoded.data, delimiter, next_lines[pos], len(cells), _width(cells))
        if frame is None:  # the careful reader: the csv module, record by record
            with _unreadable_csv(fil, kalla):
                frame = csvtext.careful_frame(decoded.data, delimiter, pos + 1)
        bad = _error_cells(csvtext.rows_frame(head[:pos + 1]), decoded.marks, errors) + \
            _error_cells(frame, decoded.marks, errors) + _swallowed_rows(frame, delimiter, _width(cells))
        if bad:
            raise _cells_rejected(fil, kalla, _masked(bad, columns, mapping), cells)
        return rad, cells, mapping, frame
    if decoded.marks:  # an undecodable byte in the header: say that, not that there is no header
        bad = _error_cells(csvtext.rows_frame(first_head), decoded.marks, errors)
        raise _cells_rejected(fil, kalla, _masked(bad, columns, None, first_head), [])
    raise _no_header(fil, kalla, columns, first_head, "")


@contextmanager
def _unreadable_csv(fil: str, kalla: str) -> Iterator[None]:
    """What reading a csv file raises when the file is at fault, as the file's rejection."""
    try:
        yield
    except OSError as e:
        raise _reject(fil, kalla, f"the file could not be read ({e.strerror or type(e).__name__})") from None
    except (ValueError, csv.Error) as e:  # UTF-16 or binary (csvtext.decode), a field past the csv module's limit
        raise _reject(fil, kalla, f"not a readable csv file: {e}") from None


def _cells_rejected(fil: str, kalla: str, bad: BadCells, header_cells: list[str], offset: int = 0) -> FileRejected:
    """The file, rejected with each cell that cannot be read; a column without a header is named by its letter
    (`offset`: the letter of column 0)."""
    return FileRejected(fil, [Finding("fil_avvisad", FEL, beskrivning, kalla=kalla, fil=fil, rad=rad,
                                      kolumn=_column_name(header_cells, col) or xlsx.col_letter(col + offset),
                                      hittat=hittat, forvantat=forvantat)
                              for rad, col, hittat, beskrivning, forvantat in sorted(bad)[:MAX_CELLS]])


def _holds_person_keys(columns: list[Column]) -> bool:
    return any(is_person_key(c.name) for c in columns)


def _looks_like_data(cells: list[str]) -> bool:
    """A row with a digit in it: a header row has none (title rows with a date aside)."""
    return any(ch.isdigit() for cell in cells for ch in cell)


def _masked(bad: BadCells, columns: list[Column], mapping: dict[int, str] | None,
            head: list[tuple[int, list[str]]] = ()) -> BadCells:
    """What a cell that cannot be read may show of a file that holds person keys (its source has a person-key
    column, finsam.privacy.personniva): a cell of that column is masked (finsam.privacy.pnr.mask), as the person
    column's other findings are; without a header (mapping None), so is any cell of a row that looks like data."""
    if not _holds_person_keys(columns):
        return bad
    data = {rad for rad, cells in head if _looks_like_data(cells)}

    def hidden(rad: int, col: int) -> bool:
        return is_person_key(mapping.get(col, "")) if mapping is not None else rad in data
    return [(rad, col, mask(hittat) if hittat and hidden(rad, col) else hittat, beskrivning, forvantat)
            for rad, col, hittat, beskrivning, forvantat in bad]


def _no_header(fil: str, kalla: str, columns: list[Column], head: list[tuple[int, list[str]]],
               where: str) -> FileRejected:
    expected = ", ".join(c.name for c in columns if c.required)
    first = next((cells for _, cells in head if any(cells)), [])
    if _holds_person_keys(columns) and _looks_like_data(first):  # a data row: its person id is not shown
        first = [mask(c) if c else c for c in first]
    return _reject(fil, kalla, f"no header row in the first {MAX_TITLE_ROWS + 1} rows{where}",
                   hittat="; ".join(first)[:200], forvantat=f"a header with the columns {expected}")


def _error_cells(grid: pl.DataFrame, marks: str | None, errors: bool = True) -> BadCells:
    """Cells holding an undecodable byte (`marks` says what the byte is not) or an Excel error value (#REF!, ...):
    a value was lost on the way to the file, so the file is rejected, with each such cell (at most MAX_CELLS)."""
    cells = [c for c in grid.columns if c.startswith("c")]
    tests = ([pl.col(c).str.contains(csvtext.MARKS) for c in cells] if marks else []) + \
        ([pl.col(c).is_in(ERROR_VALUES) for c in cells] if errors else [])
    if not tests:
        return []
    bad = []
    for row in grid.filter(pl.any_horizontal(*tests)).head(MAX_CELLS).iter_rows(named=True):
        for c in cells:
            value = row[c]
            if errors and value in ERROR_VALUES:
                bad.append((row[ROW], int(c[1:]), value, "an Excel error value: the cell's value was lost",
                            "a value (correct the formula in Excel, or paste the cells as values, and save again)"))
            elif marks and (shown := csvtext.unmark(value))[1] is not None:
                bad.append((row[ROW], int(c[1:]), shown[0], f"byte 0x{shown[1]:02X} cannot be read: it is not {marks}",
                            "one encoding for the whole file, UTF-8 or Windows-1252 (save it again as UTF-8)"))
    return bad


def _swallowed_rows(grid: pl.DataFrame, delimiter: str, width: int) -> BadCells:
    """Cells that run on over lines holding a whole row's separators (as many as the header has, less one): a quote
    opened and never closed has made the rows after it part of one cell, and they would be lost without a word (7
    spells of a SUS file in a hostile-input hunt). What such a cell holds is not shown: the rows in it may hold
    person ids."""
    cells = [c for c in grid.columns if c.startswith("c")]
    if not cells or width < 2:
        return []
    bad = []
    for row in grid.filter(pl.any_horizontal(pl.col(c).str.contains("\n") for c in cells)).iter_rows(named=True):
        for c in cells:
            lines = (row[c] or "").split("\n")[1:]
            rows = sum(line.count(delimiter) >= width - 1 for line in lines)
            if rows:
                bad.append((row[ROW], int(c[1:]), f"a cell over {len(lines) + 1} lines, {rows} of them with a row's "
                            f"{width - 1} separators", "a quote (\") opens the cell and is never closed: the rows "
                            "after it were read as part of this cell",
                            "a closing quote at the end of the cell, or no quote at its start"))
    return bad


def _column_name(header_cells: list[str], col: int) -> str | None:
    """The header as written above a cell, if the column has one."""
    return header_cells[col] if 0 <= col < len(header_cells) and header_cells[col] else None


def _width(header_cells: list[str]) -> int:
    return max(i for i, c in enumerate(header_cells) if c) + 1


def _table(fil: str, kalla: str, header_rad: int, header_cells: list[str], mapping: dict[int, str],
           grid: pl.DataFrame, andrad: dt.datetime) -> RawTable:
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
    filled = pl.any_horizontal(*(pl.col(c) != "" for c in cells)) if cells else pl.lit(False)
    data = grid if grid.select(filled.all()).item() else grid.filter(filled)  # no copy when no row is blank
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
    return RawTable(fil, frame, headers, total, total_rad, kalla, header_rad, list(header_cells), andrad)
