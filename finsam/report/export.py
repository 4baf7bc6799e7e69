"""Exports beside the report: Excel for owners (suppressed as the report) and parquet for analysts (exact)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from finsam.build import steps
from finsam.report.data import marts
from finsam.report.disclosure import (
    CELLER,
    DOLD,
    SAMMA_CELLER,
    bygger_pa,
    dolda_kolumner,
    personer,
    undertryckt,
    undertryckt_text,
)
from finsam.sqltext import identifier

ARKNAMN_MAX = 31


def ersatt(tmp: Path, mal: Path) -> Path:
    """Readers see the old file or the new one, never half of one."""
    os.replace(tmp, mal)
    return mal


def parquet(con: duckdb.DuckDBPyConnection, katalog: Path) -> list[Path]:
    """Every public mart as <katalog>/<mart>.parquet, exact values (no suppression): the analysts' copy."""
    katalog.mkdir(parents=True, exist_ok=True)
    ut = []
    for mart in marts(con):
        mal = katalog / f"{mart}.parquet"
        tmp = mal.with_name(mal.name + ".tmp")
        con.execute(f"copy (select * from marts.{identifier(mart)}) to ? (format parquet)", [str(tmp)])
        ut.append(ersatt(tmp, mal))
    return ut


DEFINITIONER = ["mart", "kolumn", "typ", "etikett", "definition"]


def definitioner(con: duckdb.DuckDBPyConnection) -> list[list[str]]:
    """The workbook's sheet `definitioner`: every column of every mart in the warehouse, with its type, Swedish
    label and definition from the mart's declaration (the same text as the DuckDB column comment and docs/marts/)."""
    return [[mart, c.namn, c.typ, c.etikett, c.definition]
            for mart in marts(con) for c in steps.BY_NAME[mart].declaration.kolumner]


def _dolda_i_rad(mart: str, kolumner: list[str], dolda: dict | None):
    """row -> the indices of its columns hidden to protect a small count (disclosure.berakna's SEKUNDAR cells):
    computed once per build for the report and the workbook alike, so that no hidden count follows from a total."""
    if not dolda or SAMMA_CELLER.get(mart, mart) not in CELLER:
        return lambda rad: set()   # no person count of this mart is in a relation
    index = {k: i for i, k in enumerate(kolumner)}
    return lambda rad: {index[k] for k in dolda_kolumner(mart, dict(zip(kolumner, rad)), dolda)}


def _rad(ws, r: int, rad: tuple, grans: int, antal: set[int], kvoter: dict[int, tuple[int, ...]],
         tider: tuple[int, ...], tid, dolda: set[int] = frozenset()) -> None:
    """One mart row as row r: a count of individuals (columns `antal`) 1..grans-1, or hidden to protect one
    (`dolda`, _dolda_i_rad), is the text '<5'; a ratio built on one is empty with a note; a timestamp (columns
    `tider`) keeps its time of day (format `tid`); every other value is written as it is."""
    celler = list(rad)
    for i, v in enumerate(rad):
        if i in antal and (undertryckt(v, grans) or i in dolda):
            celler[i] = undertryckt_text(grans)
        elif i in kvoter and any(undertryckt(rad[j], grans) or j in dolda for j in kvoter[i]):
            celler[i] = None
            ws.write_comment(r, i, f"{DOLD}: bygger på ett antal under {grans}", {"author": "finsam"})
    for i in tider:
        celler[i] = None
    ws.write_row(r, 0, celler)
    for i in tider:
        if rad[i] is not None:
            ws.write_datetime(r, i, lokal(rad[i]), tid)


SVENSK_TID = ZoneInfo("Europe/Stockholm")


def lokal(tid: dt.datetime) -> dt.datetime:
    """A cell holds a time without a zone: a moment (TIMESTAMPTZ, marts.korningar) is shown in Swedish time, the
    time zone of the report's readers and of the nightly schedule; a time without a zone as it is."""
    return tid if tid.tzinfo is None else tid.astimezone(SVENSK_TID).replace(tzinfo=None)


