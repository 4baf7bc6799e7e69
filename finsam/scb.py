"""SCB statistical-database exports: population on 31 December (raw/scb/folkmangd/) and on 1 November
(raw/scb/folkmangd_nov/), plus the SCB conventions that raw/scb/helarsekvivalenter/ shares.

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

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.combine import conflict_finding, latest_wins
from finsam.config import COUNTY_CODES, Registry, norm_name
from finsam.convert import convert, validated, year_rules
from finsam.findings import FEL, INFO, VARNING, FileRejected, Finding
from finsam.tabular import ROW, Column, RawTable, header_key, read_table

KALLA, KALLA_NOV = "scb_folkmangd", "scb_folkmangd_nov"
YEARS = range(1968, 2100)  # SCB's population series start in 1968
OPEN = 999                 # upper end of an open age group such as `100+ år`
MISSING = {"..", "-", "–"}  # SCB: value not available
MEASURES = ["befolkning_16_64", "befolkning_20_64", "befolkning_totalt"]
RANGES = {"befolkning_16_64": (16, 64), "befolkning_20_64": (20, 64)}  # what the marts need from 31 Dec
OUTPUT = {"kommun": pl.String, "ar": pl.Int32, "kon": pl.String, **{m: pl.Int64 for m in MEASURES},
          "fil": pl.String, "rad": pl.Int64, "andrad": pl.Datetime("us")}

REGION = Column("region", ("kommun", "region (kod och namn)", "regionkod", "område"))
KON_COLUMN = Column("kon", ("kön",), required=False)
AR = Column("ar", ("år", "year", "tid"), required=False)
COLUMNS = [REGION, Column("alder", ("ålder", "åldersgrupp", "ålder (år)"), required=False), KON_COLUMN, AR,
           Column("antal", ("folkmängd", "befolkning", "antal personer"), required=False),
           *(Column(str(y), (f"folkmängd {y}", f"befolkning {y}", f"antal {y}"), required=False) for y in YEARS)]
KON = {"män": "man", "man": "man", "m": "man", "kvinnor": "kvinna", "kvinna": "kvinna", "k": "kvinna",
       "totalt": "totalt", "total": "totalt", "båda könen": "totalt", "män och kvinnor": "totalt"}
KON_TEXT = "män, kvinnor or totalt"
AGE_TOTAL = {"totalt ålder", "totalt", "total", "samtliga åldrar", "alla åldrar", "ålder totalt"}
SINGLE = re.compile(r"(\d{1,3})(?: ?år)?")
BAND = re.compile(r"(\d{1,3}) ?[-–] ?(\d{1,3})(?: ?år)?")
OPEN_BAND = re.compile(r"(\d{1,3})(?: ?\+| och äldre| år och äldre)(?: ?år)?")
CODE = re.compile(r"(\d{2}|\d{4})(?:\s+\S.*)?")
YEAR_IN_HEADER = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
YEAR_HEADER_TEXT = "a year such as 2019 (or 'folkmängd 2019')"
BAND_TEXT = "single years (ettårsklasser) or bands that start and end at 16, 20 and 64"


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


REGION_RULES = {
    "region:not_nullable": ("a region code and name, such as '1880 Örebro' or '00 Riket'", "unknown region"),
    "kon:isin": (KON_TEXT, "not a valid kön"),
    "kon:not_nullable": (KON_TEXT, "kön is blank"),
    **year_rules(YEARS.start, YEARS.stop - 1),
    "greater_than_or_equal_to": ("a number of 0 or more", "negative number"),
}


def normalise(table: RawTable, typed: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """Region text to its code; kön to man/kvinna/totalt (a file without a kön column is totals)."""
    names = region_names(registry)
    kon = (pl.col("kon").map_elements(lambda k: KON.get(norm_name(k), k), return_dtype=pl.String)
           if "kon" in table.frame.columns else pl.lit("totalt"))
    return typed.with_columns(
        pl.Series("region", [region_code(t, names) for t in typed["region"]], dtype=pl.String), kon.alias("kon"))


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
        "region": pa.Column(pl.String, nullable=False),
        "alder": pa.Column(pl.String, nullable=False),
        "kon": pa.Column(pl.String, pa.Check.isin(["man", "kvinna", "totalt"]), nullable=False),
        **{c: pa.Column(pl.Int64, pa.Check.ge(0), nullable=True) for c in (years or ["antal"])},
        **({} if years else {"ar": pa.Column(pl.Int64, pa.Check.in_range(YEARS.start, YEARS.stop - 1),
                                             nullable=False)}),
    }, strict=False)


RULES = {**REGION_RULES,
         "alder:not_nullable": ("an age such as '16 år', '15-19 år', '100+ år' or 'totalt ålder'",
                                "unreadable age")}


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
    validated(table, typed, schema(years), findings, RULES)
    per_kon, partial, buildable = by_range(table, long, ranges)
    if long.height and not buildable:
        raise FileRejected(fil, nothing_built(table, ranges) + straddles(table, long, texts, ranges, rejected=True))
    straddling = straddles(table, long, texts, ranges)
    frame = with_totalt(per_kon).with_columns(
        pl.lit(fil).alias("fil"), pl.lit(dt.datetime.fromtimestamp(path.stat().st_mtime)).alias("andrad"))
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


def combine(frames: list[pl.DataFrame], kalla: str = KALLA) -> tuple[pl.DataFrame, list[Finding]]:
    """One row per region, year and kön: the newest file wins, a disagreement is a finding."""
    if not frames:
        return pl.DataFrame(schema=OUTPUT), []
    key = ["kommun", "ar", "kon"]
    kept, findings = latest_wins(pl.concat(frames, how="vertical_relaxed"), key, MEASURES, kalla,
                                 lambda row, k: conflict_finding(
                                     row, k, MEASURES, f"the population of region {row['kommun']} ({row['kon']})",
                                     ar=row["ar"]))
    return kept.sort(key), findings
