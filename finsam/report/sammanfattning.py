"""The summary a board member reads first: per förbund, key-figure cards and a few Swedish sentences, and on the
index one status line per förbund.

A card is one key figure of the latest whole year (NYCKELTAL, measures.MATT): its value, the change since the year
before in the measure's own unit (procentenheter for a share, kr for money), the län value pooled from the
measure's terms (measures.lansvarde: Σ numerator ÷ Σ denominator, never an average of ratios), the riket value
where marts.jamforelse_referens_ar holds one, and a mark where the förbund misses a guideline or one of its own
goals. The thresholds are never written here: a guideline is missed where the warehouse wrote its finding
(marts.datakvalitet, e.g. eget_kapital_over_20, whose threshold lives in its SQL and its declaration in
sql/findings/koder.yaml), a goal where marts.maluppfyllelse_ar says ej_uppnatt.

Everything shown goes through disclosure control first (measures.visning): a change is written only when both years
are shown, since a difference between a shown and a suppressed count would give the small count away, and no
sentence names a count under the suppression threshold.

Each förbund gets an anchored section on its län page (id f-<kod>), not a page of its own: a page of its own would
inline plotly.js again (about 4.8 MB, or the lean bundle once more) for charts the län page already draws. The
section links to the förbund's line in each chart of the page; following such a link (or opening the page at
#f-<kod>, as the index does) draws that förbund in its colour and the other förbund in grey, by restyling the
figures already on the page (RESTYLE_JS), so there is no second chart code path.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import duckdb
import polars as pl

from finsam.config.kostnadsmappning import KATEGORIER, KOSTNAD
from finsam.config.mal import FORBUND, MATT as MAL_MATT
from finsam.report.charts import Diagram, plotlytext
from finsam.report.data import Lage, Lan, finns, fraga
from finsam.report.disclosure import DOLD
from finsam.report.format import SAKNAS, kr, med_tecken, procent, tal, uppraknad, visa
from finsam.report.measures import MATT, Matt, lansvarde, visning
from finsam.report.remarks import REGLER, regeltext

RUBRIK = "Sammanfattning"
# A finding that says a förbund-year misses a guideline (a policy threshold, not doubtful data) -> the key figure
# whose card it marks (None: said in the sentences only). The threshold is the finding's own (its SQL).
RIKTLINJER: dict[str, str | None] = {"eget_kapital_over_20": "eget_kapital_andel", "finansieringsmodell": None}
# Cost categories of budget and delår (kostnadsmappning's categories that are costs only): what "prognosis against
# budget" adds up.
KOSTNADER = tuple(k for k, typer in KATEGORIER.items() if typer == (KOSTNAD,))
PROCENTENHETER = "procentenheter"


def _gemen(namn: str) -> str:
    """A measure's label inside a sentence: 'Andel avslutade' -> 'andel avslutade' (an acronym stays)."""
    return namn[:1].lower() + namn[1:] if namn[1:2].islower() else namn


def _versal(text: str) -> str:
    return text[:1].upper() + text[1:]


def skillnad(d: float, slag: str) -> str:
    """A change in the measure's own unit: '+30', '+1 200 kr', '−4,8 procentenheter', '+0,3'."""
    if slag == "andel":
        return f"{med_tecken(d * 100, 1)} {PROCENTENHETER}"
    if slag == "kr":
        return kr(d, tecken=True)
    return med_tecken(d, 1 if slag == "tal" else 0)


@dataclass(frozen=True)
class Underlag:
    """What the summary reads beyond grund(), once per build; a mart a build does not have is None."""
    fynd: pl.DataFrame                 # forbund, ar, regel, allvarlighet, varde (datakvalitet, förbund-level)
    riket: pl.DataFrame | None         # ar, matt, samlad, forbund_antal (jamforelse_referens_ar, niva riket)
    mal: pl.DataFrame | None           # forbund, ar, matt, status (maluppfyllelse_ar, the förbund as a whole)
    mal_summa: pl.DataFrame | None     # forbund, ar, mal, uppnadda (maluppfyllelse_forbund_ar)
    prognos: pl.DataFrame | None       # forbund, ar, period_till, prognos, budget, kalla (costs summed)


