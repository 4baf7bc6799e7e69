"""Section: target group per förbund and kommun, täckningsgrad (the review's Tabell 1 and Bilaga 1), and
helårsekvivalenter per förbund and per kommun and kön against riket."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from finsam.report.charts import GRA, Diagram, Tabell, figur, linjer, referenslinje, stil, tabell
from finsam.report.data import finns, fraga
from finsam.report.format import procent, tal
from finsam.report.measures import MATT, TOTALT, langt, lansvarde, visning
from finsam.report.referens import referens

RUBRIK = "Målgrupp och omvärld"
KOMMUN_MART = "jamforelse_kommun_ar"
KOMMUN = ("deltagare i de insatser som kommunen har enligt config/insatser.csv (marts.jamforelse_kommun_ar; "
          "insatser för hela förbundet räknas inte per kommun)")


def _malgrupp(con, grund: pl.DataFrame, lage, forbund) -> tuple[Tabell, go.Figure | None, int]:
    """Bilaga 1 for the latest complete year: each förbund, its kommuner, and Totalt länet."""
    ar = lage.senaste
    med = finns(con, KOMMUN_MART)   # deltagare per kommun, where the build has them
    kommuner = fraga(con, "select m.*" + (", j.deltagare, j.tackningsgrad" if med else "")
                     + " from marts.malgrupp_kommun m"
                     + (f" left join marts.{KOMMUN_MART} j using (forbund, kommun, ar)" if med else "")
                     + " where list_contains(?, m.forbund) and m.ar = ? order by m.forbund, m.kommun_namn",
                     [list(forbund), ar])
    ettar = grund.filter(pl.col("ar") == ar).to_dicts()
    rader = []
    kolumner = ("befolkning_16_64", "malgrupp", "deltagare", "tackningsgrad")
    for r in ettar:
        rader.append([r["namn"]] + [visning(r, MATT[m], lage.grans)[1] for m in kolumner])
        for k in kommuner.filter(pl.col("forbund") == r["forbund"]).to_dicts():
            rader.append(["  varav " + k["kommun_namn"], tal(k["befolkning_16_64"]), tal(k["malgrupp"])]
                         + ([visning(k, MATT[m], lage.grans)[1] for m in ("deltagare", "tackningsgrad")] if med
                            else ["–", "–"]))
    if len(ettar) > 1:
        rader.append([TOTALT] + [lansvarde(ettar, MATT[m], lage.grans)[1] for m in kolumner])
    tab = Tabell(["Förbund / kommun", "Befolkning 16–64 år", "Målgrupp (5 %)", "Deltagare", "Täckningsgrad"], rader)
    if kommuner.is_empty() or kommuner["malgrupp"].is_null().all():
        return tab, None, ar
    namn = dict(zip(grund["forbund"], grund["namn"]))
    return tab, figur([dict(type="bar", x=[namn[f]], y=[m], name=k, hoverinfo="text", text=[k],
                            textposition="inside", marker=dict(color=stil(f, k).farg, line=dict(color="white")),
                            hovertext=[f"{k}: målgrupp {tal(m)} (befolkning 16–64 år {tal(b)})"])
                       for f, k, m, b in kommuner.select("forbund", "kommun_namn", "malgrupp", "befolkning_16_64")
                       .iter_rows()],
                      460, dict(barmode="stack", showlegend=False,
                                yaxis=dict(title=dict(text="personer (5 % av 16–64 år)")))), ar


def _helar_kommun(con, lage, forbund) -> tuple[Tabell, go.Figure | None, int | None]:
    df = fraga(con, """select k.kommun_namn, k.kon, k.andel, k.ar, h.andel_riket
                       from marts.helarsekvivalenter_kommun k
                       join marts.helarsekvivalenter_ar h on h.forbund = k.forbund and h.ar = k.ar and h.kon = k.kon
                            and h.ersattning = k.ersattning
                       where k.ersattning = 'totalt' and list_contains(?, k.forbund) and k.ar <= ?
                       order by k.forbund, k.kommun_namn""", [list(forbund), lage.senaste])
    har = df.filter(pl.col("andel").is_not_null())
    if har.is_empty():
        return Tabell(["Kommun", "Kvinnor", "Män", "Totalt"], []), None, None
    ar = har["ar"].max()
    df = df.filter(pl.col("ar") == ar)
    kon = ("kvinna", "man", "totalt")
    kommuner = df["kommun_namn"].unique(maintain_order=True).to_list()
    cell = {(k, s): a for k, s, a in df.select("kommun_namn", "kon", "andel").iter_rows()}
    riket = {s: a for s, a in df.select("kon", "andel_riket").iter_rows()}
    rader = [[k] + [procent(cell.get((k, s))) for s in kon] for k in kommuner]
    rader.append(["Riket"] + [procent(riket.get(s)) for s in kon])
    layout = dict(barmode="group", yaxis=dict(title=dict(text="% av befolkningen 20–64 år")))
    data = [dict(type="bar", x=kommuner, y=[None if cell.get((k, s)) is None else cell[(k, s)] * 100
                                            for k in kommuner], name=namn, hoverinfo="text",
                 hovertext=[f"{k}, {namn.lower()}: {procent(cell.get((k, s)))}" for k in kommuner])
            for s, namn in (("kvinna", "Kvinnor"), ("man", "Män"))]
    for s, namn, streck in (("kvinna", "riket kvinnor", "dot"), ("man", "riket män", "dash")):
        if riket.get(s) is not None:
            referenslinje(layout, riket[s] * 100, f"{namn} {procent(riket[s])}", dict(color=GRA, dash=streck))
    return Tabell(["Kommun", "Kvinnor", "Män", "Totalt"], rader), figur(data, 460, layout), ar


def diagram(con, grund: pl.DataFrame, anm: pl.DataFrame, lage, forbund) -> list[Diagram]:
    malgrupp_tab, malgrupp_fig, ar = _malgrupp(con, grund, lage, forbund)
    tack = langt(grund, MATT["tackningsgrad"], lage.grans, total=True)
    helar = langt(grund, MATT["helarsekvivalenter_andel"], lage.grans, total=True)
    riket_ar = grund.group_by("ar").agg(pl.col("helarsekvivalenter_andel_riket").first()).sort("ar")
    riket = pl.DataFrame([("Riket", a, None if v is None else v * 100, procent(v), None, helar["panel"][0])
                          for a, v in riket_ar.iter_rows()], schema=helar.schema, orient="row")
    helar = pl.concat([helar, riket])
    kommun_tab, kommun_fig, kommun_ar = _helar_kommun(con, lage, forbund)
    per_1000 = langt(grund, MATT["deltagare_per_1000_helarsekvivalenter"], lage.grans, total=True)
    return [
        Diagram("malgrupp", f"Målgrupp per förbund och kommun {ar} (genomlysningens Tabell 1 och Bilaga 1)",
                "Målgrupp = 5 % (malgrupp_andel) av befolkningen 16–64 år den 31 december i medlemskommunerna; "
                "täckningsgrad = deltagare ÷ målgrupp. Totalt länet = Σ deltagare ÷ Σ målgrupp; en person i två "
                f"förbund räknas i båda. Kommunrader: {KOMMUN}.",
                ("marts.malgrupp_ar", "marts.malgrupp_kommun", "marts.jamforelse_ar", f"marts.{KOMMUN_MART}"),
                malgrupp_tab, malgrupp_fig),
        referens(Diagram("tackningsgrad", "Täckningsgrad: andel av målgruppen som deltog",
                "Deltagare (unika individer, insats = '*') ÷ målgrupp (5 % av befolkningen 16–64 år). Totalt "
                "länet = Σ deltagare ÷ Σ målgrupp.", ("marts.jamforelse_ar", "marts.malgrupp_ar"), tabell(tack),
                linjer(tack, anm, ("deltagare", "befolkning"), y_titel="%")), ("tackningsgrad",), lage, forbund),
        referens(Diagram("helarsekvivalenter", "Helårsekvivalenter per förbund mot riket",
                "Σ helårsekvivalenter 20–64 år (sjukpenning, sjuk- och aktivitetsersättning, "
                "arbetslöshetsersättning, ekonomiskt bistånd, etableringsersättning) ÷ Σ befolkning 20–64 år i "
                "medlemskommunerna; kommunerna vägs efter befolkning, aldrig ett medelvärde av procentsatser. "
                "Omvärldsbeskrivning, inte en effekt av insatserna.", ("marts.helarsekvivalenter_ar",
                                                                       "marts.jamforelse_ar"),
                tabell(helar), linjer(helar, anm, ("befolkning", "helar"), y_titel="%")),
                 ("helarsekvivalenter_andel",), lage, forbund),
        referens(Diagram("deltagare_per_1000_helarsekvivalenter", "Deltagare per 1 000 helårsekvivalenter",
                "1 000 × deltagare (unika individer, insats = '*') ÷ Σ helårsekvivalenter 20–64 år (alla "
                "ersättningar, båda könen) i medlemskommunerna: hur många förbundet når i förhållande till hur många "
                "som försörjs av ersättningar. Totalt länet = 1 000 × Σ deltagare ÷ Σ helårsekvivalenter.",
                ("marts.jamforelse_ar", "marts.helarsekvivalenter_ar"), tabell(per_1000),
                linjer(per_1000, anm, ("deltagare", "helar"), y_titel="deltagare per 1 000")),
                 ("deltagare_per_1000_helarsekvivalenter",), lage, forbund),
        Diagram("helarsekvivalenter_kommun", f"Helårsekvivalenter per kommun och kön {kommun_ar or ''} mot riket",
                "Helårsekvivalenter ÷ befolkning 20–64 år per kommun och kön, senaste år med uppgifter; linjerna "
                "visar riket för kvinnor och män.", ("marts.helarsekvivalenter_kommun",
                                                      "marts.helarsekvivalenter_ar"), kommun_tab, kommun_fig),
    ]
