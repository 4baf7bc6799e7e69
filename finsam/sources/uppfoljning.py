"""Uppföljning Finsam (raw/uppfoljning/): what a förbund registers per insats and year since SUS closed (30 April
2023), aggregate counts only: participants by kön, planned participants, the insats' budget and utfall."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
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
from finsam.io.tables import ROW, Column, RawTable, read_table
from finsam.sources.ekonomi import ENHET
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, Source, with_registry_and_date

KALLA = "uppfoljning"
COUNTS = ["kvinnor", "man", "totalt", "budgeterat_antal"]
AMOUNTS = ["budget", "utfall"]
TEXTS = ["preciserad_inriktning", "malgrupp", "uppfoljningsmetod"]
COLUMNS = [
    FORBUND,
    Column("ar", ("år", "budgetår", "budgetar")),
    Column("insats", ("insatsnamn", "insatsens namn")),
    Column("inriktning", ()),
    Column("preciserad_inriktning", ("preciserad inriktning",), required=False),
    Column("malgrupp", ("målgrupp",), required=False),
    Column("uppfoljningsmetod", ("uppföljningsmetod",), required=False),
    Column("esf", ("esf-finansierad", "esf finansierad"), required=False),
    Column("kvinnor", ("antal kvinnor",)),
    Column("man", ("män", "antal män")),
    Column("totalt", ("deltagare", "antal deltagare"), required=False),
    Column("budgeterat_antal", ("budgeterat antal deltagare",), required=False),
    Column("budget", (), required=False),
    Column("utfall", (), required=False),
    Column("enhet", ("valuta",), required=False),
]
KINDS = {"forbund": "text", "ar": "integer", "insats": "text", "inriktning": "text", **{c: "text" for c in TEXTS},
         "esf": "text", **{c: "integer" for c in COUNTS}, **{c: "number" for c in AMOUNTS}, "enhet": "text"}
INRIKTNING = {"individinriktad": "individinriktad", "individinriktade": "individinriktad",
              "strukturövergripande": "strukturovergripande", "strukturovergripande": "strukturovergripande"}
INRIKTNING_TEXT = "Individinriktad or Strukturövergripande"
ESF = {"ja": True, "j": True, "nej": False, "n": False}
OUTPUT = {"fil": pl.String, "rad": pl.Int64, "forbund": pl.String, "ar": pl.Int32, "insats": pl.String,
          "insats_nyckel": pl.String, "inriktning": pl.String, **{c: pl.String for c in TEXTS}, "esf": pl.Boolean,
          "kvinnor": pl.Int64, "man": pl.Int64, "totalt": pl.Int64, "budgeterat_antal": pl.Int64,
          "budget_kr": pl.Float64, "utfall_kr": pl.Float64, "andrad": pl.Datetime("us")}
KEY = ["forbund", "insats_nyckel", "ar"]


def schema(today: dt.date) -> pa.DataFrameSchema:
    count = pa.Check.ge(0, error="negative count", description="a whole number of 0 or more (blank = not reported)")
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "ar": pa.Column(pl.Int64, year(2000, today.year), nullable=True),
        "insats": pa.Column(pl.String, blank("insats is blank", "the insats name as registered"), nullable=True),
        "inriktning": pa.Column(pl.String, [
            blank("Inriktning is blank", INRIKTNING_TEXT),
            pa.Check.isin(sorted(set(INRIKTNING.values())), error="not a valid Inriktning",
                          description=INRIKTNING_TEXT)], nullable=True),
        "esf": pa.Column(pl.String, pa.Check.isin(list(ESF), error="not a valid ESF value",
                                                  description="Ja, Nej or blank"), nullable=True),
        **{c: pa.Column(pl.Int64, count, nullable=True) for c in COUNTS},
        **{c: pa.Column(pl.Float64, pa.Check.ge(0, error="negative amount", description="an amount of 0 or more"),
                        nullable=True) for c in AMOUNTS},
        "enhet": pa.Column(pl.String, pa.Check.isin(list(ENHET), error="not a valid Enhet",
                                                    description="kr or tkr (blank = kr)"), nullable=True),
    }, checks=[
        pa.Check(lambda d: d.lazyframe.select(
            pl.col("totalt").is_null()
            | (pl.col("totalt") >= pl.col("kvinnor").fill_null(0) + pl.col("man").fill_null(0))),
            name="totalt", error="total below Kvinnor + Män",
            description="a total of at least Kvinnor + Män (the rest had no kön)"),
        no_duplicates(KEY, "insats", "duplicate row", "one row per förbund, insats and year"),
    ], strict=False)


def _reported(table: RawTable) -> RawTable:
    """A row that names an insats and nothing more (a row of the fill-in workbook, finsam.templates, that was left
    empty) reports nothing for it: it is left out, not rejected."""
    data = [c for c in table.frame.columns if c not in ("forbund", "ar", "insats", ROW)]
    filled = pl.any_horizontal(pl.col(c).str.strip_chars().fill_null("") != "" for c in data)
    return replace(table, frame=table.frame.filter(filled)) if data else table


def parse_file(path: Path, fil: str, registry: Registry, today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table = _reported(read_table(path, COLUMNS, fil, KALLA))
    typed, findings = convert(table, KINDS, totals=COUNTS + AMOUNTS)
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        map_distinct(typed["insats"], norm_name).alias("insats_nyckel"),
        map_distinct(typed["inriktning"], lambda t: INRIKTNING.get(norm_name(t), t)),
        map_distinct(typed["esf"], norm_name),
        map_distinct(typed["enhet"], norm_name),
    )
    typed = validated(table, typed, schema(today), findings)
    factor = pl.col("enhet").fill_null("kr").replace_strict(ENHET, return_dtype=pl.Float64)
    typed = typed.with_columns(
        pl.col("ar").cast(pl.Int32),
        pl.col("esf").replace_strict(ESF, default=None, return_dtype=pl.Boolean),
        pl.coalesce("totalt", pl.col("kvinnor") + pl.col("man")).alias("totalt"),
        *((pl.col(c) * factor).round(2).alias(f"{c}_kr") for c in AMOUNTS),
        *table.source(),
    )
    return typed.select(list(OUTPUT)), []


VALUES = ["inriktning", *TEXTS, "esf", *COUNTS, "budget_kr", "utfall_kr"]


def conflict(row: dict, kalla: str) -> Finding:
    """The values that differ between this copy and the kept one (an insats-year has many)."""
    differ = [v for v in VALUES if row[v] != row[f"_w_{v}"]]
    return conflict_finding(row, kalla, differ, "an insats-year", forbund=row["forbund"], ar=row["ar"],
                            insats=row["insats"])


# One row per förbund, insats and year: the newest file wins, a disagreement is a finding.
COMBINE = LatestWins(OUTPUT, KEY, VALUES, conflict)



SOURCE = Source(
    "uppfoljning_rader", "uppfoljning", KALLA, "uppfoljning",
    "Uppföljning Finsam from raw/uppfoljning/ (registered since SUS closed): one row per förbund, insats and year "
    "with its inriktning, participants by kön (blank = not reported), planned participants, and budget and utfall "
    "in kr.",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS, with_registry_and_date(parse_file), COMBINE)