def underlag(con: duckdb.DuckDBPyConnection) -> Underlag:
    fynd = fraga(con, """
        select forbund, ar::bigint as ar, regel, allvarlighet, any_value(varde order by (insats = '*') desc nulls last)
               as varde
        from marts.datakvalitet where forbund is not null and ar is not null group by all""")
    riket = fraga(con, """select ar::bigint as ar, matt, samlad::double as samlad, forbund_antal
                          from marts.jamforelse_referens_ar where niva = 'riket'""") \
        if finns(con, "jamforelse_referens_ar") else None
    mal = fraga(con, "select forbund, ar::bigint as ar, matt, status from marts.maluppfyllelse_ar where insats = '*'") \
        if finns(con, "maluppfyllelse_ar") else None
    mal_summa = fraga(con, "select forbund, ar::bigint as ar, mal, uppnadda from marts.maluppfyllelse_forbund_ar") \
        if finns(con, "maluppfyllelse_forbund_ar") else None
    return Underlag(fynd, riket, mal, mal_summa, _prognos(con))


def _prognos(con: duckdb.DuckDBPyConnection) -> pl.DataFrame | None:
    """Per förbund and year, the prognosis of the whole year's costs against their budget: from the latest delår
    (marts.delar_ar, prognos_helar) where there is one, else from the förbund's own prognosis against budget
    (marts.budget_utfall_ar, the förbund as a whole). A sum is missing when any cost category lacks its term."""
    delar = """
        select forbund, ar::bigint as ar, period_till, case when count(prognos_helar) = count(*)
               then sum(prognos_helar)::double end as prognos, case when count(budget_helar) = count(*)
               then sum(budget_helar)::double end as budget, 'delar' as kalla
        from marts.delar_ar d
        where list_contains(?, kategori) and period_till = (select max(period_till) from marts.delar_ar x
                                                            where x.forbund = d.forbund and x.ar = d.ar)
        group by all""" if finns(con, "delar_ar") else None
    budget = """
        select forbund, ar::bigint as ar, null::date as period_till, case when count(prognos) = count(*)
               then sum(prognos)::double end as prognos, case when count(budget) = count(*)
               then sum(budget)::double end as budget, 'budget' as kalla
        from marts.budget_utfall_ar where insats = '*' and list_contains(?, kategori)
        group by all having count(prognos) > 0""" if finns(con, "budget_utfall_ar") else None
    delar_sql = [s for s in (delar, budget) if s]
    if not delar_sql:
        return None
    ut = pl.concat([fraga(con, s, [list(KOSTNADER)]) for s in delar_sql], how="vertical_relaxed")
    # a delår wins over the förbund's prognosis line of the same year
    return ut.sort("kalla", descending=True).unique(["forbund", "ar"], keep="first", maintain_order=True)


def tomt_underlag() -> Underlag:
    """A build with no findings, references, goals or budget (tests, notebooks)."""
    fynd = pl.DataFrame(schema={"forbund": pl.String, "ar": pl.Int64, "regel": pl.String, "allvarlighet": pl.String,
                                "varde": pl.Float64})
    return Underlag(fynd, None, None, None, None)


@dataclass
class Kort:
    """One key figure of one förbund in its latest whole year, as shown (texts after disclosure control)."""
    matt: str
    namn: str
    varde: str
    forandring: str              # since the year before, in the measure's unit; 'saknas' or 'dold' when not shown
    lan: str | None              # None: the measure has no län value (a score)
    riket: str | None            # None: no riket reference in this build
    markeringar: list[str] = field(default_factory=list)   # guidelines or goals missed, in Swedish


def _forandring(nu: dict, fore: dict | None, matt: Matt, grans: int) -> tuple[float | None, str]:
    """The change since the year before, written only when both years are shown: 'dold' when either is hidden (a
    difference with a hidden count gives it away), else 'saknas'."""
    (v, text), (f, ftext) = visning(nu, matt, grans), visning(fore or {}, matt, grans)
    if v is None or f is None:
        dold = any(x is None and t != SAKNAS for x, t in ((v, text), (f, ftext)))
        return None, DOLD if dold else SAKNAS
    return v - f, skillnad(v - f, matt.slag)


def _aren(g: pl.DataFrame, forbund: str, ar: int) -> tuple[dict, dict | None]:
    """One förbund's row of `ar` (an empty row when it has none: every measure 'saknas') and of the year before."""
    rader = {r["ar"]: r for r in g.filter(pl.col("forbund") == forbund).to_dicts()}
    return rader.get(ar, {"forbund": forbund, "ar": ar}), rader.get(ar - 1)


