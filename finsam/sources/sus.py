"""SUS registrations (raw/sus/): one row per person per insats spell, parsed, validated, pseudonymised."""
from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.io.combine import LatestWins, conflict_finding
from finsam.io.convert import UNKNOWN_FORBUND, blank, convert, forbund_codes, map_distinct, validated
from finsam.io.findings import VARNING, Finding
from finsam.io.tables import ROW, Column, RawTable, read_table
from finsam.privacy.pnr import mask
from finsam.privacy.pseudonyms import key_from_env, pseudonymise
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, SideTable, Source

KALLA = "sus"
COLUMNS = [
    Column("forbund", ("samordningsförbund", "samordningsforbund", "förbund", "forbund")),
    Column("insats", ("insatsnamn", "insatsens namn", "insats namn")),
    Column("insats_id", ("insats-id", "insatsid", "insats id"), required=False),
    Column("person", ("deltagar-id", "deltagarid", "deltagare", "deltagar id", "personnummer", "person-id")),
    Column("anonym", ("anonym deltagare",), required=False),
    Column("kon", ("kön",), required=False),
    Column("fodelsear", ("födelseår",), required=False),
    Column("start", ("inskrivningsdatum", "startdatum", "inskriven")),
    Column("slut", ("utskrivningsdatum", "slutdatum", "utskriven")),
    Column("avslutsorsak", ("avslutsorsak", "avslutsanledning", "orsak till avslut")),
    Column("forsorjning_fore", ("försörjning före", "försörjning vid inskrivning"), required=False),
    Column("forsorjning_efter", ("försörjning efter", "försörjning vid avslut"), required=False),
]
KINDS = {"forbund": "text", "insats": "text", "insats_id": "text", "person": "key", "anonym": "text",
         "kon": "text", "fodelsear": "integer", "start": "date", "slut": "date", "avslutsorsak": "text",
         "forsorjning_fore": "text", "forsorjning_efter": "text"}
KON = {"kvinna": "kvinna", "k": "kvinna", "man": "man", "m": "man", "annat": "annat"}
ANONYM = {"ja": True, "j": True, "nej": False, "n": False}
OUTPUT = {"forbund": pl.String, "insats": pl.String, "insats_id": pl.String, "person": pl.String,
          "anonym": pl.Boolean, "kon": pl.String, "fodelsear": pl.Int64, "start": pl.Date, "slut": pl.Date,
          "avslutsorsak": pl.String, "kategori": pl.String, "fil": pl.String, "rad": pl.Int64,
          "andrad": pl.Datetime("us"), "forsorjning_fore": pl.String, "forsorjning_efter": pl.String,
          "fore_kategori": pl.String, "efter_kategori": pl.String}
# Försörjning before and after (optional columns): text column -> its kategori column (config/forsorjning.csv)
FORSORJNING = {"forsorjning_fore": "fore_kategori", "forsorjning_efter": "efter_kategori"}


@cache  # one per run: building it costs more than validating a small file
def schema(today: dt.date) -> pa.DataFrameSchema:
    last = dt.date(today.year + 1, 12, 31)
    dates = pa.Check.in_range(dt.date(2000, 1, 1), last, error="date out of range",
                              description=f"a date from 2000-01-01 to {last.isoformat()}")
    return pa.DataFrameSchema({
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "insats": pa.Column(pl.String, blank("insats is blank", "an insats name"), nullable=True),
        "insats_id": pa.Column(pl.String, nullable=True),
        "person": pa.Column(pl.String, nullable=True),
        "anonym": pa.Column(pl.String, pa.Check.isin(list(ANONYM), error="not a valid Anonym value",
                                                     description="Ja, Nej or blank"), nullable=True),
        "kon": pa.Column(pl.String, pa.Check.isin(sorted(set(KON.values())), error="not a valid Kön value",
                                                  description="Kvinna, Man, K, M, Annat or blank"), nullable=True),
        "fodelsear": pa.Column(pl.Int64, pa.Check.in_range(1900, today.year, error="birth year out of range",
                                                           description=f"a year from 1900 to {today.year}"),
                               nullable=True),
        "start": pa.Column(pl.Date, [blank("start date is blank", "a start date"), dates], nullable=True),
        "slut": pa.Column(pl.Date, dates, nullable=True),
        "avslutsorsak": pa.Column(pl.String, nullable=True),
    }, checks=[
        pa.Check(lambda d: d.lazyframe.select(pl.col("slut").is_null() | pl.col("start").is_null()
                                              | (pl.col("slut") >= pl.col("start"))), name="slut",
                 error="spell ends before it starts", description="an end date on or after the start date"),
        pa.Check(lambda d: d.lazyframe.select(pl.col("person").is_not_null() | pl.col("anonym").is_in(["ja", "j"])),
                 name="person", error="person id is blank",
                 description="a person id (blank only for anonymous participants)"),
    ], strict=False)


