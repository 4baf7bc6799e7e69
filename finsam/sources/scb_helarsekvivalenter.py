"""Helårsekvivalenter (raw/scb/helarsekvivalenter/): SCB/Statisticon "Den offentliga försörjningens omfattning",
per region, kön, ersättning and year, as a count, as a share of the population 20-64 (in %), or both.

Long layout: `region, kön, ersättning, år, helårsekvivalenter, andel`. Wide layout: `region, kön, ersättning`
and per year `helårsekvivalenter 2017` and/or `andel 2017`. A file without `kön` or `ersättning` holds totals.
Same SCB conventions as population (finsam.sources.scb): regions `1880 Örebro` / `00 Riket`, `..` and `-` are NULL.
Shares are stored as fractions 0-1. Meaning (weighting, reconstruction from shares) is in SQL.
A header cell holding a year that is not read as a column (a bare `2019`, `andel 2019 (prel)`) rejects the file.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.io.combine import LatestWins, conflict_finding
from finsam.io.convert import blank, convert, map_distinct, no_duplicates, validated
from finsam.io.findings import Finding
from finsam.io.tables import ROW, Column
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
    year_columns,
)
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, Source

KALLA = "scb_helarsekvivalenter"
VALUES = ["helarsekvivalenter", "andel"]
ERSATTNING = {
    "sjukpenning": "sjukpenning", "sjukpenning och rehabiliteringspenning": "sjukpenning",
    "sjuk- och aktivitetsersättning": "sjuk_aktivitetsersattning",
    "sjuk och aktivitetsersättning": "sjuk_aktivitetsersattning",
    "sjuk- och aktivitetsersättning (förtidspension)": "sjuk_aktivitetsersattning",
    "arbetslöshetsersättning": "arbetsloshetsersattning", "ersättning vid arbetslöshet": "arbetsloshetsersattning",
    "arbetsmarknadsstöd": "arbetsloshetsersattning",
    "ekonomiskt bistånd": "ekonomiskt_bistand", "försörjningsstöd": "ekonomiskt_bistand",
    "etableringsersättning": "etableringsersattning", "etableringsstöd": "etableringsersattning",
    "totalt": "totalt", "total": "totalt", "samtliga": "totalt", "samtliga ersättningar": "totalt",
}
CODES = sorted(set(ERSATTNING.values()))
H, A = "helarsekvivalenter_", "andel_"  # prefixes of the wide layout's year columns
YEAR_HEADER_TEXT = "a measure and a year such as 'helårsekvivalenter 2019' or 'andel 2019'"
COLUMNS = [
    REGION, KON_COLUMN, AR,
    Column("ersattning", ("ersättning", "ersättningsslag", "ersättningstyp", "förmån"), required=False),
    Column("helarsekvivalenter", ("helårsekvivalenter", "antal helårsekvivalenter", "antal"), required=False),
    Column("andel", ("andel (%)", "andel %", "andel av befolkningen 20-64 år (%)", "procent"), required=False),
    *(Column(f"{H}{y}", (f"helårsekvivalenter {y}", f"antal helårsekvivalenter {y}"), required=False)
      for y in YEARS),
    *(Column(f"{A}{y}", (f"andel {y}", f"andel (%) {y}", f"andel % {y}", f"procent {y}"), required=False)
      for y in YEARS),
]
OUTPUT = {"kommun": pl.String, "ar": pl.Int32, "kon": pl.String, "ersattning": pl.String,
          "helarsekvivalenter": pl.Float64, "andel": pl.Float64, "fil": pl.String, "rad": pl.Int64,
          "andrad": pl.Datetime("us")}


def schema(counts: list[str], shares: list[str], long: bool) -> pa.DataFrameSchema:
    key = ["region", "kon", "ersattning", *(["ar"] if long else [])]
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "region": pa.Column(pl.String, REGION_CHECK, nullable=True),
        "kon": pa.Column(pl.String, KON_CHECKS, nullable=True),
        "ersattning": pa.Column(pl.String, [
            blank("ersättning is blank", "an ersättning, or totalt"),
            pa.Check.isin(CODES, error="not a valid ersättning",
                          description="sjukpenning, sjuk- och aktivitetsersättning, arbetslöshetsersättning, "
                                      "ekonomiskt bistånd, etableringsersättning or totalt")], nullable=True),
        **{c: pa.Column(pl.Float64, NON_NEGATIVE, nullable=True) for c in counts},
        **{c: pa.Column(pl.Float64, pa.Check.in_range(0, 100, error="share out of range",
                                                      description="a share in % from 0 to 100"), nullable=True)
           for c in shares},
        **({"ar": pa.Column(pl.Int64, YEAR_CHECKS, nullable=True)} if long else {}),
    }, checks=[no_duplicates(key, "region", "duplicate row", "one row per region, kön, ersättning and year")],
        strict=False)


def parse_file(path: Path, fil: str, registry: Registry) -> tuple[pl.DataFrame, list[Finding]]:
    table, notes = read_scb(path, fil, KALLA, COLUMNS, YEAR_HEADER_TEXT)
    # shares are written `11,9` or `11,9 %`
    shares = [c for c in table.frame.columns if c == "andel" or c.startswith(A)]
    table = dataclasses.replace(table, frame=table.frame.with_columns(
        pl.col(c).str.replace(r"\s*%$", "") for c in shares))
    wide = layout(table, VALUES, (H, A))
    counts = [c for c in table.frame.columns if c == "helarsekvivalenter" or c.startswith(H)]
    long = not wide
    kinds = {"region": "text", "kon": "text", "ersattning": "text", **{c: "number" for c in counts + shares},
             **({"ar": "integer"} if long else {})}
    typed, findings = convert(table, kinds, totals=counts)
    typed = normalise(table, typed, registry).with_columns(
        map_distinct(typed["ersattning"], lambda e: ERSATTNING.get(norm_name(e), e)).alias("ersattning")
        if "ersattning" in table.frame.columns else pl.lit("totalt").alias("ersattning"))
    typed = validated(table, typed, schema(counts, shares, long), findings)
    keys = [ROW, "region", "kon", "ersattning"]
    if long:
        rows = typed.select(*keys, "ar", *(pl.col(v) if v in typed.columns else pl.lit(None, pl.Float64).alias(v)
                                           for v in VALUES))
    else:
        years = sorted({c.removeprefix(H).removeprefix(A) for c in year_columns(table, H) + year_columns(table, A)})
        rows = pl.concat([typed.select(
            *keys, pl.lit(int(y)).alias("ar"),
            *(pl.col(p + y).alias(v) if p + y in typed.columns else pl.lit(None, pl.Float64).alias(v)
              for p, v in ((H, "helarsekvivalenter"), (A, "andel")))) for y in years])
    frame = rows.rename({"region": "kommun", ROW: "rad"}).with_columns(
        (pl.col("andel") / 100).round(10), *table.source())
    return frame.select(list(OUTPUT)).cast(OUTPUT), notes + unused_regions(table, frame["kommun"], registry, True)


# One row per region, year, kön and ersättning: the newest file wins, a disagreement is a finding.
COMBINE = LatestWins(OUTPUT, ["kommun", "ar", "kon", "ersattning"], VALUES,
                     lambda row, kalla: conflict_finding(
                         row, kalla, VALUES, f"helårsekvivalenter of region {row['kommun']} "
                         f"({row['kon']}, {row['ersattning']})", ar=row["ar"]))


def parse(path: Path, fil: str, b) -> tuple[pl.DataFrame, list[Finding]]:
    return parse_file(path, fil, b.registry)


SOURCE = Source(
    "helarsekvivalenter_rader", "scb/helarsekvivalenter", KALLA, "scb",
    "Helårsekvivalenter per region, year, kön and ersättning from raw/scb/helarsekvivalenter/: counts and/or "
    "shares of the population 20-64 (fractions).",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS + SCB_FINDINGS, parse, COMBINE)
