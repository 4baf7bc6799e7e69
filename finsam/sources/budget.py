"""Budgets and prognoses (raw/budget/): one row per förbund, year and budget line, in kr, with its kategori from
kostnadsmappning.csv, as årsredovisning lines are mapped (finsam.sources.ekonomi's code, not a second mapping).

Each line belongs to a version: `Version` (budget, reviderad budget or prognos) and the day it was decided
(`Beslutad`). Which version counts is decided in SQL (marts.budget_utfall_ar): for a förbund-year the budget is the
budget and reviderad budget lines of the latest Beslutad day, the prognosis the prognos lines of the latest day.
An optional `Insats` ties a cost line to an insats (matched ignoring case and whitespace; the insats register's
spelling where it knows the name, else as written: Uppföljning Finsam's insatser need not be in the register,
and fynd_budget reports a name neither knows)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.config.insatser import Insatsregister
from finsam.config.kostnadsmappning import INSATS_KATEGORIER, INTAKT, KOSTNAD, Kostnadsmappning, load_kostnadsmappning
from finsam.io.convert import (
    blank,
    cell_finding,
    map_distinct,
    no_duplicates,
    validated,
)
from finsam.io.findings import Finding
from finsam.io.tables import ROW, Column
from finsam.sources.ekonomi import (
    in_kr,
    line_columns,
    map_lines,
    normalise_sign,
    one_file_each,
    read_lines,
    reject_negative_totals,
)
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, Source

KALLA = "budget"
BUDGET, REVIDERAD, PROGNOS = "budget", "reviderad budget", "prognos"
VERSION = {"budget": BUDGET, "reviderad budget": REVIDERAD, "reviderad": REVIDERAD, "revidering": REVIDERAD,
           "reviderad_budget": REVIDERAD, "prognos": PROGNOS, "helårsprognos": PROGNOS, "årsprognos": PROGNOS}
TYP = {"intäkt": INTAKT, "intäkter": INTAKT, "intakt": INTAKT, "kostnad": KOSTNAD, "kostnader": KOSTNAD}
TYP_TEXT = "intäkt or kostnad"
VERSION_TEXT = "budget, reviderad budget or prognos"
COLUMNS = [
    FORBUND,
    Column("ar", ("år", "year", "budgetår")),
    Column("post", ("post text", "benämning", "radtext", "text", "budgetpost")),
    Column("belopp", ("budget", "belopp kr", "belopp tkr")),
    Column("enhet", ("valuta",)),
    Column("typ", ("typ av post", "slag")),
    Column("version", ("budgetversion", "typ av budget")),
    Column("beslutad", ("beslutsdatum", "beslutad datum", "beslut")),
    Column("insats", ("insatsnamn", "insatsens namn"), required=False),
]
KINDS = {"forbund": "text", "ar": "integer", "post": "text", "belopp": "number", "enhet": "text", "typ": "text",
         "version": "text", "beslutad": "date", "insats": "text"}
OUTPUT = {"forbund": pl.String, "ar": pl.Int32, "version": pl.String, "beslutad": pl.Date, "post": pl.String,
          "typ": pl.String, "kategori": pl.String, "belopp": pl.Float64, "belopp_fil": pl.Float64, "enhet": pl.String,
          "mappning_rad": pl.Int64, "insats": pl.String, "insats_nyckel": pl.String, "fil": pl.String,
          "rad": pl.Int64, "andrad": pl.Datetime("us")}
# A version is one förbund, year, Version and Beslutad day: its lines come from one file (one_file_each).
VERSION_KEY = ["forbund", "ar", "version", "beslutad"]
# Budgets are decided ahead: a year up to this many after the run's.
YEARS_AHEAD = 5


def schema(today: dt.date) -> pa.DataFrameSchema:
    key = [*VERSION_KEY, "typ", "post_key", "insats_key"]
    return pa.DataFrameSchema({
        **line_columns(today.year + YEARS_AHEAD, "the line text as in the budget", TYP, TYP_TEXT),
        "version": pa.Column(pl.String, [blank("Version is blank", VERSION_TEXT),
                                         pa.Check.isin(list(VERSION), error="not a valid Version",
                                                       description=VERSION_TEXT)], nullable=True),
        "beslutad": pa.Column(pl.Date, [blank("decision date is blank", "the day the version was decided"),
                                        pa.Check.le(today, error="decided after the run's date",
                                                    description=f"a date up to {today}")], nullable=True),
    }, checks=[no_duplicates(key, "post", "duplicate line",
                             "each line once per förbund, year, Version, Beslutad, Typ and Insats")], strict=False)


def insats_findings(table, typed: pl.DataFrame, kategorier: list[str | None]) -> list[Finding]:
    """An Insats only on a cost line of an insats category (as in kostnadsmappning.csv's insats column)."""
    return [cell_finding(table, rad, "insats", table.frame.filter(pl.col(ROW) == rad)["insats"].item(),
                         f"an Insats only on a line of kategori {', '.join(INSATS_KATEGORIER)} (or blank)",
                         f"an Insats on a line of kategori {kategori}")
            for (rad, insats), kategori in zip(typed.select(ROW, "insats").iter_rows(), kategorier, strict=True)
            if insats is not None and kategori is not None and kategori not in INSATS_KATEGORIER]


def parse_file(path: Path, fil: str, registry: Registry, mappning: Kostnadsmappning, insatser: Insatsregister,
               today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table, typed, findings = read_lines(path, fil, COLUMNS, KINDS, KALLA, registry, normalised=("version",))
    typed = typed.with_columns(map_distinct(typed["insats"], norm_name).alias("insats_key"))
    # map_lines reads Typ as ekonomi spells it: the budget's are a subset
    kategorier, rader, mapping_findings = map_lines(table, typed, mappning)
    typed = in_kr(validated(table, typed, schema(today), findings + mapping_findings
                            + insats_findings(table, typed, kategorier)), kategorier, rader, TYP)
    typed = typed.with_columns(
        pl.col("version").replace_strict(VERSION, return_dtype=pl.String),
        pl.struct("forbund", "insats").map_elements(
            lambda r: insatser.namn(r["forbund"], r["insats"]) or " ".join(r["insats"].split())
            if r["insats"] else None, return_dtype=pl.String).alias("insats"),
        pl.col("insats_key").alias("insats_nyckel"),
    )
    # the sign rule and the negative totals per version, as ekonomi judges each period apart
    typed = typed.with_columns(pl.concat_str(VERSION_KEY, separator="|").alias("_version"))
    typed, notes = normalise_sign(typed, fil, by="_version", kalla=KALLA)
    reject_negative_totals(table, typed, by=("version", "beslutad"))
    typed = typed.with_columns(pl.col("ar").cast(pl.Int32), *table.source())
    return typed.select(list(OUTPUT)), notes


def combine(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, list[Finding]]:
    """Each version (förbund, year, Version, Beslutad) is read from one file: the newest; another file's lines of
    the same version are ignored, with a finding when they differ. Versions decided on other days all stay: the
    version rule picks among them in SQL."""
    if not frames:
        return pl.DataFrame(schema=OUTPUT), []
    rows = pl.concat(frames, how="vertical_relaxed")
    return one_file_each(rows, VERSION_KEY, ["typ", "post", "insats", "belopp"], KALLA,
                         lambda forbund, ar, version, beslutad: f"the {version} decided {beslutad}")


def prepare(b) -> tuple:
    mappning = load_kostnadsmappning(b.config_dir, {f.kod for f in b.registry.forbund}, b.insatser)
    return b.registry, mappning, b.insatser, b.today


def parse(path: Path, fil: str, k: tuple) -> tuple[pl.DataFrame, list[Finding]]:
    return parse_file(path, fil, *k)


SOURCE = Source(
    "budget_rader", "budget", KALLA, "ekonomi",
    "One row per förbund, year, version and budget line from raw/budget/, in kr, costs and incomes positive, with "
    "the kategori config/kostnadsmappning.csv gives it, its Version and Beslutad day, and the insats it is tied to.",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS + ("teckenvand",), parse, combine, prepare=prepare)
