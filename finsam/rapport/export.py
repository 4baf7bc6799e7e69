"""Exports beside the report: Excel for owners (suppressed as the report) and parquet for analysts (exact)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font

from finsam.rapport.data import marts
from finsam.rapport.definitioner import kolumndefinition
from finsam.rapport.matt import matt_for
from finsam.rapport.skydd import BESKRIVER, DOLD, INDIVIDRAKNINGAR, undertryckt, undertryckt_text

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
        con.execute(f"copy (select * from marts.\"{mart}\") to '{tmp}' (format parquet)")
        ut.append(ersatt(tmp, mal))
    return ut


def _rad(ws, kolumner: list[str], rad: tuple, grans: int, kvoter: dict[int, tuple[int, ...]]) -> list:
    """One mart row as cells: a count of individuals 1..grans-1 is the text '<5'; a ratio built on one is empty
    with a note; every other number stays a number."""
    celler, notis = [], False
    for i, (kolumn, v) in enumerate(zip(kolumner, rad)):
        if kolumn in INDIVIDRAKNINGAR and undertryckt(v, grans):
            celler.append(undertryckt_text(grans))
        elif i in kvoter and any(undertryckt(rad[j], grans) for j in kvoter[i]):
            cell = WriteOnlyCell(ws, value=None)
            cell.comment = Comment(f"{DOLD}: bygger på ett antal under {grans}", "finsam")
            celler.append(cell)
            notis = True
        else:
            celler.append(v)
    # openpyxl's write-only sheet lends a cell's note to the plain values after it in the row: wrap them too
    return [c if isinstance(c, Cell) else WriteOnlyCell(ws, value=c) for c in celler] if notis else celler


def excel(con: duckdb.DuckDBPyConnection, mal: Path, grans: int) -> Path:
    """genomlysning.xlsx: one sheet per mart named as the mart, its columns in row 1, one row per mart row; and a
    sheet `definitioner` with each column's definition (the DuckDB column comment, else the report's own)."""
    wb = Workbook(write_only=True)
    fet = Font(bold=True)
    for mart in marts(con):
        ws = wb.create_sheet(mart[:ARKNAMN_MAX])
        res = con.execute(f'select * from marts."{mart}"')
        kolumner = [d[0] for d in res.description]
        index = {k: i for i, k in enumerate(kolumner)}
        matt = {k: m for k in kolumner if (m := matt_for(k)) is not None and m.namnare}
        kvoter = {index[k]: tuple(index[t] for t in m.antal_termer if t in index) for k, m in matt.items()}
        kvoter.update({index[k]: (index[t],) for k, t in BESKRIVER.items() if k in index and t in index})
        kvoter = {i: t for i, t in kvoter.items() if t}
        rubrik = []
        for k in kolumner:
            cell = WriteOnlyCell(ws, value=k)
            cell.font = fet
            rubrik.append(cell)
        ws.append(rubrik)
        for rad in res.fetchall():
            ws.append(_rad(ws, kolumner, rad, grans, kvoter))
    ws = wb.create_sheet("definitioner")
    ws.append(["mart", "kolumn", "typ", "definition", "källa"])
    for mart, kolumn, typ, kommentar in con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() where schema_name = 'marts' "
            "order by table_name, column_index").fetchall():
        ws.append([mart, kolumn, typ, kommentar or kolumndefinition(mart, kolumn),
                   "kolumnkommentar i lagret" if kommentar else "rapportens definition"])
    mal.parent.mkdir(parents=True, exist_ok=True)
    tmp = mal.with_name(mal.name + ".tmp")
    wb.save(tmp)
    return ersatt(tmp, mal)