def _rader(fil: Path):
    """The rows of a Parquet file as tuples, a batch at a time."""
    for batch in pq.ParquetFile(fil).iter_batches():
        yield from zip(*(kolumn.to_pylist() for kolumn in batch.columns))


def excel(parquet: list[Path], definitioner: list[list[str]], mal: Path, grans: int, dolda: dict | None = None
          ) -> Path:
    """genomlysning.xlsx from the marts' Parquet copies (`parquet()`): one sheet per mart named as the mart, its
    columns in row 1, one row per mart row; and the sheet `definitioner`. Written a row at a time (xlsxwriter's
    constant-memory mode); text is always text, never a formula or link; dates as yyyy-mm-dd, timestamps with their
    time. Reads no database, so it can run in a process of its own while the pages are drawn (`excel_bredvid`)."""
    mal.parent.mkdir(parents=True, exist_ok=True)
    tmp = mal.with_name(mal.name + ".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
                                        "nan_inf_to_errors": True})
    fet, tid = wb.add_format({"bold": True}), wb.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
    for fil in parquet:
        ws = wb.add_worksheet(fil.stem[:ARKNAMN_MAX])
        schema = pq.read_schema(fil)
        kolumner = schema.names
        tider = tuple(i for i, f in enumerate(schema) if pa.types.is_timestamp(f.type))
        index = {k: i for i, k in enumerate(kolumner)}
        kvoter = {index[k]: tuple(index[t] for t in av if t in index)
                  for k, av in bygger_pa(fil.stem).items() if k in index}
        antal = {index[k] for k in personer(fil.stem) if k in index}
        ws.write_row(0, 0, kolumner, fet)
        skydd = _dolda_i_rad(fil.stem, kolumner, dolda)
        for r, rad in enumerate(_rader(fil), start=1):
            _rad(ws, r, rad, grans, antal, kvoter, tider, tid, skydd(rad))
    ws = wb.add_worksheet("definitioner")
    ws.write_row(0, 0, DEFINITIONER)
    for r, rad in enumerate(definitioner, start=1):
        ws.write_row(r, 0, rad)
    wb.close()
    return ersatt(tmp, mal)


@contextlib.contextmanager
def excel_bredvid(parquet: list[Path], definitioner: list[list[str]], mal: Path, grans: int,
                  dolda: dict | None = None) -> Iterator[Callable[[], Path]]:
    """`excel` in a Python process of its own (its arguments as JSON on stdin), started on entry; yields the wait
    for it, which returns the workbook's path or raises RuntimeError with what the process said. Leaving the block
    without waiting (an error while the pages are drawn) stops the process."""
    proc = subprocess.Popen([sys.executable, "-c", "from finsam.report.export import _fran_stdin; _fran_stdin()"],
                            cwd=Path(__file__).resolve().parents[2], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        try:
            proc.stdin.write(json.dumps({"parquet": [str(p.resolve()) for p in parquet],
                                         "definitioner": definitioner, "mal": str(mal.resolve()), "grans": grans,
                                         "dolda": [[*c, v] for c, v in (dolda or {}).items()]}))
            proc.stdin.close()
        except BrokenPipeError:  # it ended before reading its arguments: the wait says why
            pass

        def vanta() -> Path:
            fel = proc.stderr.read()
            if proc.wait() != 0:
                raise RuntimeError(f"the Excel workbook {mal.name} was not written (exit {proc.returncode}):\n{fel}")
            return mal
        yield vanta
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _fran_stdin() -> None:
    """The second process of `excel_bredvid`."""
    argument = json.load(sys.stdin)
    excel([Path(p) for p in argument["parquet"]], argument["definitioner"], Path(argument["mal"]), argument["grans"],
          {tuple(c[:-1]): c[-1] for c in argument["dolda"]})
