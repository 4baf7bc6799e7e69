"""Section: budget and prognosis. Per förbund, for the latest complete year with a budget (else the latest year with
one): budget, prognosis and utfall per kategori (a grouped bar and its table, marts.budget_utfall_ar), the same per
insats, the kansli (administration) against its budget, and the year's latest delår (marts.delar_ar): used against
expected share, and the whole-year prognosis with its source. Money in tkr; the one count of persons (the delår's
participants from registrations, where they cover the period) passes antal_text ("<5")."""
from __future__ import annotations

import polars as pl

from finsam.report.charts import RAD, Diagram, Ruta, Tabell, figur
from finsam.report.data import finns, fraga
from finsam.report.disclosure import antal_text
from finsam.report.format import SAKNAS, procent, tkr

RUBRIK = "Budget och prognos"
KATEGORI = {
    "medlemsbidrag_stat": "Medlemsbidrag staten", "medlemsbidrag_region": "Medlemsbidrag regionen",
    "medlemsbidrag_kommun": "Medlemsbidrag kommunerna", "externa_bidrag": "Externa bidrag",
    "ovriga_intakter": "Övriga intäkter", "individinriktade_insatser": "Individinriktade insatser",
    "strukturovergripande_insatser": "Strukturövergripande insatser", "administration": "Administration (kansli)",
    "finansiella_poster": "Finansiella poster (netto)"}
KOSTNADER = ("individinriktade_insatser", "strukturovergripande_insatser", "administration")
UTFALL_KALLA = {"arsredovisning": "årsredovisningen", "uppfoljning": "Uppföljning Finsam", None: SAKNAS}
PROGNOS_KALLA = {"forbund": "förbundets prognos", "linjar": "linjär (utfall hittills ÷ förfluten andel)"}
SERIER = (("budget", "Budget", "#4c78a8"), ("prognos", "Prognos", "#f58518"), ("utfall", "Utfall", "#54a24b"))
TEXT = ("Budgeten är de budget- och reviderad budget-rader i raw/budget/ som beslutades senast, prognosen de "
        "prognosrader som beslutades senast. Utfallet är årsredovisningens (helår; ett delår räknas aldrig här). "
        "Avvikelse = utfall − budget. Kategorierna är kostnadsmappningens, som för årsredovisningen. Belopp i tkr.")


def _ar(df: pl.DataFrame, senaste: int) -> int:
    """The latest complete year with a budget, else the latest year with one."""
    hela = df.filter(pl.col("ar") <= senaste)["ar"]
    return int(hela.max()) if not hela.is_empty() else int(df["ar"].max())


def _stapel(rader: pl.DataFrame) -> object:
    """Budget, prognosis and utfall side by side per kategori, tkr."""
    etiketter = [KATEGORI.get(k, k) for k in rader["kategori"]]
    data = [dict(type="bar", name=namn, x=etiketter, y=[None if v is None else v / 1000 for v in rader[kolumn]],
                 marker=dict(color=farg), hoverinfo="text",
                 hovertext=[f"{e}{RAD}{namn} {tkr(v)}" for e, v in zip(etiketter, rader[kolumn], strict=True)])
            for kolumn, namn, farg in SERIER if rader[kolumn].is_not_null().any()]
    return figur(data, 420, dict(barmode="group", yaxis=dict(title=dict(text="tkr")),
                                 xaxis=dict(tickangle=-20), legend=dict(orientation="h", y=1.12)))


def _andel(andel, budget) -> str:
    """A share of the budget, shown where the budget is above 0 (a net financial budget below 0 gives no share)."""
    return procent(andel) if budget is not None and budget > 0 else "–"


def _ordnade(rader: pl.DataFrame) -> pl.DataFrame:
    """Rows in the order of KATEGORI: incomes, costs, financial items."""
    return rader.with_columns(_o=pl.col("kategori").replace_strict(
        {k: i for i, k in enumerate(KATEGORI)}, default=len(KATEGORI))).sort("_o").drop("_o")


def _tabell(rader: pl.DataFrame, forsta: str, namn: list[str]) -> Tabell:
    return Tabell([forsta, "Budget", "Prognos", "Utfall", "Avvikelse", "Avvikelse ÷ budget", "Utfallets källa"],
                  [[n, tkr(r["budget"]), tkr(r["prognos"]), tkr(r["utfall"]), tkr(r["avvikelse"], tecken=True),
                    _andel(r["avvikelse_andel"], r["budget"]), UTFALL_KALLA.get(r["utfall_kalla"], r["utfall_kalla"])]
                   for n, r in zip(namn, rader.to_dicts(), strict=True)])