def parse_file(path: Path, fil: str, registry: Registry, avslut: dict[str, str], secret: str | None,
               today: dt.date, forsorjning: dict[str, str] | None = None) -> tuple[pl.DataFrame, list[Finding]]:
    """A typed, validated, pseudonymised frame of one file, and its non-fatal findings. `forsorjning` maps the
    optional Försörjning före/efter texts (config/forsorjning.csv); their kategori is NULL where a file has no
    such column.

    Raises FileRejected when anything in the file is wrong, and ConfigError when it holds personnummer and no
    pseudonym key is set."""
    table = read_table(path, COLUMNS, fil, KALLA)
    typed, findings = convert(table, KINDS, mask=mask, masked=("person",))
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        pl.col("anonym").str.to_lowercase(),
        map_distinct(typed["kon"], lambda k: KON.get(k.casefold(), k)).alias("kon"),
        pseudonymise(typed["person"], typed["start"], typed[ROW], secret, fil),
    )
    typed = validated(table, typed, schema(today), findings, mask, ("person",))
    forsorjning = forsorjning or {}
    typed = typed.with_columns(
        pl.col("anonym").replace_strict(ANONYM, default=False, return_dtype=pl.Boolean).fill_null(False),
        closed_kategori(typed, "avslutsorsak", avslut).alias("kategori"),
        *(closed_kategori(typed, text, forsorjning).alias(kat) if text in table.headers
          else pl.lit(None, dtype=pl.String).alias(kat) for text, kat in FORSORJNING.items()),
        *table.source(),
    )
    label = table.label("avslutsorsak")
    return typed, (unknown_texts(typed, fil, table, "avslutsorsak", "kategori", "okand_avslutsorsak", VARNING,
                                 "avslutsorsak.csv")
                   + [f for text, kat in FORSORJNING.items()
                      for f in unknown_texts(typed, fil, table, text, kat, "okand_forsorjning", VARNING,
                                             "forsorjning.csv")]
                   + open_with_reason(typed, fil, label) + starts_after(typed, fil, table.label("start"), today))


def closed_kategori(frame: pl.DataFrame, text: str, mapping: dict[str, str]) -> pl.Expr:
    """The kategori of a closed spell's `text` by a config mapping (texts compared as config compares them,
    norm_name): a text the mapping does not know, or a blank, is okand; NULL while the spell is open."""
    mapped = map_distinct(frame[text], lambda t: mapping.get(norm_name(t), "okand"))
    return pl.when(pl.col("slut").is_not_null()).then(pl.lit(mapped).fill_null("okand"))


def unknown_texts(frame: pl.DataFrame, fil: str, table: RawTable, text: str, kategori: str, code: str,
                  severity: str, config: str) -> list[Finding]:
    """One finding `code` per förbund and text of column `text` that config/`config` does not know, blank included:
    the closed spells whose `kategori` is counted as `okand`."""
    unknown = (frame.filter(pl.col(kategori) == "okand")
               .group_by("forbund", pl.col(text).fill_null(""))
               .agg(pl.len().alias("n"), pl.col(ROW).min().alias("rad"), pl.col("start").dt.year().min().alias("ar"))
               .sort("forbund", text))
    return [Finding(code, severity,
                    f"{text} not in {config}; {n} spell(s) counted as 'okand' (first at row {rad}, first start year "
                    f"{ar})",
                    kalla=KALLA, forbund=f, fil=fil, rad=rad, kolumn=table.label(text), hittat=value,
                    forvantat=f"a text listed in config/{config}", varde=float(n), ar=ar)
            for f, value, n, rad, ar in unknown.iter_rows()]


def open_with_reason(frame: pl.DataFrame, fil: str, label: str) -> list[Finding]:
    """SUS leaves avslutsorsak blank while a spell is open; a reason without an end date is kept as open."""
    rows = frame.filter(pl.col("slut").is_null() & pl.col("avslutsorsak").is_not_null())
    if rows.is_empty():
        return []
    return [Finding("avslutsorsak_utan_slut", VARNING,
                    f"{rows.height} open spell(s) have an avslutsorsak but no end date; counted as open",
                    kalla=KALLA, forbund=rows["forbund"][0], fil=fil, rad=rows[ROW][0], kolumn=label,
                    hittat=rows["avslutsorsak"][0], forvantat="blank while the spell is open",
                    varde=float(rows.height))]


def starts_after(frame: pl.DataFrame, fil: str, label: str, today: dt.date) -> list[Finding]:
    """A spell that starts after the run's date (BuildContext.today) is registered ahead of time or mistyped: it is
    counted as it stands (the schema refuses dates past next year), and said, one finding per file."""
    rows = frame.filter(pl.col("start") > today).sort(ROW)
    if rows.is_empty():
        return []
    first = rows.row(0, named=True)
    return [Finding("start_i_framtiden", VARNING,
                    f"{rows.height} spell(s) start after the run's date {today.isoformat()} (first at row "
                    f"{first[ROW]}); counted as registered", kalla=KALLA, forbund=first["forbund"],
                    ar=first["start"].year, fil=fil, rad=first[ROW], kolumn=label, hittat=first["start"].isoformat(),
                    forvantat=f"a start date on or before {today.isoformat()}", varde=float(rows.height))]


