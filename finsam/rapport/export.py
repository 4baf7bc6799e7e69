"""Exports beside the report: Excel for owners (suppressed as the report) and parquet for analysts (exact)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import xlsxwriter

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


def _rad(ws, r: int, kolumner: list[str], rad: tuple, grans: int, kvoter: dict[int, tuple[int, ...]]) -> None:
    """One mart row as row r: a count of individuals 1..grans-1 is the text '<5'; a ratio built on one is empty
    with a note; every other value is written as it is."""
    celler = list(rad)
    for i, (kolumn, v) in enumerate(zip(kolumner, rad)):
        if kolumn in INDIVIDRAKNINGAR and undertryckt(v, grans):
            celler[i] = undertryckt_text(grans)
        elif i in kvoter and any(undertryckt(rad[j], grans) for j in kvoter[i]):
            celler[i] = None
            ws.write_comment(r, i, f"{DOLD}: bygger på ett antal under {grans}", {"author": "finsam"})
    ws.write_row(r, 0, celler)


def excel(con: duckdb.DuckDBPyConnection, mal: Path, grans: int) -> Path:
    """genomlysning.xlsx: one sheet per mart named as the mart, its columns in row 1, one row per mart row; and a
    sheet `definitioner` with each column's definition (the DuckDB column comment, else the report's own).
    Written a row at a time (xlsxwriter's constant-memory mode); text is always text, never a formula or link."""
    mal.parent.mkdir(parents=True, exist_ok=True)
    tmp = mal.with_name(mal.name + ".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
                                        "nan_inf_to_errors": True})
    fet = wb.add_format({"bold": True})
    for mart in marts(con):
        ws = wb.add_worksheet(mart[:ARKNAMN_MAX])
        res = con.execute(f'select * from marts."{mart}"')
        kolumner = [d[0] for d in res.description]
        index = {k: i for i, k in enumerate(kolumner)}
        matt = {k: m for k in kolumner if (m := matt_for(k)) is not None and m.namnare}
        kvoter = {index[k]: tuple(index[t] for t in m.antal_termer if t in index) for k, m in matt.items()}
        kvoter.update({index[k]: (index[t],) for k, t in BESKRIVER.items() if k in index and t in index})
        kvoter = {i: t for i, t in kvoter.items() if t}
        ws.write_row(0, 0, kolumner, fet)
        for r, rad in enumerate(res.fetchall(), start=1):
            _rad(ws, r, kolumner, rad, grans, kvoter)
    ws = wb.add_worksheet("definitioner")
    ws.write_row(0, 0, ["mart", "kolumn", "typ", "definition", "källa"])
    for r, (mart, kolumn, typ, kommentar) in enumerate(con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() where schema_name = 'marts' "
            "order by table_name, column_index").fetchall(), start=1):
        ws.write_row(r, 0, [mart, kolumn, typ, kommentar or kolumndefinition(mart, kolumn),
                            "kolumnkommentar i lagret" if kommentar else "rapportens definition"])
    wb.close()
    return ersatt(tmp, mal)
