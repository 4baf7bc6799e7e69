"""The public marts' contract: one pandera model per table of schema `marts`, with every column's type,
nullability, value range and one-line definition, and the table's grain (Config.unique).

These models are the single declaration of what a mart holds. The build runs each one as a blocking check on the
table it describes, writes the definitions into the warehouse (COMMENT ON, so `describe` and duckdb_columns()
explain a column) and into the Dagster UI (column schema). Names and columns are a public interface: add columns
freely, never rename without a migration note in the README.
"""
from __future__ import annotations

import polars as pl
import pandera.polars as pa
from pandera.polars import Field

from finsam.config import AVSLUT_KATEGORIER
from finsam.config.insatser import TYPER

YEAR = {"ge": 2000, "le": 2100}


def count(definition: str) -> object:
    """A count of people or rows: BIGINT, never negative, NULL where the data are missing."""
    return Field(ge=0, nullable=True, description=definition)


def share(definition: str) -> object:
    """A fraction 0-1, NULL where numerator or denominator is missing or the denominator is 0."""
    return Field(ge=0, le=1, nullable=True, description=definition)


def ratio(definition: str) -> object:
    """A ratio that may honestly exceed 1 (kr per person, admin over medelstilldelning)."""
    return Field(ge=0, nullable=True, description=definition)


def amount(definition: str) -> object:
    """kr; may be negative (finansiella poster, differences)."""
    return Field(nullable=True, description=definition)


def text(definition: str, nullable: bool = False, **kw) -> object:
    return Field(nullable=nullable, description=definition, **kw)


FORBUND = "förbund code (kod in config/forbund.yaml)"
AR = "calendar year"
KOMMUN = "kommun code, four digits"


class Mart(pa.DataFrameModel):
    """Base: every mart is checked strictly (no column the model does not declare, none missing)."""

    class Config:
        strict = True


class DeltagareAr(Mart):
    """Participants per förbund, insats and year, counted from SUS registrations (kalla 'sus') or, for a
    förbund-year without registrations, from reported counts (kalla 'aggregat'). insats '*' is the förbund total
    of unique individuals, not the sum over insatser."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    insats: str = text("insats name as in SUS, '*' for the förbund's unique individuals, or 'typ:<typ>' for the "
                       "unique individuals of every insats of one typ in config/insatser.csv (typ:okand = not in it)")
    deltagare: pl.Int64 = count("unique non-anonymous persons with a spell overlapping the year, plus anonymous "
                                "spells starting in it")
    nyinskrivna: pl.Int64 = count("deltagare not open at the end of the year before, plus anonymous spells "
                                  "starting in the year")
    avslutade: pl.Int64 = count("non-anonymous deltagare with no spell open after 31 December")
    avslut_arbete_studier: pl.Int64 = count("avslutade whose last spell ended with kategori arbete or studier")
    avslut_jobb_studieredo: pl.Int64 = count("avslutade whose last spell ended with kategori arbetssokande or "
                                             "studieredo")
    pagaende_vid_arets_slut: pl.Int64 = count("unique non-anonymous persons with a spell open after 31 December")
    registreringar: pl.Int64 = count("spells overlapping the year (anonymous spells only in their start year)")
    anonyma: pl.Int64 = count("anonymous spells starting in the year")
    kalla: str = text("where the counts come from: sus (registrations) or aggregat (reported counts); NULL when "
                      "neither exists", nullable=True, isin=["sus", "aggregat"])
    aterkommande: pl.Int64 = count("nyinskrivna (not anonymous) with an earlier spell in any insats that ended more "
                                   "than 90 days before they entered; across förbund when the person key is a "
                                   "personnummer pseudonym; NULL for reported counts")

    class Config:
        unique = ["forbund", "ar", "insats"]


class EkonomiAr(Mart):
    """Incomes, costs by kind and eget kapital per förbund and year, in kr, from årsredovisning lines mapped by
    config/kostnadsmappning.csv. A side without lines in the year is NULL, never 0."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    medlemsbidrag: pl.Float64 = amount("medlemsbidrag_stat + medlemsbidrag_region + medlemsbidrag_kommun (the "
                                       "medelstilldelning as booked)")
    externa_bidrag: pl.Float64 = amount("grants outside the medelstilldelning (Tillväxtverket, MUCF, ESF, ...)")
    ovriga_intakter: pl.Float64 = amount("other operating income")
    intakter_totalt: pl.Float64 = amount("medlemsbidrag + externa_bidrag + ovriga_intakter")
    kostnad_individ: pl.Float64 = amount("costs of individinriktade insatser")
    kostnad_struktur: pl.Float64 = amount("costs of strukturövergripande insatser")
    kostnad_admin: pl.Float64 = amount("administration: kansli, förbundschef, styrelse, revision, lokaler")
    kostnader_totalt: pl.Float64 = amount("kostnad_individ + kostnad_struktur + kostnad_admin")
    eget_kapital: pl.Float64 = amount("eget kapital at year end; NULL when the year has no such line")
    medlemsbidrag_stat: pl.Float64 = amount("medlemsbidrag from Försäkringskassan (the state)")
    medlemsbidrag_region: pl.Float64 = amount("medlemsbidrag from the region")
    medlemsbidrag_kommun: pl.Float64 = amount("medlemsbidrag from the member kommuner together")
    finansiella_poster: pl.Float64 = amount("financial income minus financial costs (in neither total)")

    class Config:
        unique = ["forbund", "ar"]


