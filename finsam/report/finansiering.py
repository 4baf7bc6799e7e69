"""Section: medlemsbidrag, eget kapital and external grants; the 50/25/25 model and the kommun split; requested
state money."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from finsam.report.charts import Diagram, Tabell, belopp, figur, linjer, riktlinje, staplar, stil, tabell
from finsam.report.data import finns, fraga
from finsam.report.format import kr, procent, tal
from finsam.report.measures import MATT, langt
from finsam.report.referens import referens

RUBRIK = "Medel och eget kapital"
OMRADEN = ("ekonomi",)
TILLDELNING_AR = "tilldelning_ar"
SLOT = ("Kommer när marts.tilldelning_ar finns: ansökt och möjlig statlig medelstilldelning i kronor per förbund "
        "och år, med en länsrad (Σ ansökt ÷ Σ möjlig).")


def _kommunfordelning(con, lage, forbund) -> tuple[Tabell, go.Figure | None]:
    df = fraga(con, """select k.*, f.namn from marts.kommunfordelning k join register.forbund f on f.kod = k.forbund
                       where list_contains(?, k.forbund) and k.ar <= ? order by k.forbund, k.ar, k.kommun""",
               [list(forbund), lage.senaste])
    tab = Tabell(["Förbund", "År", "Kommun", "Befolkning 1 nov året före", "Andel", "Förväntat", "Rapporterat",
                  "Differens"],
                 [[r["namn"], str(r["ar"]), r["kommun_namn"], tal(r["befolkning_1_nov"]), procent(r["andel"], 2),
                   kr(r["forvantat"]), kr(r["rapporterat"]), kr(r["differens"], tecken=True)]
                  for r in df.to_dicts()])
    if df.is_empty():
        return tab, None
    sista = df.filter(pl.col("ar") == df["ar"].max())
    x = sista["kommun_namn"].to_list()
    delat, enhet = belopp([*sista["forvantat"], *sista["rapporterat"]])
    return tab, figur([dict(type="bar", x=x, y=(sista[c] / delat).to_list(), name=namn, hoverinfo="text",
                            hovertext=[f"{k}: {namn.lower()} {kr(v)}" for k, v in zip(x, sista[c])])
                       for c, namn in (("forvantat", "Förväntat enligt befolkning 1 nov"),
                                       ("rapporterat", "Rapporterat"))],
                      440, dict(barmode="group", title=dict(text=f"{sista['ar'][0]}"),
                                yaxis=dict(title=dict(text=enhet))))


def malinjer(con, lage, forbund, matt: str) -> tuple[tuple[float, str, dict], ...]:
    """A line per goal in config/mal.csv (register.mal) on `matt`, a share, for a förbund of the län as a whole
    (insats '*'), in the förbund's colour: the goal as the förbund wrote it, never a number in the chart."""
    if not con.execute("select count(*) from duckdb_tables() where schema_name = 'register' "
                       "and table_name = 'mal'").fetchall()[0][0]:
        return ()
    mal = con.execute("select distinct forbund, malvarde, riktning from register.mal where matt = ? and insats = '*' "
                      "and list_contains(?, forbund) order by all", [matt, list(forbund)]).fetchall()
    return tuple((v * 100, f"Mål {lage.namn[f]}: {'högst' if r == 'hogst' else 'minst'} {procent(v, 0)}",
                  dict(color=stil(f).farg, dash="dash", width=1.5)) for f, v, r in mal)


