"""Exports beside the report: Excel for owners (suppressed as the report) and parquet for analysts (exact).

The workbook opens with "Läs mig" (what it is, how to read it, every sheet) and "Nyckeltal" (the report's key figures
per förbund for the latest whole year), then one sheet per mart in reading order (ORDNING), then the registers and
the run history. A mart sheet keeps the warehouse's contract: named as the mart, the mart's column names in row 1 and
one row per mart row from row 2 on; the Swedish label and definition of each column are a note on its header cell
(and in the sheet `definitioner`), and columns added for readers (the förbund's name and län) come after the mart's
own. Numbers keep their exact values; only their display is formatted (%, kr, whole numbers).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import CellBooleanTuple, CellDatetimeTuple, CellNumberTuple, CellStringTuple, Worksheet

from finsam.build import declarations, steps
from finsam.build.declarations import Column
from finsam.publish.warehouse import SQL_DIR
from finsam.report.data import marts
from finsam.report.disclosure import (
    CELLER,
    DOLD,
    SAMMA_CELLER,
    bygger_pa,
    dolda_kolumner,
    notis,
    personer,
    undertryckt,
    undertryckt_text,
)
from finsam.sqltext import identifier

ARKNAMN_MAX = 31
LAS_MIG, NYCKELTAL, DEFINITIONER_BLAD = "Läs mig", "Nyckeltal", "definitioner"
# The mart sheets in reading order, after Läs mig and Nyckeltal: the comparison and the report's sections in page
# order (deltagare, avslut, kostnader, insatser, finansiering, målgrupp, kommuner, effekt, datakvalitet). A mart not
# named here (a new one) follows them, by name; then the register of förbund, the definitions and the run history.
ORDNING = ("jamforelse_ar", "deltagare_ar", "avslut_ar", "ekonomi_ar", "deltagare_grupp_ar", "tid_i_insats_ar",
           "insats_ar", "kostnad_insats_ar", "tilldelning_ar", "kommunfordelning", "malgrupp_ar",
           "helarsekvivalenter_ar", "jamforelse_kommun_ar", "deltagare_kommun_ar", "malgrupp_kommun",
           "helarsekvivalenter_kommun", "maluppfyllelse_forbund_ar", "maluppfyllelse_ar", "uppfoljning_efter_avslut_ar",
           "indikatorer_ar", "forsorjning_fore_efter_ar", "samhallsekonomi_ar", "datakvalitet_poang", "datakvalitet",
           "kostnadsmappning_ar")
SIST = ("forbund", DEFINITIONER_BLAD, "korningar", "inlasta_filer", "revisioner")
# The rows of a mart in its Parquet copy and sheet, where their order helps a reader: the latest run first.
RADORDNING = {"korningar": "lopnummer desc"}
# Columns added after a sheet's own (never in the warehouse): the förbund's name and län beside its code, and the
# Swedish text and meaning of a finding code beside it (sql/findings/koder.yaml).
FORBUNDSNAMN, LAN, REGELTEXT, REGELBESKRIVNING = "förbundsnamn", "län", "regeltext", "regelbeskrivning"
# Number formats by the kind of number (finsam.report.format.visa's kinds); Excel shows the thousands separator and
# decimal mark of the reader's locale (1 234 kr and 12,3 % in a Swedish Excel).
TALFORMAT = {"antal": "#,##0", "kr": '#,##0 "kr"', "andel": "0.0 %", "tal": "#,##0.0"}
BREDD = {"antal": 10, "kr": 14, "andel": 9, "tal": 10}
BREDD_MAX = 45


def sortering(namn: str) -> tuple[int, int, str]:
    """A sheet's place in the workbook (ORDNING, then marts not named there, then SIST)."""
    if namn in ORDNING:
        return 0, ORDNING.index(namn), namn
    if namn in SIST:
        return 2, SIST.index(namn), namn
    return 1, 0, namn


def slag(c: Column) -> str | None:
    """The kind of number a mart column holds, for its number format: kr (money, and money per person), andel (a
    share, shown in %), antal (a count), tal (any other number); None for text, codes, years and flags."""
    if c.skydd == "text":
        return None
    if c.skydd == "belopp" or c.namn.startswith("kostnad_per") or re.search(r"\bkr\b", c.etikett):
        return "kr"
    if c.skydd == "kvot" and ("andel" in c.namn or c.namn in ("tackningsgrad", "svarsfrekvens", "andring")
                             or c.max == 1):
        return "andel"
    if c.skydd in ("personer", "antal") or c.typ == "BIGINT":
        return "antal"
    return "tal"


