"""SCB population exports: on 31 December (raw/scb/folkmangd/) and on 1 November (raw/scb/folkmangd_nov/). The
SCB conventions they share with helårsekvivalenter (regions, kön, `..`, layouts) are in finsam/sources/scb.py.

Accepted layouts: wide (optional title lines, then `region, ålder, kön, 2017, 2018, ...`, years as columns) and
long (`region, ålder, kön, år, antal`). Regions are written `1880 Örebro` or `00 Riket`; `..` and `-` mean the
value is not available and become NULL. `ålder` or `kön` left out of an export means the total.

A file becomes one row per region, year and kön (`man`, `kvinna`, `totalt`) with the population of the age
ranges the marts use. Rules (data-contract.md): `totalt` kön is used when present, else män + kvinnor, never
both; overlapping age rows reject the file; an age group that straddles a requested range (15-19 år for 16-64)
makes that range NULL where it occurs, with a warning naming the group and asking for single years
(ettårsklasser), while the other ranges are still built; a file from which no range and no total can be built is
rejected. A range the rows cover only in part is NULL, with a warning; a range holding a `..` cell is NULL.
A header cell holding a year that is not read as a year column rejects the file (the column would be lost).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.io.combine import LatestWins, conflict_finding
from finsam.io.convert import blank, convert, validated
from finsam.io.findings import FEL, VARNING, FileRejected, Finding
from finsam.io.tables import ROW, Column, RawTable
from finsam.sources.scb import (
    AR,
    KON_CHECKS,
    KON_COLUMN,
    NON_NEGATIVE,
    REGION,
    REGION_CHECK,
    SCB_FINDINGS,
    YEAR_CHECKS,
    YEARS,
    layout,
    normalise,
    read_scb,
    unused_regions,
)
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, SideTable, Source

KALLA, KALLA_NOV = "scb_folkmangd", "scb_folkmangd_nov"
OPEN = 999                 # upper end of an open age group such as `100+ år`
MEASURES = ["befolkning_16_64", "befolkning_20_64", "befolkning_totalt"]
RANGES = {"befolkning_16_64": (16, 64), "befolkning_20_64": (20, 64)}  # what the marts need from 31 Dec
OUTPUT = {"kommun": pl.String, "ar": pl.Int32, "kon": pl.String, **{m: pl.Int64 for m in MEASURES},
          "fil": pl.String, "rad": pl.Int64, "andrad": pl.Datetime("us")}
COLUMNS = [REGION, Column("alder", ("ålder", "åldersgrupp", "ålder (år)"), required=False), KON_COLUMN, AR,
           Column("antal", ("folkmängd", "befolkning", "antal personer"), required=False),
           *(Column(str(y), (f"folkmängd {y}", f"befolkning {y}", f"antal {y}"), required=False) for y in YEARS)]
AGE_TOTAL = {"totalt ålder", "totalt", "total", "samtliga åldrar", "alla åldrar", "ålder totalt"}
SINGLE = re.compile(r"(\d{1,3})(?: ?år)?")
BAND = re.compile(r"(\d{1,3}) ?[-–] ?(\d{1,3})(?: ?år)?")
OPEN_BAND = re.compile(r"(\d{1,3})(?: ?\+| och äldre| år och äldre)(?: ?år)?")
BAND_TEXT = "single years (ettårsklasser) or bands that start and end at 16, 20 and 64"


def age_band(text: str | None) -> tuple[int, int, bool] | None:
    """`16 år` -> (16, 16), `15-19 år` -> (15, 19), `100+ år` -> (100, OPEN), `totalt ålder` -> total."""
    if text is None:
        return None
    t = norm_name(text)
    if t in AGE_TOTAL:
        return 0, OPEN, True
    if m := SINGLE.fullmatch(t):
        return int(m.group(1)), int(m.group(1)), False
    if (m := BAND.fullmatch(t)) and int(m.group(1)) <= int(m.group(2)):
        return int(m.group(1)), int(m.group(2)), False
    if m := OPEN_BAND.fullmatch(t):
        return int(m.group(1)), OPEN, False
    return None


def schema(years: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "region": pa.Column(pl.String, REGION_CHECK, nullable=True),
        "alder": pa.Column(pl.String, blank("unreadable age", "an age such as '16 år', '15-19 år', '100+ år' or "
                                                               "'totalt ålder'"), nullable=True),
        "kon": pa.Column(pl.String, KON_CHECKS, nullable=True),
        **{c: pa.Column(pl.Int64, NON_NEGATIVE, nullable=True) for c in (years or ["antal"])},
        **({} if years else {"ar": pa.Column(pl.Int64, YEAR_CHECKS, nullable=True)}),
    }, strict=False)


def parse_file(path: Path, fil: str, kalla: str, registry: Registry,
               ranges: dict[str, tuple[int, int]]) -> tuple[pl.DataFrame, list[Finding]]:
    """One export to population per region, year and kön for `ranges` and in total."""
    table, notes = read_scb(path, fil, kalla, COLUMNS)
    years = layout(table, ["antal"])
    kinds = {"region": "text", "alder": "text", "kon": "text", **{y: "integer" for y in years},
             **({} if years else {"ar": "integer", "antal": "integer"})}
    typed, findings = convert(table, kinds, totals=years or ["antal"])
    ages = [age_band(t) if "alder" in table.frame.columns else (0, OPEN, True) for t in typed["alder"]]
    # `alder` keeps only whether the text parsed (pandera reports the text as written); the band goes to fran/till
    typed = normalise(table, typed, registry).with_columns(
        pl.Series("alder", ["ok" if a else None for a in ages], dtype=pl.String),
        pl.Series("fran", [a and a[0] for a in ages], dtype=pl.Int64),
        pl.Series("till", [a and a[1] for a in ages], dtype=pl.Int64),
        pl.Series("total", [a and a[2] for a in ages], dtype=pl.Boolean))
    index = [ROW, "region", "kon", "fran", "till", "total"]
    long = (typed.unpivot(index=index, on=years, variable_name="ar", value_name="antal") if years
            else typed.select(*index, "ar", "antal")).with_columns(pl.col("ar").cast(pl.Int32, strict=False))
    long = long.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in ("region", "kon", "fran", "ar")))
    texts = dict(zip(table.frame[ROW], table.frame["alder"])) if "alder" in table.frame.columns else {}
    findings += overlaps(table, long, texts)
    validated(table, typed, schema(years), findings)
    per_kon, partial, buildable = by_range(table, long, ranges)
    if long.height and not buildable:
        raise FileRejected(fil, nothing_built(table, ranges) + straddles(table, long, texts, ranges, rejected=True))
    straddling = straddles(table, long, texts, ranges)
    frame = with_totalt(per_kon).with_columns(*table.source())
    unused = unused_regions(table, frame["kommun"], registry, riket=kalla == KALLA)
    return frame.select(list(OUTPUT)).cast(OUTPUT), notes + straddling + partial + unused


def nothing_built(table: RawTable, ranges: dict[str, tuple[int, int]]) -> list[Finding]:
    """The file's age groups build none of the figures the folder is read for."""
    wanted = [f"{a}-{b} år" for a, b in ranges.values()] + ["the total"]
    names = wanted[0] if len(wanted) == 1 else ", ".join(wanted[:-1]) + " nor " + wanted[-1]
    groups = list(dict.fromkeys(t for t in table.frame["alder"] if t)) if "alder" in table.frame.columns else []
    return [Finding(
        "fil_avvisad", FEL, f"{'neither ' if len(wanted) > 1 else ''}{names} can be built from the age groups of "
        "the file", kalla=table.kalla, fil=table.fil, kolumn=table.label("alder"), hittat="; ".join(groups)[:200],
        forvantat=f"{BAND_TEXT}, or a 'totalt ålder' row")]