class JamforelseAr(Mart):
    """The genomlysning's comparison per förbund and year. Counts are the förbund's unique individuals
    (deltagare_ar, insats '*'); money is ekonomi_ar. A ratio with a missing or zero denominator is NULL."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    deltagare: pl.Int64 = count("deltagare_ar.deltagare, insats '*'")
    avslutade: pl.Int64 = count("deltagare_ar.avslutade, insats '*'")
    avslut_arbete_studier: pl.Int64 = count("deltagare_ar.avslut_arbete_studier, insats '*'")
    avslut_jobb_studieredo: pl.Int64 = count("deltagare_ar.avslut_jobb_studieredo, insats '*'")
    andel_avslutade: pl.Float64 = ratio("avslutade / deltagare (reported counts can exceed 1)")
    kostnad_per_deltagare: pl.Float64 = ratio("kostnad_individ / deltagare, kr")
    kostnad_per_avslut: pl.Float64 = ratio("kostnad_individ / avslutade, kr")
    kostnad_per_avslut_arbete_studier: pl.Float64 = ratio("kostnad_individ / avslut_arbete_studier, kr")
    kostnad_per_utfall: pl.Float64 = ratio("kostnad_individ / (avslut_arbete_studier + avslut_jobb_studieredo), kr")
    admin_andel_kostnader: pl.Float64 = share("kostnad_admin / kostnader_totalt")
    admin_andel_medelstilldelning: pl.Float64 = ratio("kostnad_admin / medlemsbidrag (the genomlysning's table)")
    admin_andel_intakter: pl.Float64 = ratio("kostnad_admin / intakter_totalt (external grants included)")
    andel_individ: pl.Float64 = share("kostnad_individ / kostnader_totalt")
    andel_struktur: pl.Float64 = share("kostnad_struktur / kostnader_totalt")
    eget_kapital_andel: pl.Float64 = amount("eget_kapital at year end / medlemsbidrag (negative when eget "
                                            "kapital is)")
    malgrupp: pl.Float64 = ratio("malgrupp_andel x population 16-64 on 31 December of the member kommuner")
    tackningsgrad: pl.Float64 = ratio("deltagare / malgrupp")
    helarsekvivalenter_andel: pl.Float64 = share("sum of helårsekvivalenter / sum of population 20-64, member "
                                                 "kommuner, kön and ersättning totalt")
    helarsekvivalenter_andel_riket: pl.Float64 = share("the same share for riket")
    eget_kapital_andel_intakter: pl.Float64 = amount("eget_kapital at year end / intakter_totalt (Sydnärke's own "
                                                     "target, at most 7 %); negative when eget kapital is")
    andel_avslutade_lag: pl.Float64 = share("lower bound of the Wilson 95 % interval of andel_avslutade; NULL when "
                                            "avslutade exceeds deltagare")
    andel_avslutade_hog: pl.Float64 = share("upper bound of that interval")
    andel_arbete_studier: pl.Float64 = ratio("avslut_arbete_studier / avslutade (reported counts can exceed 1)")
    andel_arbete_studier_lag: pl.Float64 = share("lower bound of the Wilson 95 % interval of andel_arbete_studier")
    andel_arbete_studier_hog: pl.Float64 = share("upper bound of that interval")
    andel_jobb_studieredo: pl.Float64 = ratio("avslut_jobb_studieredo / avslutade (reported counts can exceed 1)")
    andel_jobb_studieredo_lag: pl.Float64 = share("lower bound of the Wilson 95 % interval of andel_jobb_studieredo")
    andel_jobb_studieredo_hog: pl.Float64 = share("upper bound of that interval")
    deltagare_per_1000_helarsekvivalenter: pl.Float64 = ratio("1000 x deltagare / sum of helårsekvivalenter of the "
                                                              "member kommuner (kön and ersättning totalt)")

    class Config:
        unique = ["forbund", "ar"]


class Datakvalitet(Mart):
    """One row per finding of the build: rejected files, reconciliation differences, missing inputs. regel is a
    stable code listed with its meaning in the README."""

    forbund: str = text(FORBUND + "; NULL when the finding is about a whole file", nullable=True)
    ar: pl.Int32 = Field(**YEAR, nullable=True, description=AR + ", when the finding concerns one")
    insats: str = text("insats name, when the finding concerns one", nullable=True)
    regel: str = text("stable rule code (fil_avvisad, stock_flow, saknar_sus, ...)")
    allvarlighet: str = text("fel = the file was rejected, varning = loaded but needs attention, info = for the "
                             "record", isin=["fel", "varning", "info"])
    fil: str = text("input file, relative to the data directory", nullable=True)
    rad: pl.Int64 = Field(ge=1, nullable=True, description="row in the file, title rows and header counted")
    kolumn: str = text("column as written in the file", nullable=True)
    hittat: str = text("what was found (person ids masked)", nullable=True)
    forvantat: str = text("what was expected", nullable=True)
    beskrivning: str = text("the finding in words")
    varde: pl.Float64 = amount("the size of the finding (a difference, a count), when it has one")
    kalla: str = text("the source the finding concerns (sus, ekonomi, scb_folkmangd, ...)", nullable=True)


class InlastaFiler(Mart):
    """Every input file the build saw, loaded or rejected, with its checksum, so a number can be traced to the
    exact file it came from."""

    fil: str = text("input file, relative to the data directory", unique=True)
    kalla: str = text("the source folder's code")
    status: str = text("inlast (loaded), avvisad (rejected), or tidigare_version (rejected, and the last version "
                       "accepted before was used instead: sha256 and andrad are that version's)",
                       isin=["inlast", "avvisad", "tidigare_version"])
    rader: pl.Int64 = count("rows loaded; NULL when rejected")
    andrad: pl.Datetime("us") = Field(nullable=True, description="the file's modification time")
    sha256: str = text("SHA-256 of the file's bytes", nullable=True)
    orsak: str = text("why the file was rejected (the first problem)", nullable=True)


class MalgruppKommun(Mart):
    """The genomlysning's target group per member kommun and year (members on 31 December)."""

    forbund: str = text(FORBUND)
    kommun: str = text(KOMMUN, str_matches=r"^\d{4}$")
    kommun_namn: str = text("kommun name as in forbund.yaml")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    befolkning_16_64: pl.Int64 = count("population aged 16-64 on 31 December")
    malgrupp: pl.Float64 = ratio("malgrupp_andel (installningar.yaml) x befolkning_16_64")

    class Config:
        unique = ["forbund", "kommun", "ar"]


