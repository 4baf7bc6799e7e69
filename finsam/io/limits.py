"""Bounded reading: how much of a file the readers take on, checked before the file is parsed.

A careless export or a hostile file can hold far more than its size says. An xlsx workbook is a zip: one MB of it
can expand to a GB of sheet. A sheet can hold one cell far out (XFD1048576), and the xlsx reader (calamine) sets
aside a cell for every position up to it (550 GB). A csv of one MB can hold a million columns. Each is checked
here, from the file's size, the zip's directory, the dimension at the top of each sheet and the csv's lines,
before a reader is given the file; a file over a limit is rejected on its own (finsam.io.tables: fil_avvisad) with
the limit, the value found and the setting to raise. What cannot be seen beforehand (a zip whose directory lies, a
sheet without a dimension or with a false one) is bounded by finsam.io.guard, which runs the xlsx reader in a
child process with a memory cap and a time limit.

The limits are installningar.yaml's `grans_indata` (finsam.config). The readers take them from `current()`: a
build applies its settings around each parse (finsam.sources.source), and elsewhere (tests, notebooks) the
defaults hold.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields

import numpy as np

MB, KB = 1 << 20, 1 << 10
SETTING = "grans_indata"
SEPARATORS = (b";", b",", b"\t")  # the separators a csv may have (finsam.io.tables tries each)


@dataclass(frozen=True)
class InputLimits:
    """installningar.yaml, grans_indata: (docs/konfiguration.md). The defaults read the national-scale data of
    `make synth` (files of up to 2 MB, workbooks that expand about 11 times) and a 150 MB SUS export, and keep a
    run under 2 GB (docs/indata.md)."""
    max_fil_mb: int = 150             # a file's size on disk
    max_okomprimerad_mb: int = 300    # an xlsx's parts together, uncompressed, as its zip directory gives them
    max_komprimeringskvot: int = 100  # an xlsx's uncompressed size divided by its size on disk
    max_celler: int = 5_000_000       # a sheet's cells: rows times columns of the range it spans
    max_kolumner: int = 1_000         # a sheet's columns, or the cells of one csv line
    max_radlangd_kb: int = 100        # one csv line
    lasare_minne_mb: int = 1_024      # the memory of the xlsx reader's child process (finsam.io.guard)
    lasare_tid_s: int = 120           # the xlsx reader's time for one file


# Each limit is a whole number of at least 1 (finsam.config checks installningar.yaml), the memory of the reader's
# child process at least 256: it needs about 150 MB before it reads anything (Python, polars and the xlsx reader).
MINIMUM = {"lasare_minne_mb": 256}
KEYS = tuple(f.name for f in fields(InputLimits))

DEFAULT = InputLimits()
_CURRENT: ContextVar[InputLimits] = ContextVar("finsam_input_limits")


def current() -> InputLimits:
    return _CURRENT.get(DEFAULT)


@contextmanager
def applied(limits: InputLimits) -> Iterator[InputLimits]:
    """`limits` for the reads within (in this thread: a build's parse runs on worker threads, each of which applies
    them around its own call)."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


class LimitExceeded(Exception):
    """A file over one of the limits: what is over (`what`), the setting, the value found and the limit, for
    people. Picklable: the xlsx reader's child process raises it too (finsam.io.guard)."""

    def __init__(self, key: str, what: str, found: str, limit: str, rad: int | None = None):
        super().__init__(key, what, found, limit, rad)
        self.key, self.what, self.found, self.limit, self.rad = key, what, found, limit, rad

    @property
    def beskrivning(self) -> str:
        return f"{self.what}: over the limit {self.key}, so the file is not read"

    @property
    def forvantat(self) -> str:
        return f"at most {self.limit} (installningar.yaml, {SETTING}: {self.key}; raise it to read this file)"

    def __str__(self) -> str:
        return f"{self.beskrivning}: found {self.found}, expected {self.forvantat}"


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB".replace(",", " ")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def check_size(size: int) -> None:
    """The file's size on disk: every other limit is read from the file, this one before it is opened."""
    limits = current()
    if size > limits.max_fil_mb * MB:
        raise LimitExceeded("max_fil_mb", "the file is too large", _mb(size), f"{limits.max_fil_mb} MB")


def check_zip(sizes: list[tuple[str, int]], file_size: int) -> None:
    """An xlsx workbook's parts, (name, uncompressed size) as its zip directory declares them: their sum, and that
    sum against the file's size (a zip bomb expands a thousandfold; a workbook about tenfold)."""
    limits = current()
    total = sum(size for _, size in sizes)
    name, largest = max(sizes, key=lambda s: s[1], default=("", 0))
    if total > limits.max_okomprimerad_mb * MB:
        raise LimitExceeded("max_okomprimerad_mb", f"the workbook expands to more than its limit ({name} alone "
                            f"{_mb(largest)})", f"{_mb(total)} uncompressed", f"{limits.max_okomprimerad_mb} MB")
    if total > limits.max_komprimeringskvot * max(file_size, 1):
        raise LimitExceeded("max_komprimeringskvot", f"the workbook expands {total / max(file_size, 1):,.0f} times "
                            f"its size ({_mb(file_size)} to {_mb(total)}): a zip bomb, or a sheet of repeated "
                            "empty cells", f"{total / max(file_size, 1):,.0f} times", f"{limits.max_komprimeringskvot} "
                            "times")


def check_sheet(sheet: str, rows: int, columns: int, ref: str | None) -> None:
    """A sheet's size, from the range it declares (`ref`, its dimension) before it is read, or as read (None: it
    declares no range, or a false one): the xlsx reader sets aside a cell for every position in that range."""
    limits = current()
    where = f"sheet '{sheet}' (range {ref})" if ref else f"sheet '{sheet}' (as read)"
    if columns > limits.max_kolumner:
        raise LimitExceeded("max_kolumner", f"{where} has {_count(columns)} columns (a stray value far to the "
                            "right?)", f"{_count(columns)} columns", f"{_count(limits.max_kolumner)} columns")
    if rows * columns > limits.max_celler:
        raise LimitExceeded("max_celler", f"{where} has {_count(rows)} rows of {_count(columns)} columns (a stray "
                            "value far down?)", f"{_count(rows * columns)} cells", f"{_count(limits.max_celler)} cells")


def check_text(data: bytes) -> None:
    """A csv file's lines, before any is parsed: the number of cells of each (counted as separators: a quoted
    separator counts too) and its length. Only a line longer than max_kolumner bytes can have more cells, so the
    separators of other lines are not counted."""
    limits = current()
    newline = 10 if b"\n" in data else 13  # lone CR line ends (old Mac exports)
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == newline)
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(data)]))
    lengths = ends - starts
    for i in np.flatnonzero(lengths >= limits.max_kolumner):
        cells = max(data.count(s, int(starts[i]), int(ends[i])) for s in SEPARATORS) + 1
        if cells > limits.max_kolumner:
            raise LimitExceeded("max_kolumner", "the line has more cells than the limit", f"{_count(cells)} cells",
                                f"{_count(limits.max_kolumner)} columns", rad=int(i) + 1)
    longest = int(np.argmax(lengths)) if len(lengths) else 0
    if len(lengths) and lengths[longest] > limits.max_radlangd_kb * KB:
        raise LimitExceeded("max_radlangd_kb", "the line is too long",
                            f"{lengths[longest] / KB:,.0f} KB".replace(",", " "), f"{limits.max_radlangd_kb} KB",
                            rad=longest + 1)