def overlaps(table: RawTable, long: pl.DataFrame, texts: dict[int, str]) -> list[Finding]:
    """Age rows of one region, kön and year that cover the same age (a repeated row included)."""
    findings, seen = [], set()
    rows = long.sort("region", "kon", "ar", "total", "fran", "till", ROW)
    group, reach = None, None
    for region, kon, ar, total, fran, till, rad in rows.select(
            "region", "kon", "ar", "total", "fran", "till", ROW).iter_rows():
        if (region, kon, ar, total) != group:
            group, reach = (region, kon, ar, total), (till, rad)
            continue
        if fran <= reach[0] and rad not in seen:
            seen.add(rad)
            other = reach[1]
            findings.append(Finding(
                "fil_avvisad", FEL, "overlapping age groups", kalla=table.kalla, fil=table.fil, rad=rad,
                kolumn=table.label("alder"), hittat=texts.get(rad, "totalt"),
                forvantat=f"age groups that do not overlap within a region, kön and year (row {other} has "
                          f"'{texts.get(other, 'totalt')}')"))
        if till > reach[0]:
            reach = (till, rad)
    return findings


def straddling(a: int, b: int) -> pl.Expr:
    """An age group that lies partly inside a-b."""
    return ~pl.col("total") & (((pl.col("fran") < a) & (pl.col("till") >= a))
                               | ((pl.col("fran") <= b) & (pl.col("till") > b)))


