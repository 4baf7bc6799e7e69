"""Årsredovisning lines (raw/ekonomi/): one row per förbund, year and line, in kr, with its kategori from
kostnadsmappning.csv.

An optional column `Period till` (a date in the year; blank or 31 December = the whole year) makes the rows a
delårsrapport up to that day. Delår rows are checked like whole-year rows but each period on its own (a file's
duplicates, the sign rule, the subtotals, the negative totals, which file a statement is read from), and they go to
staging.ekonomi_delar_rader, never into staging.ekonomi_rader: every mart that reads the latter (ekonomi_ar,
jamforelse_ar, the tilldelning checks, ...) is about whole years."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from finsam.config import Registry, norm_name
from finsam.config.kostnadsmappning import (
    EGET_KAPITAL,
    INTAKT,
    KATEGORIER,
    KOSTNAD,
    Kostnadsmappning,
    load_kostnadsmappning,
)
from finsam.io.convert import (
    UNKNOWN_FORBUND,
    blank,
    cell_finding,
    convert,
    forbund_codes,
    map_distinct,
    validated,
    year,
)
from finsam.io.findings import INFO, VARNING, FileRejected, Finding
from finsam.io.tables import ROW, Column, RawTable, read_table
from finsam.sources.source import DUPLICATE_FINDINGS, FILE_FINDINGS, FORBUND, SideTable, Source

KALLA = "ekonomi"
COLUMNS = [
    FORBUND,
    Column("ar", ("år", "year", "räkenskapsår")),
    Column("post", ("post text", "benämning", "radtext", "text")),
    Column("belopp", ("utfall", "belopp kr", "belopp tkr")),
    Column("enhet", ("valuta",)),
    Column("typ", ("typ av post", "slag")),
    Column("period_till", ("period till", "perioden till", "period t.o.m.", "till och med"), required=False),
]
KINDS = {"forbund": "text", "ar": "integer", "post": "text", "belopp": "number", "enhet": "text", "typ": "text",
         "period_till": "date"}
PERIOD = "period_till"  # NULL = the whole year
ENHET = {"kr": 1, "kronor": 1, "sek": 1, "tkr": 1000, "tusen kronor": 1000, "ksek": 1000}
TYP = {"intäkt": INTAKT, "intäkter": INTAKT, "intakt": INTAKT, "kostnad": KOSTNAD, "kostnader": KOSTNAD,
       "eget_kapital": EGET_KAPITAL, "eget kapital": EGET_KAPITAL}
# Categories whose total per förbund and year cannot be negative (the marts' shares rely on it).
NON_NEGATIVE = [k for k in KATEGORIER if k not in ("finansiella_poster", "eget_kapital", "exkludera")]
# The subtotal lines an årsredovisning prints for the operating incomes or costs (`Summa intäkter`, `Rörelsens
# kostnader`, `Summa rörelsekostnader`, `Verksamhetens intäkter`, `Totala kostnader`), matched on the whole line text
# as norm_name gives it -> the Typ of the lines they total. kostnadsmappning.csv maps them to exkludera, so they never
# count themselves; each is checked against the file's mapped lines of that Typ (finansiella_poster aside).
DELSUMMOR = {INTAKT: re.compile(r"(?:summa|totala?|totalt)\s+(?:rörelse|verksamhetens\s+)?intäkter"
                                r"|(?:rörelsens|verksamhetens)\s+intäkter"),
             KOSTNAD: re.compile(r"(?:summa|totala?|totalt)\s+(?:rörelse|verksamhetens\s+)?kostnader"
                                 r"|(?:rörelsens|verksamhetens)\s+kostnader")}
NOT_SUMMED = ("exkludera", "finansiella_poster")
OUTPUT = {"forbund": pl.String, "ar": pl.Int32, "post": pl.String, "typ": pl.String, "kategori": pl.String,
          "belopp": pl.Float64, "belopp_fil": pl.Float64, "enhet": pl.String, "kommun": pl.String,
          "mappning_rad": pl.Int64, "insats": pl.String, "finansiar": pl.String, PERIOD: pl.Date, "fil": pl.String,
          "rad": pl.Int64,
          "andrad": pl.Datetime("us")}


def in_year(column: str) -> pa.Check:
    """A date column (blank allowed) whose dates lie in the row's År."""
    return pa.Check(lambda d: d.lazyframe.select(pl.col(column).is_null() | pl.col("ar").is_null()
                                                 | (pl.col(column).dt.year() == pl.col("ar"))),
                    name=column, error="date outside the row's year", description="a date within the row's År")


