"""SCB statistical-database conventions shared by every SCB and Statisticon export (raw/scb/...): regions written
`1880 Örebro` or `00 Riket`, kön as män/kvinnor/totalt, `..` and `-` for values not available (NULL), wide layouts
with years as columns or long ones with an `år` column. A header cell holding a year that is not read as a year
column rejects the file (the column would be lost). Population is finsam/sources/scb_folkmangd.py, helårsekvivalenter
finsam/sources/scb_helarsekvivalenter.py.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import COUNTY_CODES, Registry, norm_name
from finsam.io.convert import blank, map_distinct, year
from finsam.io.findings import FEL, INFO, FileRejected, Finding
from finsam.io.tables import ROW, Column, RawTable, header_key, read_table

YEARS = range(1968, 2100)  # SCB's population series start in 1968
MISSING = {"..", "-", "–"}  # SCB: value not available
REGION = Column("region", ("kommun", "region (kod och namn)", "regionkod", "område"))
KON_COLUMN = Column("kon", ("kön",), required=False)
AR = Column("ar", ("år", "year", "tid"), required=False)
KON = {"män": "man", "man": "man", "m": "man", "kvinnor": "kvinna", "kvinna": "kvinna", "k": "kvinna",
       "totalt": "totalt", "total": "totalt", "båda könen": "totalt", "män och kvinnor": "totalt"}
KON_TEXT = "män, kvinnor or totalt"
CODE = re.compile(r"(\d{2}|\d{4})(?:\s+\S.*)?")
YEAR_IN_HEADER = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
YEAR_HEADER_TEXT = "a year such as 2019 (or 'folkmängd 2019')"
# Finding codes of every SCB source: `..` cells read as NULL (read_scb), a file of no member kommun (unused_regions).
SCB_FINDINGS = ("saknat_varde", "inga_medlemskommuner")


def year_columns(table: RawTable, prefix: str = "") -> list[str]:
    return [c for c in table.frame.columns if c.startswith(prefix) and c[len(prefix):].isdigit()]


def unread_year_headers(table: RawTable, forvantat: str) -> None:
    """A header cell holding a year (19xx/20xx) that is not read as a column would silently lose that year's
    figures (`2019 (prel)`): reject the file, naming the cell."""
    read = {header_key(h) for h in table.headers.values()}
    unread = [c for c in table.header_cells if YEAR_IN_HEADER.search(c) and header_key(c) not in read]
    if unread:
        raise FileRejected(table.fil, [Finding(
            "fil_avvisad", FEL, "the header holds a year that is not read as a year column, so its figures would "
            "be lost", kalla=table.kalla, fil=table.fil, rad=table.header_rad, kolumn=c, hittat=c,
            forvantat=forvantat)
            for c in unread])


def unused_regions(table: RawTable, regions: pl.Series, registry: Registry, riket: bool) -> list[Finding]:
    """An info finding when the file holds no member kommun of any configured förbund (and, where riket is used,
    no `00 Riket`): it loads, but no mart reads its rows."""
    found = set(regions.drop_nulls())
    members = {m.kommun for f in registry.forbund for m in f.medlemmar}
    if not found or found & members or (riket and "00" in found):
        return []
    expected = "a member kommun of a förbund in forbund.yaml" + (" or 00 Riket" if riket else "")
    listed = sorted(found)
    return [Finding(
        "inga_medlemskommuner", INFO, f"the file holds no member kommun of a configured förbund"
        f"{' and no 00 Riket' if riket else ''}: its rows are not used by any mart", kalla=table.kalla,
        fil=table.fil, kolumn=table.label("region"),
        hittat=", ".join(listed[:10]) + (f" and {len(listed) - 10} more" if len(listed) > 10 else ""),
        forvantat=expected, varde=float(len(listed)))]


def read_scb(path: Path, fil: str, kalla: str, columns: list[Column],
             year_header: str = YEAR_HEADER_TEXT) -> tuple[RawTable, list[Finding]]:
    """read_table, then `..`/`-` cells blanked (NULL, not a parse error) with one info finding saying so. A header
    cell with a year that is not a year column rejects the file."""
    table = read_table(path, columns, fil, kalla)
    unread_year_headers(table, year_header)
    values = [c for c in table.frame.columns if c not in (ROW, "region", "alder", "kon", "ersattning")]
    stripped = {c: pl.col(c).str.strip_chars() for c in values}
    first, n = None, 0
    for c in values:
        hits = table.frame.filter(stripped[c].is_in(list(MISSING)))
        if hits.height:
            n += hits.height
            first = min(first or (10**9, ""), (hits[ROW][0], c))
    frame = table.frame.with_columns(pl.when(e.is_in(list(MISSING))).then(pl.lit("")).otherwise(pl.col(c)).alias(c)
                                     for c, e in stripped.items())
    findings = [] if not n else [Finding(
        "saknat_varde", INFO, f"{n} cell(s) marked '..' or '-' (not available in SCB) are read as NULL; a figure "
        "that needs them is NULL", kalla=kalla, fil=fil, rad=first[0], kolumn=table.label(first[1]),
        varde=float(n))]
    return dataclasses.replace(table, frame=frame), findings


def region_names(registry: Registry) -> dict[str, str]:
    """Region written without its code: member kommuner by name, and the country."""
    names = {norm_name(m.namn): m.kommun for f in registry.forbund for m in f.medlemmar}
    return {**names, "riket": "00", "hela riket": "00", "sverige": "00"}


def region_code(text: str | None, names: dict[str, str]) -> str | None:
    """`1880 Örebro` -> `1880`, `00 Riket` -> `00`; NULL when the code is not a country, county or kommun code."""
    if text is None:
        return None
    m = CODE.fullmatch(text.strip())
    code = m.group(1) if m else names.get(norm_name(text))
    if code is None or not (code == "00" or code[:2] in COUNTY_CODES):
        return None
    return code


# The checks every SCB export shares, each with its words for the finding it makes.
REGION_CHECK = blank("unknown region", "a region code and name, such as '1880 Örebro' or '00 Riket'")
KON_CHECKS = [blank("kön is blank", KON_TEXT),
              pa.Check.isin(["man", "kvinna", "totalt"], error="not a valid kön", description=KON_TEXT)]
YEAR_CHECKS = year(YEARS.start, YEARS.stop - 1)
NON_NEGATIVE = pa.Check.ge(0, error="negative number", description="a number of 0 or more")


def normalise(table: RawTable, typed: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """Region text to its code; kön to man/kvinna/totalt (a file without a kön column is totals)."""
    names = region_names(registry)
    kon = (map_distinct(typed["kon"], lambda k: KON.get(norm_name(k), k))
           if "kon" in table.frame.columns else pl.lit("totalt"))
    return typed.with_columns(map_distinct(typed["region"], lambda t: region_code(t, names)).alias("region"),
                              kon.alias("kon"))


def layout(table: RawTable, values: list[str], prefixes: tuple[str, ...] = ("",)) -> list[str]:
    """The year columns of a wide file, or [] for a long one (`år` plus a value column); else reject."""
    years = [c for p in prefixes for c in year_columns(table, p)]
    if "ar" in table.frame.columns and any(v in table.frame.columns for v in values):
        return []
    if years and "ar" not in table.frame.columns:
        return years
    raise FileRejected(table.fil, [Finding(
        "fil_avvisad", FEL, "neither years as columns nor a year column with values", kalla=table.kalla,
        fil=table.fil, hittat="; ".join(table.headers.values()),
        forvantat=f"year columns (2017, 2018, ...) or the columns år and {' or '.join(values)}")])
