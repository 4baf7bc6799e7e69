"""Follow-up after avslut (raw/uppfoljning_efter_avslut/): how the people who ended an insats (or left the förbund)
in a year fare some months later, as a förbund's own survey counts them: how many were asked, how many answered,
and the answers by outcome. SUS shows status at avslut only; this is the later picture. Aggregate counts only."""
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
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, Source, with_registry_and_date

KALLA = "uppfoljning_efter_avslut"
FORBUNDET = "*"  # the insats of a row about the whole förbund (Insats blank or absent), as in marts.deltagare_ar
# The outcome columns, in the contract's order: the answers of the svarande, each counted once.
OUTCOMES = ["arbete", "studier", "arbetssokande", "fortsatt_rehabilitering", "sjukskrivning_ae", "forsorjningsstod",
            "annat"]
COUNTS = ["avslutade", "tillfragade", "svarande", *OUTCOMES]
COLUMNS = [
    FORBUND,
    Column("insats", ("insatsnamn", "insatsens namn"), required=False),
    Column("avslutsar", ("avslutsår", "år för avslut", "avslutade år", "år")),
    Column("manader", ("månader efter avslut", "manader efter avslut", "månader", "uppföljning efter månader",
                       "antal månader efter avslut")),
    Column("avslutade", ("antal avslutade",), required=False),
    Column("tillfragade", ("tillfrågade", "antal tillfrågade")),
    Column("svarande", ("antal svarande", "svarat", "antal som svarat")),
    Column("arbete", ("i arbete",), required=False),
    Column("studier", ("i studier",), required=False),
    Column("arbetssokande", ("arbetssökande",), required=False),
    Column("fortsatt_rehabilitering", ("fortsatt rehabilitering", "rehabilitering"), required=False),
    Column("sjukskrivning_ae", ("sjukskrivning eller aktivitetsersättning", "sjukskrivning/aktivitetsersättning",
                                "sjukskrivning / aktivitetsersättning", "sjukskrivning eller aktivitetsersattning"),
           required=False),
    Column("forsorjningsstod", ("försörjningsstöd", "ekonomiskt bistånd"), required=False),
    Column("annat", ("övrigt", "annan"), required=False),
]
KINDS = {"forbund": "text", "insats": "text", "avslutsar": "integer", "manader": "integer",
         **{c: "integer" for c in COUNTS}}
OUTPUT = {"fil": pl.String, "rad": pl.Int64, "forbund": pl.String, "insats": pl.String, "insats_nyckel": pl.String,
          "avslutsar": pl.Int32, "manader": pl.Int32, **{c: pl.Int64 for c in COUNTS}, "andrad": pl.Datetime("us")}
KEY = ["forbund", "insats_nyckel", "avslutsar", "manader"]
OUTCOME_TEXT = ("Arbete, Studier, Arbetssökande, Fortsatt rehabilitering, Sjukskrivning eller aktivitetsersättning, "
                "Försörjningsstöd, Annat")


def _not_above(low: str, high: str) -> pl.Expr:
    """low ≤ high, or either not given (a blank is reported by its own check, or is allowed)."""
    return pl.col(low).is_null() | pl.col(high).is_null() | (pl.col(low) <= pl.col(high))


def schema(today: dt.date) -> pa.DataFrameSchema:
    count = pa.Check.ge(0, error="negative count", description="a whole number of 0 or more")
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "avslutsar": pa.Column(pl.Int64, year(2000, today.year), nullable=True),
        "manader": pa.Column(pl.Int64, [
            blank("Månader efter avslut is blank", "a whole number of months, 1 or more"),
            pa.Check.gt(0, error="months below 1", description="a whole number of months, 1 or more")],
            nullable=True),
        "avslutade": pa.Column(pl.Int64, count, nullable=True),
        **{c: pa.Column(pl.Int64, [blank(f"{label} is blank", "a whole number of 0 or more"), count],
                        nullable=True) for c, label in (("tillfragade", "Tillfrågade"), ("svarande", "Svarande"))},
        **{c: pa.Column(pl.Int64, count, nullable=True) for c in OUTCOMES},
    }, checks=[
        pa.Check(lambda d: d.lazyframe.select(_not_above("svarande", "tillfragade")), name="svarande",
                 error="more svarande than tillfrågade", description="Svarande at most Tillfrågade"),
        pa.Check(lambda d: d.lazyframe.select(_not_above("tillfragade", "avslutade")), name="tillfragade",
                 error="more tillfrågade than avslutade", description="Tillfrågade at most Avslutade"),
        pa.Check(lambda d: d.lazyframe.select(
            pl.col("svarande").is_null()
            | (pl.sum_horizontal(pl.col(c).fill_null(0) for c in OUTCOMES) == pl.col("svarande"))),
            name="svarande", error="the outcome counts do not add up to Svarande",
            description=f"Svarande equal to the sum of {OUTCOME_TEXT} (blank = 0)"),
        no_duplicates(KEY, "avslutsar", "duplicate row",
                      "one row per förbund, insats, avslutsår and månader efter avslut"),
    ], strict=False)


def insats_key(name: str) -> str:
    """The insats as every source compares it (norm_name); '*' (or blank) is the förbund as a whole."""
    key = norm_name(name)
    return FORBUNDET if key in ("", FORBUNDET) else key


def insats_nyckel(insats: pl.Series) -> pl.Series:
    """insats_nyckel of a column Insats that may be blank or absent (all NULL): '*' for the förbund."""
    return map_distinct(insats, insats_key).fill_null(FORBUNDET).alias("insats_nyckel")


def insats_as_written() -> pl.Expr:
    """The insats as the file writes it, '*' for a row about the förbund (blank or '*')."""
    return (pl.when(pl.col("insats_nyckel") == FORBUNDET).then(pl.lit(FORBUNDET)).otherwise(pl.col("insats"))
            .alias("insats"))


def differing(values: list[str], what: str, ar: str = "ar"):
    """A LatestWins describe: the values that differ between this copy and the kept one, the row's förbund, year
    (column `ar`) and insats."""
    def describe(row: dict, kalla: str) -> Finding:
        differ = [v for v in values if row[v] != row[f"_w_{v}"]]
        return conflict_finding(row, kalla, differ, what, forbund=row["forbund"], ar=row[ar], insats=row["insats"])
    return describe


def parse_file(path: Path, fil: str, registry: Registry, today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS, totals=COUNTS)
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        insats_nyckel(typed["insats"]),
    )
    typed = validated(table, typed, schema(today), findings)
    typed = typed.with_columns(insats_as_written(), pl.col("avslutsar").cast(pl.Int32),
                               pl.col("manader").cast(pl.Int32), *table.source())
    return typed.select(list(OUTPUT)), []


# One row per förbund, insats, avslutsår and months: the newest file wins, a disagreement is a finding.
COMBINE = LatestWins(OUTPUT, KEY, COUNTS, differing(COUNTS, "a follow-up after avslut", ar="avslutsar"))



SOURCE = Source(
    "uppfoljning_efter_avslut_rader", "uppfoljning_efter_avslut", KALLA, "uppfoljning",
    "Follow-up after avslut from raw/uppfoljning_efter_avslut/: one row per förbund, insats ('*' = the förbund), "
    "avslutsår and months after avslut, with avslutade (blank = not given), tillfrågade, svarande and the svarande "
    "by outcome.",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS, with_registry_and_date(parse_file), COMBINE)