def line_columns(last_year: int, post_text: str, typ: dict[str, str], typ_text: str) -> dict[str, pa.Column]:
    """The pandera columns of a money line, shared by årsredovisning and budget lines: förbund, year, line text,
    amount, unit and Typ."""
    return {
        ROW: pa.Column(pl.Int64),
        "forbund": pa.Column(pl.String, UNKNOWN_FORBUND, nullable=True),
        "ar": pa.Column(pl.Int64, year(2000, last_year), nullable=True),
        "post": pa.Column(pl.String, blank("line text is blank", post_text), nullable=True),
        "belopp": pa.Column(pl.Float64, blank("amount is blank", "an amount"), nullable=True),
        "enhet": pa.Column(pl.String, [blank("unit is blank", "kr or tkr"),
                                       pa.Check.isin(list(ENHET), error="not a valid Enhet", description="kr or tkr")],
                           nullable=True),
        "typ": pa.Column(pl.String, [blank("Typ is blank", typ_text),
                                     pa.Check.isin(list(typ), error="not a valid Typ", description=typ_text)],
                         nullable=True),
    }


def schema(today: dt.date) -> pa.DataFrameSchema:
    key = ["forbund", "ar", PERIOD, "typ", "post_key"]
    return pa.DataFrameSchema(
        line_columns(today.year, "the line text as printed in the årsredovisning", TYP, TYP_TEXT),
        checks=[pa.Check(lambda d: d.lazyframe.select(~pl.struct(key).is_duplicated() | pl.col("post").is_null()),
                         name="post", error="duplicate line",
                         description="each line once per förbund, year, Period till and Typ"),
                in_year(PERIOD)], strict=False)


TYP_TEXT = "intäkt, kostnad or eget_kapital"


def map_lines(table: RawTable, typed: pl.DataFrame, mappning: Kostnadsmappning
              ) -> tuple[list[str | None], list[int | None], list[Finding]]:
    """kategori and kostnadsmappning line per row; an unmapped, ambiguous or Typ-contradicting line is a finding."""
    kategorier, rader, findings = [], [], []
    for rad, forbund, ar, post, typ in typed.select(ROW, "forbund", "ar", "post", "typ").iter_rows():
        kategori = mappad = None
        typ = TYP.get(typ or "")
        if forbund and ar and post and typ:
            where = f"(förbund {forbund}, year {ar})"
            hits = mappning.matches(forbund, ar, post)
            if not hits:
                findings.append(cell_finding(
                    table, rad, "post", post, "a line text matched by a post_pattern in kostnadsmappning.csv",
                    f"line not mapped by kostnadsmappning.csv {where}", forbund=forbund, ar=ar))
            elif len(hits) > 1:
                findings.append(cell_finding(
                    table, rad, "post", post, "exactly one matching kostnadsmappning.csv row per level "
                    "(the förbund's own rows, then '*' rows)",
                    f"line matched by {len(hits)} kostnadsmappning.csv rows at the same level {where}: "
                    + "; ".join(h.describe() for h in hits), forbund=forbund, ar=ar))
            elif typ not in KATEGORIER[hits[0].kategori]:
                findings.append(cell_finding(
                    table, rad, "typ", table.frame.filter(pl.col(ROW) == rad)["typ"].item(),
                    " or ".join(KATEGORIER[hits[0].kategori]) + f" for kategori {hits[0].kategori}",
                    f"kostnadsmappning.csv {hits[0].describe()} contradicts the line's Typ {where}",
                    forbund=forbund, ar=ar))
            else:
                kategori, mappad = hits[0].kategori, hits[0].rad
        kategorier.append(kategori)
        rader.append(mappad)
    return kategorier, rader, findings


def member_kommun(registry: Registry) -> dict[str, list[tuple[re.Pattern, str]]]:
    """Per förbund: a pattern for each member kommun's name (also in the genitive, 'Hallsbergs kommun')."""
    return {f.kod: [(re.compile(rf"\b{re.escape(m.namn)}s?\b", re.IGNORECASE), m.kommun) for m in f.medlemmar]
            for f in registry.forbund}


def kommun_of(patterns: list[tuple[re.Pattern, str]], post: str) -> str | None:
    """The member kommun a medlemsbidrag line names, when it names exactly one."""
    found = {kod for pattern, kod in patterns if pattern.search(post)}
    return found.pop() if len(found) == 1 else None


# An amount in kr written as 1.025 or 1,025: one to three digits, a point or comma, three digits. Kronor have two
# decimals (öre), so this is a thousands separator (1 025 kr) or a decimal mark with a slip (1,03 kr), and the file
# cannot say which: read as written it was 1.03 kr where 1 025 kr was meant (a hostile-input hunt).
TVETYDIGT_BELOPP = r"^\s*[+\-\u2212]?\d{1,3}[.,]\d{3}\s*$"


