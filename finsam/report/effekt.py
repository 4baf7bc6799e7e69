"""Section: goals and outcomes (Mål och resultat). Per förbund: its goals against their outcomes
(marts.maluppfyllelse_ar, maluppfyllelse_forbund_ar), follow-up after avslut with svarsfrekvens and täckningsgrad
beside every share (uppfoljning_efter_avslut_ar), survey and progression indicators against riket (indikatorer_ar),
försörjning before and after as a flow chart (forsorjning_fore_efter_ar), and the socio-economic scenario in a box of
its own, labelled a scenario (samhallsekonomi_ar). Outcomes are outcomes, never effects.

Disclosure: a count of persons (n, avslutade, svarande, antal svar, a flow) passes antal_text ("<5"), and a share
or value built on a suppressed count is "dold". A share is never shown without its n.
"""
from __future__ import annotations

import polars as pl

from finsam.config.mal import FORBUND, HELA, INSATS, bindning
from finsam.config.samhallsekonomi import AKTOR_NAMN
from finsam.report.charts import Diagram, Ruta, Tabell, figur
from finsam.report.data import finns, fraga
from finsam.report.disclosure import DOLD, antal_text, undertryckt
from finsam.report.format import SAKNAS, kr, med_tecken, procent, tal

RUBRIK = "Mål och resultat"
UTFALL_INTE_EFFEKT = ("Resultaten är utfall för deltagarna, inte effekter av insatserna: vad som hade hänt utan "
                      "insatsen går inte att se här.")
# goal measure -> its Swedish label; what kind of number it is comes from the vocabulary (finsam.config.mal.MATT)
ETIKETT = {
    "deltagare": "Deltagare", "nyinskrivna": "Nyinskrivna", "avslutade": "Avslutade",
    "andel_avslutade": "Andel avslutade av deltagarna",
    "andel_avslut_arbete_studier": "Andel avslut till arbete eller studier",
    "andel_stegforflyttning": "Andel med stegförflyttning",
    "kostnad_per_deltagare": "Kostnad per deltagare", "kostnad_per_avslut": "Kostnad per avslut",
    "admin_andel_kostnader": "Administrationens andel av kostnaderna",
    "eget_kapital": "Eget kapital", "eget_kapital_andel_intakter": "Eget kapital av intäkterna",
    "andel_av_plan": "Deltagare av planerat antal",
    "uppfoljning_andel_arbete_studier": "Arbete eller studier vid uppföljning efter avslut",
}
STATUS = {"uppnatt": "uppnått", "ej_uppnatt": "ej uppnått", "saknar_utfall": "saknar utfall"}
RIKTNING = {"minst": "minst", "hogst": "högst"}


def _matt(matt: str, insats: str | None) -> tuple[str, str]:
    """A goal measure's Swedish label and its kind (mal.ENHETER: andel, antal, kr, kvot, tal)."""
    bunden = bindning(matt, FORBUND if insats in (None, HELA) else INSATS)
    enhet = bunden[0].enhet if bunden else "tal"
    return (f"Indikator {bunden[1]}" if bunden and bunden[1] else ETIKETT.get(matt, matt)), enhet


def _varde(x, slag: str) -> str:
    """A value by its kind: a share or ratio in per cent, kronor, a whole count, or a mean with two decimals."""
    return {"andel": procent, "kvot": procent, "kr": kr, "antal": tal}.get(slag, lambda v: tal(v, 2))(x)


def _andel(andel, n, lag, hog, grans: int) -> str:
    """A share with its interval, or 'dold' when its n is suppressed."""
    if andel is None:
        return SAKNAS
    if undertryckt(n, grans):
        return DOLD
    return procent(andel) + (f" ({procent(lag)}–{procent(hog)})" if lag is not None and hog is not None else "")


