"""Disclosure control: the one place that says which columns count individuals and how small counts are shown.

A count of individuals from 1 to `undertryck_under` - 1 (register.installningar, 5 in the sample) is shown as
"<5" in every chart, table and export; 0 stays 0 and a missing count stays "saknas". Anything built from such a
count (a ratio, a sum, a län total) is hidden as "dold", because the small count could otherwise be worked out
from it and the numbers shown beside it. The marts and the parquet copies keep the exact values.
"""
from __future__ import annotations

import duckdb

from finsam.report.format import tal

# Columns of any mart that count individuals. A new mart with such a column adds its name here (a test fails
# on any BIGINT mart column that is in neither set below).
INDIVIDRAKNINGAR = frozenset({
    "deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
    "pagaende_vid_arets_slut", "registreringar", "anonyma", "avslutade_totalt", "med_stod", "utan_stod",
    "aterkommande", "pagaende_over_365",
})
# BIGINT mart columns that are not counts of individuals in a service: shown as they are.
EJ_INDIVIDRAKNINGAR = frozenset({
    "kommuner", "befolkning_16_64", "befolkning_20_64", "befolkning_1_nov", "befolkning_medlemmar", "rad", "rader",
    "filer_lasta", "filer_avvisade", "varningar", "mappning_rad", "exitkod", "poang", "fel",
})
# Non-count columns that describe the individuals a count of the same row counts (a median of their days): hidden
# with that count, like a ratio built on it.
BESKRIVER = {"median_dagar": "avslutade", "p25_dagar": "avslutade", "p75_dagar": "avslutade"}
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