INSATS_NYCKEL = "insats_nyckel"   # the insats as names are compared (config.norm_name): the spell's key uses it
PARTS = ["forbund", INSATS_NYCKEL, "start", "slut", "kon", "fodelsear"]  # what an anonymous row holds


def spell_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """One file's rows with what a spell is known by across files: the insats as names are compared (case,
    whitespace and Unicode form folded: a re-export writing NAVIGATORN for Navigatorn holds the same spells, and
    was counted twice), and a person key for anonymous rows (anonymous_keys)."""
    return anonymous_keys(frame.with_columns(map_distinct(frame["insats"], norm_name).alias(INSATS_NYCKEL)))


def anonymous_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """One file's rows with a person key for anonymous rows: what they hold plus their order among the file's rows
    holding the same, so a re-export of the same anonymous spells matches them across files and is not counted
    twice. Only the rows sharing what some anonymous row holds are numbered (a window over the whole file costs
    more than the rest of this together)."""
    if not frame["person"].null_count():
        return frame
    rows = frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"), "person", *PARTS)
    held = rows.filter(pl.col("person").is_null()).select(PARTS).unique()
    anonymous = (rows.join(held, on=PARTS, how="semi", nulls_equal=True, maintain_order="left")
                 .with_columns(pl.int_range(pl.len()).over(*PARTS).alias("_n"))
                 .filter(pl.col("person").is_null()))
    key = pl.concat_str(pl.lit("anon"), *(pl.col(c).cast(pl.String).fill_null("") for c in PARTS),
                        pl.col("_n").cast(pl.String), separator="|")
    keys = anonymous.select("_i", key)
    return frame.with_columns(frame["person"].scatter(keys["_i"], keys.to_series(1)))


VALUES = ["slut", "avslutsorsak", "anonym"]
# The same spell (förbund, insats as names are compared, person, start) in several files counts once; the newest file
# wins, and so does its spelling of the insats.
COMBINE = LatestWins({**OUTPUT, INSATS_NYCKEL: pl.String}, ["forbund", INSATS_NYCKEL, "person", "start"], VALUES,
                     lambda row, kalla: conflict_finding(row, kalla, VALUES, "a spell", forbund=row["forbund"],
                                                         insats=row["insats"], ar=row["start"].year),
                     prepare=spell_keys, order=["forbund", "insats", "start", "person"], internal=(INSATS_NYCKEL,))


def parse(path: Path, fil: str, b) -> tuple[pl.DataFrame, list[Finding]]:
    return parse_file(path, fil, b.registry, b.avslutsorsak, key_from_env(), b.today, b.forsorjning)


def avslutsorsak_nyckel(f: pl.DataFrame) -> pl.DataFrame:
    """staging.sus_avslutsorsak: each avslutsorsak text as found, with the key it was mapped by (config.norm_name),
    so SQL joins register.avslutsorsak exactly as the kategori was given."""
    texts = f.select(pl.col("avslutsorsak").drop_nulls().unique().sort())
    return texts.with_columns(nyckel=pl.col("avslutsorsak").map_elements(norm_name, return_dtype=pl.String))


def insatsnamn(f: pl.DataFrame) -> pl.DataFrame:
    """staging.sus_insatsnamn: each insats name as found, with its key (config.norm_name), so SQL finds its row of
    the insats register (register.insatser.insats_nyckel) exactly as Python does: one normalisation, not a second
    one in SQL that treats a non-breaking space or a case folding otherwise."""
    names = f.select(pl.col("insats").drop_nulls().unique().sort())
    return names.with_columns(insats_nyckel=pl.col("insats").map_elements(norm_name, return_dtype=pl.String))


SOURCE = Source(
    "sus_registreringar", "sus", KALLA, "sus",
    "One row per person and insats spell from raw/sus/, person keys pseudonymised, duplicates across files "
    "counted once. Beside it staging.sus_avslutsorsak and staging.sus_insatsnamn: each avslutsorsak text and each "
    "insats name with its key.",
    tuple(COLUMNS), schema,
    FILE_FINDINGS + DUPLICATE_FINDINGS + ("okand_avslutsorsak", "avslutsorsak_utan_slut", "start_i_framtiden",
                                          "okand_forsorjning"),
    parse, COMBINE,
    (SideTable("staging.sus_avslutsorsak", avslutsorsak_nyckel, "distinct avslutsorsak"),
     SideTable("staging.sus_insatsnamn", insatsnamn, "distinct insats")),
    personniva=True)
