"""Reported participant counts (raw/sus_aggregat/): SUS reports and manual tallies per förbund, insats, year."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.combine import conflict_finding, latest_wins
from finsam.config import Registry
from finsam.convert import (UNKNOWN_FORBUND, convert, forbund_codes, map_distinct, no_duplicates, validated,
                            year_rules)
from finsam.findings import Finding
from finsam.tabular import ROW, Column, read_table

KALLA = "sus_aggregat"
COUNTS = ["deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo"]
COLUMNS = [
    Column("forbund", ("förbund", "samordningsförbund", "samordningsforbund")),
    Column("ar", ("år", "year")),
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
        "forbund": pa.Column(pl.String, nullable=False),
        "ar": pa.Column(pl.Int64, pa.Check.in_range(2000, today.year), nullable=False),
        "insats": pa.Column(pl.String, nullable=True),
        "uttag": pa.Column(pl.String, pa.Check.isin(["unika", "registrerade"]), nullable=False),
        **{c: pa.Column(pl.Int64, pa.Check.ge(0), nullable=True) for c in COUNTS},
    }, checks=[no_duplicates(key, "ar:dubblett")], strict=False)


def rules(today: dt.date) -> dict[str, tuple[str, str]]:
    return {
        **UNKNOWN_FORBUND, **year_rules(2000, today.year),
        "uttag:isin": ("unika, registrerade or blank (= unika)", "not a valid Uttag"),
        "greater_than_or_equal_to": ("a count of 0 or more", "negative count"),
        "ar:dubblett": ("one row per förbund, year, insats and uttag", "duplicate row"),
    }


def parse_file(path: Path, fil: str, registry: Registry, today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS, totals=COUNTS)
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        pl.col("insats").fill_null("*"),
        map_distinct(typed["uttag"], lambda u: UTTAG.get(u.casefold(), u))
        .fill_null("unika"),
    )
    typed = validated(table, typed, schema(today), findings, rules(today))
    return typed.with_columns(pl.col("ar").cast(pl.Int32), *table.source()), []


def combine(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, list[Finding]]:
    if not frames:
        return pl.DataFrame(schema=OUTPUT), []
    key = ["forbund", "ar", "insats", "uttag"]
    rows = pl.concat([f.select(list(OUTPUT)) for f in frames], how="vertical_relaxed")
    kept, findings = latest_wins(rows, key, COUNTS, KALLA,
                                 lambda row, kalla: conflict_finding(
                                     row, kalla, COUNTS, "a reported count", forbund=row["forbund"], ar=row["ar"],
                                     insats=row["insats"]))
    return kept.sort(key), findings
