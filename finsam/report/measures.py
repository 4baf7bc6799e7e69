"""The measures the report shows, each defined once: its label, kind, terms (numerator and denominator) and marts.

Per förbund, a measure that is a mart column is read from the mart, and its label and definition are the column's
declaration's (sql/marts/<mart>.yaml); only measures the report builds itself are labelled here. The terms
here are what a "Totalt länet" row adds up: Σ numerator ÷ Σ denominator over the län's förbund, never an average of
their ratios (a person in two förbund counts in each). A total is missing when any förbund lacks a term, never a
partial sum. A test checks that the terms reproduce every mart column per förbund.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from finsam.build import steps
from finsam.report.disclosure import DOLD, DOLDA, INDIVIDRAKNINGAR, undertryckt, undertryckt_text
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
    """A measure the report builds from mart columns (no mart has it): its label and definition are written here."""
    return kolumn, Matt(kolumn, namn, slag, tuple(taljare), tuple(namnare), definition, faktor)


def _kolumn(kolumn, mart, slag, taljare=(), namnare=(), faktor=1.0):
    """A measure that is a column of `mart`: its label and definition are the column's declaration's, and so are
    its terms where the declaration defines the ratio (taljare, namnare, faktor: marts.jamforelse_referens_ar pools
    it by the same terms)."""
    c = steps.BY_NAME[mart].declaration.column(kolumn)
    if c.taljare:
        taljare, namnare, faktor = c.taljare, c.namnare, c.faktor
    return kolumn, Matt(kolumn, c.etikett, slag, tuple(taljare), tuple(namnare), c.definition, faktor)


UTFALL = ("avslut_arbete_studier", "avslut_jobb_studieredo")
D, E, J = "deltagare_ar", "ekonomi_ar", "jamforelse_ar"
MATT: dict[str, Matt] = dict([
    _kolumn("deltagare", D, "antal"),
    _kolumn("nyinskrivna", D, "antal"),
    _kolumn("avslutade", D, "antal"),
    _kolumn("avslut_arbete_studier", D, "antal"),
    _kolumn("avslut_jobb_studieredo", D, "antal"),
    _m("utfall", "Utfall (arbete/studier + jobb-/studieredo)", "antal", taljare=UTFALL,
       definition="avslut mot arbete/studier + avslut jobb-/studieredo"),
    _kolumn("andel_avslutade", J, "andel"),
    _kolumn("aterkommande", D, "antal"),
    _m("andel_aterkommande", "Återkommande, andel av nyinskrivna", "andel", ("aterkommande",), ("nyinskrivna",),
       "återkommande ÷ nyinskrivna"),
    _kolumn("andel_arbete_studier", J, "andel"),
    _kolumn("andel_jobb_studieredo", J, "andel"),
    _kolumn("avslut_stegforflyttning", J, "antal"),
    _kolumn("kostnad_per_deltagare", J, "kr"),
    _kolumn("kostnad_per_avslut", J, "kr"),
    _kolumn("kostnad_per_avslut_arbete_studier", J, "kr"),
    _kolumn("kostnad_per_utfall", J, "kr"),
    _kolumn("medlemsbidrag", E, "kr"),
    _kolumn("externa_bidrag", E, "kr"),
    _kolumn("eget_kapital", E, "kr"),
    _m("eget_kapital_tak", "20 % av medlemsbidraget", "kr",
       definition="0,20 × medlemsbidrag: Nationella rådets rekommenderade högsta eget kapital"),
    _kolumn("ansokt_andel_stat", "tilldelning_ar", "andel", ("ansokt_stat",), ("mojlig_stat",)),
    _kolumn("kostnad_individ", E, "kr"),
    _kolumn("kostnad_struktur", E, "kr"),
    _kolumn("kostnad_admin", E, "kr"),
    _kolumn("kostnader_totalt", E, "kr"),
    _kolumn("intakter_totalt", E, "kr"),
    _kolumn("admin_andel_kostnader", J, "andel"),
    _kolumn("admin_andel_medelstilldelning", J, "andel"),
    _kolumn("admin_andel_intakter", J, "andel"),
    _kolumn("andel_individ", J, "andel"),
    _kolumn("andel_struktur", J, "andel"),
    _kolumn("eget_kapital_andel", J, "andel"),
    _m("andel_stat", "Staten", "andel", ("medlemsbidrag_stat",), ("medlemsbidrag",),
       "medlemsbidrag från staten (Försäkringskassan) ÷ medlemsbidrag"),
    _m("andel_region", "Regionen", "andel", ("medlemsbidrag_region",), ("medlemsbidrag",),
       "medlemsbidrag från regionen ÷ medlemsbidrag"),
    _m("andel_kommun", "Kommunerna", "andel", ("medlemsbidrag_kommun",), ("medlemsbidrag",),
       "medlemsbidrag från kommunerna ÷ medlemsbidrag"),
    _kolumn("eget_kapital_andel_intakter", J, "andel"),
    _kolumn("deltagare_per_1000_helarsekvivalenter", J, "tal"),
    _kolumn("andel", "avslut_ar", "andel", ("avslutade",), ("avslutade_totalt",)),
    _kolumn("med_stod", "avslut_ar", "antal"),
    _kolumn("utan_stod", "avslut_ar", "antal"),
    _m("datakvalitet_poang", "Datakvalitet (poäng av 100)", "antal", definition="100 minus vikten för varje fel "
       "och varning bland anmärkningarna om datakvalitet som gäller förbundet och året, lägst 0"),
    _kolumn("befolkning_16_64", "malgrupp_ar", "antal"),
    _kolumn("malgrupp", J, "antal"),
    _kolumn("tackningsgrad", J, "andel"),
    _kolumn("helarsekvivalenter_andel", J, "andel"),
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


def _dold(rad: dict, t: str, grans: int) -> bool:
    """A count the row hides: small itself ('<5'), or hidden to protect a small one (disclosure.DOLDA)."""
    return undertryckt(rad.get(t), grans) or t in (rad.get(DOLDA) or ())


def visning(rad: dict, matt: Matt, grans: int, dold: bool = False) -> tuple[float | None, str]:
    """(value to draw, text to show) after disclosure control. `dold`: a part of a total was suppressed. A count
    hidden to protect a small one (the row's DOLDA) is 'dold', and so is whatever is built on it."""
    v = varde(rad, matt)
    if matt.ar_antal and undertryckt(v, grans) and not any(t in (rad.get(DOLDA) or ()) for t in matt.antal_termer):
        return None, undertryckt_text(grans)
    if dold or any(_dold(rad, t, grans) for t in matt.antal_termer):
        return None, DOLD
    return v, (SAKNAS if v is None else visa(v, matt.slag))


def lansvarde(rader: list[dict], matt: Matt, grans: int) -> tuple[float | None, str]:
    """The 'Totalt länet' value of one year: each term summed over the förbund (missing if any förbund lacks it),
    then Σ numerator ÷ Σ denominator. Hidden when any förbund's count in it was suppressed, since the total would
    give that count away."""
    total = {t: (None if any(r.get(t) is None for r in rader) else sum(r[t] for r in rader)) for t in matt.termer}
    dold = any(_dold(r, t, grans) for r in rader for t in matt.antal_termer)
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
