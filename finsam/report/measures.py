"""The measures the report shows, each defined once: its label, kind, terms (numerator and denominator) and marts.

Per förbund, a measure that is a mart column is read from the mart (the SQL file is its definition); the terms
here are what a "Totalt länet" row adds up: Σ numerator ÷ Σ denominator over the län's förbund, never an average of
their ratios (a person in two förbund counts in each). A total is missing when any förbund lacks a term, never a
partial sum. A test checks that the terms reproduce every mart column per förbund.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from finsam.report.disclosure import DOLD, INDIVIDRAKNINGAR, undertryckt, undertryckt_text
from finsam.report.format import SAKNAS, procent, visa

TOTALT = "Totalt länet"


@dataclass(frozen=True)
class Matt:
    kolumn: str
    namn: str
    slag: str                       # antal, kr, andel, tal (see format.visa)
    taljare: tuple[str, ...] = ()   # summed; empty = the column itself
    namnare: tuple[str, ...] = ()   # summed; empty = not a ratio
    definition: str = ""
    faktor: float = 1.0             # the ratio times this (per 1000)

    @property
    def termer(self) -> tuple[str, ...]:
        return (self.taljare or (self.kolumn,)) + self.namnare

    @property
    def antal_termer(self) -> tuple[str, ...]:
        """The counts of individuals this measure is built from (its suppression depends on them)."""
        return tuple(t for t in self.termer if t in INDIVIDRAKNINGAR)

    @property
    def ar_antal(self) -> bool:
        """A count of individuals itself (or a sum of such counts): suppressed as '<5', not hidden."""
        return not self.namnare and bool(self.antal_termer) and len(self.antal_termer) == len(self.termer)


def _m(kolumn, namn, slag, taljare=(), namnare=(), definition="", faktor=1.0):
    return kolumn, Matt(kolumn, namn, slag, tuple(taljare), tuple(namnare), definition, faktor)


UTFALL = ("avslut_arbete_studier", "avslut_jobb_studieredo")
MATT: dict[str, Matt] = dict([
    _m("deltagare", "Deltagare", "antal", definition="unika individer med en inskrivning som pågår någon gång under "
       "året (förbundets totalrad, insats = '*'), plus anonyma inskrivningar som börjar under året"),
    _m("nyinskrivna", "Nyinskrivna", "antal", definition="deltagare som inte var inskrivna vid förra årets slut, plus "
       "anonyma inskrivningar som börjar under året"),
    _m("avslutade", "Avslutade", "antal",
       definition="deltagare (ej anonyma) som inte längre är inskrivna vid årets slut"),
    _m("avslut_arbete_studier", "Avslut mot arbete/studier", "antal",
       definition="avslutade vars sista inskrivning slutade med orsak i kategori arbete eller studier"),
    _m("avslut_jobb_studieredo", "Avslut jobb-/studieredo", "antal",
       definition="avslutade vars sista inskrivning slutade med orsak i kategori arbetssökande eller studieredo"),
    _m("utfall", "Utfall (arbete/studier + jobb-/studieredo)", "antal", taljare=UTFALL,
       definition="avslut mot arbete/studier + avslut jobb-/studieredo"),
    _m("andel_avslutade", "Andel avslutade", "andel", ("avslutade",), ("deltagare",),
       "avslutade ÷ deltagare"),
    _m("aterkommande", "Återkommande", "antal", definition="nyinskrivna som hade en tidigare inskrivning (i någon "
       "insats) som slutade mer än 90 dagar innan de skrevs in"),
    _m("andel_aterkommande", "Återkommande, andel av nyinskrivna", "andel", ("aterkommande",), ("nyinskrivna",),
       "återkommande ÷ nyinskrivna"),
    _m("andel_arbete_studier", "Avslut mot arbete/studier, andel av avslutade", "andel",
       ("avslut_arbete_studier",), ("avslutade",), "avslut mot arbete/studier ÷ avslutade"),
    _m("andel_jobb_studieredo", "Avslut jobb-/studieredo, andel av avslutade", "andel",
       ("avslut_jobb_studieredo",), ("avslutade",), "avslut jobb-/studieredo ÷ avslutade"),
    _m("kostnad_per_deltagare", "Kostnad per deltagare", "kr", ("kostnad_individ",), ("deltagare",),
       "kostnad för individinriktade insatser ÷ deltagare"),
    _m("kostnad_per_avslut", "Kostnad per avslutad", "kr", ("kostnad_individ",), ("avslutade",),
       "kostnad för individinriktade insatser ÷ avslutade"),
    _m("kostnad_per_avslut_arbete_studier", "Kostnad per avslut mot arbete/studier", "kr", ("kostnad_individ",),
       ("avslut_arbete_studier",), "kostnad för individinriktade insatser ÷ avslut mot arbete/studier"),
    _m("kostnad_per_utfall", "Kostnad per utfall", "kr", ("kostnad_individ",), UTFALL,
       "kostnad för individinriktade insatser ÷ (avslut mot arbete/studier + jobb-/studieredo)"),
    _m("medlemsbidrag", "Medelstilldelning (medlemsbidrag)", "kr",
       definition="bokförda medlemsbidrag från stat, region och kommuner enligt årsredovisningen"),
    _m("externa_bidrag", "Externa bidrag", "kr", definition="bidrag utanför medelstilldelningen (t.ex. "
       "Tillväxtverket, MUCF, ESF) enligt årsredovisningen"),
    _m("eget_kapital", "Eget kapital", "kr", definition="eget kapital vid årets slut enligt årsredovisningen"),
    _m("eget_kapital_tak", "20 % av medlemsbidraget", "kr",
       definition="0,20 × medlemsbidrag: Nationella rådets rekommenderade högsta eget kapital"),
    _m("ansokt_andel_stat", "Ansökt ÷ möjlig statlig medelstilldelning", "andel", ("ansokt_stat",),
       ("mojlig_stat",), "ansökt statlig medelstilldelning ÷ den statliga medelstilldelning förbundet kunde få"),
    _m("kostnad_individ", "Individinriktade insatser", "kr", definition="kostnad för individinriktade insatser"),
    _m("kostnad_struktur", "Strukturövergripande insatser", "kr",
       definition="kostnad för strukturövergripande insatser"),
    _m("kostnad_admin", "Administration", "kr", definition="kostnad för administration (kansli, förbundschef, "
       "styrelse, revision, lokaler m.m.) enligt kostnadsmappningen"),
    _m("kostnader_totalt", "Kostnader totalt", "kr",
       definition="individinriktade + strukturövergripande + administration"),
    _m("intakter_totalt", "Intäkter totalt", "kr", definition="medlemsbidrag + externa bidrag + övriga intäkter"),
    _m("admin_andel_kostnader", "Administration ÷ kostnader totalt", "andel", ("kostnad_admin",),
       ("kostnader_totalt",), "administrationskostnad ÷ kostnader totalt"),
    _m("admin_andel_medelstilldelning", "Administration ÷ medelstilldelning", "andel", ("kostnad_admin",),
       ("medlemsbidrag",), "administrationskostnad ÷ medlemsbidrag (genomlysningens bas)"),
    _m("admin_andel_intakter", "Administration ÷ intäkter totalt", "andel", ("kostnad_admin",),
       ("intakter_totalt",), "administrationskostnad ÷ intäkter totalt (inklusive externa bidrag)"),
    _m("andel_individ", "Individinriktade insatser", "andel", ("kostnad_individ",), ("kostnader_totalt",),
       "kostnad för individinriktade insatser ÷ kostnader totalt"),
    _m("andel_struktur", "Strukturövergripande insatser", "andel", ("kostnad_struktur",), ("kostnader_totalt",),
       "kostnad för strukturövergripande insatser ÷ kostnader totalt"),
    _m("eget_kapital_andel", "Eget kapital ÷ medlemsbidrag", "andel", ("eget_kapital",), ("medlemsbidrag",),
       "eget kapital vid årets slut ÷ årets medlemsbidrag (Nationella rådet: högst 20 %)"),
    _m("andel_stat", "Staten", "andel", ("medlemsbidrag_stat",), ("medlemsbidrag",),
       "medlemsbidrag från staten (Försäkringskassan) ÷ medlemsbidrag"),
    _m("andel_region", "Regionen", "andel", ("medlemsbidrag_region",), ("medlemsbidrag",),
       "medlemsbidrag från regionen ÷ medlemsbidrag"),
    _m("andel_kommun", "Kommunerna", "andel", ("medlemsbidrag_kommun",), ("medlemsbidrag",),
       "medlemsbidrag från kommunerna ÷ medlemsbidrag"),
    _m("eget_kapital_andel_intakter", "Eget kapital ÷ intäkter totalt", "andel", ("eget_kapital",),
       ("intakter_totalt",), "eget kapital vid årets slut ÷ årets intäkter totalt (Sydnärkes eget mål: högst 7 %)"),
    _m("deltagare_per_1000_helarsekvivalenter", "Deltagare per 1 000 helårsekvivalenter", "tal", ("deltagare",),
       ("helarsekvivalenter",), "1 000 × deltagare ÷ Σ helårsekvivalenter 20–64 år i medlemskommunerna: hur många "
       "förbundet når i förhållande till dem som försörjs av ersättningar", 1000.0),
    _m("andel", "Andel av avslutade", "andel", ("avslutade",), ("avslutade_totalt",),
       "avslutade vars sista inskrivning slutade med avslutskategorin ÷ alla avslutade (marts.avslut_ar)"),
    _m("med_stod", "varav med stöd", "antal", definition="avslutade vars avslutsorsak anger fortsatt offentligt "
       "stöd (config/avslutsorsak.csv, stod = med_stod: arbete med lönestöd, subventionerad anställning …)"),
    _m("utan_stod", "varav utan stöd", "antal", definition="avslutade vars avslutsorsak anger att stöd saknas "
       "(stod = utan_stod: arbete utan stöd, studier utan stöd)"),
    _m("datakvalitet_poang", "Datakvalitet (poäng av 100)", "antal", definition="100 minus vikten för varje fel "
       "och varning i marts.datakvalitet som gäller förbundet och året (config/datakvalitet_vikter.csv), lägst 0 "
       "(marts.datakvalitet_poang)"),
    _m("befolkning_16_64", "Befolkning 16–64 år", "antal",
       definition="befolkningen 16–64 år den 31 december i medlemskommunerna"),
    _m("malgrupp", "Målgrupp (5 % av 16–64 år)", "antal", definition="malgrupp_andel (5 %) × befolkningen 16–64 år "
       "den 31 december i medlemskommunerna"),
    _m("tackningsgrad", "Täckningsgrad", "andel", ("deltagare",), ("malgrupp",), "deltagare ÷ målgrupp"),
    _m("helarsekvivalenter_andel", "Helårsekvivalenter, andel av 20–64 år", "andel", ("helarsekvivalenter",),
       ("befolkning_20_64",), "Σ helårsekvivalenter ÷ Σ befolkning 20–64 år i medlemskommunerna"),
])


def matt_for(kolumn: str) -> Matt | None:
    """The measure a mart column shows: its own, or for a Wilson bound (<andel>_lag, <andel>_hog) its share's, so
    that a bound is hidden wherever its share is."""
    return MATT.get(kolumn) or MATT.get(re.sub(r"_(lag|hog)$", "", kolumn))


def _summa(rad: dict, termer: tuple[str, ...]):
    values = [rad.get(t) for t in termer]
    return None if any(v is None for v in values) else sum(values)


def varde(rad: dict, matt: Matt):
    """The measure for one förbund-year: the mart column where there is one, else built from its terms."""
    if matt.kolumn in rad:
        return rad[matt.kolumn]
    taljare = _summa(rad, matt.taljare or (matt.kolumn,))
    if not matt.namnare:
        return taljare
    namnare = _summa(rad, matt.namnare)
    return None if taljare is None or not namnare else taljare / namnare * matt.faktor


def visning(rad: dict, matt: Matt, grans: int, dold: bool = False) -> tuple[float | None, str]:
    """(value to draw, text to show) after disclosure control. `dold`: a part of a total was suppressed."""
    v = varde(rad, matt)
    if matt.ar_antal and undertryckt(v, grans):
        return None, undertryckt_text(grans)
    if dold or any(undertryckt(rad.get(t), grans) for t in matt.antal_termer):
        return None, DOLD
    return v, (SAKNAS if v is None else visa(v, matt.slag))


def lansvarde(rader: list[dict], matt: Matt, grans: int) -> tuple[float | None, str]:
    """The 'Totalt länet' value of one year: each term summed over the förbund (missing if any förbund lacks it),
    then Σ numerator ÷ Σ denominator. Hidden when any förbund's count in it was suppressed, since the total would
    give that count away."""
    total = {t: (None if any(r.get(t) is None for r in rader) else sum(r[t] for r in rader)) for t in matt.termer}
    dold = any(undertryckt(r.get(t), grans) for r in rader for t in matt.antal_termer)
    som_summa = replace(matt, kolumn=matt.kolumn + "_lan", taljare=matt.taljare or (matt.kolumn,))
    return visning(total, som_summa, grans, dold)


def langt(df: pl.DataFrame, matt: Matt, grans: int, *, serie: str = "namn", total: bool = False,
          panel: str | None = None, intervall: bool = False) -> pl.DataFrame:
    """A wide frame (one row per förbund-year) as a long frame for one measure: serie, ar, varde, text, panel,
    forbund, with a 'Totalt länet' row per year when `total`. Shares are drawn in per cent. `intervall` adds lag
    and hog, the mart's Wilson 95 % interval (<kolumn>_lag, <kolumn>_hog) of each shown förbund value, also in its
    text; a hidden value hides its interval, and a län total has none."""
    skala = 100.0 if matt.slag == "andel" else 1.0
    ut = []
    rader = df.sort("ar").to_dicts()
    for rad in rader:
        v, text = visning(rad, matt, grans)
        lag, hog = (rad.get(f"{matt.kolumn}_{g}") if intervall and v is not None else None for g in ("lag", "hog"))
        if lag is not None and hog is not None:
            text += f" ({procent(lag)}–{procent(hog)})"
        ut.append((rad[serie], rad["ar"], None if v is None else v * skala, text, rad["forbund"],
                   None if lag is None else lag * skala, None if hog is None else hog * skala))
    if total and df["forbund"].n_unique() > 1:  # a one-förbund län's total is the förbund itself
        for ar in sorted({r["ar"] for r in rader}):
            v, text = lansvarde([r for r in rader if r["ar"] == ar], matt, grans)
            ut.append((TOTALT, ar, None if v is None else v * skala, text, None, None, None))
    long = pl.DataFrame(ut, schema={"serie": pl.String, "ar": pl.Int64, "varde": pl.Float64, "text": pl.String,
                                    "forbund": pl.String, "lag": pl.Float64, "hog": pl.Float64}, orient="row")
    return long.with_columns(panel=pl.lit(panel or matt.namn)).drop([] if intervall else ["lag", "hog"])
