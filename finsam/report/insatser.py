"""Section: who takes part (kön, ålder), who comes back, how long people stay and what each insats costs
(marts.deltagare_grupp_ar, deltagare_ar.aterkommande, tid_i_insats_ar, kostnad_insats_ar)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from finsam.report.charts import GRA, Diagram, Ruta, Tabell, belopp, figur, linjer, tabell
from finsam.report.data import finns, fraga
from finsam.report.disclosure import DOLD, DOLDA, DOLT, HELA, antal_text, markera, sekundara, undertryckt
from finsam.report.format import SAKNAS, kr, procent, tal
from finsam.report.measures import MATT, TOTALT, langt, lansvarde, visning

RUBRIK = "Vilka deltar, hur länge och vad insatserna kostar"
GRUPPER = (("kvinna", "Kvinnor"), ("man", "Män"), ("okant", "Okänt kön"), ("16-19", "16–19 år"),
           ("20-24", "20–24 år"), ("25-29", "25–29 år"), ("30-39", "30–39 år"), ("40-49", "40–49 år"),
           ("50-64", "50–64 år"), ("65+", "65+ år"), ("okand", "Okänd ålder"))
KON = ("kvinna", "man", "okant")
UNGA = ("16-19", "20-24", "25-29")
TYPER = (("mottagningsteam", "Mottagningsteam"), ("coachingteam", "Coachingteam"), ("projekt", "Projekt"),
         ("ovrig", "Övrigt"), ("okand", "Okänd typ"))


def _summa(varden: list):
    return None if any(v is None for v in varden) else sum(varden)


def _rad(namn: str, delar: dict[str, list[dict]], grans: int) -> list[str]:
    """One row of the kön/ålder table from each group's counts (one förbund's, or every förbund's for the län:
    {"deltagare": n, DOLDA: [...]}): each group summed as shown by lansvarde ('<5', or 'dold' when a part is
    hidden), then the share aged 16-29, 'dold' when any count it is built from is hidden."""
    celler = [lansvarde(delar[g], MATT["deltagare"], grans)[1] for g, _ in GRUPPER]
    antal = {g: [d["deltagare"] for d in delar[g]] for g, _ in GRUPPER}
    unga, total = _summa([_summa(antal[g]) for g in UNGA]), _summa([_summa(antal[k]) for k in KON])
    if unga is None or not total:
        andel = SAKNAS
    elif any(visning(d, MATT["deltagare"], grans)[0] is None for g in (*UNGA, *KON) for d in delar[g]):
        andel = DOLD
    else:
        andel = procent(unga / total)
    return [namn, *celler, andel]


def _grupper(con, lage, forbund) -> tuple[Tabell, go.Figure | None]:
    """The latest complete year: deltagare per kön and age group per förbund, the share aged 16-29, Totalt länet."""
    df = fraga(con, "select forbund, grupp, deltagare from marts.deltagare_grupp_ar "
                    "where list_contains(?, forbund) and ar = ?", [list(forbund), lage.senaste])
    sek = sekundara(lage.dolda)
    antal = {(f, g): {"deltagare": n, DOLDA: ["deltagare"] if (f, HELA, lage.senaste, f"deltagare:{g}") in sek
                      else []} for f, g, n in df.iter_rows()}
    tom = {"deltagare": None}
    rader = [_rad(lage.namn[f], {g: [antal.get((f, g), tom)] for g, _ in GRUPPER}, lage.grans) for f in forbund]
    if len(forbund) > 1:
        rader.append(_rad(TOTALT, {g: [antal.get((f, g), tom) for f in forbund] for g, _ in GRUPPER}, lage.grans))
    tab = Tabell(["Förbund", *(namn for _, namn in GRUPPER), "Andel 16–29 år"], rader)
    namn = [lage.namn[f] for f in forbund]
    visad = {k: visning(d, MATT["deltagare"], lage.grans) for k, d in antal.items()}
    staplar = [dict(type="bar", x=namn, y=[visad.get((f, g), (None,))[0] for f in forbund], name=text,
                    hoverinfo="text", hovertext=[f"{lage.namn[f]}, {text}: {visad.get((f, g), (None, SAKNAS))[1]}"
                                                 for f in forbund]) for g, text in GRUPPER[len(KON):]]
    if all(y is None for b in staplar for y in b["y"]):
        return tab, None
    dolt = [_dolt(f, antal, visad, lage) for f in forbund]
    if any(d is not None for d in dolt):
        staplar.append(dict(type="bar", x=namn, y=dolt, name=DOLT, marker=dict(color=GRA), hoverinfo="text",
                            hovertext=[f"{lage.namn[f]}, dolda åldersgrupper: {tal(d)}"
                                       for f, d in zip(forbund, dolt)]))
    return tab, figur(staplar, 460, dict(barmode="group", yaxis=dict(title=dict(text="deltagare"))))


def _dolt(f: str, antal: dict, visad: dict, lage) -> int | None:
    """The förbund's deltagare in hidden age groups: its deltagare (Σ over the groups, shown in the report) minus
    the groups shown, drawn as a grey bar so that the groups account for everyone; None where none is hidden, or
    where the deltagare are themselves hidden or small."""
    grupper = [g for g, _ in GRUPPER[len(KON):]]
    varden = [antal.get((f, g), {}).get("deltagare") for g in grupper]
    visade = [visad[(f, g)][0] for g in grupper if (f, g) in visad]
    if None in varden or None not in visade or sum(varden) < lage.grans \
            or (f, HELA, lage.senaste, "deltagare") in lage.dolda:
        return None
    return sum(varden) - sum(v for v in visade if v is not None)


def _tid(con, lage, forbund) -> tuple[pl.DataFrame, Tabell]:
    """Median days per förbund and year (stays), and the latest year's quartiles per förbund and insats."""
    df = fraga(con, "select t.*, t.ar::bigint as ar from marts.tid_i_insats_ar t "
                    "where list_contains(?, forbund) and ar <= ?", [list(forbund), lage.senaste])
    visad = df.with_columns(dold=pl.col("avslutade").map_elements(lambda n: undertryckt(n, lage.grans),
                                                                    return_dtype=pl.Boolean))
    stays = visad.filter(pl.col("insats") == "*").sort("ar")
    long = pl.DataFrame([(lage.namn[r["forbund"]], r["ar"], None if r["dold"] else r["median_dagar"],
                          DOLD if r["dold"] else tal(r["median_dagar"]), r["forbund"]) for r in stays.to_dicts()],
                        schema={"serie": pl.String, "ar": pl.Int64, "varde": pl.Float64, "text": pl.String,
                                "forbund": pl.String}, orient="row").with_columns(panel=pl.lit("Median, dagar"))
    rader = []
    senaste = sorted(visad.filter(pl.col("ar") == lage.senaste).to_dicts(),
                     key=lambda r: (forbund.index(r["forbund"]), r["insats"] != "*", r["insats"]))
    for r in senaste:
        kvartiler = DOLD if r["dold"] else f"{tal(r['p25_dagar'])}–{tal(r['p75_dagar'])}"
        rader.append([lage.namn[r["forbund"]], "hela förbundet" if r["insats"] == "*" else r["insats"],
                      antal_text(r["avslutade"], lage.grans), DOLD if r["dold"] else tal(r["median_dagar"]),
                      SAKNAS if r["median_dagar"] is None and not r["dold"] else kvartiler,
                      antal_text(r["pagaende_over_365"], lage.grans)])
    return long, Tabell(["Förbund", "Insats", "Avslutade", "Median, dagar", "Kvartiler, dagar",
                         "Pågående över 365 dagar"], rader)


