"""Section: why deltagare left, per förbund and year: every avslut category of marts.avslut_ar (insats '*'), arbete
and studier apart, and how many of those to arbete or studier had continued public support."""
from __future__ import annotations

import polars as pl

from finsam.report.charts import Diagram, Ruta, staplar, tabell
from finsam.report.data import finns, fraga
from finsam.report.disclosure import DOLD, DOLT, markera, undertryckt_text
from finsam.report.format import procent, tal
from finsam.report.measures import MATT, langt

RUBRIK = "Avslutsorsaker"
AVSLUT_AR = "avslut_ar"
OMRADEN = ("deltagare",)
KALLOR = ("marts.avslut_ar",)
KATEGORI = {"arbete": "Arbete", "studier": "Studier", "arbetssokande": "Arbetssökande (jobbredo)",
            "studieredo": "Studieredo", "annan_insats": "Annan insats", "sjukdom": "Sjukdom", "flytt": "Flytt",
            "avbrott": "Avbrott", "ovrigt": "Övrigt", "okand": "Okänd orsak"}
OMFANG = ("Förbundets unika avslutade (insats = '*'), efter orsaken på den sista inskrivningen "
          "(config/avslutsorsak.csv). År som räknats från SUS-registreringar, och efter SUS de avslut insatserna "
          "själva rapporterat (summan över insatserna; saknas där inget rapporterats). En SUS-rapport anger inte "
          "orsakerna. Totalt länet = Σ över länets förbund.")


def _per_kategori(avslut: pl.DataFrame, kategori: str, matt: str, grans: int, panel: str) -> pl.DataFrame:
    return langt(avslut.filter(pl.col("kategori") == kategori), MATT[matt], grans, total=True, panel=panel)


def _dolt(antal: pl.DataFrame, andel: pl.DataFrame, grund: pl.DataFrame, lage) -> tuple[pl.DataFrame, ...]:
    """Both frames with a part DOLT per förbund (and län) and year where kategorier are hidden: the year's avslutade
    minus the shown kategorier, so that the stacked bars reach the avslutade (100 %). It gives nothing away: the
    avslutade and the shown parts are in the report. None where the avslutade are hidden themselves."""
    totalt = langt(grund, MATT["avslutade"], lage.grans, total=True).select("serie", "ar", totalt="varde")
    dolda = (antal.filter(pl.col("text").is_in([DOLD, undertryckt_text(lage.grans)]))
             .select("serie", "ar", "forbund").unique(["serie", "ar"], maintain_order=True))
    visat = antal.group_by("serie", "ar").agg(visat=pl.col("varde").sum())
    # in the order of `dolda` (joins keep no order of their own: the table's rows moved from run to run)
    delar = (dolda.join(totalt, on=["serie", "ar"], maintain_order="left")
             .join(visat, on=["serie", "ar"], maintain_order="left")
             .filter(pl.col("totalt").is_not_null())
             .with_columns(varde=pl.col("totalt") - pl.col("visat")))
    ut = []
    for long, skala, text in ((antal, None, tal), (andel, 100.0, procent)):
        del_ = delar.with_columns(varde=pl.col("varde") * skala / pl.col("totalt") if skala else pl.col("varde"))
        texter = [text(v / skala if skala else v) for v in del_["varde"]]
        ny = del_.select("serie", "ar", pl.col("varde").cast(pl.Float64), text=pl.Series(texter, dtype=pl.String),
                         forbund=pl.col("forbund"), panel=pl.lit(DOLT))
        ut.append(pl.concat([long, ny.select(long.columns)]))
    return tuple(ut)


def diagram(con, grund: pl.DataFrame, anm: pl.DataFrame, lage, forbund) -> list[Diagram | Ruta]:
    if not finns(con, AVSLUT_AR):
        return [Ruta(RUBRIK, "Avslut per avslutsorsak finns inte i det här bygget.")]
    rader = fraga(con, "select * exclude (insats) from marts.avslut_ar where insats = '*' and list_contains(?, "
                       "forbund)", [list(forbund)]).with_columns(pl.col("ar").cast(pl.Int64))
    avslut = markera(grund.select("forbund", "namn", "ar").join(rader, on=["forbund", "ar"], how="inner",
                                                                maintain_order="left"), lage.dolda, "avslut_ar")
    antal = pl.concat([_per_kategori(avslut, k, "avslutade", lage.grans, namn) for k, namn in KATEGORI.items()])
    andel = pl.concat([_per_kategori(avslut, k, "andel", lage.grans, namn) for k, namn in KATEGORI.items()])
    antal, andel = _dolt(antal, andel, grund, lage)
    stod = pl.concat([_per_kategori(avslut, k, m, lage.grans, f"{KATEGORI[k]}{tillagg}")
                      for k in ("arbete", "studier")
                      for m, tillagg in (("avslutade", ""), ("med_stod", " med stöd"), ("utan_stod", " utan stöd"))])
    return [
        Diagram("avslut_kategori", "Avslutade per avslutsorsak, antal",
                "Avslutade per kategori av avslutsorsak; arbete och studier var för sig. Staplarna summerar till "
                "årets avslutade; den grå delen (Dolt) är de dolda kategorierna tillsammans. " + OMFANG, KALLOR,
                tabell(antal, "Förbund"),
                staplar(antal, anm, OMRADEN, y_titel="personer")),
        Diagram("avslut_kategori_andel", "Avslutade per avslutsorsak, andel av avslutade",
                "Avslutade med orsaken ÷ alla avslutade samma år; den grå delen (Dolt) är de dolda kategorierna "
                "tillsammans, så att staplarna når 100 %. " + OMFANG, KALLOR, tabell(andel),
                staplar(andel, anm, OMRADEN, y_titel="%")),
        Diagram("avslut_stod", "Avslut mot arbete och studier, med och utan fortsatt stöd",
                "Avslutade mot arbete respektive studier, och hur många av dem vars avslutsorsak säger att de "
                "fortsatt har offentligt stöd (t.ex. arbete med lönestöd, subventionerad anställning) eller inte "
                "(arbete utan stöd, studier utan stöd); resten (t.ex. bara ”Arbete”) anger inte stödet. Vilken "
                "orsak som räknas hit står i kolumnen stod i config/avslutsorsak.csv. " + OMFANG, KALLOR,
                tabell(stod), staplar(stod, anm, OMRADEN, y_titel="personer", barmode="group")),
    ]
