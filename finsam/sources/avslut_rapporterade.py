"""Reported avslut (raw/avslut_rapporterade/): the avslut the insatser count and report themselves since SUS closed,
per förbund, insats, year, avslutsorsak and (optionally) kön; the avslutsorsak is mapped by config/avslutsorsak.csv
exactly as SUS text is."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, load_avslutsorsak_stod, norm_name
from finsam.io.combine import LatestWins, conflict_finding
from finsam.io.convert import UNKNOWN_FORBUND, blank, convert, forbund_codes, map_distinct, validated, year
from finsam.io.findings import VARNING, Finding
from finsam.io.tables import ROW, Column, read_table
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, Source

KALLA = "avslut_rapporterade"
COLUMNS = [
    FORBUND,
    Column("ar", ("år", "budgetår", "budgetar")),
    Column("insats", ("insatsnamn", "insatsens namn")),
    Column("avslutsorsak", ("avslutsanledning", "orsak till avslut")),
    Column("kon", ("kön",), required=False),
    Column("antal", ("antal avslut",)),
    Column("kalla_text", ("källa", "kalla"), required=False),
]
KINDS = {"forbund": "text", "ar": "integer", "insats": "text", "avslutsorsak": "text", "kon": "text",
         "antal": "integer", "kalla_text": "text"}
# as SUS's kön (finsam.sources.sus.KON), and as the marts count it: Annat or blank is okant
KON = {"kvinna": "kvinna", "k": "kvinna", "man": "man", "m": "man", "annat": "okant", "okänt": "okant",
       "okant": "okant"}
OUTPUT = {"fil": pl.String, "rad": pl.Int64, "forbund": pl.String, "ar": pl.Int32, "insats": pl.String,
          "insats_nyckel": pl.String, "avslutsorsak": pl.String, "avslutsorsak_nyckel": pl.String,
          "kategori": pl.String, "stod": pl.String, "kon": pl.String, "antal": pl.Int64, "kalla_text": pl.String,
          "andrad": pl.Datetime("us")}
# One row per förbund, insats, year, avslutsorsak and kön; the avslutsorsak compared as the mapping compares it.
KEY = ["forbund", "insats_nyckel", "ar", "avslutsorsak_nyckel", "kon"]


def schema(today: dt.date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "ar": pa.Column(pl.Int64, year(2000, today.year), nullable=True),
        "insats": pa.Column(pl.String, blank("insats is blank", "the insats name as registered"), nullable=True),
        "avslutsorsak": pa.Column(pl.String, blank("avslutsorsak is blank", "an avslutsorsak text"), nullable=True),
        "kon": pa.Column(pl.String, pa.Check.isin(sorted(set(KON.values())), error="not a valid Kön value",
                                                  description="Kvinna, Man, K, M, Annat or blank"), nullable=True),
        "antal": pa.Column(pl.Int64, [
            blank("Antal is blank", "a number of avslut"),
            pa.Check.ge(0, error="negative count", description="a whole number of 0 or more")], nullable=True),
    }, strict=False)


def parse_file(path: Path, fil: str, registry: Registry, avslut: dict[str, tuple[str, str | None]],
               today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    """One file's rows, those with the same förbund, insats, year, avslutsorsak and kön added up (the first row's
    texts kept), and a finding per avslutsorsak the mapping does not know."""
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS, totals=["antal"])
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        map_distinct(typed["kon"], lambda k: KON.get(k.casefold(), k)),
    )
    if "kon" in table.frame.columns:  # with a Kön column a blank cell is okant; without one kön is unknown (NULL)
        typed = typed.with_columns(pl.col("kon").fill_null("okant"))
    typed = validated(table, typed, schema(today), findings)
    typed = typed.with_columns(
        pl.col("ar").cast(pl.Int32),
        map_distinct(typed["insats"], norm_name).alias("insats_nyckel"),
        map_distinct(typed["avslutsorsak"], norm_name).alias("avslutsorsak_nyckel"),
    ).with_columns(
        map_distinct(typed["avslutsorsak"], lambda t: avslut.get(norm_name(t), ("okand", None))[0]).alias("kategori"),
        map_distinct(typed["avslutsorsak"], lambda t: avslut.get(norm_name(t), ("okand", None))[1]).alias("stod"),
    )
    rows = (typed.sort(ROW).group_by(KEY, maintain_order=True)
            .agg(pl.col(ROW).first(), pl.col("insats").first(), pl.col("avslutsorsak").first(),
                 pl.col("kategori").first(), pl.col("stod").first(), pl.col("antal").sum(),
                 pl.col("kalla_text").drop_nulls().unique(maintain_order=True).str.join("; "))
            .with_columns(pl.when(pl.col("kalla_text") != "").then(pl.col("kalla_text")), *table.source()))
    return rows.select(list(OUTPUT)), unknown_reasons(typed, fil, table.label("avslutsorsak"))


def unknown_reasons(typed: pl.DataFrame, fil: str, label: str) -> list[Finding]:
    """One finding per förbund and avslutsorsak text that config/avslutsorsak.csv does not know (counted as
    `okand`), as for SUS: varde = the avslut counted so."""
    unknown = (typed.filter(pl.col("kategori") == "okand")
               .group_by("forbund", "avslutsorsak_nyckel")
               .agg(pl.col("avslutsorsak").sort_by(ROW).first(), pl.col("antal").sum().alias("n"),
                    pl.col(ROW).min().alias("rad"), pl.col("ar").min())
               .sort("forbund", "rad"))
    return [Finding("okand_avslutsorsak", VARNING,
                    f"avslutsorsak not in avslutsorsak.csv; {n} avslut counted as 'okand' (first at row {rad}, "
                    f"first year {ar})", kalla=KALLA, forbund=forbund, ar=ar, fil=fil, rad=rad, kolumn=label,
                    hittat=text, forvantat="a text listed in config/avslutsorsak.csv", varde=float(n))
            for forbund, _, text, n, rad, ar in unknown.iter_rows()]


VALUES = ["antal"]
# Across files the newest file wins per key (within a file the rows were added up); a different count is a finding.
COMBINE = LatestWins(OUTPUT, KEY, VALUES,
                     lambda row, kalla: conflict_finding(row, kalla, VALUES, "a reported avslut count",
                                                         forbund=row["forbund"], ar=row["ar"], insats=row["insats"]),
                     order=["forbund", "insats_nyckel", "ar", "avslutsorsak_nyckel", "kon"],
                     internal=("avslutsorsak_nyckel",))


@dataclass(frozen=True)
class Kontext:
    """What parse needs of a build: the registry, config/avslutsorsak.csv with its stod column, today."""
    registry: Registry
    avslut: dict[str, tuple[str, str | None]]
    today: dt.date


def prepare(b) -> Kontext:
    return Kontext(b.registry, load_avslutsorsak_stod(b.config_dir), b.today)


def parse(path: Path, fil: str, k: Kontext) -> tuple[pl.DataFrame, list[Finding]]:
    return parse_file(path, fil, k.registry, k.avslut, k.today)


SOURCE = Source(
    "avslut_rapporterade_rader", "avslut_rapporterade", KALLA, "uppfoljning",
    "Reported avslut from raw/avslut_rapporterade/: one row per förbund, insats, year, avslutsorsak and kön (rows "
    "with the same keys in a file added up), the avslutsorsak mapped to its kategori and stod by "
    "config/avslutsorsak.csv as for SUS ('okand' when unmapped).",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS + ("okand_avslutsorsak",), parse, COMBINE,
    prepare=prepare)