def ersatt(tmp: Path, mal: Path) -> Path:
    """Readers see the old file or the new one, never half of one."""
    os.replace(tmp, mal)
    return mal


PARQUET_BATCH = 100_000  # rows DuckDB hands over at a time while a Parquet copy is written


def parquet(con: duckdb.DuckDBPyConnection, katalog: Path) -> list[Path]:
    """Every public mart as <katalog>/<mart>.parquet, exact values (no suppression): the analysts' copy. Each file
    carries its declaration in its metadata (`metadata`), so it explains itself away from the warehouse."""
    katalog.mkdir(parents=True, exist_ok=True)
    ut = []
    for mart in marts(con):
        mal = katalog / f"{mart}.parquet"
        tmp = mal.with_name(mal.name + ".tmp")
        ordning = f" order by {RADORDNING[mart]}" if mart in RADORDNING else ""
        lasare = con.sql(f"select * from marts.{identifier(mart)}{ordning}").to_arrow_reader(PARQUET_BATCH)
        schema = metadata(mart, lasare.schema)
        with pq.ParquetWriter(str(tmp), schema) as skrivare:
            for batch in lasare:
                skrivare.write_batch(pa.RecordBatch.from_arrays(
                    [k if k.type == f.type else k.cast(f.type) for k, f in zip(batch.columns, schema)], schema=schema))
        ut.append(ersatt(tmp, mal))
    return ut



def metadata(mart: str, schema: pa.Schema) -> pa.Schema:
    """The mart's declaration in the Parquet schema: per column (field metadata) its Swedish `etikett` and
    `definition` and its disclosure class `skydd`; for the file (schema metadata) the mart's `etikett` and
    `beskrivning`. The same texts as the warehouse's COMMENT ON and docs/marts/. A column the declaration does not
    know (a hand-made table) gets none. A moment (TIMESTAMPTZ) is stored in UTC (`_moment`)."""
    schema = pa.schema([f.with_type(pa.timestamp(f.type.unit, "UTC")) if _moment(f) else f for f in schema],
                       metadata=schema.metadata)
    step = steps.BY_NAME.get(mart)
    if step is None or step.declaration is None:
        return schema
    d = step.declaration
    kolumner = {c.namn: c for c in d.kolumner}
    falt = [f.with_metadata({"etikett": kolumner[f.name].etikett, "definition": kolumner[f.name].definition,
                             "skydd": kolumner[f.name].skydd}) if f.name in kolumner else f for f in schema]
    return pa.schema(falt, metadata={**(schema.metadata or {}), b"mart": mart.encode(),
                                     b"etikett": d.etikett.encode(), b"beskrivning": d.beskrivning.encode()})


def _moment(f: pa.Field) -> bool:
    """A TIMESTAMPTZ column: DuckDB hands it over in its session's time zone; the file names UTC (as DuckDB's own
    COPY did), whatever the machine's zone, the same moments."""
    return pa.types.is_timestamp(f.type) and f.type.tz is not None


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
         tider: tuple[int, ...], tid, dolda: set[int] = frozenset(), tillagt: list = ()) -> None:
    """One mart row as row r, and after its own columns the values added for readers (`tillagt`): a count of
    individuals (columns `antal`) 1..grans-1, or hidden to protect one (`dolda`, _dolda_i_rad), is the text '<5'; a
    ratio built on one is empty with a note; a timestamp (columns `tider`) keeps its time of day (format `tid`);
    every other value is written as it is. The whole row is written at once: Blad writes a row once."""
    celler = [*rad, *tillagt]
    for i, v in enumerate(rad):
        if i in antal and (undertryckt(v, grans) or i in dolda):
            celler[i] = undertryckt_text(grans)
        elif i in kvoter and any(undertryckt(rad[j], grans) or j in dolda for j in kvoter[i]):
            celler[i] = None
            ws.write_comment(r, i, f"{DOLD}: bygger på ett antal under {grans}", {"author": "finsam"})
    for i in tider:
        celler[i] = None
    _skriv_rad(ws, r, celler, direkt=not tider)
    for i in tider:
        if rad[i] is not None:
            ws.write_datetime(r, i, lokal(rad[i]), tid)