def _kansli(rader: pl.DataFrame) -> Tabell:
    """Administration against its budget, and its share of the costs in the budget, the prognosis and the utfall."""
    kost = rader.filter(pl.col("kategori").is_in(KOSTNADER))
    admin = kost.filter(pl.col("kategori") == "administration")
    celler = []
    for kolumn, namn, _ in SERIER:
        belopp = admin[kolumn].sum() if admin[kolumn].is_not_null().any() else None
        totalt = kost[kolumn].sum() if kost[kolumn].is_not_null().any() else None
        andel = belopp / totalt if belopp is not None and totalt else None
        celler.append([namn, tkr(belopp), tkr(totalt), procent(andel)])
    return Tabell(["", "Administration (kansli)", "Kostnader totalt", "Administrationens andel"], celler)


def _delar(con, f: str, ar: int, grans: int) -> Ruta | None:
    df = _ordnade(fraga(con, "select * from marts.delar_ar where forbund = ? and ar = ? and period_till = (select "
                             "max(period_till) from marts.delar_ar where forbund = ? and ar = ?)", [f, ar, f, ar]))
    if df.is_empty():
        return None
    period = df["period_till"][0]
    forvantad = df["forvantad_andel"][0]
    rader = [[KATEGORI.get(r["kategori"], r["kategori"]), tkr(r["utfall_hittills"]), tkr(r["budget_helar"]),
              _andel(r["forbrukad_andel"], r["budget_helar"]), tkr(r["prognos_helar"]),
              PROGNOS_KALLA.get(r["prognos_kalla"], SAKNAS)] for r in df.to_dicts()]
    text = (f"Delårsrapporten 1 januari–{period.day} {MANAD[period.month - 1]} {ar}: {procent(forvantad)} av året "
            "har gått (förväntad andel). Förbrukad andel = utfall hittills ÷ årets budget; över den förväntade "
            "andelen betyder snabbare förbrukning än budgeten. Helårsprognosen är förbundets egen där den finns, "
            "annars linjär: utfall hittills ÷ förväntad andel.")
    deltagare = df["deltagare_hittills"][0] if "deltagare_hittills" in df.columns else None
    if deltagare is not None:
        text += f" Deltagare under perioden (registreringar): {antal_text(deltagare, grans)}."
    return Ruta(f"Delår {ar} till {period.isoformat()}", text, Tabell(
        ["Kategori", "Utfall hittills", "Budget helår", "Förbrukad andel", "Prognos helår", "Prognosens källa"],
        rader), oppen=True)


MANAD = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
         "november", "december")


def _forbund(con, lage, f: str, df: pl.DataFrame) -> list[Diagram | Ruta]:
    ar = _ar(df, lage.senaste)
    alla = df.filter(pl.col("ar") == ar)
    rader = _ordnade(alla.filter(pl.col("insats") == "*"))
    namn = lage.namn[f]
    beslut = alla.row(0, named=True)
    besluten = (f"Budgeten ({beslut['budget_version'] or 'saknas'}) beslutades {beslut['budget_beslutad'] or '–'}"
                + (f", prognosen {beslut['prognos_beslutad']}." if beslut["prognos_beslutad"] else "; ingen prognos."))
    ut: list[Diagram | Ruta] = [Diagram(
        f"budget_{f}", f"{namn} {ar}: budget, prognos och utfall per kategori", f"{TEXT} {besluten}",
        ("marts.budget_utfall_ar",), _tabell(rader, "Kategori", [KATEGORI.get(k, k) for k in rader["kategori"]]),
        _stapel(rader) if not rader.is_empty() else None)]
    insatser = alla.filter(pl.col("insats") != "*").sort("kategori", "insats")
    if not insatser.is_empty():
        ut.append(Ruta(f"{namn} {ar}: budget och utfall per insats",
                       "Insatsens utfall är årsredovisningens rader som kostnadsmappningen knyter till insatsen, "
                       "annars insatsens utfall i Uppföljning Finsam (kolumnen Utfallets källa).",
                       _tabell(insatser, "Insats", insatser["insats"].to_list())))
    ut.append(Ruta(f"{namn} {ar}: kansliet mot budget",
                   "Administration (kansli, förbundschef, styrelse, revision, lokaler m.m.) i budget, prognos och "
                   "utfall, och dess andel av kostnaderna (individinriktade + strukturövergripande insatser + "
                   "administration).", _kansli(rader), oppen=True))
    delar = _delar(con, f, ar, lage.grans)
    return ut + ([delar] if delar else [])


def diagram(con, lage, forbund) -> list[Diagram | Ruta]:
    """The section for the län's förbund with a budget or prognosis; nothing when none has one."""
    if not finns(con, "budget_utfall_ar"):
        return []
    df = fraga(con, "select * from marts.budget_utfall_ar where list_contains(?, forbund) and ar <= ?",
               [list(forbund), lage.ar_till])
    ut: list[Diagram | Ruta] = []
    for f in forbund:
        egna = df.filter(pl.col("forbund") == f)
        if not egna.is_empty():
            ut += _forbund(con, lage, f, egna)
    return ut