def _kostnad(con, lage, forbund) -> tuple[Tabell, go.Figure | None]:
    """The latest complete year: each insats with tied cost lines, and Σ per typ over the län (the review's MT/CT
    table)."""
    df = markera(fraga(con, "select * from marts.kostnad_insats_ar where list_contains(?, forbund) and ar = ?",
                       [list(forbund), lage.senaste]), lage.dolda, "kostnad_insats_ar")
    typer = {t: n for t, n in TYPER if t in set(df["typ"])}
    ordnade = sorted(df.to_dicts(), key=lambda r: (forbund.index(r["forbund"]), list(typer).index(r["typ"]),
                                                  r["insats"]))
    rader = [[lage.namn[r["forbund"]], r["insats"], typer[r["typ"]], r["kommun"] or "hela förbundet",
              kr(r["kostnad"])] + [visning(r, MATT[m], lage.grans)[1] for m in (
                  "deltagare", "kostnad_per_deltagare", "avslutade", "kostnad_per_avslut")] for r in ordnade]
    rader += [[TOTALT, f"alla, {namn.lower()}", namn, "", kr(df.filter(pl.col("typ") == t)["kostnad"].sum()), "",
               "", "", ""] for t, namn in typer.items()]
    if not df.is_empty():
        rader.append([TOTALT, "alla insatser", "", "", kr(df["kostnad"].sum()), "", "", "", ""])
    tab = Tabell(["Förbund", "Insats", "Typ", "Kommun", "Kostnad", "Deltagare", "Kostnad per deltagare", "Avslutade",
                  "Kostnad per avslut"], rader)
    if df.is_empty():
        return tab, None
    per = (pl.DataFrame(ordnade, schema=df.schema)   # in the table's order: förbund as listed, then typ
           .group_by("forbund", "typ", maintain_order=True).agg(pl.col("kostnad").sum()))
    delat, enhet = belopp(per.group_by("forbund").agg(pl.col("kostnad").sum())["kostnad"].to_list())
    return tab, figur([dict(type="bar", x=[lage.namn[f] for f in g["forbund"]], y=(g["kostnad"] / delat).to_list(),
                            name=namn,
                            hoverinfo="text", hovertext=[f"{lage.namn[f]}, {namn.lower()}: {kr(k)}"
                                                         for f, k in zip(g["forbund"], g["kostnad"])])
                       for t, namn in typer.items() if not (g := per.filter(pl.col("typ") == t)).is_empty()],
                      460, dict(barmode="stack", yaxis=dict(title=dict(text=enhet))))


