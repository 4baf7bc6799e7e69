"""Section: data quality per län: findings by förbund and year, rejected files, the revisions of published figures
this build made, the source of each count, and the cost-mapping choices (from marts.kostnadsmappning_ar when the
build has it)."""
from __future__ import annotations

import polars as pl

from finsam.config import OKAND_FORBUND
from finsam.report.charts import Ruta, Tabell
from finsam.report.data import finns, fraga
from finsam.report.disclosure import DOLD, antal_text, undertryckt
from finsam.report.format import SAKNAS, kr, procent, tal
from finsam.report.remarks import regeltext

RUBRIK = "Datakvalitet"
POANG = "datakvalitet_poang"
KOSTNADSMAPPNING = "kostnadsmappning_ar"
REVISIONER = "revisioner"
REVISIONER_MAX = 500  # rows in the table; the rest are in marts.revisioner
KOSTNADSSLAG = {"individinriktade_insatser": "individinriktade",
                "strukturovergripande_insatser": "strukturövergripande", "administration": "administration"}
KALLA = {"sus": "SUS-registreringar", "aggregat": "SUS-rapport (aggregat)"}


def _fynd(con, forbund) -> Ruta:
    df = fraga(con, """select coalesce(f.namn, d.forbund) as forbund, d.ar, d.insats, d.regel, d.allvarlighet,
                              d.beskrivning, d.hittat, d.forvantat, d.varde, d.fil
                       from marts.datakvalitet d left join register.forbund f on f.kod = d.forbund
                       where d.forbund is null or list_contains(?, d.forbund)
                       order by d.forbund nulls first, d.ar, d.allvarlighet, d.regel""", [list(forbund)])
    rader = [[r["forbund"] or "(hela bygget)", "" if r["ar"] is None else str(r["ar"]), r["insats"] or "",
              regeltext(r["regel"]), r["regel"], r["allvarlighet"], r["beskrivning"] or "", r["hittat"] or "",
              r["forvantat"] or "", r["fil"] or ""] for r in df.to_dicts()]
    antal = df.group_by("allvarlighet").len().sort("allvarlighet")
    sammanfattning = ", ".join(f"{a}: {n}" for a, n in antal.iter_rows()) or "inga"
    return Ruta("Anmärkningar per förbund och år",
                f"Alla rader i marts.datakvalitet för länets förbund och för bygget som helhet ({sammanfattning}). "
                "fel = filen avvisades, varning = inläst men behöver uppmärksamhet, info = för kännedom. "
                "Varningar markeras också i diagrammen.",
                Tabell(["Förbund", "År", "Insats", "Anmärkning", "Regel", "Allvarlighet", "Beskrivning", "Hittat",
                        "Förväntat", "Fil"], rader))


def _poang(con, lage, forbund) -> list[Ruta]:
    """The data-quality score per förbund and year with what it rests on (marts.datakvalitet_poang)."""
    if not finns(con, POANG):
        return []
    # the rows of this län's förbund, and those of files that named no förbund (okand), last
    df = fraga(con, "select coalesce(f.namn, 'Okänt förbund') as namn, p.* from marts.datakvalitet_poang p "
                    "left join register.forbund f on f.kod = p.forbund "
                    "where (list_contains(?, p.forbund) or p.forbund = ?) and p.ar <= ? "
                    "order by f.namn is null, p.forbund, p.ar", [list(forbund), OKAND_FORBUND, lage.senaste])
    return [Ruta("Datakvalitetspoäng per förbund och år",
                 "100 minus en vikt för varje fel och varning i marts.datakvalitet som gäller förbundet och året "
                 "(vikterna i config/datakvalitet_vikter.csv), lägst 0. En avvisad fil räknas en gång: för förbundets "
                 "alla år när den anger förbundet men inte året, och på raden Okänt förbund när den inte anger något "
                 "förbund. Underlag = regel×antal (−poäng). Poängen visas "
                 "också bland nyckeltalen och i översikten.",
                 Tabell(["Förbund", "År", "Poäng", "Fel", "Varningar", "Underlag"],
                        [[r["namn"], str(r["ar"]), tal(r["poang"]), tal(r["fel"]), tal(r["varningar"]), r["underlag"]]
                         for r in df.to_dicts()]))]


