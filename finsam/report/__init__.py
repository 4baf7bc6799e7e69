"""The genomlysning report: plain functions from a DuckDB connection (marts and register only) to figures, pages
and exports. No Dagster here: the asset, the notebook and the tests call the same functions.

    rapport = build_report(con, data_dir / "marts")    # writes genomlysning/, genomlysning.html and parquet/
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from finsam.report import (
    avslut,
    bilaga,
    budget,
    datakvalitet,
    definitions,
    deltagare,
    effekt,
    efter_sus,
    export,
    finansiering,
    html,
    images,
    insatser,
    kommuner,
    kostnader,
    malgrupp,
    sammanfattning,
    utskrift as utskriften,
    vem_betalar,
)
from finsam.report.charts import BROTT, RAD, Diagram, Ruta, Tabell, forsta_uppfoljningsar, plotlytext
from finsam.report.data import Lage, Lan, finns, fraga, grund, lage as las_lage, las, slug
from finsam.report.disclosure import notis, sekundara
from finsam.report.measures import MATT, visning
from finsam.report.remarks import FORSTA, anmarkningar
from finsam.report.utskrift import Skrivare

KATALOG = "genomlysning"
# From this many mart rows on (about 40 förbund), the workbook is written by a second process while the pages are
# drawn: at a million registrations (155 000 mart rows) it takes about 9 s; below, starting the process costs more
# than it saves.
EXCEL_BREDVID_FRAN = 50_000
NYCKELTAL = ("deltagare", "andel_avslutade", "utfall", "kostnad_per_deltagare", "kostnad_per_utfall",
             "admin_andel_medelstilldelning", "eget_kapital_andel", "tackningsgrad", "helarsekvivalenter_andel",
             "datakvalitet_poang")


@dataclass
class Rapport:
    """What bygg wrote."""
    filer: dict[Path, int] = field(default_factory=dict)      # every file, with its size in bytes
    diagram: dict[str, int] = field(default_factory=dict)     # län file name -> charts drawn in it
    png: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)             # one per län page, beside it
    ingen_png: str | None = None                               # why there are no PDFs and PNGs, when asked for
    sekunder: dict[str, float] = field(default_factory=dict)


# A section table up to this many rows is shown open; a longer one (the data-quality findings, the definitions)
# stays folded on screen and is opened for print by the print stylesheet.
OPPEN_HOGST = 30


def avsnitt(con: duckdb.DuckDBPyConnection, lage: Lage, lan: Lan, anm: pl.DataFrame | None = None,
            underlag: sammanfattning.Underlag | None = None) -> list[tuple[str, list]]:
    """Every section of one län's report, in order: the summary per förbund (sammanfattning.Forbundsdel), then
    charts and tables."""
    anm = anmarkningar(con) if anm is None else anm
    underlag = sammanfattning.underlag(con) if underlag is None else underlag
    g = grund(con, lage, lan.forbund)
    delar = [
        ("Nyckeltal", [Ruta(f"Nyckeltal {lage.senaste}", "Det senaste hela året för alla förbund i länet; "
                            "definitionerna står vid diagrammen nedan och i avsnittet Definitioner.",
                            _nyckeltabell(g, lage), oppen=True, bred=True)]),
        (efter_sus.RUBRIK, efter_sus.rutor(con, lage, lan.forbund)),
        (effekt.RUBRIK, effekt.rutor(con, lage, lan.forbund)),
        (deltagare.RUBRIK, deltagare.diagram(g, anm, lage)),
        (avslut.RUBRIK, avslut.diagram(con, g, anm, lage, lan.forbund)),
        (kostnader.RUBRIK, kostnader.diagram(g, anm, lage)),
        (budget.RUBRIK, budget.diagram(con, lage, lan.forbund)),
        (finansiering.RUBRIK, finansiering.diagram(con, g, anm, lage, lan.forbund)),
        (vem_betalar.RUBRIK, vem_betalar.diagram(con, lage, lan.forbund, anm)),
        (malgrupp.RUBRIK, malgrupp.diagram(con, g, anm, lage, lan.forbund)),
        (kommuner.RUBRIK, kommuner.diagram(con, anm, lage, lan.forbund)),
        (insatser.RUBRIK, insatser.diagram(con, g, anm, lage, lan.forbund)),
        (datakvalitet.RUBRIK, datakvalitet.rutor(con, g, lan.forbund, lage)),
        (definitions.RUBRIK, definitions.rutor(lage.grans)),
    ]
    _brottsnoter(delar, anm, lage, lan)
    _forsta_noter(delar, anm, lage, lan)
    for _, innehall in delar:
        for r in innehall:
            if isinstance(r, Ruta) and r.tabell is not None and len(r.tabell.rader) <= OPPEN_HOGST:
                r.oppen = True
    ritade = [d for _, innehall in delar for d in innehall if isinstance(d, Diagram)]
    delar.insert(0, (sammanfattning.RUBRIK, sammanfattning.delar(g, lage, lan, NYCKELTAL, underlag, ritade)))
    delar = [(rubrik, _tomt_avsnitt(rubrik, innehall, lage, lan)) for rubrik, innehall in delar if innehall]
    # last, the technical appendix (its tables stay folded on screen)
    return delar + [(bilaga.RUBRIK, bilaga.rutor(con, delar, lan.forbund))]


def _tomt_avsnitt(rubrik: str, innehall: list, lage: Lage, lan: Lan) -> list:
    """A section whose every item is a chart with nothing to draw becomes one sentence (not a box per chart)."""
    if not all(isinstance(d, Diagram) and d.figur is None for d in innehall):
        return innehall
    return [Ruta("", f"Inga uppgifter att visa om {rubrik[0].lower() + rubrik[1:]} för {lan.namn} "
                     f"{lage.ar_fran}–{lage.senaste}: underlaget saknas eller är för litet för att visas.")]


# Charts that show nyinskrivna, återkommande or time in insats: missing in a seam year of the registrations.
FORSTA_DIAGRAM = ("deltagare", "aterkommande", "tid_i_insats", "kommun_deltagare")


def _forsta_noter(delar: list[tuple[str, list]], anm: pl.DataFrame, lage: Lage, lan: Lan) -> None:
    """Marks, in the charts of FORSTA_DIAGRAM, each förbund's first year of registrations (or first after a year
    without any): a note naming förbund and year, and the chart's "saknas" label of that point says why."""
    forsta = anm.filter((pl.col("omrade") == FORSTA) & pl.col("forbund").is_in(list(lan.forbund)))
    if forsta.is_empty():
        return
    par = [(lage.namn[f], a) for f, a in forsta.select("forbund", "ar").iter_rows()]
    not_ = (f"Första året med registreringar ({', '.join(f'{n} {a}' for n, a in par)}): nyinskrivna, återkommande "
            "och tid i insats räknas inte det året, eftersom ingen inskrivning före 1 januari är känd.")
    # as the figure holds its texts (charts.plotlytext): the figure is made, and changed here
    saknas = {plotlytext(f"{n} {a}: uppgift saknas"): plotlytext(f"{n} {a}: första året med registreringar, "
                                                                 "räknas inte") for n, a in par}
    radbrytning = plotlytext(RAD)
    for _, innehall in delar:
        for d in innehall:
            if isinstance(d, Diagram) and d.id in FORSTA_DIAGRAM and d.figur is not None:
                d.noter.append(not_)
                for etikett in d.figur.layout.annotations:
                    forsta, _, resten = (etikett.hovertext or "").partition(radbrytning)
                    if forsta in saknas:
                        etikett.update(text="första året",
                                       hovertext=saknas[forsta] + (radbrytning + resten if resten else ""))