def diagram(con, grund: pl.DataFrame, anm: pl.DataFrame, lage, forbund) -> list[Diagram | Ruta]:
    ut: list[Diagram | Ruta] = []
    if finns(con, "deltagare_grupp_ar"):
        tab, fig = _grupper(con, lage, forbund)
        ut.append(Diagram("kon_alder", f"Deltagare efter kön och ålder {lage.senaste}",
                          "Förbundets unika individer efter kön och ålder under året (ålder = år − födelseår; kön "
                          "Annat eller tomt = okänt kön; under 16 år eller utan födelseår = okänd ålder), var och en "
                          "i en grupp. Andel 16–29 år = (16–19 + 20–24 + 25–29) ÷ deltagare. Totalt länet = Σ över "
                          "förbunden; en person i två förbund räknas i båda. Grå stapel (Dolt) = deltagarna i de dolda "
                          "åldersgrupperna tillsammans.", ("marts.deltagare_grupp_ar",),
                          tab, fig))
    if "aterkommande" in grund.columns:
        ater = pl.concat([langt(grund, MATT[k], lage.grans, total=True)
                          for k in ("aterkommande", "andel_aterkommande")])
        ut.append(Diagram("aterkommande", "Återkommande deltagare: andel av de nyinskrivna",
                          "Nyinskrivna (ej anonyma) som hade en tidigare inskrivning, i någon insats, som slutade mer "
                          "än 90 dagar innan de skrevs in; i alla förbund när personen är identifierad med "
                          "personnummer (pseudonym), annars inom förbundet. Genomlysningen bad om att ingen "
                          "återremitteras till en insats de redan haft. Totalt länet = Σ återkommande ÷ Σ "
                          "nyinskrivna.", ("marts.deltagare_ar",), tabell(ater),
                          linjer(ater.filter(pl.col("panel") == MATT["andel_aterkommande"].namn), anm,
                                 ("deltagare",), y_titel="%")))
    if finns(con, "tid_i_insats_ar"):
        long, tab = _tid(con, lage, forbund)
        ut.append(Diagram("tid_i_insats", "Tid i insats: mediantid för de vistelser som avslutades under året",
                          "Dagar från inskrivning till utskrivning. Per förbund räknas en persons inskrivningar som "
                          "överlappar eller följer direkt på varandra som en vistelse; tabellen visar också varje "
                          "insats senaste året (kvartiler: den mittersta hälften av tiderna) och hur många som varit "
                          "inskrivna mer än 365 dagar vid årets slut. Anonyma inskrivningar ingår inte. Medianer "
                          "kan inte summeras: ingen länsrad.", ("marts.tid_i_insats_ar",), tab,
                          linjer(long, anm, ("deltagare",), y_titel="dagar")))
    if finns(con, "kostnad_insats_ar"):
        tab, fig = _kostnad(con, lage, forbund)
        ut.append(Diagram("kostnad_insats", f"Kostnad per insats {lage.senaste} (genomlysningens kostnad för MT och "
                          "CT)", "De årsredovisningsrader som config/kostnadsmappning.csv knyter till en insats, per "
                          "insats, med insatsens typ och kommun i config/insatser.csv och dess deltagare i SUS "
                          "(saknas = teamet registreras inte per person). Rader utan insats ingår bara i förbundets "
                          "totaler. Totalt länet = Σ kostnad per typ.", ("marts.kostnad_insats_ar",
                                                                         "marts.deltagare_ar"), tab, fig))
    return ut or [Ruta(RUBRIK, "Lagret har inga av de marts avsnittet bygger på.")]