def straddles(table: RawTable, long: pl.DataFrame, texts: dict[int, str],
              ranges: dict[str, tuple[int, int]], rejected: bool = False) -> list[Finding]:
    """Age groups that lie partly inside a requested range (that range is NULL where they occur, see by_range):
    one warning per group, at its first row, naming the ranges it straddles; in a rejected file, one reason."""
    if not ranges or not long.height:
        return []
    cut = long.with_columns(pl.concat_list(
        pl.when(straddling(a, b)).then(pl.lit(f"{a}-{b} år")) for a, b in ranges.values()
    ).list.drop_nulls().alias("cut")).filter(pl.col("cut").list.len() > 0)
    bands = (cut.group_by("fran", "till").agg(pl.col(ROW).min(), pl.col("cut").first(),
                                              pl.struct("region", "ar", "kon").n_unique().alias("n"))
             .sort(ROW))
    findings = []
    for rad, names, n in bands.select(ROW, "cut", "n").iter_rows():
        which = " and ".join(names)
        where = "" if rejected else f" and is NULL for the {n} region/year/kön combination(s) with this group"
        findings.append(Finding(
            *(("fil_avvisad", FEL) if rejected else ("aldersband_straddlar", VARNING)),
            f"the age group straddles {which}, so the population {which} cannot be built exactly{where}: export "
            "single years of age (ettårsklasser) from SCB", kalla=table.kalla, fil=table.fil, rad=rad,
            kolumn=table.label("alder"), hittat=texts.get(rad), forvantat=BAND_TEXT, varde=float(n)))
    return findings


def by_range(table: RawTable, long: pl.DataFrame,
             ranges: dict[str, tuple[int, int]]) -> tuple[pl.DataFrame, list[Finding], bool]:
    """Population per region, year and kön for each range: the sum of the age rows inside it when they cover
    every age, none is `..` and no age group straddles the range; the total from a `totalt ålder` row, else from
    ages 0 to 100+. Also whether the age groups build any of them somewhere (values aside)."""
    keys = ["region", "ar", "kon"]
    out = long.group_by(keys).agg(pl.col(ROW).min().alias("rad"))
    ages = long.filter(~pl.col("total"))
    findings = []
    buildable = long.filter(pl.col("total")).height > 0
    for name, (a, b) in {**ranges, "_alla": (0, OPEN)}.items():
        inn = (pl.col("fran") >= a) & (pl.col("till") <= b)
        per = (ages.group_by(keys)
               .agg(pl.col("antal").filter(inn).sum().alias("s"), pl.col("antal").filter(inn).null_count()
                    .alias("nulls"), (pl.col("till") - pl.col("fran") + 1).filter(inn).sum().alias("width"),
                    straddling(a, b).any().alias("cut")))
        exact = (pl.col("width") == b - a + 1) & ~pl.col("cut")
        buildable = buildable or per.filter(exact).height > 0
        out = out.join(per.select(*keys, pl.when(exact & (pl.col("nulls") == 0)).then(pl.col("s")).alias(name)),
                       on=keys, how="left")
        # a range the rows do not reach at all is NULL silently; one cut by a straddling group has its own warning
        short = per.filter((pl.col("width") > 0) & (pl.col("width") < b - a + 1) & ~pl.col("cut")).sort(keys)
        if short.height and name != "_alla":
            region, ar, kon = short.row(0)[:3]
            findings.append(Finding(
                "befolkning_ofullstandig", VARNING, f"the age rows cover only part of {a}-{b} år for "
                f"{short.height} region/year/kön combination(s), so {name} is NULL there", kalla=table.kalla,
                fil=table.fil, kolumn=table.label("alder"), hittat=f"region {region}, {ar}, {kon}",
                forvantat=f"every age from {a} to {b} år", ar=ar, varde=float(short.height)))
    # a `totalt ålder` row wins over the ages, even when it is `..`: never both
    totals = long.filter(pl.col("total")).group_by(keys).agg(pl.col("antal").first().alias("_total"),
                                                            pl.lit(True).alias("_has"))
    out = out.join(totals, on=keys, how="left").with_columns(
        pl.when(pl.col("_has")).then(pl.col("_total")).otherwise(pl.col("_alla")).alias("befolkning_totalt"))
    out = out.with_columns(pl.lit(None, pl.Int64).alias(m) for m in MEASURES if m not in out.columns)
    return out.rename({"region": "kommun"}).select("kommun", "ar", "kon", *MEASURES, "rad"), findings, buildable