def _mal(con, lage, f: str) -> Ruta | None:
    df = fraga(con, "select * from marts.maluppfyllelse_ar where forbund = ? and ar <= ? "
                    "order by ar desc, insats, matt, malvarde", [f, lage.senaste])
    if df.is_empty():
        return None
    rader, klasser = [], []
    for r in df.to_dicts():
        namn, slag = _matt(r["matt"], r["insats"])
        dold = undertryckt(r["n"], lage.grans) or (slag == "antal" and undertryckt(r["utfall"], lage.grans))
        if r["utfall"] is None:
            utfall = SAKNAS
        elif slag == "andel":
            utfall = _andel(r["utfall"], r["n"], r["utfall_lag"], r["utfall_hog"], lage.grans)
        elif slag == "antal":   # the outcome is itself a count of persons
            utfall = antal_text(r["utfall"], lage.grans)
        else:
            utfall = DOLD if dold else _varde(r["utfall"], slag)
        status = STATUS.get(r["status"], r["status"])
        if r["status"] != "saknar_utfall" and r["saker"] is False:
            status += " (osäkert)"
        rader.append([str(r["ar"]), "hela förbundet" if r["insats"] in (None, "*") else r["insats"],
                      f"{namn} {RIKTNING.get(r['riktning'], r['riktning'])} {_varde(r['malvarde'], slag)}",
                      utfall, antal_text(r["n"], lage.grans) if r["n"] is not None else "",
                      status + (f" (grupp {r['grupp']})" if r["grupp"] else ""), r["kalla"] or ""])
        klasser.append(["", "", "", "", "", {"uppnatt": "ok", "ej_uppnatt": "ej"}.get(r["status"], "")
                        + (" osaker" if r["saker"] is False else ""), ""])
    summa = fraga(con, "select ar, mal, uppnadda, andel_uppnadda from marts.maluppfyllelse_forbund_ar "
                       "where forbund = ? and ar <= ? order by ar desc", [f, lage.senaste]).to_dicts()
    andel = "; ".join(f"{s['ar']}: {s['uppnadda']} av {s['mal']} mål uppnådda ({procent(s['andel_uppnadda'])})"
                      for s in summa)
    text = (f"Förbundets mål (config/mal.csv) mot utfallet samma år. {andel}. Mål i samma grupp räknas som ett, "
            "uppnått när något av dem är det. Osäkert = 95 %-intervallet går över målvärdet, så att utfallet lika "
            "gärna kan ligga på andra sidan. " + UTFALL_INTE_EFFEKT)
    return Ruta(f"Mål: {lage.namn[f]}", text,
                Tabell(["År", "Insats", "Mål", "Utfall", "n", "Status", "Källa"], rader, klasser), oppen=True)


def _uppfoljning(con, lage, forbund) -> Ruta | None:
    df = fraga(con, "select * from marts.uppfoljning_efter_avslut_ar where list_contains(?, forbund) "
                    "and avslutsar <= ? order by forbund, avslutsar desc, insats, manader", [list(forbund),
                                                                                            lage.senaste])
    if df.is_empty():
        return None
    rader = []
    for r in df.to_dicts():
        g = lage.grans
        rader.append([lage.namn[r["forbund"]], "hela förbundet" if r["insats"] in (None, "*") else r["insats"],
                      str(r["avslutsar"]), tal(r["manader"]), antal_text(r["avslutade"], g),
                      antal_text(r["tillfragade"], g), antal_text(r["svarande"], g),
                      DOLD if undertryckt(r["svarande"], g) and r["svarsfrekvens"] is not None
                      else procent(r["svarsfrekvens"]),
                      DOLD if undertryckt(r["tillfragade"], g) and r["tackningsgrad"] is not None
                      else procent(r["tackningsgrad"]),
                      _andel(r["andel_arbete_studier"], r["svarande"], r["andel_arbete_studier_lag"],
                             r["andel_arbete_studier_hog"], g)])
    text = ("Hur det gick för de avslutade en tid efter avslutet, enligt förbundens egna uppföljningar. Svarsfrekvens "
            "= svarande ÷ tillfrågade; täckningsgrad = tillfrågade ÷ avslutade. Andelen arbete eller studier gäller de "
            "svarande (n = svarande) och har sitt 95 %-intervall; med låg svarsfrekvens eller täckningsgrad säger den "
            "lite om alla avslutade. " + UTFALL_INTE_EFFEKT)
    return Ruta("Uppföljning efter avslut", text, Tabell(
        ["Förbund", "Insats", "Avslutsår", "Månader efter", "Avslutade", "Tillfrågade", "Svarande", "Svarsfrekvens",
         "Täckningsgrad", "Arbete eller studier (andel av svarande)"], rader), oppen=True)


def _indikatorer(con, lage, forbund) -> Ruta | None:
    df = fraga(con, "select * from marts.indikatorer_ar where list_contains(?, forbund) and ar <= ? "
                    "order by forbund, ar desc, enkat, indikator, insats", [list(forbund), lage.senaste])
    if df.is_empty():
        return None
    rader = []
    for r in df.to_dicts():
        dold = undertryckt(r["antal_svar"], lage.grans)
        slag = "andel" if r["skala"] == "andel" else "tal"
        rader.append([lage.namn[r["forbund"]], "hela förbundet" if r["insats"] in (None, "*") else r["insats"],
                      str(r["ar"]), r["enkat"], r["indikator"] + (f": {r['fraga']}" if r["fraga"] else ""),
                      antal_text(r["antal_svar"], lage.grans),
                      DOLD if dold and r["varde"] is not None else _varde(r["varde"], slag),
                      _varde(r["riket"], slag),
                      DOLD if dold and r["skillnad_riket"] is not None else (
                          SAKNAS if r["skillnad_riket"] is None else
                          med_tecken(r["skillnad_riket"] * (100 if slag == "andel" else 1), 1)
                          + (" procentenheter" if slag == "andel" else "")),
                      procent(r["tackningsgrad"])])
    text = ("Enkäter och progressionsmätning (t.ex. NNS indikatorer, BIP) mot riket där det finns. Täckningsgrad = "
            "antal svar ÷ årets deltagare i förbundet eller insatsen (bara deltagarenkäter och BIP): med låg "
            "täckningsgrad beskriver värdet de som svarat, inte alla deltagare.")
    return Ruta("Enkäter och indikatorer", text, Tabell(
        ["Förbund", "Insats", "År", "Enkät", "Indikator", "Antal svar", "Värde", "Riket", "Skillnad mot riket",
         "Täckningsgrad"], rader), oppen=True)


