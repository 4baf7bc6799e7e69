"""Decided medelstilldelning (raw/tilldelning/): per förbund and year, what the state, the region and the member
kommuner contribute, and optionally the state money requested and the state money the förbund could have had, and
what the förbund asked of the region and of the kommuner (Ansökt region, Ansökt kommuner)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.io.combine import LatestWins, conflict_finding
from finsam.io.convert import (
    UNKNOWN_FORBUND,
    blank,
    convert,
    forbund_codes,
    map_distinct,
    no_duplicates,
    validated,
    year,
)
from finsam.io.findings import Finding
from finsam.io.tables import ROW, Column, read_table
from finsam.sources.ekonomi import ENHET, ambiguous_kr
from finsam.sources.source import AR, DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, Source, with_registry_and_date

KALLA = "tilldelning"
AMOUNTS = ["stat", "region", "kommuner", "ansokt_stat", "mojlig_stat", "ansokt_region", "ansokt_kommuner"]
OPTIONAL = ("ansokt_stat", "mojlig_stat", "ansokt_region", "ansokt_kommuner")  # blank = not given
COLUMNS = [
    FORBUND,
    AR,
    Column("stat", ("staten", "statligt", "försäkringskassan", "stat (fk)")),
    Column("region", ("regionen", "landsting", "landstinget")),
    Column("kommuner", ("kommunerna", "kommun")),
    Column("ansokt_stat", ("ansökt stat", "ansökt statligt", "äskat stat", "äskad stat"), required=False),
    Column("mojlig_stat", ("möjlig stat", "möjligt statligt", "möjligt stat", "möjlig statlig tilldelning"),
           required=False),
    Column("ansokt_region", ("ansökt region", "ansökt regionen", "äskat region", "äskad region",
                             "ansökt landsting"), required=False),
    Column("ansokt_kommuner", ("ansökt kommuner", "ansökt kommunerna", "äskat kommuner", "äskade kommuner",
                               "ansökt kommun"), required=False),
    Column("enhet", ("valuta",)),
]
KINDS = {"forbund": "text", "ar": "integer", "enhet": "text", **{c: "number" for c in AMOUNTS}}
OUTPUT = {"forbund": pl.String, "ar": pl.Int32, **{c: pl.Float64 for c in AMOUNTS}, "enhet": pl.String,
          "fil": pl.String, "rad": pl.Int64, "andrad": pl.Datetime("us")}


def schema(today: dt.date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        # a decision for next year is taken in the autumn before it
        "ar": pa.Column(pl.Int64, year(2000, today.year + 1), nullable=True),
        **{c: pa.Column(pl.Float64, [*([] if c in OPTIONAL else
                                       [blank("amount is blank", "an amount")]),
                                     pa.Check.ge(0, error="negative amount", description="an amount of 0 or more")],
                        nullable=True) for c in AMOUNTS},
        "enhet": pa.Column(pl.String, [blank("unit is blank", "kr or tkr"),
                                       pa.Check.isin(list(ENHET), error="not a valid Enhet", description="kr or tkr")],
                           nullable=True),
    }, checks=[no_duplicates(["forbund", "ar"], "ar", "duplicate row", "one row per förbund and year")],
        strict=False)


def parse_file(path: Path, fil: str, registry: Registry, today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS, totals=AMOUNTS)
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        map_distinct(typed["enhet"], norm_name).alias("enhet"),
    )
    typed = validated(table, typed, schema(today), findings + ambiguous_kr(table, typed["enhet"], AMOUNTS))
    factor = pl.col("enhet").replace_strict(ENHET, return_dtype=pl.Float64)
    return typed.with_columns(
        *((pl.col(c) * factor).round(2) for c in AMOUNTS), pl.col("ar").cast(pl.Int32),
        *table.source(),
    ).select(list(OUTPUT)), []


# One decision per förbund and year: the newest file wins, a disagreement is a finding.
COMBINE = LatestWins(OUTPUT, ["forbund", "ar"], AMOUNTS,
                     lambda row, kalla: conflict_finding(row, kalla, AMOUNTS, "a medelstilldelning",
                                                         forbund=row["forbund"], ar=row["ar"]))



SOURCE = Source(
    "tilldelning_rader", "tilldelning", KALLA, "ekonomi",
    "Decided medelstilldelning from raw/tilldelning/, one row per förbund and year, in kr.",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS, with_registry_and_date(parse_file), COMBINE)