def ambiguous_kr(table: RawTable, enhet: pl.Series, columns: list[str]) -> list[Finding]:
    """The cells of `columns` whose amount in kr (the row's normalised Enhet is kr, kronor or sek) has a point or a
    comma before exactly three digits (TVETYDIGT_BELOPP): each a finding, which rejects the file."""
    kr = enhet.is_in([e for e, faktor in ENHET.items() if faktor == 1]).fill_null(False)
    findings = []
    for col in (c for c in columns if c in table.frame.columns):
        rows = table.frame.filter(kr & table.frame[col].str.contains(TVETYDIGT_BELOPP).fill_null(False))
        findings += [cell_finding(table, rad, col, value, "an amount in kr with at most two decimals: 1025 or "
                                  "1 025 for a thousand and twenty-five kronor, 1,03 for one krona and three öre",
                                  "a point or comma before three digits in an amount in kr: a thousands separator "
                                  "or a decimal mark?") for rad, value in rows.select(ROW, col).iter_rows()]
    return findings


def read_lines(path: Path, fil: str, columns: list[Column], kinds: dict[str, str], kalla: str, registry: Registry,
               normalised: tuple[str, ...] = ()) -> tuple[RawTable, pl.DataFrame, list[Finding]]:
    """A money file's table and typed rows: förbund codes, Enhet, Typ and the `normalised` columns as norm_name
    compares them, and the line text's key (post_key); the cells that did not parse as findings."""
    table = read_table(path, columns, fil, kalla)
    typed, findings = convert(table, kinds, totals=["belopp"])
    typed = typed.with_columns(
        forbund_codes(typed["forbund"], registry),
        map_distinct(typed["enhet"], norm_name).alias("enhet"),
        map_distinct(typed["typ"], norm_name).alias("typ"),
        *(map_distinct(typed[c], norm_name).alias(c) for c in normalised),
        map_distinct(typed["post"], norm_name).alias("post_key"),
    )
    return table, typed, findings + ambiguous_kr(table, typed["enhet"], ["belopp"])


def in_kr(typed: pl.DataFrame, kategorier: list[str | None], rader: list[int | None], typ: dict[str, str]
          ) -> pl.DataFrame:
    """Validated lines with their kategori and mapping line, Typ as stored, the amount as written (belopp_fil) and
    in kr (belopp)."""
    return typed.with_columns(
        pl.Series("kategori", kategorier, dtype=pl.String), pl.Series("mappning_rad", rader, dtype=pl.Int64),
        pl.col("typ").replace_strict(typ, return_dtype=pl.String),
        pl.col("belopp").alias("belopp_fil"),
        (pl.col("belopp") * pl.col("enhet").replace_strict(ENHET, return_dtype=pl.Float64)).round(2).alias("belopp"),
    )


def parse_file(path: Path, fil: str, registry: Registry, mappning: Kostnadsmappning, today: dt.date
               ) -> tuple[pl.DataFrame, list[Finding]]:
    table, typed, findings = read_lines(path, fil, COLUMNS, KINDS, KALLA, registry)
    kategorier, rader, mapping_findings = map_lines(table, typed, mappning)
    typed = in_kr(validated(table, typed, schema(today), findings + mapping_findings), kategorier, rader, TYP)
    typed = typed.with_columns(whole_year(pl.col(PERIOD)))
    typed, notes = normalise_sign(typed, fil)
    reject_negative_totals(table, typed)
    notes += check_subtotals(typed, fil)
    kommuner = member_kommun(registry)
    typed = typed.with_columns(pl.Series("kommun", [
        kommun_of(kommuner[f], p) if k == "medlemsbidrag_kommun" else None
        for f, p, k in typed.select("forbund", "post", "kategori").iter_rows()], dtype=pl.String))
    typed = typed.with_columns(pl.col("ar").cast(pl.Int32), *table.source(), *(
        pl.col("mappning_rad").replace_strict(rader, default=None, return_dtype=pl.String).alias(namn)
        for namn, rader in (("insats", mappning.insatser()), ("finansiar", mappning.finansiarer()))))
    return typed.select(list(OUTPUT)), notes


def whole_year(period: pl.Expr) -> pl.Expr:
    """Period till on 31 December is the whole year (NULL), as a blank cell is."""
    return pl.when((period.dt.month() == 12) & (period.dt.day() == 31)).then(None).otherwise(period).alias(PERIOD)