def _brottsnoter(delar: list[tuple[str, list]], anm: pl.DataFrame, lage: Lage, lan: Lan) -> None:
    """Adds to each chart that draws the break after SUS (finsam.report.charts.brottslinjer) a note naming, per first
    year, the förbund whose counts come from Uppföljning Finsam from then on."""
    forsta = forsta_uppfoljningsar(anm, lan.forbund)
    per_ar = {ar: [lage.namn[f] for f in lan.forbund if forsta.get(f) == ar] for ar in set(forsta.values())}
    for _, innehall in delar:
        for d in innehall:
            if not isinstance(d, Diagram) or d.figur is None:
                continue
            linjer = {int(s.name[len(BROTT):]) for s in d.figur.layout.shapes if (s.name or "").startswith(BROTT)}
            for ar in sorted(linjer & set(per_ar)):
                d.noter.append(f"Från {ar} ({', '.join(per_ar[ar])}) kommer deltagarantalen från Uppföljning Finsam: "
                               "summan över insatserna, inte unika personer (prickad linje; ihåliga punkter eller "
                               "randiga staplar där diagrammet räknar deltagare). Se avsnittet Efter SUS.")


def diagram(con: duckdb.DuckDBPyConnection, region: str) -> dict[str, Diagram]:
    """The charts of one län by id (for notebooks): e.g. diagram(con, "18")["kostnad_per"].figur.show()."""
    lage = las_lage(con)
    lan = next(x for x in lage.lan if x.region == region)
    return {d.id: d for _, delar in avsnitt(con, lage, lan) for d in delar if isinstance(d, Diagram)}


