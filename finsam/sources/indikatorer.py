"""Survey and progression indicators (raw/indikatorer/): NNS's indicator surveys (deltagare during and at the end of
an insats, staff, board, managers, referrers), BIP progression measurement and any survey of the förbund's own, one
value per förbund (or insats), year, survey and indicator, with the number of answers it rests on and, where
given, the national value."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.io.combine import LatestWins
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
from finsam.sources.uppfoljning_efter_avslut import differing, insats_as_written, insats_nyckel

KALLA = "indikatorer"
COLUMNS = [
    FORBUND,
    Column("insats", ("insatsnamn", "insatsens namn"), required=False),
    Column("ar", ("år", "mätår", "year")),
    Column("enkat", ("enkät", "enkättyp", "undersökning", "mätning")),
    Column("indikator", ("indikatorkod", "kod", "indikator-id")),
    Column("fraga", ("fråga", "frågetext", "indikatortext"), required=False),
    Column("antal_svar", ("antal svar", "svar", "antal svarande", "svarande")),
    Column("varde", ("värde", "resultat")),
    Column("skala", ()),
    Column("riket", ("riksvärde", "värde riket", "nationellt värde"), required=False),
]
KINDS = {"forbund": "text", "insats": "text", "ar": "integer", "enkat": "text", "indikator": "text", "fraga": "text",
         "antal_svar": "integer", "varde": "number", "skala": "text", "riket": "number"}
# The surveys the contract names; another word is kept as its code (lower case, å ä ö as a a o, words joined by _).
ENKATER = ("deltagare_pagaende", "deltagare_avslut", "personal", "styrelse", "chefer", "remittenter", "bip")
# Participant surveys (deltagare_*, one of the förbund's own so named too) and BIP ask the year's deltagare, so their
# answers have a täckningsgrad (staging column deltagarenkat; marts.indikatorer_ar).
DELTAGARE_PREFIX, BIP = "deltagare_", "bip"
ENKAT_ALIAS = {"deltagare_under_insats": "deltagare_pagaende", "deltagare_vid_avslut": "deltagare_avslut",
               "bip_progression": "bip", "bip_progressionsmatning": "bip", "progressionsmatning": "bip",
               "chef": "chefer", "remittent": "remittenter"}
SKALA = {"andel": "andel", "medel": "medel", "medelvarde": "medel", "medelvärde": "medel"}
SKALA_TEXT = "andel (a share from 0 to 1) or medel (a mean)"
OUTPUT = {"fil": pl.String, "rad": pl.Int64, "forbund": pl.String, "insats": pl.String, "insats_nyckel": pl.String,
          "ar": pl.Int32, "enkat": pl.String, "indikator": pl.String, "indikator_nyckel": pl.String,
          "fraga": pl.String, "antal_svar": pl.Int64, "varde": pl.Float64, "skala": pl.String, "riket": pl.Float64,
          "deltagarenkat": pl.Boolean, "andrad": pl.Datetime("us")}
KEY = ["forbund", "insats_nyckel", "ar", "enkat", "indikator_nyckel"]


def enkat_code(text: str) -> str | None:
    """'Deltagare pågående', 'deltagare-avslut', 'BIP' -> deltagare_pagaende, deltagare_avslut, bip; None for a
    text without a letter or digit (reported as blank)."""
    code = norm_name(text).translate(str.maketrans("åäö", "aao"))
    code = re.sub(r"[^0-9a-z]+", "_", code).strip("_")
    return ENKAT_ALIAS.get(code, code) or None


def _share(col: str) -> pa.Check:
    """On the scale andel a value (or the national value) is a share from 0 to 1."""
    return pa.Check(lambda d: d.lazyframe.select(
        (pl.col("skala") != "andel") | pl.col("skala").is_null() | pl.col(col).is_null()
        | pl.col(col).is_between(0, 1)), name=col, error="a share outside 0–1",
        description="on Skala andel a share from 0 to 1 (85 % is 0,85)")


def schema(today: dt.date) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "ar": pa.Column(pl.Int64, year(2000, today.year), nullable=True),
        "enkat": pa.Column(pl.String, blank("Enkät is blank (no word)", f"{', '.join(ENKATER)} or another word"),
                           nullable=True),
        "indikator": pa.Column(pl.String, blank("Indikator is blank", "the indicator's code"), nullable=True),
        "antal_svar": pa.Column(pl.Int64, [
            blank("Antal svar is blank", "the number of answers the value rests on"),
            pa.Check.ge(0, error="negative count", description="a whole number of 0 or more")], nullable=True),
        "varde": pa.Column(pl.Float64, blank("Värde is blank", "a number"), nullable=True),
        "skala": pa.Column(pl.String, [blank("Skala is blank", SKALA_TEXT),
                                       pa.Check.isin(sorted(set(SKALA.values())), error="not a valid Skala",
                                                     description=SKALA_TEXT)], nullable=True),
    }, checks=[
        _share("varde"), _share("riket"),
        no_duplicates(KEY, "indikator", "duplicate row", "one row per förbund, insats, year, Enkät and Indikator"),
    ], strict=False)


def parse_file(path: Path, fil: str, registry: Registry, today: dt.date) -> tuple[pl.DataFrame, list[Finding]]:
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS)
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        insats_nyckel(typed["insats"]),
        map_distinct(typed["enkat"], enkat_code),
        map_distinct(typed["skala"], lambda s: SKALA.get(norm_name(s), s)),
        map_distinct(typed["indikator"], norm_name).alias("indikator_nyckel"),
    )
    typed = validated(table, typed, schema(today), findings)
    typed = typed.with_columns(
        insats_as_written(),
        pl.col("ar").cast(pl.Int32),
        (pl.col("enkat").str.starts_with(DELTAGARE_PREFIX) | (pl.col("enkat") == BIP)).alias("deltagarenkat"),
        *table.source())
    return typed.select(list(OUTPUT)), []


VALUES = ["fraga", "antal_svar", "varde", "skala", "riket"]


# One row per förbund, insats, year, survey and indicator: the newest file wins, a disagreement is a finding.
COMBINE = LatestWins(OUTPUT, KEY, VALUES, differing(VALUES, "an indicator value"), internal=("indikator_nyckel",))



SOURCE = Source(
    "indikator_rader", "indikatorer", KALLA, "uppfoljning",
    "Survey and progression indicators from raw/indikatorer/ (NNS indicator surveys, BIP, the förbund's own): one "
    "row per förbund, insats ('*' = the förbund), year, survey (enkat) and indicator, with the number of answers, "
    "the value on its scale (andel 0-1 or medel) and the national value where given.",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS, with_registry_and_date(parse_file), COMBINE)
