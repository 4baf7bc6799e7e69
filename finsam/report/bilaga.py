"""Section: the technical appendix, last on each län page. The rest of the page speaks to a board member; this is
where an analyst finds the warehouse's names: the mart tables behind each chart, the mart column behind each
measure, and every finding with its rule code, its detail (in English, as marts.datakvalitet has it), found and
expected. SQL names, "NULL" and rule codes appear on a page only here (tests/test_rapport_svenska.py)."""
from __future__ import annotations

import duckdb

from finsam.build import declarations
from finsam.publish import warehouse
from finsam.report.charts import Diagram, Ruta, Tabell
from finsam.report.datakvalitet import fyndrader, per_grupp
from finsam.report.format import arsspann, tal
from finsam.report.measures import MATT

RUBRIK = "Teknisk bilaga"


def _diagrammen(delar: list[tuple[str, list]]) -> Ruta:
    rader = [[rubrik, d.rubrik, ", ".join(d.kallor)] for rubrik, innehall in delar for d in innehall
             if isinstance(d, Diagram)]
    return Ruta("Diagrammens tabeller i datalagret",
                "Tabellerna i schemat marts (finsam.duckdb, Parquet-filerna och arbetsboken) som varje diagram "
                "läser. Definitionen av en tabell står i sql/marts/<tabell>.sql, dess kolumner i "
                "sql/marts/<tabell>.yaml och docs/marts/.", Tabell(["Avsnitt", "Diagram", "Tabeller"], rader))


def _matten() -> Ruta:
    rader = [[m.namn, m.kolumn, " + ".join(m.taljare) if m.namnare else "", " + ".join(m.namnare)]
             for m in MATT.values()]
    return Ruta("Måttens kolumner",
                "Mått som är kolumner i marts.jamforelse_ar och andra marts läses därifrån; för ”Totalt länet” "
                "summeras täljare och nämnare över länets förbund.",
                Tabell(["Mått", "Kolumn", "Täljare", "Nämnare"], rader))


def _en_eller_forsta(grupp: list[dict], kolumn: str) -> str:
    """A group's detail: the one its rows share, or the first and how many differ (every row is in the mart)."""
    varden = list(dict.fromkeys(r[kolumn] or "" for r in grupp))
    return varden[0] if len(varden) == 1 else f"{varden[0]} (1 av {tal(len(varden))} olika)"


def _anmarkningar(con: duckdb.DuckDBPyConnection, forbund) -> list[Ruta]:
    df = fyndrader(con, forbund)
    grupper = per_grupp(df.to_dicts(), lambda r: (r["forbund"], r["insats"], r["regel"], r["allvarlighet"], r["fil"]))
    rader = [[g[0]["forbund"] or "(hela bygget)", arsspann(r["ar"] for r in g), g[0]["insats"] or "",
              g[0]["regel"], g[0]["allvarlighet"], tal(len(g)),
              *(_en_eller_forsta(g, k) for k in ("beskrivning", "hittat", "forvantat")), g[0]["fil"] or ""]
             for g in grupper]
    koder = declarations.codes(warehouse.SQL_DIR)
    anvanda = [k for k in dict.fromkeys(df["regel"].to_list()) if k in koder]
    return [
        Ruta("Anmärkningar med regelkod", "Raderna i marts.datakvalitet för länets förbund och bygget som helhet, "
             "en rad per förbund, insats, regel och fil med åren och antalet rader: regel = koden i "
             "sql/findings/koder.yaml, beskrivning, hittat och förväntat som datalagret skriver dem (där raderna "
             "skiljer sig den första och hur många olika; varje rad står i marts.datakvalitet och arbetsbokens blad "
             "datakvalitet).",
             Tabell(["Förbund", "År", "Insats", "Regel", "Allvarlighet", "Antal", "Beskrivning", "Hittat",
                     "Förväntat", "Fil"], rader)),
        Ruta("Regelkoderna", "Varje regelkod som förekommer ovan, med texten rapporten visar och vad den betyder.",
             Tabell(["Regel", "Text i rapporten", "Betydelse"],
                    [[k, koder[k].text, koder[k].beskrivning] for k in anvanda])),
    ]


def rutor(con: duckdb.DuckDBPyConnection, delar: list[tuple[str, list]], forbund) -> list[Ruta]:
    """The appendix of one län page, given the page's other sections (their charts' tables are listed)."""
    return [_diagrammen(delar), _matten(), *_anmarkningar(con, forbund)]
