"""Disclosure control: the one place that says which columns count individuals and how small counts are shown.

A count of individuals from 1 to `undertryck_under` - 1 (register.installningar, 5 in the sample) is shown as
"<5" in every chart, table and export; 0 stays 0 and a missing count stays "saknas". Anything built from such a
count (a ratio, a sum, a län total) is hidden as "dold", because the small count could otherwise be worked out
from it and the numbers shown beside it. The marts and the parquet copies keep the exact values.
"""
from __future__ import annotations

import duckdb

from finsam.build import steps
from finsam.report.format import tal


def _declarations():
    return [s.declaration for s in steps.MARTS]


# Columns of any mart that count individuals (disclosure class personer in its declaration): derived, and a mart
# column without a class does not load.
INDIVIDRAKNINGAR = frozenset(c.namn for d in _declarations() for c in d.kolumner if c.skydd == "personer")


def personer(mart: str) -> frozenset[str]:
    """The columns of one mart that count individuals."""
    return frozenset(steps.BY_NAME[mart].declaration.of_class("personer"))


def bygger_pa(mart: str) -> dict[str, tuple[str, ...]]:
    """column -> the counts of individuals of the same row it is built on (a ratio, a median of their days), for one
    mart: hidden wherever one of them is suppressed."""
    return {c.namn: c.av for c in steps.BY_NAME[mart].declaration.kolumner if c.av}


DOLD = "dold"


def grans(con: duckdb.DuckDBPyConnection) -> int:
    """undertryck_under from the build's settings: counts below it (and above 0) are suppressed."""
    return int(con.execute("select undertryck_under from register.installningar").fetchall()[0][0])


def undertryckt(antal, grans: int) -> bool:
    return antal is not None and 1 <= antal < grans


def undertryckt_text(grans: int) -> str:
    return f"<{grans}"


def antal_text(antal, grans: int) -> str:
    """A count of individuals as shown: '<5' when suppressed, else the number (0 stays 0, None is 'saknas')."""
    return undertryckt_text(grans) if undertryckt(antal, grans) else tal(antal)


def notis(grans: int) -> str:
    return (f"Antal individer 1–{grans - 1} visas som {undertryckt_text(grans)}; en kvot eller summa som bygger på "
            f"ett sådant antal visas inte ({DOLD}).")
