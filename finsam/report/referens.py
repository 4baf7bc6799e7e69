"""The län and riket reference in every comparison chart (a chart of jamforelse_ar ratios across förbund): for each
panel's ratio, from marts.jamforelse_referens_ar, the middle half of the förbund (25th to 75th percentile) as a
shaded band and the pooled value (Σ numerator ÷ Σ denominator) as a line, for riket (every förbund in the warehouse,
and the chart says how many) and for the län. The län's pooled value is drawn only where the chart has no
"Totalt länet" line of its own (the same Σ ÷ Σ). Its numbers are added to the chart's table.

A reference is left out of a year where it is built on a count of individuals below the disclosure threshold
(minsta_antal, the `<5` rule): the pooled value and the förbund values shown beside it would give that count away.
"""
from __future__ import annotations

import polars as pl

from finsam.report.charts import GRA, SVART, Diagram, delare
from finsam.report.disclosure import undertryckt
from finsam.report.format import visa
from finsam.report.measures import MATT, TOTALT

MART = "jamforelse_referens_ar"
RIKET_BAND, LAN_BAND = "rgba(136, 136, 136, 0.18)", "rgba(34, 34, 34, 0.07)"
REFERENS = "referens_"   # the name of every reference trace starts with it (tests and the PNG step can find them)


def riket_text(antal: int) -> str:
    return f"Riket = alla förbund i lagret ({antal} st)"


def _serier(ref: pl.DataFrame, niva: str, kod: str, matt: str, grans: int) -> list[dict]:
    """The reference's years (shown ones only): ar, samlad, p25, p75, forbund_antal."""
    rader = ref.filter((pl.col("niva") == niva) & (pl.col("kod") == kod) & (pl.col("matt") == matt)).sort("ar")
    return [r for r in rader.to_dicts() if not undertryckt(r["minsta_antal"], grans)]


def _band(rader: list[dict], skala: float, namn: str, farg: str, axlar: dict, visa_forklaring: bool) -> list[dict]:
    """The p25-p75 band as filled polygons, one per run of consecutive years (a lone year a short box)."""
    runs: list[list[dict]] = []
    for r in rader:
        if r["p25"] is None or r["p75"] is None:
            continue
        if runs and runs[-1][-1]["ar"] == r["ar"] - 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    spar = []
    for i, run in enumerate(runs):
        ar = [r["ar"] for r in run]
        x = ar + ar[::-1] if len(ar) > 1 else [ar[0] - 0.3, ar[0] + 0.3, ar[0] + 0.3, ar[0] - 0.3]
        p75 = [r["p75"] * skala for r in run]
        p25 = [r["p25"] * skala for r in run]
        y = p75 + p25[::-1] if len(ar) > 1 else [p75[0], p75[0], p25[0], p25[0]]
        spar.append(dict(type="scatter", x=x, y=y, fill="toself", fillcolor=farg, mode="lines",
                         line=dict(width=0), name=namn, legendgroup=namn, showlegend=visa_forklaring and i == 0,
                         hoverinfo="skip", meta=REFERENS + "band", **axlar))
    return spar


def _linje(rader: list[dict], skala: float, namn: str, farg: str, streck: str, axlar: dict, slag: str,
           visa_forklaring: bool) -> dict:
    return dict(type="scatter", x=[r["ar"] for r in rader],
                y=[None if r["samlad"] is None else r["samlad"] * skala for r in rader], mode="lines",
                line=dict(color=farg, dash=streck, width=2), name=namn, legendgroup=namn,
                showlegend=visa_forklaring, hoverinfo="text", meta=REFERENS + "linje", connectgaps=False,
                hovertext=[f"{namn} {r['ar']}: {visa(r['samlad'], slag)} (25–75 %: {visa(r['p25'], slag)}–"
                           f"{visa(r['p75'], slag)}, {r['forbund_antal']} förbund med värde)" for r in rader], **axlar)