EXCEL_TEXT_MAX = 32_767   # the characters one cell holds


def celltext(v: str) -> str:
    """A text as a cell holds it: one longer than Excel's EXCEL_TEXT_MAX characters cut, ending in "…" so the cut
    shows (xlsxwriter cut it without a sign); the whole text is in the Parquet files and the warehouse."""
    return v if len(v) <= EXCEL_TEXT_MAX else v[:EXCEL_TEXT_MAX - 1] + "…"


def _skriv_rad(ws, r: int, celler: list, direkt: bool = True) -> None:
    """A row of data from column 0: ws.write_row(r, 0, celler) without xlsxwriter's type dispatch for the cells
    nearly all are (a number, a text, empty): a mart row at a time, it was a fifth of the workbook's time at national
    scale. A text is always written as text: write() takes one written `{=...}` for an array formula, whatever
    strings_to_formulas says (an insats or förbund named so became a live HYPERLINK). Dates and booleans go through
    write(). On a Blad the row is written at once where it can be (Blad.rad; `direkt` False: cells of the row follow
    through xlsxwriter)."""
    if direkt and hasattr(ws, "rad") and ws.rad(r, celler):
        return
    for i, v in enumerate(celler):
        typ = v.__class__
        if v is None or v == "":
            continue                       # an empty cell without a format: write() writes nothing either
        if typ is float or typ is int:
            ws._write_number(r, i, v)
        elif typ is str:
            ws._write_string(r, i, celltext(v))
        else:
            ws._write(r, i, v)


