"""Section: deltagare, avslut, täckningsgrad and the insatser's cost per member kommun (the review splits Lekeberg
and Örebro: Bilaga 1, G-31, G-35, G-39), from marts.jamforelse_kommun_ar."""
from __future__ import annotations

import polars as pl

from finsam.report.charts import Diagram, Ruta, Tabell, linjer, tabell
from finsam.report.data import finns, fraga
from finsam.report.definitions import kallor_text
from finsam.report.format import kr
from finsam.report.measures import MATT, TOTALT, Matt, langt, lansvarde, visning

RUBRIK = "Per kommun"
MART = "jamforelse_kommun_ar"
KALLOR = ("marts.jamforelse_kommun_ar", "marts.deltagare_kommun_ar", "marts.malgrupp_kommun",
          "marts.kostnad_insats_ar")
OMFANG = ("Deltagare i de insatser som config/insatser.csv anger att kommunen har; insatser för hela förbundet "
          "räknas inte per kommun, och en person i insatser för två kommuner räknas i båda. ”saknas” = förbundet "
          "saknar registreringar det året eller ingen insats i registret gäller kommunen.")
# cost per deltagare per kommun: the tied cost of the insatser serving the kommun, not kostnad_individ
KOSTNAD_PER = Matt("kostnad_per_deltagare", "Kostnad per deltagare", "kr", ("kostnad_insatser",), ("deltagare",),
                   "kostnaden för de insatser som kommunen har ÷ deltagare")
KOLUMNER = (("Deltagare", MATT["deltagare"]), ("Avslutade", MATT["avslutade"]),
            ("Andel avslutade", MATT["andel_avslutade"]), ("Målgrupp (5 %)", MATT["malgrupp"]),
            ("Täckningsgrad", MATT["tackningsgrad"]), ("Kostnad per deltagare", KOSTNAD_PER))


def kommunrader(con, lage, forbund) -> pl.DataFrame:
    """One row per member kommun and complete year of the län's förbund, serie = the kommun's name."""
    df = fraga(con, f"""select j.*, j.kommun_namn as namn, j.ar::bigint as ar
                        from marts.{MART} j where list_contains(?, j.forbund) and j.ar <= ?""",
               [list(forbund), lage.senaste])
    ordning = {k: i for i, k in enumerate(forbund)}
    return df.with_columns(_o=pl.col("forbund").replace_strict(ordning)).sort("_o", "kommun", "ar").drop("_o")


def _jamforelse(df: pl.DataFrame, lage) -> Tabell:
    """The latest complete year: each kommun under its förbund, and Totalt länet (Σ ÷ Σ over every kommun)."""
    ar = df.filter(pl.col("ar") == lage.senaste).to_dicts()
    rader = [[lage.namn[r["forbund"]], r["kommun_namn"]] + [visning(r, m, lage.grans)[1] for _, m in KOLUMNER]
             + [kr(r["kostnad_insatser"])] for r in ar]
    if len({r["forbund"] for r in ar}) > 1:
        kostnad = [r["kostnad_insatser"] for r in ar]
        rader.append([TOTALT, ""] + [lansvarde(ar, m, lage.grans)[1] for _, m in KOLUMNER]
                     + [kr(None if None in kostnad else sum(kostnad))])
    return Tabell(["Förbund", "Kommun", *(namn for namn, _ in KOLUMNER), "Kostnad för kommunens insatser"], rader)


def diagram(con, anm: pl.DataFrame, lage, forbund) -> list[Diagram | Ruta]:
    if not finns(con, MART):
        return [Ruta("Deltagare per kommun", "Uppgifter per kommun finns inte i det här bygget.")]
    df = kommunrader(con, lage, forbund)
    tack = langt(df, MATT["tackningsgrad"], lage.grans, total=True)
    delt = pl.concat([langt(df, MATT[k], lage.grans, total=True) for k in ("deltagare", "avslutade")])
    return [
        Ruta(f"Deltagare, avslut, täckningsgrad och kostnad per kommun {lage.senaste}",
             "Per medlemskommun (genomlysningens Bilaga 1 och uppdelning på Lekeberg och Örebro): deltagare (unika "
             "individer), avslutade ÷ deltagare, målgrupp = 5 % av befolkningen 16–64 år, täckningsgrad = "
             "deltagare ÷ målgrupp, kostnad per deltagare = kostnaden för kommunens insatser (de "
             "årsredovisningsrader som kostnadsmappningen knyter till dem, mottagnings- och coachingteam) ÷ "
             "deltagare. " + OMFANG + " Totalt länet = Σ täljare ÷ Σ nämnare över länets kommuner; saknas någon "
             "kommuns uppgift saknas länsraden. Källa: " + kallor_text(KALLOR) + ".", _jamforelse(df, lage)),
        Diagram("kommun_tackningsgrad", "Täckningsgrad per kommun: andel av kommunens målgrupp som deltog",
                "Deltagare i kommunens insatser ÷ målgrupp (5 % av kommunens befolkning 16–64 år). " + OMFANG
                + " Totalt länet = Σ deltagare ÷ Σ målgrupp.", KALLOR, tabell(tack, "Kommun"),
                linjer(tack, anm, ("deltagare", "befolkning"), y_titel="%")),
        Diagram("kommun_deltagare", "Deltagare och avslutade per kommun",
                "Unika individer i kommunens insatser under året, och de av dem som avslutades. " + OMFANG, KALLOR,
                tabell(delt, "Kommun"), linjer(delt.filter(pl.col("serie") != TOTALT), anm, ("deltagare",),
                                               y_titel="personer")),
    ]