class MalgruppAr(Mart):
    """The target group per förbund and year; NULL unless every member kommun has its population."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    kommuner: pl.Int64 = count("member kommuner that count for the year (members on 31 December)")
    befolkning_16_64: pl.Int64 = count("sum of the members' population 16-64 on 31 December")
    malgrupp: pl.Float64 = ratio("malgrupp_andel x befolkning_16_64")

    class Config:
        unique = ["forbund", "ar"]


KON = ["kvinna", "man", "totalt"]
ERSATTNING = ["sjukpenning", "sjuk_aktivitetsersattning", "arbetsloshetsersattning", "ekonomiskt_bistand",
              "etableringsersattning", "totalt"]


class HelarsekvivalenterKommun(Mart):
    """Helårsekvivalenter (people 20-64 fully supported for a year by public benefits) per member kommun, year,
    kön and ersättning."""

    forbund: str = text(FORBUND)
    kommun: str = text(KOMMUN, str_matches=r"^\d{4}$")
    kommun_namn: str = text("kommun name as in forbund.yaml")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    kon: str = text("kvinna, man or totalt", isin=KON)
    ersattning: str = text("the benefit, or totalt", isin=ERSATTNING)
    helarsekvivalenter: pl.Float64 = ratio("the count as given, or andel x befolkning_20_64 when only the share "
                                           "is given (rekonstruerad)")
    befolkning_20_64: pl.Int64 = count("population 20-64 on 31 December of the kommun and kön")
    andel: pl.Float64 = share("helarsekvivalenter / befolkning_20_64; NULL when over_befolkning")
    andel_angiven: pl.Float64 = share("the share as printed in the file")
    rekonstruerad: bool = Field(nullable=True, description="the count was rebuilt from the share")
    over_befolkning: bool = Field(nullable=True, description="the count exceeds the population 20-64: the inputs "
                                                             "contradict each other")

    class Config:
        unique = ["forbund", "kommun", "ar", "kon", "ersattning"]


class HelarsekvivalenterAr(Mart):
    """Helårsekvivalenter per förbund, year, kön and ersättning as a population-weighted share of the population
    20-64, beside riket."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    kon: str = text("kvinna, man or totalt", isin=KON)
    ersattning: str = text("the benefit, or totalt", isin=ERSATTNING)
    helarsekvivalenter: pl.Float64 = ratio("sum over the member kommuner; NULL when any lacks a count")
    befolkning_20_64: pl.Int64 = count("sum over the member kommuner of the population 20-64")
    andel: pl.Float64 = share("helarsekvivalenter / befolkning_20_64, never an average of percentages")
    andel_riket: pl.Float64 = share("the same share for riket (region 00)")
    rekonstruerad: bool = Field(nullable=True, description="some kommun's count was rebuilt from its share")

    class Config:
        unique = ["forbund", "ar", "kon", "ersattning"]