# What xlsxwriter's _escape_control_characters changes in a text (its _xHHHH_ escapes, control characters, the two
# non-characters): a text without any of these it leaves as it is.
_KONTROLL = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class Blad(Worksheet):
    """xlsxwriter's worksheet with its constant-memory row writer done as one string per row. xlsxwriter writes
    each cell through a chain of calls (its reference, its format, an attribute list, escapes by regular
    expressions, a write to the file). A row of numbers, dates, booleans and plain texts with no row properties is
    written here as the same XML, byte for byte (tests/test_arbetsbok.py compares every part of a workbook with
    xlsxwriter's own); any other row goes through xlsxwriter as before. One thing differs on purpose: a text that
    looks like xlsxwriter's rich text is written as text (_xml_rich_inline_string). The sample's workbook (135 000
    cells): 1.3 s instead of 1.9-2.1 s, in alternating runs."""

    _kolumnnamn: dict[int, str] = {}

    def _xml_rich_inline_string(self, string: str, attributes) -> None:
        """No rich text is written here, so a text that starts with <r> and ends with </r> is text: xlsxwriter's
        constant-memory writer put it into the sheet's XML as it was (an input's text could add elements, or make
        the workbook unreadable)."""
        self._xml_inline_string(string, _preserve_whitespace(string), attributes)

    def _ref(self, col: int, nr: str) -> str:
        return f"{self._kolumnnamn.get(col) or self._kolumnnamn.setdefault(col, xl_col_to_name(col))}{nr}"

    def _kolumnstil(self, col: int) -> str:
        """The style attribute of a cell without a format of its own: its column's format, as xlsxwriter writes it."""
        if col in self.col_info and self.col_info[col][1] is not None:
            return f' s="{self.col_info[col][1]._get_xf_index()}"'
        return ""

    @staticmethod
    def _c_tal(ref: str, stil: str, tal) -> str:
        return f'<c r="{ref}"{stil}><v>{tal:.16G}</v></c>'

    @staticmethod
    def _c_sann(ref: str, stil: str, varde: int) -> str:
        return f'<c r="{ref}"{stil} t="b"><v>{varde}</v></c>'

    def _c_text(self, ref: str, stil: str, text: str) -> str:
        if _KONTROLL.search(text):
            text = self._escape_control_characters(text)
        bevara = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        return f'<c r="{ref}"{stil} t="inlineStr"><is><t{bevara}>{self._escape_data(text)}</t></is></c>'

    def _write_single_row(self, current_row_num: int = 0) -> None:
        row = self.previous_row
        cells = self.table.get(row)
        if not cells or not self._egen_rad(row):
            return super()._write_single_row(current_row_num)
        nr = str(row + 1)
        ut = [f'<row r="{nr}">']
        for col in sorted(cells):
            cell = cells[col]
            typ = cell.__class__
            stil = f' s="{cell.format._get_xf_index()}"' if cell.format else self._kolumnstil(col)
            if typ is CellNumberTuple or typ is CellDatetimeTuple:
                ut.append(self._c_tal(self._ref(col, nr), stil, cell.number))
            elif typ is CellStringTuple:
                ut.append(self._c_text(self._ref(col, nr), stil, cell.string))
            elif typ is CellBooleanTuple:
                ut.append(self._c_sann(self._ref(col, nr), stil, cell.boolean))
            else:
                return super()._write_single_row(current_row_num)
        ut.append("</row>")
        self.fh.write("".join(ut))
        self.previous_row = current_row_num
        self.table.clear()

    def _egen_rad(self, row: int) -> bool:
        """Whether Blad writes row `row` itself: a row without properties (height, format), and no Excel 2010 data
        bar (each <row> then says x14ac:dyDescent)."""
        return (row not in self.set_rows and self.default_row_height == self.original_row_height
                and self.excel_version != 2010)

    _hel_rad: int = -1   # the last row `rad` wrote: nothing more may be written to it

    def rad(self, r: int, celler: list) -> bool:
        """Row r's values from column 0 (None and "" empty), written at once as the XML xlsxwriter writes for them,
        without storing a cell per value first: a mart row was written through a cell tuple, a dimension check and
        a row flush per value. Numbers, booleans and texts only (a text always as text, cut as celltext cuts it);
        False, with nothing written, for a row xlsxwriter writes itself (another kind of value, NaN or infinity, a
        row with properties, one written before or past the sheet's end). A row without a value is left as
        xlsxwriter leaves it. A row written here is closed: a note, height or value given to it afterwards raises
        RadSkriven (xlsxwriter would take it; here it would be lost without a word), so they come first."""
        if (not self.constant_memory or r < self.previous_row or (r == self.previous_row and self.table)
                or r >= self.xls_rowmax or len(celler) > self.xls_colmax or not self._egen_rad(r)):
            return False
        if all(v is None or v == "" for v in celler):
            return True                 # nothing to write: xlsxwriter writes nothing either
        if r > self.previous_row:
            self._write_single_row(r)   # the row before, if xlsxwriter holds one, as its first cell of r would
        nr = str(r + 1)
        ut = [f'<row r="{nr}">']
        forsta = sista = None
        for col, v in enumerate(celler):
            typ = v.__class__
            if v is None or v == "":
                continue
            if typ is float and not math.isfinite(v):
                return False
            if typ is float or typ is int:
                ut.append(self._c_tal(self._ref(col, nr), self._kolumnstil(col), v))
            elif typ is str:
                ut.append(self._c_text(self._ref(col, nr), self._kolumnstil(col), celltext(v)))
            elif typ is bool:
                ut.append(self._c_sann(self._ref(col, nr), self._kolumnstil(col), int(v)))
            else:
                return False
            forsta = col if forsta is None else forsta
            sista = col
        ut.append("</row>")
        self.fh.write("".join(ut))
        self.previous_row, self._hel_rad = r + 1, r   # no row before r + 1 is written to again
        self.dim_rowmin = r if self.dim_rowmin is None else min(self.dim_rowmin, r)
        self.dim_rowmax = r if self.dim_rowmax is None else max(self.dim_rowmax, r)
        self.dim_colmin = forsta if self.dim_colmin is None else min(self.dim_colmin, forsta)
        self.dim_colmax = sista if self.dim_colmax is None else max(self.dim_colmax, sista)
        return True

    def _check_dimensions(self, row: int, col: int, ignore_row=False, ignore_col=False) -> int:
        if row == self._hel_rad and not ignore_row:
            raise RadSkriven(f"row {row + 1} of sheet {self.name} was written at once (Blad.rad): write its notes, "
                             "height and cells before or with it")
        return super()._check_dimensions(row, col, ignore_row, ignore_col)


class RadSkriven(RuntimeError):
    """Something was written to a row after Blad.rad wrote it whole."""


SVENSK_TID = ZoneInfo("Europe/Stockholm")


