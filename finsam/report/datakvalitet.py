"""Section: data quality per län: findings by förbund and year, rejected files, the revisions of published figures
this build made, the source of each count, and the cost-mapping choices (from marts.kostnadsmappning_ar when the
build has it)."""
from __future__ import annotations

import polars as pl

from finsam.build import steps
from finsam.config import OKAND_FORBUND
from finsam.report.charts import Ruta, Tabell
from finsam.report.data import finns, fraga
from finsam.report.disclosure import DOLD, antal_text, undertryckt
from finsam.report.format import SAKNAS, antal_ord, arsspann, kr, procent, tal
from finsam.report.remarks import regeltext, underlag_text

RUBRIK = "Datakvalitet"
POANG = "datakvalitet_poang"
KOSTNADSMAPPNING = "kostnadsmappning_ar"
REVISIONER = "revisioner"
REVISIONER_MAX = 500  # rows in the table; the rest are in marts.revisioner
KOSTNADSSLAG = {"individinriktade_insatser": "individinriktade",
                "strukturovergripande_insatser": "strukturövergripande", "administration": "administration"}
KALLA = {"sus": "SUS-registreringar", "aggregat": "SUS-rapport", "uppfoljning": "Uppföljning Finsam"}


ALLVARLIGHET = {"fel": "fel (filen avvisades)", "varning": "varning", "info": "för kännedom"}


def fyndrader(con, forbund) -> pl.DataFrame:
    """Every row of marts.datakvalitet for `forbund` and for the build as a whole, with the förbund's name: the
    readers' table here and the technical appendix (finsam.report.bilaga) show the same rows."""
    return fraga(con, """select coalesce(f.namn, d.forbund) as forbund, d.ar, d.insats, d.regel, d.allvarlighet,
                                d.beskrivning, d.hittat, d.forvantat, d.varde, d.fil
                         from marts.datakvalitet d left join register.forbund f on f.kod = d.forbund
                         where d.forbund is null or list_contains(?, d.forbund)
                         order by d.forbund nulls first, d.ar, d.allvarlighet, d.regel""", [list(forbund)])


def per_grupp(rader: list[dict], nyckel) -> list[list[dict]]:
    """`rader` grouped by nyckel(rad), groups in the order their first row comes: a remark table shows a row per
    förbund, remark and file with its years listed (arsspann), not one per year, insats row and spell (at national
    scale 577 rows of one län, most of them one duplicate each, were a fifth of the page)."""
    grupper: dict = {}
    for r in rader:
        grupper.setdefault(nyckel(r), []).append(r)
    return list(grupper.values())


def _fynd(con, forbund) -> Ruta:
    """The findings in Swedish, as koder.yaml words them (the code, the English detail, found and expected are in
    the technical appendix): a row per förbund, insats, remark (with its value), severity and file, its years
    listed and how many findings it stands for."""
    df = fyndrader(con, forbund)
    rader = [{**r, "insats": "" if r["insats"] in (None, "*") else r["insats"],
              "text": regeltext(r["regel"], r["varde"])} for r in df.to_dicts()]
    grupper = per_grupp(rader, lambda r: (r["forbund"], r["insats"], r["text"], r["allvarlighet"], r["fil"]))
    tabell = [[g[0]["forbund"] or "(hela bygget)", arsspann(r["ar"] for r in g), g[0]["insats"], g[0]["text"],
               ALLVARLIGHET.get(g[0]["allvarlighet"], g[0]["allvarlighet"]), tal(len(g)), g[0]["fil"] or ""]
              for g in grupper]
    antal = dict(df.group_by("allvarlighet").len().iter_rows())
    sammanfattning = ", ".join(antal_ord(antal[a], ord_) for a, ord_ in
                               (("fel", "fel"), ("varning", "varning"), ("info", "för kännedom")) if antal.get(a))
    return Ruta("Anmärkningar per förbund och år",
                f"Alla anmärkningar om underlaget för länets förbund och för bygget som helhet "
                f"({sammanfattning or 'inga'}). Fel = filen avvisades, varning = inläst men behöver uppmärksamhet, "
                "för kännedom = inget fel i uppgifterna. Varningar markeras också i diagrammen. En rad per förbund, "
                "anmärkning och fil, med åren den gäller och hur många anmärkningar den står för (t.ex. en per "
                "dubblett). Regelkoder och detaljer finns i den tekniska bilagan.",
                Tabell(["Förbund", "År", "Insats", "Anmärkning", "Allvarlighet", "Antal", "Fil"], tabell))


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
                 "100 minus en vikt för varje fel och varning bland anmärkningarna som gäller förbundet och året "
                 "(vikterna står i finsams konfiguration), lägst 0. En avvisad fil räknas en gång: för förbundets "
                 "alla år när den anger förbundet men inte året, och på raden Okänt förbund när den inte anger något "
                 "förbund. Underlag = anmärkning ×antal (−poäng). Poängen visas också bland nyckeltalen och i "
                 "översikten.",
                 Tabell(["Förbund", "År", "Poäng", "Fel", "Varningar", "Underlag"],
                        [[r["namn"], str(r["ar"]), tal(r["poang"]), tal(r["fel"]), tal(r["varningar"]),
                          underlag_text(r["underlag"])]
                         for r in df.to_dicts()]))]