class Kommunfordelning(Mart):
    """The kommun quarter of the medelstilldelning split by population on 1 November the year before, beside what
    each kommun's medlemsbidrag line says; for the förbund-years that report per-kommun lines."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    kommun: str = text(KOMMUN, str_matches=r"^\d{4}$")
    kommun_namn: str = text("kommun name; NULL for a line naming a kommun that is not a member", nullable=True)
    befolkning_1_nov: pl.Int64 = count("the kommun's population on 1 November of the year before")
    befolkning_medlemmar: pl.Int64 = count("all members' population on 1 November of the year before")
    andel: pl.Float64 = share("befolkning_1_nov / befolkning_medlemmar")
    kommunandel: pl.Float64 = ratio("the kommun quarter in kr: Kommuner in raw/tilldelning, else the sum of the "
                                    "kommun lines")
    kalla_kommunandel: str = text("tilldelning or summa_kommunrader", nullable=True,
                                  isin=["tilldelning", "summa_kommunrader"])
    forvantat: pl.Float64 = ratio("round(kommunandel x befolkning_1_nov / befolkning_medlemmar), kr")
    rapporterat: pl.Float64 = amount("the kommun's medlemsbidrag lines, kr")
    differens: pl.Float64 = amount("rapporterat - forvantat, kr")
    medlem: bool = Field(description="the kommun counts for the förbund that year")
    fil: str = text("file of the kommun's first medlemsbidrag line", nullable=True)
    rad: pl.Int64 = Field(ge=1, nullable=True, description="row of that line")

    class Config:
        unique = ["forbund", "ar", "kommun"]


class KostnadsmappningAr(Mart):
    """Which årsredovisning line went to which kategori, per förbund and year, and by which line of
    config/kostnadsmappning.csv: what a förbund's administration, struktur and individ costs are made of, and
    where a line changed kategori between years."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    post: str = text("the line text as printed in the file (trimmed)")
    kategori: str = text("the kategori kostnadsmappning.csv gave the line (exkludera = counted nowhere)")
    belopp: pl.Float64 = amount("the line's amount in kr as ekonomi_ar adds it up; lines with the same text in "
                                "one förbund-year are summed")
    mappning_rad: pl.Int64 = Field(ge=2, description="the line of config/kostnadsmappning.csv that decided it")

    class Config:
        unique = ["forbund", "ar", "post", "kategori", "mappning_rad"]