def lokal(tid: dt.datetime) -> dt.datetime:
    """A cell holds a time without a zone: a moment (TIMESTAMPTZ, marts.korningar) is shown in Swedish time, the
    time zone of the report's readers and of the nightly schedule; a time without a zone as it is."""
    return tid if tid.tzinfo is None else tid.astimezone(SVENSK_TID).replace(tzinfo=None)


def _rader(fil: Path, batch_size: int = 65_536):
    """The rows of a Parquet file as tuples, a batch at a time."""
    for batch in pq.ParquetFile(fil).iter_batches(batch_size=batch_size):
        yield from zip(*(kolumn.to_pylist() for kolumn in batch.columns))


PROVRADER = 50  # the first rows a text column's width is measured on


@dataclass
class Framsida:
    """What the workbook needs from the build besides the marts' Parquet copies: read in the main process, so that
    `excel` reads no database and can run in a process of its own (passed as JSON)."""
    rubrik: str = "Genomlysning av samordningsförbunden"
    stycken: list[str] = field(default_factory=list)              # Läs mig: what this build is
    forbund: dict[str, list[str]] = field(default_factory=dict)   # förbund code -> [name, län]
    nyckeltal: list[str] = field(default_factory=list)            # the Nyckeltal sheet's headers after År
    nyckelslag: list[str] = field(default_factory=list)           # their kinds of number (TALFORMAT)
    nyckelrader: list[list] = field(default_factory=list)         # förbund, kod, län, år, then value or text


def _regler() -> dict[str, tuple[str, str]]:
    return {k.kod: (k.text, k.beskrivning) for k in declarations.codes(SQL_DIR).values()}


def _tillagda(kolumner: list[str], mart: str, framsida: Framsida, regler: dict[str, tuple[str, str]]
              ) -> list[tuple[str, str, Callable[[tuple], object]]]:
    """The columns added after a sheet's own: (header, note, value of a row)."""
    ut: list[tuple[str, str, Callable[[tuple], object]]] = []
    if "forbund" in kolumner and mart != "forbund":
        i = kolumner.index("forbund")
        ut += [(FORBUNDSNAMN, "Förbundets namn enligt registret (tillagd i arbetsboken; finns i bladet forbund)",
                lambda rad: (framsida.forbund.get(rad[i]) or [None, None])[0]),
               (LAN, "Förbundets län (tillagd i arbetsboken)",
                lambda rad: (framsida.forbund.get(rad[i]) or [None, None])[1])]
    if "regel" in kolumner:
        i = kolumner.index("regel")
        ut += [(REGELTEXT, "Regelns korta text på svenska (sql/findings/koder.yaml; tillagd i arbetsboken)",
                lambda rad: (regler.get(rad[i]) or (None, None))[0]),
               (REGELBESKRIVNING, "Vad regeln betyder och vad man gör åt den (tillagd i arbetsboken)",
                lambda rad: (regler.get(rad[i]) or (None, None))[1])]
    return ut