def with_totalt(per_kon: pl.DataFrame) -> pl.DataFrame:
    """Add kön `totalt` as män + kvinnor where the file gives no `totalt` row: never both."""
    keys = ["kommun", "ar"]
    pairs = per_kon.filter(pl.col("kon").is_in(["man", "kvinna"])).group_by(keys).agg(
        pl.lit("totalt").alias("kon"), pl.col("rad").min(),
        *(pl.when((pl.col("kon").n_unique() == 2) & (pl.col(m).count() == 2)).then(pl.col(m).sum()).alias(m)
          for m in MEASURES))
    given = per_kon.filter(pl.col("kon") == "totalt").select(keys)
    return pl.concat([per_kon, pairs.join(given, on=keys, how="anti").select(per_kon.columns)],
                     how="vertical_relaxed").sort("kommun", "ar", "kon")


# One row per region, year and kön: the newest file wins, a disagreement is a finding.
COMBINE = LatestWins(OUTPUT, ["kommun", "ar", "kon"], MEASURES,
                     lambda row, kalla: conflict_finding(
                         row, kalla, MEASURES, f"the population of region {row['kommun']} ({row['kon']})",
                         ar=row["ar"]))


def parse(path: Path, fil: str, b) -> tuple[pl.DataFrame, list[Finding]]:
    """Population on 31 December: the ranges the marts need, and the total."""
    return parse_file(path, fil, KALLA, b.registry, RANGES)


def parse_nov(path: Path, fil: str, b) -> tuple[pl.DataFrame, list[Finding]]:
    """Population on 1 November: the total only."""
    return parse_file(path, fil, KALLA_NOV, b.registry, {})


def population(table: str, columns: list[str]) -> SideTable:
    """staging.befolkning(_nov): both kön together, one row per region and year."""
    return SideTable(table, lambda f: f.filter(pl.col("kon") == "totalt").select(columns))


SOURCE = Source(
    "folkmangd_rader", "scb/folkmangd", KALLA, "scb",
    "Population on 31 December from raw/scb/folkmangd/ per region, year and kön: ages 16-64, 20-64 and all. "
    "Beside it staging.befolkning: one row per region and year, both kön.",
    tuple(COLUMNS), schema,
    FILE_FINDINGS + DUPLICATE_FINDINGS + SCB_FINDINGS + ("aldersband_straddlar", "befolkning_ofullstandig"),
    parse, COMBINE, (population("staging.befolkning", ["kommun", "ar", *MEASURES]),))

# No age range is asked of 1 November, so no age group can straddle one or cover one in part.
SOURCE_NOV = Source(
    "folkmangd_nov_rader", "scb/folkmangd_nov", KALLA_NOV, "scb",
    "Population on 1 November from raw/scb/folkmangd_nov/ (the kommun split of medlemsbidrag for year y uses "
    "1 November y-1). Beside it staging.befolkning_nov (kommun, ar, befolkning_totalt).",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS + SCB_FINDINGS,
    parse_nov, COMBINE, (population("staging.befolkning_nov", ["kommun", "ar", "befolkning_totalt"]),))