class Korningar(Mart):
    """The run history: one row per published run, carried over from the previous warehouse into each new build,
    so an analyst can see on what the numbers rest and since when."""

    run_id: str = text("the Dagster run that built the warehouse", unique=True)
    startad: pl.Datetime("us") = Field(description="when the run started")
    klar: pl.Datetime("us") = Field(description="when the run's marts were finished (before report and publishing)")
    utlost_av: str = text("what started the run", isin=["kommando", "schema", "sensor", "ui", "test"])
    status: str = text("publicerad, or publicerad_med_avvisade when input files were rejected",
                       isin=["publicerad", "publicerad_med_avvisade"])
    exitkod: pl.Int32 = Field(isin=[0, 2], description="the pipeline command's exit status for such a run")
    filer_lasta: pl.Int64 = count("input files loaded")
    filer_avvisade: pl.Int64 = count("input files rejected")
    varningar: pl.Int64 = count("findings of severity varning")
    filer: str = text("JSON list of every input file: fil, status, sha256, orsak")
    rader: str = text("JSON map of rows per mart")
class AvslutAr(Mart):
    """The avslutade of each förbund (insats '*', unique individuals) and insats per year by the kategori of their
    last spell: every kategori of config/avslutsorsak.csv plus okand, with or without continued support. One row
    per deltagare_ar row and kategori; counts only where deltagare_ar counted from registrations (kalla 'sus')."""

    forbund: str = text(FORBUND)
    insats: str = text("insats name as in SUS, or '*' for the förbund's unique individuals")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    kategori: str = text("the avslut category of the last spell; okand = a closed spell without a known reason",
                         isin=[*AVSLUT_KATEGORIER, "okand"])
    avslutade: pl.Int64 = count("avslutade whose last spell ended with this kategori; NULL where deltagare_ar.kalla "
                                "is not sus (reports give no split)")
    avslutade_totalt: pl.Int64 = count("deltagare_ar.avslutade of the förbund or insats and year")
    andel: pl.Float64 = share("avslutade / avslutade_totalt")
    med_stod: pl.Int64 = count("of avslutade, those whose avslutsorsak says continued public support (stod = "
                               "med_stod in config/avslutsorsak.csv)")
    utan_stod: pl.Int64 = count("of avslutade, those whose avslutsorsak says without support (stod = utan_stod)")

    class Config:
        unique = ["forbund", "insats", "ar", "kategori"]