def _not(ws, c: int, etikett: str, definition: str) -> None:
    """A header cell's note: the column's Swedish label and definition, shown when the pointer is over it."""
    text = f"{etikett}\n{definition}" if definition else etikett
    ws.write_comment(0, c, text, {"author": "finsam", "x_scale": 2.2, "y_scale": 1 + len(text) // 120})


def _bredd(rubrik: str, slag_: str | None, prov: list) -> float:
    """A column's width from its header and its first rows (a text column) or its kind of number."""
    langd = max([len(rubrik) + 3] + [len(str(v)) + 1 for v in prov if v is not None and slag_ is None])
    return min(BREDD_MAX, max(langd, BREDD.get(slag_, 6)))


def excel(parquet: list[Path], definitioner: list[list[str]], mal: Path, grans: int,
          framsida: Framsida | None = None, dolda: dict | None = None) -> Path:
    """genomlysning.xlsx from the marts' Parquet copies (`parquet()`): the sheets Läs mig and Nyckeltal, then one
    sheet per mart named as the mart in reading order (`sortering`), its columns in row 1, one row per mart row, the
    columns added for readers after its own; and the sheet `definitioner`. Written a row at a time (xlsxwriter's
    constant-memory mode, which has no Excel tables: each sheet has a frozen header row and an autofilter instead);
    text is always text, never a formula or link; dates as yyyy-mm-dd, timestamps with their time. Reads no
    database, so it can run in a process of its own while the pages are drawn (`excel_bredvid`). `dolda`: the
    cells hidden to protect a small count (disclosure.sekundara), written as '<5' too."""
    framsida = framsida or Framsida()
    mal.parent.mkdir(parents=True, exist_ok=True)
    tmp = mal.with_name(mal.name + ".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
                                        "nan_inf_to_errors": True})
    f = _Format(wb)
    blad = sorted([(fil.stem[:ARKNAMN_MAX], fil) for fil in parquet]
                  + [(DEFINITIONER_BLAD, None)], key=lambda x: sortering(x[0]))
    _las_mig(wb.add_worksheet(LAS_MIG, Blad), f, framsida, blad, grans)
    _nyckeltal(wb.add_worksheet(NYCKELTAL, Blad), f, framsida)
    regler = _regler()
    for namn, fil in blad:
        ws = wb.add_worksheet(namn, Blad)
        if fil is None:
            _definitioner(ws, f, definitioner)
        else:
            _mart(ws, f, fil, grans, framsida, regler, dolda)
    wb.close()
    return ersatt(tmp, mal)


class _Format:
    """The workbook's formats, made once."""

    def __init__(self, wb):
        self.rubrik = wb.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1, "text_wrap": True,
                                     "valign": "top"})
        self.titel = wb.add_format({"bold": True, "font_size": 14})
        self.fet = wb.add_format({"bold": True})
        self.radbryt = wb.add_format({"text_wrap": True, "valign": "top"})
        self.tid = wb.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
        self.tal = {k: wb.add_format({"num_format": v}) for k, v in TALFORMAT.items()}


def _mart(ws, f: _Format, fil: Path, grans: int, framsida: Framsida, regler: dict[str, tuple[str, str]],
          dolda: dict | None) -> None:
    """One mart's sheet: its columns (and the added ones) in row 1 with a note each, then its rows through `_rad`."""
    mart = fil.stem
    fp = pq.ParquetFile(fil)
    schema = fp.schema_arrow
    kolumner = schema.names
    step = steps.BY_NAME.get(mart)
    deklarerade = {c.namn: c for c in step.declaration.kolumner} if step is not None else {}
    tider = tuple(i for i, fl in enumerate(schema) if pa.types.is_timestamp(fl.type))
    index = {k: i for i, k in enumerate(kolumner)}
    kvoter = {index[k]: tuple(index[t] for t in av if t in index)
              for k, av in bygger_pa(mart).items() if k in index}
    antal = {index[k] for k in personer(mart) if k in index}
    tillagda = _tillagda(kolumner, mart, framsida, regler)
    prov = [rad for rad, _ in zip(_rader(fil, PROVRADER), range(PROVRADER))]
    for i, k in enumerate(kolumner):
        c = deklarerade.get(k)
        slag_ = slag(c) if c is not None else None
        ws.set_column(i, i, _bredd(k, slag_, [rad[i] for rad in prov]), f.tal.get(slag_))
    for j, (rubrik, _, varde) in enumerate(tillagda, start=len(kolumner)):
        ws.set_column(j, j, _bredd(rubrik, None, [varde(rad) for rad in prov]))
    ws.write_row(0, 0, kolumner + [t[0] for t in tillagda], f.rubrik)
    for i, k in enumerate(kolumner):
        if k in deklarerade:
            _not(ws, i, deklarerade[k].etikett, deklarerade[k].definition)
    for j, (rubrik, text, _) in enumerate(tillagda, start=len(kolumner)):
        _not(ws, j, rubrik, text)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(fp.metadata.num_rows, 1), len(kolumner) + len(tillagda) - 1)
    skydd = _dolda_i_rad(mart, kolumner, dolda)
    for r, rad in enumerate(_rader(fil), start=1):   # the added values: names and texts (never a formula or link)
        _rad(ws, r, rad, grans, antal, kvoter, tider, f.tid, skydd(rad), [varde(rad) for _, _, varde in tillagda])