def _nyckelrader(g: pl.DataFrame, lage: Lage) -> list[tuple[str, list[tuple[str, float | None]]]]:
    return [(r["namn"], [visning(r, MATT[m], lage.grans) for m in NYCKELTAL])
            for r in g.filter(pl.col("ar") == lage.senaste).to_dicts()]


def _nyckeltabell(g: pl.DataFrame, lage: Lage) -> Tabell:
    return Tabell(["Förbund"] + [MATT[m].namn for m in NYCKELTAL],
                  [[namn] + [text for _, text in celler] for namn, celler in _nyckelrader(g, lage)])


def _index_rader(con, lage: Lage, underlag: sammanfattning.Underlag) -> list[tuple]:
    """(län, förbund, name, key-figure cells, status line) per förbund: what both copies of the index show, read
    once."""
    rader = []
    for lan in lage.lan:
        g = grund(con, lage, lan.forbund)
        for (namn, celler), f in zip(_nyckelrader(g, lage), g.filter(pl.col("ar") == lage.senaste)["forbund"]):
            rader.append((lan, f, namn, celler, sammanfattning.statusrad(g, lage, f, underlag, NYCKELTAL)))
    return rader


def _index(lage: Lage, index_rader: list[tuple], prefix: str, fot: str) -> str:
    """The index page, its links to the län pages starting with `prefix` (index.html and genomlysning.html)."""
    rader, status = [], []
    for lan, f, namn, celler, statusrad in index_rader:
        lank = f"{prefix}{lan.fil}#{sammanfattning.ankare(f)}"
        rader.append([(namn, namn, lank), (lan.namn, lan.namn, prefix + lan.fil)]
                     + [(text, v) + (None,) for v, text in celler])
        status.append((f, namn, lank, statusrad))
    tabell = html.sorterbar(["Förbund", "Län"] + [MATT[m].namn for m in NYCKELTAL], rader,
                            f"Nyckeltal per förbund {lage.senaste}")
    return html.index_sida(f"Genomlysning av samordningsförbunden {lage.senaste}",
                           f"Läget för varje förbund {lage.senaste}, det senaste hela året: först en rad per "
                           "förbund, sedan alla nyckeltal sida vid sida (klicka på en kolumnrubrik för att sortera). "
                           "Förbundets namn leder till dess sammanfattning och diagram i länets rapport. "
                           f"{notis(lage.grans)} ”saknas” = uppgift saknas.",
                           sammanfattning.status_html(status) + f"<h2>Nyckeltal {lage.senaste}</h2>" + tabell, fot)