def normalise_sign(typed: pl.DataFrame, fil: str, by: str = PERIOD, kalla: str = KALLA
                   ) -> tuple[pl.DataFrame, list[Finding]]:
    """Costs are stored positive. A file whose cost lines (subtotals aside) are all 0 or negative is written
    resultaträkning style: its cost lines are negated, and that is recorded. Each period of the file (`by`: a
    delår beside the whole year) is judged on its own."""
    if typed.is_empty():
        return typed, []
    parts = [_normalise_sign(part, fil, kalla) for part in typed.partition_by(by, maintain_order=True)]
    return pl.concat([p for p, _ in parts]).sort(ROW), [f for _, found in parts for f in found]


def _normalise_sign(typed: pl.DataFrame, fil: str, kalla: str) -> tuple[pl.DataFrame, list[Finding]]:
    kostnad = pl.col("typ") == KOSTNAD
    costs = typed.filter(kostnad & (pl.col("kategori") != "exkludera"))["belopp"]
    if costs.is_empty() or costs.max() > 0 or costs.min() == 0:
        return typed, []
    n = typed.filter(kostnad).height
    finding = Finding("teckenvand", INFO, f"every cost line is 0 or negative (resultaträkning style): the {n} "
                      "cost lines were negated and are stored as positive amounts", kalla=kalla, fil=fil,
                      kolumn="Belopp", varde=float(n))
    return typed.with_columns(pl.when(kostnad).then(-pl.col("belopp")).otherwise(pl.col("belopp")).alias("belopp")), \
        [finding]


def check_subtotals(typed: pl.DataFrame, fil: str) -> list[Finding]:
    """Each subtotal line (DELSUMMOR, mapped to exkludera) against the sum of the mapped lines of its Typ in the same
    file and förbund-year: a difference beyond rounding (half a unit of the file's Enhet per summed line) is a
    `delsumma_avviker` warning naming both, a sign that a line is missing, doubled or typed wrong. The figures are
    not changed: the mapped lines count, the subtotal never does."""
    findings = []
    lines = typed.filter(pl.col("kategori").is_not_null())
    subtotals = lines.filter(pl.col("kategori") == "exkludera")
    for rad, forbund, ar, post, typ, belopp in subtotals.select(ROW, "forbund", "ar", "post", "typ",
                                                                 "belopp").iter_rows():
        pattern = DELSUMMOR.get(typ)
        if pattern is None or not pattern.fullmatch(norm_name(post)):
            continue
        summed = lines.filter((pl.col("forbund") == forbund) & (pl.col("ar") == ar) & (pl.col("typ") == typ)
                              & ~pl.col("kategori").is_in(NOT_SUMMED)
                              & pl.col(PERIOD).eq_missing(typed.filter(pl.col(ROW) == rad)[PERIOD].item()))
        total = summed["belopp"].sum()
        unit = max([ENHET[e] for e in summed["enhet"].to_list() if e in ENHET], default=1)
        if abs(abs(belopp) - total) <= unit * (summed.height + 1) / 2:
            continue
        kind = "income" if typ == INTAKT else "cost"
        findings.append(Finding(
            "delsumma_avviker", VARNING,
            f"the subtotal line {post!r} (row {rad}) says {_kr(abs(belopp))} kr, but the {summed.height} mapped "
            f"{kind} lines of förbund {forbund}, year {ar} in this file sum to {_kr(total)} kr (difference "
            f"{_kr(abs(belopp) - total)} kr): a line may be missing, doubled or typed wrong; the mapped lines are "
            "used", kalla=KALLA, forbund=forbund, ar=ar, fil=fil, rad=rad, kolumn="Belopp",
            hittat=f"{_kr(abs(belopp))} kr", forvantat=f"{_kr(total)} kr, the sum of the {summed.height} mapped "
            f"{typ} lines (kostnadsmappning.csv)", varde=abs(belopp) - total))
    return findings


def _kr(belopp: float) -> str:
    return f"{belopp:,.0f}".replace(",", " ")


def reject_negative_totals(table: RawTable, typed: pl.DataFrame, by: tuple[str, ...] = (PERIOD,)) -> None:
    """An income or cost category cannot sum to a negative amount in a förbund-year (a sign or typing error), in
    each period (`by`: a delår on its own) apart."""
    totals = (typed.filter(pl.col("kategori").is_in(NON_NEGATIVE))
              .group_by("forbund", "ar", *by, "kategori").agg(pl.col("belopp").sum(), pl.col(ROW).min())
              .filter(pl.col("belopp") < -0.005).sort(ROW).select("forbund", "ar", "kategori", "belopp", ROW))
    if totals.height:
        raise FileRejected(table.fil, [cell_finding(
            table, rad, "belopp", f"{belopp:.2f}", "a total of 0 or more kr",
            f"the lines of kategori {kategori} sum to a negative amount for förbund {forbund}, year {ar} "
            "(costs and incomes are positive, or every cost line negative)", forbund=forbund, ar=ar)
            for forbund, ar, kategori, belopp, rad in totals.iter_rows()])