def _tabellrader(d: Diagram, panel: str | None, rader: list[dict], namn: str, slag: str) -> None:
    """Two rows in the chart's table: the pooled value and the p25-p75 range per year (none in a table whose cells
    carry classes, which new rows would shift)."""
    if d.tabell.klasser is not None:
        return
    ar = [k for k in d.tabell.kolumner if k.isdigit()]
    per_ar = {str(r["ar"]): r for r in rader}
    forst = [panel] if panel is not None else []
    nya = [forst + [f"{namn}, samlat"] + [visa(per_ar[a]["samlad"], slag) if a in per_ar else "" for a in ar],
           forst + [f"{namn}, 25–75 %"] + [f"{visa(per_ar[a]['p25'], slag)}–{visa(per_ar[a]['p75'], slag)}"
                                           if a in per_ar else "" for a in ar]]
    # after the panel's own rows (a table of several measures has the measure first)
    plats = max((i + 1 for i, r in enumerate(d.tabell.rader) if panel is not None and r[0] == panel),
                default=len(d.tabell.rader))
    d.tabell.rader[plats:plats] = nya


def referens(d: Diagram, matt: tuple[str, ...], lage, forbund) -> Diagram:
    """Adds to the comparison chart `d` (panel i, from the top, shows the ratio matt[i] of jamforelse_ar, as
    charts.linjer draws it for förbund `forbund`) the riket and län reference, in its figure and its table; `d`
    unchanged where the build has no reference (lage.referens is None) or nothing to draw. Returns `d`."""
    ref = lage.referens
    if d.figur is None or ref is None or ref.is_empty():
        return d
    region = next((lan.region for lan in lage.lan if set(forbund) & set(lan.forbund)), None)
    lan = next((x for x in lage.lan if x.region == region), None)
    antal = len(lage.namn)
    fig = d.figur
    flera = len(matt) > 1 and bool(d.tabell.kolumner) and d.tabell.kolumner[0] == "Mått"
    nya: list[dict] = []
    for nr, kolumn in enumerate(matt, start=1):
        m = MATT[kolumn]
        suffix = "" if nr == 1 else str(nr)
        axlar = dict(xaxis="x" + suffix, yaxis="y" + suffix)
        # in the panel's unit: per cent for a share, the axis's tkr or mnkr for money (charts.belopp chose it)
        skala = 100.0 if m.slag == "andel" else 1 / delare(fig.layout["yaxis" + suffix].title.text or "")
        panel = m.namn if flera else None
        riket = _serier(ref, "riket", "riket", kolumn, lage.grans)
        if riket:
            nya += _band(riket, skala, "Riket, mittersta hälften (25–75 %)", RIKET_BAND, axlar, nr == 1)
            nya.append(_linje(riket, skala, f"Riket samlat · {riket_text(antal)}", GRA, "dashdot", axlar, m.slag,
                              nr == 1))
            _tabellrader(d, panel, riket, f"Riket (alla {antal} förbund i lagret)", m.slag)
        if lan is None or len(lan.forbund) < 2 or len(lan.forbund) == antal:
            continue   # a one-förbund län is the förbund itself; a län holding every förbund is riket
        lanrader = _serier(ref, "lan", region, kolumn, lage.grans)
        if not lanrader:
            continue
        nya += _band(lanrader, skala, f"{lan.namn}, mittersta hälften (25–75 %)", LAN_BAND, axlar, nr == 1)
        har_total = any(t.name == TOTALT and (t.yaxis or "y") == axlar["yaxis"] for t in fig.data)
        if not har_total:
            nya.append(_linje(lanrader, skala, f"{lan.namn} samlat", SVART, "dash", axlar, m.slag, nr == 1))
        _tabellrader(d, panel, lanrader, lan.namn, m.slag)
    if nya:
        # the bands go under the förbund's lines: drawn first
        fig.data = tuple(fig.add_traces(nya).data[-len(nya):]) + tuple(fig.data[:-len(nya)])
        d.noter.append(f"Grått band och streckprickad linje: riket, det vill säga alla {antal} förbund i lagret "
                       "(inte hela Sverige): mittersta hälften av förbunden (25–75 %) och deras samlade värde "
                       "(Σ täljare ÷ Σ nämnare)." + (f" Ljusare band: {lan.namn}s förbund." if lan and
                                                     1 < len(lan.forbund) < antal else ""))
    return d