def _avvisade(con) -> Ruta:
    df = fraga(con, "select fil, kalla, orsak from marts.inlasta_filer where status = 'avvisad' order by fil")
    if df.is_empty():
        return Ruta("Avvisade filer", "Inga filer avvisades i det här bygget (marts.inlasta_filer).")
    return Ruta("Avvisade filer", "Filer som avvisades som helhet och inte bidrar med några rader "
                "(marts.inlasta_filer; radvisa fel i marts.datakvalitet, regel fil_avvisad).",
                Tabell(["Fil", "Källa", "Orsak"], [[r[0], r[1], r[2] or ""] for r in df.iter_rows()]))


def _revisionsvarde(varde, skydd: str, underlag, grans: int) -> str:
    """A published or revised figure as the report shows it: a count of persons 1..grans-1 as '<5', a figure built
    on one as 'dold', money in kr, a ratio or other figure with three decimals below 100."""
    if skydd == "personer":
        return antal_text(varde, grans)
    if undertryckt(underlag, grans):
        return DOLD
    if varde is None:
        return SAKNAS
    if skydd == "belopp":
        return kr(varde)
    return tal(varde, 0 if abs(varde) >= 100 else 3)


def revideringar(con, forbund, grans: int) -> list[Ruta]:
    """The revisions this build made (marts.revisioner, korning = this build's run) for the län's förbund: published
    figures of closed years that changed, with the old and the new value, suppressed as every other count."""
    if not finns(con, REVISIONER):
        return []
    df = fraga(con, """select r.*, coalesce(f.namn, r.forbund) as namn
                       from marts.revisioner r join register.bygge b on r.korning = b.run_id
                       left join register.forbund f on f.kod = r.forbund
                       where list_contains(?, r.forbund)
                       order by r.forbund, r.ar, r.mart, r.nyckel, r.kolumn""", [list(forbund)])
    stangda = con.execute("select sista_stangda_ar, revision_tolerans from register.installningar").fetchall()[0]
    text = (f"Publicerade siffror för stängda år (till och med {stangda[0]}) som den här körningen ändrade jämfört "
            "med det datalager som var publicerat före den (marts.revisioner, där också tidigare körningars "
            f"revideringar finns). En ändring större än {procent(stangda[1])} (revision_tolerans), eller från eller "
            "till 0, eller ett värde som försvann, publiceras bara när den bekräftats (--tillat-revision). Ett värde "
            "som saknades och nu finns är en första publicering, ingen revidering. Filer = indatafiler för förbundet "
            "som tillkommit, ändrats, avvisats eller tagits bort sedan förra publiceringen.")
    if df.is_empty():
        return [Ruta("Revideringar", text + " Inga publicerade siffror för länets förbund ändrades.")]
    rader = [[r["namn"], r["mart"], r["nyckel"], r["kolumn"],
              _revisionsvarde(r["gammalt"], r["skydd"], r["underlag_gammalt"], grans),
              _revisionsvarde(r["nytt"], r["skydd"], r["underlag_nytt"], grans),
              DOLD if undertryckt(r["underlag_gammalt"], grans) or undertryckt(r["underlag_nytt"], grans)
              else procent(r["andring"]), "ja" if r["over_tolerans"] else "nej", r["filer"] or ""]
             for r in df.head(REVISIONER_MAX).to_dicts()]
    if df.height > REVISIONER_MAX:
        text += f" Tabellen visar de första {REVISIONER_MAX} av {df.height}; alla finns i marts.revisioner."
    return [Ruta("Revideringar", text, Tabell(["Förbund", "Mart", "Nyckel", "Kolumn", "Gammalt", "Nytt", "Ändring",
                                               "Över tolerans", "Filer"], rader))]


