"""Section: deltagare, nyinskrivna, avslutade and outcomes per förbund and year (marts.deltagare_ar, '*')."""
from __future__ import annotations

import polars as pl

from finsam.report.charts import Diagram, linjer, tabell
from finsam.report.measures import MATT, langt
from finsam.report.referens import referens

RUBRIK = "Deltagare och avslut"
OMRADEN = ("deltagare",)
KALLOR = ("marts.deltagare_ar",)
WILSON = ("Felstaplarna (och intervallet inom parentes i tabellen) är ett 95 %-konfidensintervall enligt "
          "Wilson: hur mycket andelen kan variera av slumpen när antalen är små. Inget intervall när andelen bygger "
          "på ett dolt antal, för länets total eller när rapporterade antal ger en andel över 100 %. ")
OMFANG = ("Förbundets unika individer (insats = '*'), alla insatser som registreras i SUS; en person i två förbund "
          "räknas i båda. Totalt länet = Σ täljare ÷ Σ nämnare över länets förbund.")


def _matt(grund, lage, kolumner, total, intervall=False):
    return pl.concat([langt(grund, MATT[k], lage.grans, total=total, intervall=intervall) for k in kolumner])


def diagram(grund: pl.DataFrame, anm: pl.DataFrame, lage) -> list[Diagram]:
    floden = _matt(grund, lage, ("deltagare", "nyinskrivna", "avslutade"), True)
    andel = _matt(grund, lage, ("andel_avslutade",), True, intervall=True)
    utfall = _matt(grund, lage, ("avslut_arbete_studier", "avslut_jobb_studieredo"), True)
    utfall_matt = ("andel_arbete_studier", "andel_jobb_studieredo")
    utfall_andel = _matt(grund, lage, utfall_matt, True, intervall=True)
    forbund = grund["forbund"].unique().to_list()
    return [
        Diagram("deltagare", "Deltagare, nyinskrivna och avslutade per förbund och år",
                "Antal unika individer per år: deltagare (inskrivna någon gång under året), nyinskrivna och "
                "avslutade. " + OMFANG, KALLOR,
                tabell(floden), linjer(floden.filter(pl.col("serie") != "Totalt länet"), anm, OMRADEN,
                                       y_titel="personer")),
        referens(Diagram("andel_avslutade", "Andel av årets deltagare som avslutades",
                         "Avslutade ÷ deltagare. " + WILSON + OMFANG, KALLOR + ("marts.jamforelse_ar",),
                         tabell(andel), linjer(andel, anm, OMRADEN, y_titel="%")), ("andel_avslutade",), lage, forbund),
        Diagram("avslut_antal", "Avslut mot arbete/studier och jobb-/studieredo, antal",
                "Avslutade vars sista inskrivning slutade mot arbete eller studier, respektive som jobb- eller "
                "studieredo (arbetssökande, studieredo). Avslut till annan insats räknas i ingen av dem. " + OMFANG,
                KALLOR, tabell(utfall), linjer(utfall.filter(pl.col("serie") != "Totalt länet"), anm, OMRADEN,
                                              y_titel="personer")),
        referens(Diagram("avslut_andel", "Avslut mot arbete/studier och jobb-/studieredo, andel av avslutade",
                "Avslut mot arbete/studier ÷ avslutade, respektive avslut jobb-/studieredo ÷ avslutade. " + WILSON
                + OMFANG, KALLOR + ("marts.jamforelse_ar",), tabell(utfall_andel),
                linjer(utfall_andel, anm, OMRADEN, y_titel="%")), utfall_matt, lage, forbund),
    ]