def _ansokt(con, grund: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """ansökt ÷ möjlig stat per förbund-year: from marts.tilldelning_ar when it exists, else the value of the
    ansokt_andel_stat finding in marts.datakvalitet (the only mart that holds it today)."""
    ram = grund.select("forbund", "namn", "ar")
    if finns(con, TILLDELNING_AR):
        df = fraga(con, "select forbund, ar::bigint as ar, ansokt_stat, mojlig_stat, ansokt_andel_stat "
                        "from marts.tilldelning_ar")
        return ram.join(df, on=["forbund", "ar"], how="left"), "marts.tilldelning_ar"
    df = fraga(con, "select forbund, ar::bigint as ar, max(varde) as ansokt_andel_stat from marts.datakvalitet "
                    "where regel = 'ansokt_andel_stat' group by all")
    return ram.with_columns(pl.col("ar").cast(pl.Int64)).join(df, on=["forbund", "ar"], how="left"), \
        "marts.datakvalitet"


def diagram(con, grund: pl.DataFrame, anm: pl.DataFrame, lage, forbund) -> list[Diagram]:
    tak, tak_text = riktlinje("eget_kapital_over_20")
    g = grund.with_columns(eget_kapital_tak=tak / 100 * pl.col("medlemsbidrag"))
    medel = pl.concat([langt(g, MATT[k], lage.grans) for k in
                       ("medlemsbidrag", "eget_kapital", "externa_bidrag", "eget_kapital_tak")])
    andel = langt(g, MATT["eget_kapital_andel"], lage.grans, total=True)
    andel_intakter = langt(g, MATT["eget_kapital_andel_intakter"], lage.grans, total=True)
    modell = pl.concat([langt(g, MATT[k], lage.grans, total=True) for k in ("andel_stat", "andel_region",
                                                                            "andel_kommun")])
    kommun_tab, kommun_fig = _kommunfordelning(con, lage, forbund)
    ansokt, kalla = _ansokt(con, grund)
    ansokt_long = langt(ansokt, MATT["ansokt_andel_stat"], lage.grans, total=kalla != "marts.datakvalitet")
    return [
        Diagram("medel_kapital", "Medlemsbidrag, eget kapital och externa bidrag per förbund",
                "Bokförda medlemsbidrag (stat + region + kommuner), eget kapital vid årets slut och externa bidrag "
                "(utanför medelstilldelningen) i kr, enligt årsredovisningarna. Den streckade linjen är 20 % av "
                "årets medlemsbidrag, Nationella rådets rekommenderade tak för eget kapital.", ("marts.ekonomi_ar",),
                tabell(medel), staplar(medel, anm, OMRADEN, y_titel="kr", barmode="group",
                                       linje=MATT["eget_kapital_tak"].namn)),
        referens(Diagram("eget_kapital_andel", "Eget kapital som andel av medlemsbidraget, mot 20 %-gränsen",
                "Eget kapital vid årets slut ÷ årets bokförda medlemsbidrag. Genomlysningen räknade på tilldelade "
                "(beslutade) medel; här används bokfört medlemsbidrag. Totalt länet = Σ eget kapital ÷ Σ "
                "medlemsbidrag.", ("marts.jamforelse_ar", "marts.ekonomi_ar"), tabell(andel),
                linjer(andel, anm, OMRADEN + ("kapital",), y_titel="%", referens=(tak, tak_text))),
                 ("eget_kapital_andel",), lage, forbund),
        referens(Diagram("eget_kapital_andel_intakter", "Eget kapital som andel av intäkterna, mot Sydnärkes mål 7 %",
                "Samma eget kapital på en andra bas: ÷ årets intäkter totalt (medlemsbidrag + externa bidrag + "
                "övriga intäkter). Sydnärkes verksamhetsplan har målet högst 7 % av intäkterna eller högst 300 000 "
                "kr; den streckade linjen i ett förbunds färg är dess mål i config/mal.csv. Totalt länet = Σ eget "
                "kapital ÷ Σ intäkter.", ("marts.jamforelse_ar", "marts.ekonomi_ar"), tabell(andel_intakter),
                linjer(andel_intakter, anm, OMRADEN + ("kapital",), y_titel="%",
                       referenser=malinjer(con, lage, forbund, "eget_kapital_andel_intakter"))),
                 ("eget_kapital_andel_intakter",), lage, forbund),
        Diagram("finansieringsmodell", "Medlemsbidragets fördelning på stat, region och kommuner (50/25/25)",
                "Bokförda medlemsbidrag från staten, regionen och kommunerna ÷ medlemsbidrag totalt. Linjerna visar "
                "50 % och 75 % (stat, stat + region). Varningen finansieringsmodell i marts.datakvalitet gäller "
                "den beslutade medelstilldelningen.", ("marts.ekonomi_ar", "marts.datakvalitet"), tabell(modell),
                staplar(modell, anm, OMRADEN + ("tilldelning",), y_titel="%",
                        referenser=((50.0, "50 %"), (75.0, "75 %")))),
        Diagram("kommunfordelning", "Kommunernas del av medlemsbidraget, efter befolkning 1 november året före",
                "Förväntat = kommunkvarten × kommunens befolkning 1 november året före ÷ medlemskommunernas "
                "befolkning; rapporterat = kommunens rad i årsredovisningen. Diagrammet visar senaste året, "
                "tabellen alla år.", ("marts.kommunfordelning",), kommun_tab, kommun_fig),
        Diagram("ansokt_stat", "Ansökt andel av möjlig statlig medelstilldelning",
                "Ansökt statlig medelstilldelning ÷ möjlig statlig medelstilldelning. "
                + ("Hämtat ur marts.datakvalitet (regel ansokt_andel_stat, kolumnen varde): det enda mart som har "
                   "uppgiften i dag; ingen länsrad, eftersom beloppen saknas. " + SLOT
                   if kalla == "marts.datakvalitet" else "Totalt länet = Σ ansökt ÷ Σ möjlig."),
                (kalla,), tabell(ansokt_long), linjer(ansokt_long, anm, ("tilldelning",), y_titel="%",
                                                      referens=riktlinje("ansokt_andel_stat")),
                [SLOT] if kalla == "marts.datakvalitet" else []),
    ]