def _har_lansvarde(matt: Matt) -> bool:
    """A län value is a pooled ratio or a sum of counts of individuals; a score (datakvalitet) has none."""
    return bool(matt.namnare or matt.antal_termer)


def _mal_kolumn(matt: str) -> str | None:
    """The mart column a goal's measure is followed up in, for the förbund as a whole (config.mal's vocabulary)."""
    return next((m.kolumn for m in MAL_MATT if m.matt == matt and FORBUND in m.nivaer), None)


def kort(g: pl.DataFrame, lage: Lage, forbund: str, nyckeltal: tuple[str, ...], u: Underlag) -> list[Kort]:
    """The cards of one förbund: one per key figure, from grund() of its län (g) in the latest whole year."""
    ar = lage.senaste
    nu, fore = _aren(g, forbund, ar)
    lanrader = g.filter(pl.col("ar") == ar).to_dicts()
    fynd = u.fynd.filter((pl.col("forbund") == forbund) & (pl.col("ar") == ar)
                         & pl.col("regel").is_in(list(RIKTLINJER)))
    missade_mal = [] if u.mal is None else u.mal.filter(
        (pl.col("forbund") == forbund) & (pl.col("ar") == ar) & (pl.col("status") == "ej_uppnatt"))["matt"].to_list()
    ut = []
    for m in nyckeltal:
        matt = MATT[m]
        _, text = visning(nu, matt, lage.grans)
        _, andring = _forandring(nu, fore, matt, lage.grans)
        # a one-förbund län's value is the förbund's own (as "Totalt länet" in the charts): not repeated
        lan = lansvarde(lanrader, matt, lage.grans)[1] if _har_lansvarde(matt) and len(lanrader) > 1 else None
        markeringar = [f"{_versal(regeltext(r))} (riktlinje)" for r in fynd["regel"] if RIKTLINJER[r] == m]
        markeringar += [f"Målet för {_gemen(matt.namn)} nåddes inte" for mal in missade_mal if _mal_kolumn(mal) == m]
        ut.append(Kort(m, matt.namn, text, andring, lan, _riket(u, ar, matt), markeringar))
    return ut


def _riket(u: Underlag, ar: int, matt: Matt) -> str | None:
    if u.riket is None:
        return None
    rad = u.riket.filter((pl.col("ar") == ar) & (pl.col("matt") == matt.kolumn))
    if rad.is_empty():
        return None
    v = rad["samlad"][0]
    return SAKNAS if v is None else visa(v * matt.faktor, matt.slag)


def meningar(g: pl.DataFrame, lage: Lage, forbund: str, nyckeltal: tuple[str, ...], u: Underlag) -> list[str]:
    """Three to five Swedish sentences on one förbund's latest whole year: its participants and their change, the
    largest change among the other key figures, the guidelines and goals it missed, and what is missing."""
    ar, namn, grans = lage.senaste, lage.namn[forbund], lage.grans
    nu, fore = _aren(g, forbund, ar)
    ut = [_deltagare(nu, fore, namn, ar, grans),
          _storst(nu, fore, ar, grans, [m for m in nyckeltal if m not in ("deltagare", "datakvalitet_poang")]),
          *_riktlinjer_och_mal(u, forbund, ar), _prognosmening(u, forbund, lage)]
    # at most five, the last always what is missing
    return [m for m in ut if m][:4] + [_luckor(nu, ar, grans, nyckeltal)]


def _deltagare(nu: dict, fore: dict | None, namn: str, ar: int, grans: int) -> str:
    matt = MATT["deltagare"]
    v, text = visning(nu, matt, grans)
    if v is None:
        if text == SAKNAS:
            return f"Uppgift om antalet deltagare i {namn} {ar} saknas."
        return f"{namn} hade för få deltagare {ar} för att antalet ska visas (färre än {grans})."
    mening = f"{namn} hade {tal(int(v))} deltagare {ar}"
    f = visning(fore, matt, grans)[0] if fore else None
    if f is None:
        return mening + "."
    d = int(v - f)
    if d == 0:
        return f"{mening}, lika många som {ar - 1}."
    return f"{mening}, {tal(abs(d))} {'fler' if d > 0 else 'färre'} än {ar - 1}."


