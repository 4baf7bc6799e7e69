"""Section: after SUS. Which years of each förbund come from which source and what that means for comparisons
(marts.deltagare_ar.kalla, jamforelse_ar.deltagare_bas), and each förbund's insatser in the latest complete year
(marts.insats_ar): inriktning, deltagare (kvinnor, män), budgeterat antal, budget and utfall.

Disclosure: every count of individuals passes antal_text ("<5"). Kvinnor and män of an insats are both "dold" when
either is suppressed, or when the participants without kön (deltagare − kvinnor − män) are 1 to the threshold − 1:
the deltagare shown beside them would otherwise give the small count away by subtraction.
"""
from __future__ import annotations

import polars as pl

from finsam.report.charts import Diagram, Ruta, Tabell
from finsam.report.data import finns, fraga
from finsam.report.disclosure import DOLD, antal_text, undertryckt
from finsam.report.format import SAKNAS, kr, procent, tal

RUBRIK = "Efter SUS"
KALLA = {"sus": "registreringar (SUS eller eget register)", "uppfoljning": "Uppföljning Finsam",
         "aggregat": "rapporterade antal (SUS-rapport)", None: SAKNAS}
INRIKTNING = {"individinriktad": "Individinriktad", "strukturovergripande": "Strukturövergripande"}
TEXT = ("SUS stängdes för Finsam den {stangd}. Från och med det året räknas ett förbunds deltagare från Uppföljning "
        "Finsam, där förbunden registrerar antal per insats utan personuppgifter; finns det inte används förbundets "
        "egna registreringar eller rapporterade antal. Det gör tidsserierna svårare att jämföra över brottet: i "
        "Uppföljning Finsam är deltagare summan över de individinriktade insatserna, så den som deltar i två insatser "
        "räknas två gånger, och nyinskrivna, pågående, återkommande, ålder och tid i insats finns inte. Avslut "
        "finns bara där insatserna själva rapporterat dem (annars ”saknas”, aldrig 0). I diagrammen markerar en "
        "lodrät prickad linje det första året från Uppföljning Finsam, och punkter från sådana år är ihåliga "
        "(staplar randiga). Strukturövergripande insatser (t.ex. kompetensinsatser för personal) räknas aldrig som "
        "förbundets deltagare.")


def _perioder(ar_kalla: list[tuple[int, str | None]]) -> str:
    """[(2017, 'sus'), (2018, 'sus'), (2019, 'uppfoljning')] -> 'registreringar (...) 2017–2018; Uppföljning
    Finsam 2019'."""
    delar: list[list] = []
    for ar, kalla in ar_kalla:
        if delar and delar[-1][0] == kalla and delar[-1][2] == ar - 1:
            delar[-1][2] = ar
        else:
            delar.append([kalla, ar, ar])
    return "; ".join(f"{KALLA.get(k, k)} {a}" + (f"–{b}" if b != a else "") for k, a, b in delar)


def _kallor(con, lage, forbund) -> Tabell:
    df = fraga(con, "select forbund, ar, kalla, avslutade from marts.deltagare_ar where insats = '*' "
                    "and list_contains(?, forbund) and ar <= ? order by forbund, ar", [list(forbund), lage.senaste])
    rader = []
    for f in forbund:
        egna = df.filter(pl.col("forbund") == f)
        uppf = egna.filter(pl.col("kalla") == "uppfoljning")
        avslut = SAKNAS if uppf.is_empty() else (
            "rapporterade av insatserna " + ", ".join(str(a) for a in uppf.filter(pl.col("avslutade").is_not_null())
                                                      ["ar"].to_list())
            if uppf["avslutade"].is_not_null().any() else "rapporteras inte (saknas)")
        rader.append([lage.namn[f], _perioder(list(zip(egna["ar"].to_list(), egna["kalla"].to_list()))),
                      "" if uppf.is_empty() else avslut])
    return Tabell(["Förbund", "Deltagarantalen kommer från", "Avslut efter SUS"], rader)


def _kon(deltagare, kvinnor, man, grans: int) -> tuple[str, str]:
    """Kvinnor and män as shown beside the insats' deltagare: '<5' where small, and 'dold' for a count that, with
    the others shown, would give a small one away (the other kön, or those without kön)."""
    utan_kon = None if None in (deltagare, kvinnor, man) else deltagare - kvinnor - man
    if undertryckt(utan_kon, grans) or undertryckt(kvinnor, grans) or undertryckt(man, grans):
        return (antal_text(kvinnor, grans) if undertryckt(kvinnor, grans) else DOLD,
                antal_text(man, grans) if undertryckt(man, grans) else DOLD)
    return tal(kvinnor), tal(man)


def _insatser(con, lage, f: str) -> Ruta:
    df = fraga(con, "select * from marts.insats_ar where forbund = ? and ar = ? "
                    "order by inriktning, insats", [f, lage.senaste])
    rubrik = f"Insatser {lage.senaste}: {lage.namn[f]}"
    if df.is_empty():
        return Ruta(rubrik, f"Inga insatser med uppgifter för {lage.senaste}.")
    rader = []
    for r in df.to_dicts():
        kvinnor, man = _kon(r["deltagare"], r["kvinnor"], r["man"], lage.grans)
        plan = r["andel_av_plan"]
        rader.append([r["insats"], INRIKTNING.get(r["inriktning"], r["inriktning"] or SAKNAS),
                      antal_text(r["deltagare"], lage.grans), kvinnor, man, tal(r["budgeterat_antal"]),
                      DOLD if plan is not None and undertryckt(r["deltagare"], lage.grans) else procent(plan),
                      kr(r["budget_kr"]), kr(r["utfall_kr"]), procent(r["utfall_andel_av_budget"]),
                      KALLA.get(r["kalla"], r["kalla"])])
    text = ("Varje insats förbundet har uppgifter för, från den källa året räknas från. Deltagare i en "
            "strukturövergripande insats är t.ex. personal som deltagit; de räknas inte som förbundets deltagare. "
            "Andel av plan = deltagare ÷ budgeterat antal; utfall av budget = utfall ÷ budget.")
    return Ruta(rubrik, text, Tabell(["Insats", "Inriktning", "Deltagare", "Kvinnor", "Män", "Budgeterat antal",
                                      "Andel av plan", "Budget", "Utfall", "Utfall av budget", "Källa"], rader))


def rutor(con, lage, forbund) -> list[Diagram | Ruta]:
    """The section, or nothing when the build has no closure date and no year from another source than SUS."""
    stangd = con.execute("select sus_stangd from register.installningar").fetchall()[0][0]
    annan = con.execute("select count(*) from marts.deltagare_ar where insats = '*' and list_contains(?, forbund) "
                        "and ar <= ? and kalla = 'uppfoljning'", [list(forbund), lage.senaste]).fetchall()[0][0]
    if stangd is None and not annan:
        return []
    text = TEXT.format(stangd=stangd.isoformat() if stangd else "(inget datum angivet)")
    ut: list[Diagram | Ruta] = [Ruta("Varifrån siffrorna kommer", text, _kallor(con, lage, forbund))]
    if finns(con, "insats_ar"):
        ut += [_insatser(con, lage, f) for f in forbund]
    return ut
