"""Reported participant counts (raw/sus_aggregat/): SUS reports and manual tallies per förbund, insats, year."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry
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
from finsam.sources.source import AR, DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, Source, with_registry_and_date

KALLA = "sus_aggregat"
COUNTS = ["deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo"]
COLUMNS = [
    FORBUND,
    AR,
    Column("insats", ("insatsnamn",), required=False),
    Column("uttag", ("urval",), required=False),
    Column("deltagare", ("antal deltagare",)),
    Column("nyinskrivna", ("nya deltagare", "inskrivna")),
    Column("avslutade", ("avslutade deltagare",)),
    Column("avslut_arbete_studier", ("avslut arbete/studier", "avslut arbete / studier", "avslut mot arbete/studier",
                                     "avslut arbete eller studier"), required=False),
    Column("avslut_jobb_studieredo", ("avslut jobb-/studieredo", "avslut jobb-/ studieredo",
                                      "avslut jobb/studieredo", "avslut jobb- och studieredo"), required=False),
    Column("kalla_text", ("källa", "kalla"), required=False),
]
KINDS = {"forbund": "text", "ar": "integer", "insats": "text", "uttag": "text", "kalla_text": "text",
         **{c: "integer" for c in COUNTS}}
OUTPUT = {"forbund": pl.String, "ar": pl.Int32, "insats": pl.String, "uttag": pl.String,
          **{c: pl.Int64 for c in COUNTS}, "kalla_text": pl.String, "fil": pl.String, "rad": pl.Int64,
          "andrad": pl.Datetime("us")}
UTTAG = {"unika": "unika", "unika individer": "unika", "registrerade": "registrerade",
         "registrerade individer": "registrerade", "registreringar": "registrerade"}


def schema(today: dt.date) -> pa.DataFrameSchema:
    key = ["forbund", "ar", "insats", "uttag"]
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "ar": pa.Column(pl.Int64, year(2000, today.year), nullable=True),
        "insats": pa.Column(pl.String, nullable=True),
        "uttag": pa.Column(pl.String, [blank("Uttag is blank", UTTAG_TEXT),
                                       pa.Check.isin(["unika", "registrerade"], error="not a valid Uttag",
                                                     description=UTTAG_TEXT)], nullable=True),
        **{c: pa.Column(pl.Int64, pa.Check.ge(0, error="negative count", description="a count of 0 or more"),
                        nullable=True) for c in COUNTS},
    }, checks=[no_duplicates(key, "ar", "duplicate row", "one row per förbund, year, insats and uttag")],
        strict=False)


UTTAG_TEXT = "unika, registrerade or blank (= unika)"


def parse_file(path: Path, fil: str, registry: Registry, today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS, totals=COUNTS)
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        pl.col("insats").fill_null("*"),
        map_distinct(typed["uttag"], lambda u: UTTAG.get(u.casefold(), u))
        .fill_null("unika"),
    )
    typed = validated(table, typed, schema(today), findings)
    return typed.with_columns(pl.col("ar").cast(pl.Int32), *table.source()), []


COMBINE = LatestWins(OUTPUT, ["forbund", "ar", "insats", "uttag"], COUNTS,
                     lambda row, kalla: conflict_finding(row, kalla, COUNTS, "a reported count", forbund=row["forbund"],
                                                         ar=row["ar"], insats=row["insats"]))



SOURCE = Source(
    "sus_aggregat_rader", "sus_aggregat", KALLA, "sus",
    "Reported counts from raw/sus_aggregat/ (SUS reports, manual tallies), one row per förbund, year, insats "
    "and uttag.",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS, with_registry_and_date(parse_file), COMBINE)