def _definitioner(ws, f: _Format, definitioner: list[list[str]]) -> None:
    ws.write_row(0, 0, DEFINITIONER, f.rubrik)
    for i, bredd in enumerate((24, 30, 10, 34, 90)):
        ws.set_column(i, i, bredd, f.radbryt if i == 4 else None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(definitioner), 1), len(DEFINITIONER) - 1)
    for r, rad in enumerate(definitioner, start=1):
        _skriv_rad(ws, r, rad)


def _las_mig(ws, f: _Format, framsida: Framsida, blad: list[tuple[str, Path | None]], grans: int) -> None:
    """What the workbook is and how to read it, and every sheet with its label and what it holds."""
    for i, bredd in enumerate((28, 42, 100)):
        ws.set_column(i, i, bredd, f.radbryt if i else None)
    ws.write(0, 0, framsida.rubrik, f.titel)
    stycken = framsida.stycken + [
        notis(grans) + f" En tom cell med en anteckning är {DOLD}; en tom cell utan anteckning är en uppgift som "
        "saknas (aldrig 0).",
        "Rad 1 i varje blad med data är kolumnernas namn i lagret, samma som i Parquet-filerna och i DuckDB; håll "
        "muspekaren över en rubrik för kolumnens svenska namn och definition (alla står också i bladet "
        "definitioner). Data börjar på rad 2, en rad per rad i lagret.",
        f"Kolumnerna {FORBUNDSNAMN} och {LAN} (och {REGELTEXT}, {REGELBESKRIVNING} i bladet datakvalitet) efter ett "
        "blads egna kolumner är tillagda för läsarna och finns inte i lagret.",
        "helt_ar = FALSKT markerar det påbörjade året: dess siffror växer ännu, och det ingår inte i Nyckeltal. "
        "Andelar visas i procent och belopp i kronor; cellerna har de exakta värdena, bara visningen är avrundad. "
        "Rubrikraden är låst och har filter. En text längre än 32 767 tecken (det en cell rymmer) är avkortad och "
        "slutar med …; hela texten finns i Parquet-filerna.",
    ]
    r = 2
    for text in stycken:
        ws.set_row(r, 15 * (1 + len(text) // 150))
        ws.merge_range(r, 0, r, 2, text, f.radbryt)
        r += 1
    r += 1
    ws.write_row(r, 0, ["Blad", "Innehåll", "Beskrivning"], f.rubrik)
    for namn, etikett, text in [(NYCKELTAL, "Nyckeltal per förbund", "Rapportens nyckeltal per förbund för det "
                                 "senaste hela året, undertryckta som i rapporten.")] + [
            (namn, *_innehall(fil)) for namn, fil in blad]:
        r += 1
        _skriv_rad(ws, r, [namn, etikett, text])  # no link: the workbook holds none (tests/test_lankar.py)


def _innehall(fil: Path | None) -> tuple[str, str]:
    """A sheet's label and description: its mart's declaration's."""
    if fil is None:
        return "Definitioner", "Varje kolumn i varje blad: typ, svenskt namn och definition (deklarationerna)."
    step = steps.BY_NAME.get(fil.stem)
    if step is None or step.declaration is None:
        return "", ""
    return step.declaration.etikett, step.declaration.beskrivning


def _nyckeltal(ws, f: _Format, framsida: Framsida) -> None:
    """The report's key figures per förbund, suppressed as in the report ('<5', dold, saknas as text)."""
    rubriker = ["Förbund", "Kod", "Län", "År"] + framsida.nyckeltal
    for i, bredd in enumerate((34, 20, 20, 6)):
        ws.set_column(i, i, bredd)
    for i, slag_ in enumerate(framsida.nyckelslag, start=4):
        ws.set_column(i, i, 16, f.tal.get(slag_))
    ws.set_row(0, 45)
    ws.write_row(0, 0, rubriker, f.rubrik)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(framsida.nyckelrader), 1), len(rubriker) - 1)
    for r, rad in enumerate(framsida.nyckelrader, start=1):
        _skriv_rad(ws, r, rad)


@contextlib.contextmanager
def excel_bredvid(parquet: list[Path], definitioner: list[list[str]], mal: Path, grans: int,
                  framsida: Framsida | None = None, dolda: dict | None = None) -> Iterator[Callable[[], Path]]:
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
                                         "framsida": asdict(framsida or Framsida()),
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
          Framsida(**argument["framsida"]), {tuple(c[:-1]): c[-1] for c in argument["dolda"]})