def combine(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, list[Finding]]:
    """Each statement of a förbund-year and period (resultaträkning: intäkt and kostnad lines; balansräkning:
    eget_kapital lines; a delår apart from the whole year) is read from one file: the one modified last (then the
    last by name). Another file's lines for the same statement are ignored, with a finding when they differ; so two
    versions of an årsredovisning never add up, while a balance sheet in a file of its own still joins the
    resultaträkning, and a delårsrapport in a file of its own stands beside the årsredovisning."""
    if not frames:
        return pl.DataFrame(schema=OUTPUT), []
    rows = pl.concat(frames, how="vertical_relaxed").with_columns(
        pl.when(pl.col("typ") == "eget_kapital").then(pl.lit("balans")).otherwise(pl.lit("resultat")).alias("del"))

    def what(forbund, ar, period, part) -> str:
        statement = "balansräkning" if part == "balans" else "resultaträkning"
        return f"this förbund-year's {statement}" + (f" up to {period}" if period is not None else "")
    kept, findings = one_file_each(rows, ["forbund", "ar", PERIOD, "del"], ["typ", "post", "belopp"], KALLA, what)
    return kept.drop("del"), findings


def one_file_each(rows: pl.DataFrame, key: list[str], content: list[str], kalla: str,
                  what: Callable[..., str]) -> tuple[pl.DataFrame, list[Finding]]:
    """The rows of each `key` (one statement, one budget version: key[0] the förbund, key[1] the year) from one
    file: the one modified last (then the last by name). Another file's rows of the same key are ignored, with a
    `dubblett_konflikt` finding when their `content` differs (`what(*key values)` names the thing in it)."""
    chosen = (rows.select(*key, "fil", "andrad").unique().sort("andrad", "fil", descending=True, nulls_last=True)
              .unique(subset=key, keep="first", maintain_order=True))
    on = dict(on=[*key, "fil"], nulls_equal=True)
    kept = rows.join(chosen.select(*key, "fil"), how="semi", **on)
    findings = []
    for values, lines in rows.join(chosen.select(*key, "fil"), how="anti", **on).group_by(*key, "fil",
                                                                                        maintain_order=True):
        *keys, fil = values
        same = pl.all_horizontal(pl.col(k).eq_missing(v) for k, v in zip(key, keys, strict=True))
        winner = chosen.filter(same)["fil"].item()
        if set(lines.select(content).iter_rows()) != set(kept.filter(same).select(content).iter_rows()):
            findings.append(Finding("dubblett_konflikt", VARNING,
                                    f"{what(*keys)} is also in {winner} with different lines; that file is used "
                                    "(the newest), these lines are ignored", kalla=kalla, forbund=keys[0],
                                    ar=keys[1], fil=fil, rad=lines["rad"].min()))
    return kept.sort("forbund", "ar", "fil", "rad"), findings


@dataclass(frozen=True)
class Kontext:
    """What parse needs of a build: the kostnadsmappning is read (and checked) once, before any file, so a broken
    one stops the run even when raw/ekonomi/ is empty."""
    registry: Registry
    mappning: Kostnadsmappning
    today: dt.date


def prepare(b) -> Kontext:
    mappning = load_kostnadsmappning(b.config_dir, {f.kod for f in b.registry.forbund}, b.insatser)
    return Kontext(b.registry, mappning, b.today)


def parse(path: Path, fil: str, k: Kontext) -> tuple[pl.DataFrame, list[Finding]]:
    return parse_file(path, fil, k.registry, k.mappning, k.today)


SOURCE = Source(
    "ekonomi_rader", "ekonomi", KALLA, "ekonomi",
    "One row per förbund, year and årsredovisning line from raw/ekonomi/, in kr, costs and incomes positive, "
    "with the kategori config/kostnadsmappning.csv gives it (and the config line that did): whole years only. "
    "Beside it staging.ekonomi_delar_rader: the lines of delårsrapporter (a Period till before 31 December).",
    tuple(COLUMNS), schema, FILE_FINDINGS + DUPLICATE_FINDINGS + ("teckenvand", "delsumma_avviker"), parse, combine,
    side=(SideTable("staging.ekonomi_delar_rader", lambda rows: rows.filter(pl.col(PERIOD).is_not_null())),),
    behall=f"{PERIOD} is null", prepare=prepare)