class TilldelningAr(Mart):
    """The decided medelstilldelning per förbund and year (raw/tilldelning), in kr, with the state money applied
    for and possible; NULL where there is no decision."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    stat: pl.Float64 = ratio("decided contribution of the state (Försäkringskassan), kr")
    region: pl.Float64 = ratio("decided contribution of the region, kr")
    kommuner: pl.Float64 = ratio("decided contribution of the member kommuner together, kr")
    totalt: pl.Float64 = ratio("stat + region + kommuner, kr")
    ansokt_stat: pl.Float64 = ratio("state money the förbund applied for (Ansökt stat), kr")
    mojlig_stat: pl.Float64 = ratio("state money the förbund could have had (Möjlig stat), kr")
    ansokt_andel_stat: pl.Float64 = ratio("ansokt_stat / mojlig_stat")
    fil: str = text("file of the decision", nullable=True)
    rad: pl.Int64 = Field(ge=1, nullable=True, description="row of the decision in that file")

    class Config:
        unique = ["forbund", "ar"]


class DatakvalitetPoang(Mart):
    """A data-quality score per förbund and year: 100 minus the weights (config/datakvalitet_vikter.csv) of the
    fel and varning findings of marts.datakvalitet that concern it, never below 0."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    poang: pl.Int64 = Field(ge=0, le=100, description="100 minus the sum over rules of vikt x findings, at least 0")
    fel: pl.Int64 = Field(ge=0, description="rejected files that count for the förbund-year (each once)")
    varningar: pl.Int64 = Field(ge=0, description="varning findings that count for the förbund-year")
    underlag: str = text("what the score rests on: regel×findings (−points), largest deduction first")

    class Config:
        unique = ["forbund", "ar"]
KOMMUN_COUNTS = "of the insatser serving the kommun (config/insatser.csv), counted as in deltagare_ar"


class DeltagareKommunAr(Mart):
    """Participants per member kommun and year: the unique individuals of the insatser that serve the kommun
    (config/insatser.csv); insatser for the whole förbund count in no kommun. NULL, never 0, when the förbund-year
    has no registrations or no insats serves the kommun."""

    forbund: str = text(FORBUND)
    kommun: str = text(KOMMUN, str_matches=r"^\d{4}$")
    kommun_namn: str = text("kommun name as in forbund.yaml")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    deltagare: pl.Int64 = count("deltagare " + KOMMUN_COUNTS)
    nyinskrivna: pl.Int64 = count("nyinskrivna " + KOMMUN_COUNTS)
    avslutade: pl.Int64 = count("avslutade " + KOMMUN_COUNTS)
    avslut_arbete_studier: pl.Int64 = count("avslut_arbete_studier " + KOMMUN_COUNTS)
    avslut_jobb_studieredo: pl.Int64 = count("avslut_jobb_studieredo " + KOMMUN_COUNTS)
    pagaende_vid_arets_slut: pl.Int64 = count("pagaende_vid_arets_slut " + KOMMUN_COUNTS)
    registreringar: pl.Int64 = count("registreringar " + KOMMUN_COUNTS)
    anonyma: pl.Int64 = count("anonyma " + KOMMUN_COUNTS)
    aterkommande: pl.Int64 = count("aterkommande " + KOMMUN_COUNTS)

    class Config:
        unique = ["forbund", "kommun", "ar"]


class JamforelseKommunAr(Mart):
    """The genomlysning's Bilaga 1 per member kommun and year: deltagare of the insatser serving the kommun against
    the kommun's target group (the review splits Lekeberg and Örebro)."""

    forbund: str = text(FORBUND)
    kommun: str = text(KOMMUN, str_matches=r"^\d{4}$")
    kommun_namn: str = text("kommun name as in forbund.yaml")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    deltagare: pl.Int64 = count("deltagare_kommun_ar.deltagare: unique individuals of the insatser serving the "
                                "kommun")
    avslutade: pl.Int64 = count("deltagare_kommun_ar.avslutade")
    andel_avslutade: pl.Float64 = share("avslutade / deltagare")
    malgrupp: pl.Float64 = ratio("malgrupp_kommun.malgrupp: malgrupp_andel x the kommun's population 16-64")
    tackningsgrad: pl.Float64 = ratio("deltagare / malgrupp")
    kostnad_insatser: pl.Float64 = amount("sum of kostnad_insats_ar.kostnad of the insatser serving the kommun, kr; "
                                          "NULL when no tied cost line serves it")
    kostnad_per_deltagare: pl.Float64 = ratio("kostnad_insatser / deltagare, kr")

    class Config:
        unique = ["forbund", "kommun", "ar"]