def _kalla(grund: pl.DataFrame) -> Ruta:
    ar = sorted(grund["ar"].unique().to_list())
    rader = []
    for (namn,), g in grund.group_by("namn", maintain_order=True):
        per_ar = dict(zip(g["ar"], g["kalla"]))
        rader.append([namn] + [KALLA.get(per_ar.get(a), SAKNAS) for a in ar])
    return Ruta("Källa för antalen", "Var varje förbunds och års antal deltagare kommer ifrån "
                "(marts.deltagare_ar.kalla): räknat från SUS-registreringar, taget från en SUS-rapport eller "
                "manuell sammanställning (aggregat), eller saknas.", Tabell(["Förbund"] + [str(a) for a in ar], rader))


def kostnadsmappning(con, forbund) -> list[Ruta]:
    """Which årsredovisning lines went to administration, struktur and individ each year, and where a line changed
    kategori or mapping rule, or appeared. Needs marts.kostnadsmappning_ar (sql/marts/kostnadsmappning_ar.sql)."""
    if not finns(con, KOSTNADSMAPPNING):
        return [Ruta("Kostnadsmappning", "marts.kostnadsmappning_ar finns inte i det här bygget, så vilka "
                     "årsredovisningsrader som räknats som administration, strukturövergripande och individinriktade "
                     "insatser kan inte visas här ännu. Mappningen finns i config/kostnadsmappning.csv; marten "
                     "definieras i sql/marts/kostnadsmappning_ar.sql.")]
    df = fraga(con, "select m.*, f.namn from marts.kostnadsmappning_ar m join register.forbund f on f.kod = m.forbund "
                    "where list_contains(?, m.forbund) order by m.forbund, m.post, m.ar", [list(forbund)])
    kost = df.filter(pl.col("kategori").is_in(list(KOSTNADSSLAG)))
    ar = sorted(kost["ar"].unique().to_list())
    rader = []
    for (namn, kategori, post), g in kost.group_by("namn", "kategori", "post", maintain_order=True):
        belopp = dict(zip(g["ar"], g["belopp"]))
        rader.append([namn, KOSTNADSSLAG[kategori], post] + [kr(belopp[a]) if a in belopp else "–" for a in ar])
    rader.sort(key=lambda r: (r[0], list(KOSTNADSSLAG.values()).index(r[1]), r[2]))
    byten = (df.with_columns(fore=pl.col("kategori").shift(1).over("forbund", "post", order_by="ar"),
                             fore_rad=pl.col("mappning_rad").shift(1).over("forbund", "post", order_by="ar"),
                             forsta=pl.col("ar").min().over("forbund"),
                             ny=pl.col("ar") == pl.col("ar").min().over("forbund", "post"))
             .filter((pl.col("fore") != pl.col("kategori")) | (pl.col("fore_rad") != pl.col("mappning_rad"))
                     | (pl.col("ny") & (pl.col("ar") > pl.col("forsta")))))
    andringar = [[r["namn"], str(r["ar"]), r["post"],
                  "ny rad" if r["fore"] is None else f"{r['fore']} (rad {r['fore_rad']})",
                  f"{r['kategori']} (rad {r['mappning_rad']})"] for r in byten.to_dicts()]
    return [
        Ruta("Kostnadsmappning: rader per kostnadsslag",
             "Årsredovisningens kostnadsrader och vilket kostnadsslag config/kostnadsmappning.csv gav dem, belopp i "
             "kr per år (marts.kostnadsmappning_ar). – = raden finns inte det året.",
             Tabell(["Förbund", "Kostnadsslag", "Rad i årsredovisningen"] + [str(a) for a in ar], rader)),
        Ruta("Kostnadsmappning: ändrad klassning",
             "Rader som bytte kategori eller mappningsregel (rad i config/kostnadsmappning.csv) mot året före, och "
             "rader som tillkom efter förbundets första år (t.ex. när en kostnad delas upp). "
             + ("" if andringar else "Inga sådana ändringar."),
             Tabell(["Förbund", "År", "Rad i årsredovisningen", "Tidigare", "Nu"], andringar) if andringar else None),
    ]


def rutor(con, grund: pl.DataFrame, forbund, lage) -> list[Ruta]:
    return [*_poang(con, lage, forbund), _fynd(con, forbund), _avvisade(con),
            *revideringar(con, forbund, lage.grans), _kalla(grund),
            *kostnadsmappning(con, forbund)]