def _storst(nu: dict, fore: dict | None, ar: int, grans: int, matt: list[str]) -> str | None:
    """The key figure that changed most since the year before, relative to its value then."""
    if fore is None:
        return None
    kandidater = []
    for m in matt:
        v, text = visning(nu, MATT[m], grans)
        f, ftext = visning(fore, MATT[m], grans)
        if v is not None and f:
            kandidater.append((abs(v - f) / abs(f), m, v, f, text, ftext))
    if not kandidater:
        return f"Inget annat nyckeltal kan jämföras med {ar - 1}."
    relativ, m, v, f, text, ftext = max(kandidater, key=lambda k: (k[0], -matt.index(k[1])))
    if v == f:
        return f"Övriga nyckeltal var oförändrade sedan {ar - 1}."
    riktning = "steg" if v > f else "sjönk"
    return (f"Störst förändring bland nyckeltalen: {_gemen(MATT[m].namn)} {riktning} från {ftext} till {text} "
            f"({skillnad(v - f, MATT[m].slag)}).")


def _riktlinjer_och_mal(u: Underlag, forbund: str, ar: int) -> list[str]:
    ut = []
    fynd = u.fynd.filter((pl.col("forbund") == forbund) & (pl.col("ar") == ar)
                         & pl.col("regel").is_in(list(RIKTLINJER)))
    for regel, varde in fynd.select("regel", "varde").unique(maintain_order=True).iter_rows():
        visat = f" ({procent(varde)})" if varde is not None and REGLER.get(regel, ("", "", None))[2] == "andel" \
            else ""
        ut.append(f"{_versal(regeltext(regel))} {ar}{visat}: riktlinjen hölls inte.")
    if u.mal_summa is not None:
        rad = u.mal_summa.filter((pl.col("forbund") == forbund) & (pl.col("ar") == ar))
        if rad.height:
            mal, uppnadda = rad["mal"][0], rad["uppnadda"][0]
            if uppnadda == mal:
                ut.append(f"Förbundet nådde {'sitt enda mål' if mal == 1 else f'alla sina {tal(mal)} mål'} {ar}.")
            elif uppnadda == 0:
                ut.append(f"Förbundet nådde {'inte sitt enda mål' if mal == 1 else f'inget av sina {tal(mal)} mål'} "
                          f"{ar}.")
            else:
                ut.append(f"Förbundet nådde {tal(uppnadda)} av sina {tal(mal)} mål {ar}.")
    return ut


def _luckor(nu: dict, ar: int, grans: int, nyckeltal: tuple[str, ...]) -> str:
    saknas = [_gemen(MATT[m].namn) for m in nyckeltal if m != "datakvalitet_poang"
              and visning(nu, MATT[m], grans)[1] == SAKNAS]
    poang = nu.get("datakvalitet_poang")
    poangtext = "" if poang is None else f" Datakvaliteten {ar}: {tal(poang)} poäng av 100."
    if not saknas:
        return f"Inga nyckeltal saknas för {ar}.{poangtext}"
    return f"Uppgift saknas {ar} för {uppraknad(saknas)}.{poangtext}"


def prognos_rad(u: Underlag, forbund: str, lage: Lage) -> dict | None:
    """The latest year's prognosis of the year's costs against budget, where the build has one."""
    if u.prognos is None:
        return None
    rader = u.prognos.filter((pl.col("forbund") == forbund) & pl.col("prognos").is_not_null()
                             & pl.col("budget").is_not_null() & (pl.col("budget") != 0)).sort("ar")
    return rader.to_dicts()[-1] if rader.height else None


def _prognosmening(u: Underlag, forbund: str, lage: Lage) -> str | None:
    p = prognos_rad(u, forbund, lage)
    if p is None:
        return None
    nar = (f"delårsrapporten till {p['period_till']:%Y-%m-%d}" if p["kalla"] == "delar" and p["period_till"]
           else "förbundets prognos")
    andel = p["prognos"] / p["budget"]
    return (f"Enligt {nar} blir kostnaderna {p['ar']} {kr(p['prognos'])} mot en budget på {kr(p['budget'])} "
            f"({procent(andel, 0)} av budgeten).")