DIMENSIONER = ["kon", "alder"]
GRUPPER = ["kvinna", "man", "okant", "16-19", "20-24", "25-29", "30-39", "40-49", "50-64", "65+", "okand"]


class DeltagareGruppAr(Mart):
    """The förbund's participants per year by kön and by age group, counted as deltagare_ar; each dimension's
    groups add up to the förbund's row (insats '*'). NULL when the förbund-year has only reported counts."""

    forbund: str = text(FORBUND)
    ar: pl.Int32 = Field(**YEAR, description=AR)
    dimension: str = text("kon or alder", isin=DIMENSIONER)
    grupp: str = text("kon: kvinna, man, okant (Annat or blank); alder (ar - födelseår): 16-19, 20-24, 25-29, 30-39, "
                      "40-49, 50-64, 65+, okand (no födelseår or below 16)", isin=GRUPPER)
    deltagare: pl.Int64 = count("deltagare in the group (each person in one group per year: the kön and födelseår "
                                "of their latest spell that has one)")
    nyinskrivna: pl.Int64 = count("nyinskrivna in the group (new to the förbund, not to the group)")
    avslutade: pl.Int64 = count("avslutade in the group")
    avslut_arbete_studier: pl.Int64 = count("avslut_arbete_studier in the group")
    avslut_jobb_studieredo: pl.Int64 = count("avslut_jobb_studieredo in the group")

    class Config:
        unique = ["forbund", "ar", "dimension", "grupp"]


class TidIInsatsAr(Mart):
    """How long people stay, per förbund, insats and year: days from start to end of the spells that ended in the
    year ('*': a person's spells in the förbund joined into stays), and stays open for more than a year."""

    forbund: str = text(FORBUND)
    insats: str = text("insats name as in SUS, or '*' for stays in the förbund (a person's overlapping or "
                       "back-to-back spells joined)")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    avslutade: pl.Int64 = count("spells ('*': stays) that ended in the year, anonymous never")
    median_dagar: pl.Float64 = ratio("median of slut - start in days of those spells; NULL when none ended")
    p25_dagar: pl.Float64 = ratio("first quartile of the same days")
    p75_dagar: pl.Float64 = ratio("third quartile of the same days")
    pagaende_over_365: pl.Int64 = count("spells ('*': stays) open at 31 December that started more than 365 days "
                                        "before it")

    class Config:
        unique = ["forbund", "insats", "ar"]


class KostnadInsatsAr(Mart):
    """What each insats cost per förbund and year (the årsredovisning lines config/kostnadsmappning.csv ties to it)
    beside its participants: the review's "Kostnad för respektive MT och CT"."""

    forbund: str = text(FORBUND)
    insats: str = text("insats name as in config/insatser.csv")
    typ: str = text("the insats's typ in config/insatser.csv for the year", isin=[*TYPER, "okand"])
    kommun: str = text(KOMMUN + " the insats serves; NULL = the whole förbund", nullable=True,
                       str_matches=r"^\d{4}$")
    ar: pl.Int32 = Field(**YEAR, description=AR)
    kostnad: pl.Float64 = amount("sum of the year's årsredovisning lines tied to the insats, kr")
    deltagare: pl.Int64 = count("deltagare_ar.deltagare of the insats; NULL without registrations that year")
    kostnad_per_deltagare: pl.Float64 = ratio("kostnad / deltagare, kr")
    avslutade: pl.Int64 = count("deltagare_ar.avslutade of the insats")
    kostnad_per_avslut: pl.Float64 = ratio("kostnad / avslutade, kr")

    class Config:
        unique = ["forbund", "insats", "ar"]
