"""Section: costs per participant and outcome, medelstilldelning against outcomes, administration, cost split."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from finsam.report.charts import RAD, TICKFORMAT, Diagram, Tabell, belopp, figur, linjer, staplar, stil, tabell
from finsam.report.format import kr
from finsam.report.measures import MATT, TOTALT, langt, visning
from finsam.report.referens import referens

RUBRIK = "Kostnader och resultat"
OMRADEN = ("deltagare", "ekonomi")
KALLOR = ("marts.jamforelse_ar", "marts.ekonomi_ar", "marts.deltagare_ar")
TOTAL = "Totalt länet = Σ täljare ÷ Σ nämnare över länets förbund, aldrig ett medelvärde av kvoterna."
INDIVID = ("Täljaren är kostnaden för individinriktade insatser som förbundet betalar (som i genomlysningen), "
           "inte de totala kostnaderna; nämnaren är förbundets unika individer i alla SUS-registrerade insatser.")


def _langt(grund, lage, kolumner, total=True, namn=None):
    return pl.concat([langt(grund, MATT[k], lage.grans, total=total, panel=(namn or {}).get(k))
                      for k in kolumner])


def _medel_mot_utfall(grund: pl.DataFrame, lage) -> tuple[Tabell, go.Figure | None, list[str]]:
    """The review's "ingen direkt koppling mellan medelstilldelning och resultat": one point per förbund-year,
    each förbund's years joined in order in its colour; the year is in the hover and the table, not beside the
    points (those of one förbund lie on top of each other)."""
    rader, punkter, dolda = [], [], []
    for r in grund.to_dicts():
        utfall, text = visning(r, MATT["utfall"], lage.grans)
        rader.append([r["namn"], str(r["ar"]), kr(r["medlemsbidrag"]), text])
        if utfall is not None and r["medlemsbidrag"] is not None:
            punkter.append((r["forbund"], r["namn"], r["ar"], r["medlemsbidrag"], utfall, text))
        elif text != "saknas":
            dolda.append(f"{r['namn']} {r['ar']}")
    noter = [f"Utfall under {lage.grans} eller dolt visas inte: {', '.join(dolda)}."] if dolda else []
    tab = Tabell(["Förbund", "År", "Medelstilldelning", "Utfall"], rader)
    if not punkter:
        return tab, None, noter
    df = pl.DataFrame(punkter, schema=["forbund", "namn", "ar", "x", "y", "text"], orient="row")
    delat, enhet = belopp(df["x"].to_list())
    data = []
    for (forbund, namn), g in df.group_by("forbund", "namn", maintain_order=True):
        st = stil(forbund)
        data.append(dict(
            type="scatter", x=(g["x"] / delat).to_list(), y=g["y"].to_list(), mode="lines+markers", name=namn,
            line=dict(color=st.farg, width=1, dash=st.streck), marker=dict(size=9, color=st.farg, symbol=st.markor),
            hoverinfo="text", hovertext=[f"{namn} {a}{RAD}medelstilldelning {kr(x)}{RAD}utfall {t}"
                                         for a, x, t in zip(g["ar"], g["x"], g["text"])]))
    noter.append("Ett förbunds år är förbundna med en linje i årsordning; året står i tabellen och när muspekaren "
                 "hålls över en punkt.")
    return tab, figur(data, 480, dict(
        xaxis=dict(title=dict(text=f"medelstilldelning (medlemsbidrag), {enhet}"), rangemode="tozero",
                   tickformat=TICKFORMAT),
        yaxis=dict(title=dict(text="utfall, personer"), rangemode="tozero"))), noter


def diagram(grund: pl.DataFrame, anm: pl.DataFrame, lage) -> list[Diagram]:
    per_matt = ("kostnad_per_deltagare", "kostnad_per_avslut", "kostnad_per_avslut_arbete_studier",
                "kostnad_per_utfall")
    admin_matt = ("admin_andel_kostnader", "admin_andel_medelstilldelning", "admin_andel_intakter")
    per, admin = _langt(grund, lage, per_matt), _langt(grund, lage, admin_matt)
    admin_kr = _langt(grund, lage, ("kostnad_admin",))
    forbund = grund["forbund"].unique().to_list()
    fordelning = _langt(grund, lage, ("andel_individ", "andel_struktur", "admin_andel_kostnader"),
                        namn={"admin_andel_kostnader": "Administration"})
    medel_tab, medel_fig, medel_noter = _medel_mot_utfall(grund, lage)
    return [
        referens(Diagram("kostnad_per", "Kostnad per deltagare, per avslutad, per avslut mot arbete/studier och per "
                         "utfall", INDIVID + " Utfall = avslut mot arbete/studier + jobb-/studieredo. " + TOTAL, KALLOR,
                         tabell(per), linjer(per, anm, OMRADEN, y_titel="kr")), per_matt, lage, forbund),
        Diagram("medel_utfall", "Medelstilldelning mot utfall, per förbund och år",
                "x: medlemsbidrag (stat + region + kommuner) enligt årsredovisningen; y: utfall = avslut mot "
                "arbete/studier + jobb-/studieredo. Genomlysningen 2020 fann ingen direkt koppling mellan "
                "medelstilldelning och resultat.", ("marts.ekonomi_ar", "marts.deltagare_ar"),
                medel_tab, medel_fig, medel_noter),
        Diagram("admin_kr", "Administrationskostnad i kronor",
                "Kostnad för administration (kansli, förbundschef, styrelse, revision, lokaler m.m.) enligt "
                "kostnadsmappningen av årsredovisningens rader. Totalt länet = Σ över förbunden.",
                ("marts.ekonomi_ar",), tabell(admin_kr),
                linjer(admin_kr.filter(pl.col("serie") != TOTALT), anm, ("ekonomi",), y_titel="kr")),
        referens(Diagram("admin_andel", "Administrationskostnadens andel, på tre baser",
                "Täljare: administrationskostnad. Nämnare, en per panel: kostnader totalt; medelstilldelning "
                "(medlemsbidrag, genomlysningens tabell); intäkter totalt inklusive externa bidrag. Genomlysningens "
                "20 % för Degerfors/Karlskoga gäller bara med MUCF-bidraget i basen. " + TOTAL,
                ("marts.jamforelse_ar", "marts.ekonomi_ar"), tabell(admin),
                linjer(admin, anm, ("ekonomi",), y_titel="%")), admin_matt, lage, forbund),
        Diagram("kostnadsfordelning", "Kostnadsfördelning: individinriktade, strukturövergripande, administration",
                "Varje kostnadsslag ÷ kostnader totalt (individinriktade + strukturövergripande + administration), "
                "enligt kostnadsmappningen. " + TOTAL, ("marts.jamforelse_ar", "marts.ekonomi_ar"),
                tabell(fordelning), staplar(fordelning, anm, ("ekonomi",), y_titel="%")),
    ]