def _avvisade(con) -> Ruta:
    df = fraga(con, "select fil, kalla, orsak from marts.inlasta_filer where status = 'avvisad' order by fil")
    if df.is_empty():
        return Ruta("Avvisade filer", "Inga filer avvisades i det här bygget.")
    return Ruta("Avvisade filer", "Filer som avvisades som helhet och inte bidrar med några rader "
                "(felen rad för rad står bland anmärkningarna ovan).",
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


def _etiketter(mart: str, kolumn: str) -> tuple[str, str]:
    """A mart and a column as their declarations label them ('Deltagare per förbund, insats och år',
    'Nyinskrivna'); the names themselves where no declaration has them."""
    d = steps.BY_NAME.get(mart)
    d = d.declaration if d is not None else None
    if d is None or kolumn not in {c.namn for c in d.kolumner}:
        return mart, kolumn
    return d.etikett, d.column(kolumn).etikett


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
            "med det datalager som var publicerat före den (tidigare körningars revideringar finns kvar i "
            f"datalagret). En ändring större än {procent(stangda[1])} (revision_tolerans), eller från eller "
            "till 0, eller ett värde som försvann, publiceras bara när den bekräftats (--tillat-revision). Ett värde "
            "som saknades och nu finns är en första publicering, ingen revidering. Filer = indatafiler för förbundet "
            "som tillkommit, ändrats, avvisats eller tagits bort sedan förra publiceringen.")
    if df.is_empty():
        return [Ruta("Revideringar", text + " Inga publicerade siffror för länets förbund ändrades.")]
    rader = [[r["namn"], *_etiketter(r["mart"], r["kolumn"]), r["nyckel"],
              _revisionsvarde(r["gammalt"], r["skydd"], r["underlag_gammalt"], grans),
              _revisionsvarde(r["nytt"], r["skydd"], r["underlag_nytt"], grans),
              DOLD if undertryckt(r["underlag_gammalt"], grans) or undertryckt(r["underlag_nytt"], grans)
              else procent(r["andring"]), "ja" if r["over_tolerans"] else "nej", r["filer"] or ""]
             for r in df.head(REVISIONER_MAX).to_dicts()]
    if df.height > REVISIONER_MAX:
        text += f" Tabellen visar de första {REVISIONER_MAX} av {df.height}; alla finns i datalagret."
    return [Ruta("Revideringar", text, Tabell(["Förbund", "Tabell", "Uppgift", "Nyckel", "Gammalt", "Nytt", "Ändring",
                                               "Över tolerans", "Filer"], rader))]


def _kalla(grund: pl.DataFrame) -> Ruta:
    ar = sorted(grund["ar"].unique().to_list())
    rader = []
    for (namn,), g in grund.group_by("namn", maintain_order=True):
        per_ar = dict(zip(g["ar"], g["kalla"]))
        rader.append([namn] + [KALLA.get(per_ar.get(a), SAKNAS) for a in ar])
    return Ruta("Källa för antalen", "Var varje förbunds och års antal deltagare kommer ifrån "
                "räknat från SUS-registreringar, taget från en SUS-rapport eller manuell sammanställning, från "
                "Uppföljning Finsam, eller saknas.", Tabell(["Förbund"] + [str(a) for a in ar], rader))


def kostnadsmappning(con, forbund) -> list[Ruta]:
    """Which årsredovisning lines went to administration, struktur and individ each year, and where a line changed
    kategori or mapping rule, or appeared. Needs marts.kostnadsmappning_ar (sql/marts/kostnadsmappning_ar.sql)."""
    if not finns(con, KOSTNADSMAPPNING):
        return [Ruta("Kostnadsmappning", "Kostnadsmappningen finns inte i det här bygget, så vilka "
                     "årsredovisningsrader som räknats som administration, strukturövergripande och individinriktade "
                     "insatser kan inte visas här ännu.")]
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
             "kr per år. – = raden finns inte det året.",
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