def _skriv(mal: Path, text: str, rapport: Rapport) -> None:
    mal.parent.mkdir(parents=True, exist_ok=True)
    tmp = mal.with_name(mal.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    export.ersatt(tmp, mal)
    rapport.filer[mal] = mal.stat().st_size


def lanets_filer(filer: pl.DataFrame, lage: Lage, lan: Lan) -> pl.DataFrame:
    """The input files (rows of marts.inlasta_filer) that feed `lan`: each file whose name names this län or one of
    its förbund, and each that names no län and no förbund of the register (SCB's, shared reports). File names are
    free (docs/indata.md), so a name that names nothing is counted as shared: a län page never lists fewer files
    than feed it, at worst every file of the run."""
    regioner = {slug(x.namn): x.region for x in lage.lan} | {f"lan_{x.region}": x.region for x in lage.lan} \
        | {slug(kod): x.region for x in lage.lan for kod in x.forbund}
    if not regioner:
        return filer
    monster = re.compile(r"(?<![a-z0-9])(" + "|".join(sorted(map(re.escape, regioner), key=len, reverse=True))
                         + r")(?![a-z0-9])")

    def hor_till(fil: str) -> bool:
        namnger = {regioner[m] for m in monster.findall(slug(fil.rsplit("/", 1)[-1]))}
        return not namnger or lan.region in namnger
    return filer.filter(pl.Series([hor_till(f) for f in filer["fil"]], dtype=pl.Boolean))


def _sidor(con: duckdb.DuckDBPyConnection, lage: Lage, anm: pl.DataFrame, filer: pl.DataFrame, fot,
           out_dir: Path, rapport: Rapport, skapad: dt.datetime, skrivare: Skrivare | None) -> None:
    """The pages: one per län (its footer listing the files that feed it, lanets_filer), the index twice (every
    file). With a `skrivare`, each län page's print copy and its charts' pictures (finsam.report.utskrift) are handed
    to it as soon as the page is written."""
    start = time.perf_counter()
    underlag = sammanfattning.underlag(con)
    for lan in lage.lan:
        delar = avsnitt(con, lage, lan, anm, underlag)
        ritade = [d for _, innehall in delar for d in innehall if isinstance(d, Diagram) and d.figur is not None]
        rapport.diagram[lan.fil] = len(ritade)
        delar_ar = f"{lage.delar} är ett påbörjat år och visas inte i tidsserierna. " if lage.delar else ""
        egna = lanets_filer(filer, lage, lan)
        sida = (f"Genomlysning av samordningsförbunden i {lan.namn}",
                f"Så gick det för samordningsförbunden i {lan.namn} {lage.senaste}. Först kommer en sammanfattning "
                f"per förbund: de viktigaste talen, hur de ändrats sedan {lage.senaste - 1} och var ett förbund "
                "inte når en riktlinje eller ett eget mål. Därefter följer diagram över åren "
                f"{lage.ar_fran}–{lage.senaste}, vart och ett med sina siffror i en tabell. {delar_ar}"
                f"{notis(lage.grans)} ”saknas” betyder att uppgiften saknas (aldrig 0). En ring i ett diagram "
                "betyder att uppgiften har en anmärkning (i webbsidan visas den med muspekaren över ringen).", delar,
                fot(egna, ovriga=filer.height - egna.height), skapad)
        _skriv(out_dir / KATALOG / lan.fil, html.lan_sida(*sida), rapport)
        if skrivare is not None:
            steg = time.perf_counter()
            skrivare.skriv(utskriften.forbered(out_dir / KATALOG / lan.fil, lan.region, *sida))
            rapport.sekunder["svg"] = rapport.sekunder.get("svg", 0.0) + time.perf_counter() - steg
    index_rader = _index_rader(con, lage, underlag)
    _skriv(out_dir / KATALOG / "index.html", _index(lage, index_rader, "", fot(filer)), rapport)
    _skriv(out_dir / "genomlysning.html", _index(lage, index_rader, KATALOG + "/", fot(filer)), rapport)
    rapport.sekunder["html"] = time.perf_counter() - start


def _framsida(con: duckdb.DuckDBPyConnection, lage: Lage, skapad: dt.datetime) -> export.Framsida:
    """The workbook's Läs mig text and Nyckeltal sheet: the key figures of the latest whole year per förbund, as the
    report shows them (suppressed; '<5', dold and saknas as text)."""
    rader = []
    for lan in lage.lan:
        g = grund(con, lage, lan.forbund)
        koder = g.filter(pl.col("ar") == lage.senaste)["forbund"].to_list()
        rader += [[namn, kod, lan.namn, lage.senaste] + [text if v is None else v for v, text in celler]
                  for kod, (namn, celler) in zip(koder, _nyckelrader(g, lage), strict=True)]
    delar = (f" {lage.delar} är ett påbörjat år: dess rader har helt_ar = FALSKT, och det ingår inte i Nyckeltal."
             if lage.delar else "")
    return export.Framsida(
        rubrik=f"Genomlysning av samordningsförbunden {lage.ar_fran}–{lage.ar_till}",
        stycken=[f"Arbetsboken hör till genomlysningens rapport och har samma siffror, ur finsam-lagrets marts "
                 f"(byggt {lage.byggd:%Y-%m-%d %H:%M}, skriven {skapad:%Y-%m-%d %H:%M}). Nyckeltalen gäller "
                 f"{lage.senaste}, det senaste hela året.{delar}"],
        forbund={k: [namn, next(lan.namn for lan in lage.lan if k in lan.forbund)] for k, namn in lage.namn.items()},
        nyckeltal=[MATT[m].namn for m in NYCKELTAL], nyckelslag=[MATT[m].slag for m in NYCKELTAL],
        nyckelrader=rader)


def _mart_rader(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select coalesce(sum(estimated_size), 0) from duckdb_tables() "
                       "where schema_name = 'marts'").fetchall()[0][0]


def build_report(con: duckdb.DuckDBPyConnection, out_dir: Path, *, png: bool = True) -> Rapport:
    """Writes the report of the build `con` is connected to under out_dir (a build's `marts/` folder):
    genomlysning/<region>_<län>.html per län, genomlysning/index.html and the same index as genomlysning.html,
    genomlysning/genomlysning.xlsx, parquet/<mart>.parquet and, when png and a Chromium is there, a PDF beside
    each län page, genomlysning/png/<region>_<chart>.png and the same picture as genomlysning/svg/<region>_<chart>.svg
    (finsam.report.utskrift). Reads only schemas marts and register."""
    with las(con):
        return _build_report(con, out_dir, png)


def _build_report(con: duckdb.DuckDBPyConnection, out_dir: Path, png: bool) -> Rapport:
    rapport, start = Rapport(), time.perf_counter()
    lage, anm, skapad = las_lage(con), anmarkningar(con), dt.datetime.now()
    korning = (fraga(con, "select * from marts.korningar order by lopnummer desc limit 1").to_dicts() or [None])[0] \
        if finns(con, "korningar") else None
    filer = fraga(con, "select fil, status, sha256 from marts.inlasta_filer order by fil")
    fot = functools.partial(html.fot, lage.byggd, skapad, korning=korning)
    steg = time.perf_counter()
    parquet = export.parquet(con, out_dir / "parquet")
    rapport.filer.update({p: p.stat().st_size for p in parquet})
    excel = (parquet, export.definitioner(con), out_dir / KATALOG / "genomlysning.xlsx", lage.grans,
             _framsida(con, lage, skapad), sekundara(lage.dolda))
    rapport.sekunder["parquet"] = time.perf_counter() - steg
    # from EXCEL_BREDVID_FRAN mart rows, a second process writes the workbook while this one draws the pages; one
    # Chromium (utskrift.Skrivare, a thread of this process) prints each page's PDF and pictures as soon as the page
    # is written, while the next are built and the workbook is written
    chromium = images.finn_chromium() if png else None
    if png and chromium is None:
        rapport.ingen_png = images.INGEN_CHROMIUM
    delsteg: dict[str, float] = {}
    tryck_start = time.perf_counter()
    with (export.excel_bredvid(*excel) if _mart_rader(con) >= EXCEL_BREDVID_FRAN
          else contextlib.nullcontext(lambda: export.excel(*excel))) as arbetsbok, \
            (utskriften.Skrivare(chromium, out_dir / KATALOG / "png", delsteg) if chromium
             else contextlib.nullcontext()) as skrivare:
        _sidor(con, lage, anm, filer, fot, out_dir, rapport, skapad, skrivare)
        steg = time.perf_counter()
        xlsx = arbetsbok()
        rapport.sekunder["xlsx (after the pages)"] = time.perf_counter() - steg
        steg = time.perf_counter()
    if skrivare is not None:
        rapport.pdf, rapport.png = skrivare.pdf, skrivare.png
        rapport.filer.update({p: p.stat().st_size for p in rapport.pdf + rapport.png})
        rapport.sekunder.update({f"pdf+png: {k} (summed over pages)": v for k, v in delsteg.items()})
        rapport.sekunder["pdf+png (after the pages and the workbook)"] = time.perf_counter() - steg
        rapport.sekunder["pdf+png"] = time.perf_counter() - tryck_start
    rapport.filer[xlsx] = xlsx.stat().st_size
    rapport.sekunder["totalt"] = time.perf_counter() - start
    return rapport