def statusrad(g: pl.DataFrame, lage: Lage, forbund: str, u: Underlag, nyckeltal: tuple[str, ...] = ()) -> list[str]:
    """The index's status line of one förbund, in parts: deltagare and change, prognosis against budget, goals
    met, data-quality score, how many of `nyckeltal` are missing (a part the build has no data for is left out;
    deltagare says 'saknas')."""
    ar, grans = lage.senaste, lage.grans
    nu, fore = _aren(g, forbund, ar)
    _, text = visning(nu, MATT["deltagare"], grans)
    d, andring = _forandring(nu, fore, MATT["deltagare"], grans)
    delar = [f"deltagare {ar}: {text}" + (f" ({andring} mot {ar - 1})" if d is not None else "")]
    p = prognos_rad(u, forbund, lage)
    if p is not None:
        delar.append(f"prognos {p['ar']}: kostnaderna {procent(p['prognos'] / p['budget'], 0)} av budget")
    if u.mal_summa is not None:
        rad = u.mal_summa.filter((pl.col("forbund") == forbund) & (pl.col("ar") == ar))
        if rad.height:
            delar.append(f"mål {ar}: {tal(rad['uppnadda'][0])} av {tal(rad['mal'][0])} uppnådda")
    if nu.get("datakvalitet_poang") is not None:
        delar.append(f"datakvalitet {ar}: {tal(nu['datakvalitet_poang'])} av 100")
    saknas = sum(visning(nu, MATT[m], grans)[1] == SAKNAS for m in nyckeltal)
    if saknas:
        delar.append(f"{tal(saknas)} av {tal(len(nyckeltal))} nyckeltal saknas")
    return delar


# ----------------------------------------------------------------------------------------------------------- HTML

# On paper the link back to the overview leads nowhere (the PDF made it a link to the print copy's temporary folder),
# and the links that draw a förbund in colour and the others grey do nothing: both are left out of print.
CSS = """
.kort{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.5rem;margin:.6rem 0}
.kort>div{border:1px solid #ccc;border-radius:4px;padding:.35rem .55rem;break-inside:avoid}
.kort .n{font-size:.8rem;color:#444}.kort .v{font-size:1.35rem;font-weight:600}
.kort .f,.kort .r{font-size:.8rem;color:#444}.kort div.miss{border:2px solid #b00020;background:#fff5f5}
.kort .m{font-size:.8rem;color:#8b0000;font-weight:600}section.forbund{margin:1rem 0 2rem}
ul.status li{margin:.25rem 0}.tillbaka{font-size:.85rem}
@media print{.tillbaka,details.framhav{display:none}}
"""
# Draws one förbund of the page in its colour and the others grey in every figure that has a trace by its name, by
# restyling the figures already drawn: on a link with data-framhav, or when the page opens at #f-<kod>.
RESTYLE_JS = """
(()=>{const GRA='#c8c8c8';
function framhav(namn){const alla=[...document.querySelectorAll('section.forbund')].map(s=>s.dataset.framhav);
 document.querySelectorAll('.js-plotly-plot').forEach(p=>{if(!p.data)return;
  if(!p._farg)p._farg=p.data.map(t=>(t.line||{}).color);
  const idx=[],farg=[],bredd=[];p.data.forEach((t,i)=>{if(!alla.includes(t.name))return;idx.push(i);
   farg.push(namn===null||t.name===namn?p._farg[i]:GRA);bredd.push(namn!==null&&t.name===namn?3.5:2)});
  if(idx.length&&p.data.some(t=>t.name===namn||namn===null))
   Plotly.restyle(p,{'line.color':farg,'line.width':bredd},idx)})}
document.addEventListener('click',e=>{const a=e.target.closest('[data-framhav]');if(!a)return;
 const n=a.dataset.framhav;framhav(n===''?null:n)});
window.addEventListener('ritat',()=>{const s=location.hash&&document.querySelector(location.hash+'[data-framhav]');
 if(s)framhav(s.dataset.framhav)})})();
"""


def ankare(forbund: str) -> str:
    """The id of a förbund's section on its län page (and the index links to it)."""
    return f"f-{forbund}"


def statusankare(forbund: str) -> str:
    return f"s-{forbund}"