def _forsorjning(con, lage, forbund) -> Diagram | None:
    """The latest complete year with rows (försörjning is in SUS exports only, so after SUS there are none)."""
    ar = con.execute("select max(ar) from marts.forsorjning_fore_efter_ar where list_contains(?, forbund) "
                     "and ar <= ?", [list(forbund), lage.senaste]).fetchall()[0][0]
    if ar is None:
        return None
    df = fraga(con, "select * from marts.forsorjning_fore_efter_ar where list_contains(?, forbund) and ar = ? "
                    "order by forbund, fore, efter", [list(forbund), ar])
    rader = [[lage.namn[r["forbund"]], r["fore"], r["efter"], antal_text(r["avslutade"], lage.grans)]
             for r in df.to_dicts()]
    visade = df.filter(~pl.col("avslutade").map_elements(lambda n: undertryckt(n, lage.grans),
                                                         return_dtype=pl.Boolean) & (pl.col("avslutade") > 0))
    noder: list[str] = []

    def nod(text: str) -> int:
        if text not in noder:
            noder.append(text)
        return noder.index(text)
    kallor = [nod(f"{lage.namn[f]}: före {a}") for f, a in zip(visade["forbund"], visade["fore"])]
    mal = [nod(f"{lage.namn[f]}: efter {b}") for f, b in zip(visade["forbund"], visade["efter"])]
    fig = figur([dict(type="sankey", node=dict(label=noder, pad=12),
                      link=dict(source=kallor, target=mal, value=visade["avslutade"].to_list()))], 520) \
        if visade.height else None
    return Diagram("forsorjning", f"Försörjning före och efter insatsen, avslutade {ar}",
                   "Avslutade under året efter försörjning när de skrevs in (före) och när de avslutades (efter), "
                   "enligt SUS kolumner Försörjning före och efter (config/forsorjning.csv); det senaste året med "
                   "uppgifter, eftersom de bara finns i SUS. Flöden under "
                   f"{lage.grans} personer ritas inte. " + UTFALL_INTE_EFFEKT,
                   ("marts.forsorjning_fore_efter_ar",), Tabell(["Förbund", "Före", "Efter", "Avslutade"], rader), fig)


def _scenario(con, lage, forbund) -> Ruta | None:
    df = fraga(con, "select * from marts.samhallsekonomi_ar where list_contains(?, forbund) and ar = ? "
                    "order by forbund, aktor", [list(forbund), lage.senaste])
    if df.is_empty():
        return None
    exempel = bool(df["exempelvarden"].any())
    rader = [[lage.namn[r["forbund"]], AKTOR_NAMN[r["aktor"]], antal_text(r["personer"], lage.grans),
              kr(r["varde_1_ar"]), kr(r["varde_5_ar"]), f"{kr(r['varde_lag_5_ar'])}–{kr(r['varde_hog_5_ar'])}",
              kr(r["kostnad_individ"])]
             for r in df.to_dicts()]
    text = ("SCENARIO, INTE EFFEKT. Ett räkneexempel: årets avslutade i varje utfall gånger ett värde per person och "
            "år för varje aktör (config/samhallsekonomi.csv), över ett och fem år, med ett lågt (×0,5) och ett högt "
            "(×1,5) fall, mot kostnaden för individinriktade insatser. Det förutsätter att utfallet beror på insatsen "
            "och består, vilket inte är visat." + (" Värdena är EXEMPEL, inte beslutade eller uppmätta värden."
                                                   if exempel else ""))
    return Ruta(f"Scenario, inte effekt: samhällsekonomiskt räkneexempel {lage.senaste}", text, Tabell(
        ["Förbund", "Aktör", "Personer", "Värde 1 år", "Värde 5 år", "5 år, lågt–högt", "Kostnad individinriktat"],
        rader), oppen=True, ram=True)


def rutor(con, lage, forbund) -> list[Diagram | Ruta]:
    ut: list = []
    if finns(con, "maluppfyllelse_ar"):
        ut += [r for f in forbund if (r := _mal(con, lage, f)) is not None]
    for mart, del_ in (("uppfoljning_efter_avslut_ar", _uppfoljning), ("indikatorer_ar", _indikatorer),
                       ("forsorjning_fore_efter_ar", _forsorjning), ("samhallsekonomi_ar", _scenario)):
        if finns(con, mart) and (d := del_(con, lage, forbund)) is not None:
            ut.append(d)
    return ut