@dataclass
class Forbundsdel:
    """One förbund's section at the top of its län page: cards, sentences, links to its line in each chart and
    back to the index. Rendered by its own html() (html.lan_sida calls it)."""
    forbund: str
    namn: str
    ar: int
    kort: list[Kort]
    meningar: list[str]
    diagram: list[tuple[str, str]]      # (chart id, heading) of the charts that draw this förbund
    alla: list[tuple[str, str]] = field(default_factory=list)   # the first of the page: every förbund (kod, namn)
    # of the page, listed as links above it, and it carries the CSS and the script

    def html(self) -> str:
        kort = "".join(_kort_html(k) for k in self.kort)
        meningar = "".join(f"<li>{escape(m)}</li>" for m in self.meningar)
        namn = escape(self.namn, quote=True)
        spar = escape(plotlytext(self.namn), quote=True)   # as its traces are named (RESTYLE_JS compares them)
        lankar = " · ".join(f'<a href="#{escape(i)}" data-framhav="{spar}">{escape(r)}</a>' for i, r in self.diagram)
        diagram = (f'<details class="framhav"><summary>{escape(self.namn)} i diagrammen ({len(self.diagram)})</summary>'
                   f'<p class="not">Länken visar diagrammet med {escape(self.namn)} i färg och övriga förbund i grått. '
                   f'<a href="#{ankare(self.forbund)}" data-framhav="">Alla förbund i färg igen</a>.</p>'
                   f"<p>{lankar}</p></details>") if self.diagram else ""
        extra = (f"<style>{CSS}</style><script>{RESTYLE_JS}</script><p>Förbunden i länet: "
                 + " · ".join(f'<a href="#{ankare(f)}">{escape(n)}</a>' for f, n in self.alla) + "</p>"
                 if len(self.alla) > 1 else f"<style>{CSS}</style><script>{RESTYLE_JS}</script>" if self.alla else "")
        return (f'{extra}<section class="forbund" id="{ankare(self.forbund)}" data-framhav="{spar}">'
                f"<h3>{escape(self.namn)}</h3><ul>{meningar}</ul>"
                f'<div class="kort" role="list" aria-label="Nyckeltal {self.ar} för {namn}">{kort}</div>{diagram}'
                f'<p class="tillbaka"><a href="index.html#{statusankare(self.forbund)}">← Alla förbund '
                f"(översikten)</a></p></section>")


def _kort_html(k: Kort) -> str:
    rader = [f'<div class="n">{escape(k.namn)}</div><div class="v">{escape(k.varde)}</div>',
             f'<div class="f">Sedan förra året: {escape(k.forandring)}</div>']
    jamfor = [f"länet {k.lan}" if k.lan is not None else "", f"riket {k.riket}" if k.riket is not None else ""]
    if any(jamfor):
        rader.append(f'<div class="r">{escape(_versal(" · ".join(j for j in jamfor if j)))}</div>')
    rader += [f'<div class="m">⚠ {escape(m)}</div>' for m in k.markeringar]
    klass = ' class="miss"' if k.markeringar else ""
    return f'<div role="listitem"{klass}>{"".join(rader)}</div>'


def delar(g: pl.DataFrame, lage: Lage, lan: Lan, nyckeltal: tuple[str, ...], u: Underlag,
          diagram: list[Diagram]) -> list[Forbundsdel]:
    """The summary sections of a län page, one per förbund in registry order."""
    ut = []
    for i, f in enumerate(lan.forbund):
        namn = lage.namn[f]
        ritade = [(d.id, d.rubrik) for d in diagram if d.figur is not None
                  and any(getattr(t, "name", None) == plotlytext(namn) for t in d.figur.data)]
        ut.append(Forbundsdel(f, namn, lage.senaste, kort(g, lage, f, nyckeltal, u),
                              meningar(g, lage, f, nyckeltal, u), ritade,
                              [(k, lage.namn[k]) for k in lan.forbund] if i == 0 else []))
    return ut


def status_html(rader: list[tuple[str, str, str, list[str]]]) -> str:
    """The index's status lines: (förbund code, name, link to its section, parts of the line)."""
    li = "".join(f'<li id="{statusankare(f)}"><a href="{escape(lank)}">{escape(namn)}</a>: {escape("; ".join(d))}'
                 "</li>" for f, namn, lank, d in rader)
    return f'<h2>Läget per förbund</h2><ul class="status">{li}</ul><style>{CSS}</style>'
