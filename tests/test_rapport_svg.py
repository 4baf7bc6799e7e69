"""The report's charts as static SVG (finsam.report.svg): well-formed, geometry by hand, Swedish ticks, escaping,
the legend, determinism, and the text measure the pictures' headings use."""
import base64
import copy
import gzip
import json
import re
import time
import xml.etree.ElementTree as ET

import pytest

from finsam.report import charts, svg as rita
from finsam.report.format import NBSP

NS = "{http://www.w3.org/2000/svg}"
B = 680     # the A4 text width the pictures are drawn at
H = 400


def _packad(fig) -> dict:
    """A figure as html.figurdata packs it: plotly JSON, the layout without its template."""
    f = fig.to_plotly_json()
    layout = dict(f["layout"])
    layout.pop("template", None)
    return {"data": f["data"], "layout": layout}


def _fig(data: list[dict], layout: dict | None = None, hojd: int = H) -> dict:
    return _packad(charts.figur(data, hojd, layout))


def _rot(text: str) -> ET.Element:
    return ET.fromstring(text)


def _texter(rot: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in rot.iter(NS + "text")]


def _punkter(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in p.split(",")) for p in polyline.get("points").split()]


def _plot_hojd(layout_hojd: int = H) -> tuple[float, float]:
    """(top, height) of the plot area when nothing needs more room than charts.UTSEENDE's margins."""
    m = charts.UTSEENDE["margin"]
    return m["t"], layout_hojd - m["t"] - m["b"]


def test_a_point_lands_on_its_pixel_and_the_margins_are_the_layouts():
    fig = _fig([dict(type="scatter", mode="lines", x=[0, 1, 2], y=[0, 50, 100], name="A")],
               dict(yaxis=dict(range=[0, 100])))
    text = rita.svg(fig, B)
    rot = _rot(text)
    assert rot.get("width") == "680" and rot.get("height") == "400" and rot.get("viewBox") == "0 0 680 400"
    (linje,) = rot.iter(NS + "polyline")
    m = charts.UTSEENDE["margin"]
    topp, hojd = _plot_hojd()
    bredd = B - m["l"] - m["r"]
    # x: lines only, no padding (0..2); y: the layout's range 0..100
    assert _punkter(linje) == [(m["l"], topp + hojd), (m["l"] + bredd / 2, topp + hojd / 2), (m["l"] + bredd, topp)]


def test_a_stacked_bar_reaches_the_sum_and_a_grouped_one_its_own_value():
    data = [dict(type="bar", x=["a"], y=[3], name="Tre"), dict(type="bar", x=["a"], y=[4], name="Fyra")]
    topp, hojd = _plot_hojd()
    for barmode, hogst in (("stack", 7), ("group", 4)):
        rot = _rot(rita.svg(_fig(data, dict(barmode=barmode, yaxis=dict(range=[0, 10]), showlegend=False)), B))
        staplar = [r for g in rot.iter(NS + "g") if g.get("clip-path") for r in g.iter(NS + "rect")]
        assert len(staplar) == 2
        toppar = sorted(float(r.get("y")) for r in staplar)
        assert toppar[0] == pytest.approx(topp + hojd * (1 - hogst / 10), abs=0.06)
        for r in staplar:   # every bar stands on its base: 0, or the bar under it
            assert float(r.get("y")) + float(r.get("height")) <= topp + hojd + 0.06


def test_a_missing_value_breaks_the_line_in_two():
    data = [dict(type="scatter", mode="lines+markers", x=[2017, 2018, 2019, 2020, 2021], y=[1, 2, None, 3, 4],
                 connectgaps=False)]
    rot = _rot(rita.svg(_fig(data), B))
    linjer = list(rot.iter(NS + "polyline"))
    assert [len(_punkter(p)) for p in linjer] == [2, 2]
    assert len(list(rot.iter(NS + "circle"))) == 4    # a marker for each value, none for the missing one
    # connectgaps joins them again
    data[0]["connectgaps"] = True
    assert [len(_punkter(p)) for p in _rot(rita.svg(_fig(data), B)).iter(NS + "polyline")] == [4]


def test_hatched_bars_and_their_legend_entry():
    data = [dict(type="bar", x=[2022, 2023], y=[5, 6], name="Arbete",
                 marker=dict(color="#77AADD", pattern=dict(shape=["", "/"]))),
            dict(type="bar", x=[None], y=[None], name=charts.IHALIG_TEXT, showlegend=True,
                 marker=dict(color="white", line=dict(color="#888888", width=1),
                             pattern=dict(shape="/", fgcolor="#888888")))]
    text = rita.svg(_fig(data, dict(barmode="stack")), B)
    rot = _rot(text)
    assert not list(rot.iter(NS + "pattern"))     # lines, not a pattern fill (a tile per repeat in the PDF)
    streckade = [p for p in rot.iter(NS + "path") if p.get("stroke-width") == "1.5" and p.get("fill") == "none"
                 and "L" in p.get("d", "")]
    # one hatched bar (2023) and the legend entry's swatch; the 2022 bar and Arbete's swatch are plain
    assert len(streckade) == 2
    assert {"Arbete", charts.IHALIG_TEXT} <= set(_texter(rot))


def test_a_hatch_is_lines_clipped_to_its_box_on_one_grid():
    # "/" in a 20 x 20 box at (0, 0): the lines x + y = 10, 20 and 30 cut by the box
    assert rita.skraffering("/", 0, 0, 20, 20) == "M0.0,10.0L10.0,0.0M0.0,20.0L20.0,0.0M10.0,20.0L20.0,10.0"
    # "\\" in a box at (5, 5): of x - y = -10, 0 and 10 only the diagonal crosses the box
    assert rita.skraffering("\\", 5, 5, 15, 15) == "M5.0,5.0L15.0,15.0"
    assert rita.skraffering("-", 0, 0, 30, 20) == "M0.0,5.0H30.0M0.0,15.0H30.0"
    assert rita.skraffering("?", 0, 0, 9, 9) is None
    for x0, y0, x1, y1 in ((3.3, 7.1, 41.9, 88.2), (0, 0, 5, 5)):
        linjer = re.findall(r"M([\d.-]+),([\d.-]+)L([\d.-]+),([\d.-]+)", rita.skraffering("x", x0, y0, x1, y1))
        for a, b, c, d in linjer:
            assert all(x0 - 0.05 <= float(v) <= x1 + 0.05 for v in (a, c))
            assert all(y0 - 0.05 <= float(v) <= y1 + 0.05 for v in (b, d))


def test_the_legend_lists_each_group_once_and_wraps_into_rows():
    namn = [f"Samordningsförbundet nummer {i}" for i in range(6)]
    data = [dict(type="scatter", x=[2020, 2021], y=[i, i + 1], name=n, legendgroup=n, showlegend=p == 1,
                 xaxis=f"x{'' if p == 1 else p}", yaxis=f"y{'' if p == 1 else p}")
            for p in (1, 2) for i, n in enumerate(namn)]
    data += [dict(type="scatter", x=[2020], y=[1], name="⚠ anmärkning", legendgroup="anm", showlegend=True),
             dict(type="scatter", x=[2021], y=[2], name="⚠ anmärkning", legendgroup="anm", showlegend=True)]
    fig = _fig(data, charts.rutnat(2, 1, 0.1), hojd=600)
    rot = _rot(rita.svg(fig, B))
    texter = _texter(rot)
    for n in namn:
        assert texter.count(n) == 1
    assert texter.count("⚠ anmärkning") == 1
    # the entries do not fit on one row of 680 px: several rows, each entry's text inside the picture
    rader = {round(float(t.get("y"))) for t in rot.iter(NS + "text") if "".join(t.itertext()) in namn}
    assert len(rader) >= 3
    for t in rot.iter(NS + "text"):
        if "".join(t.itertext()) in namn:
            assert float(t.get("x")) + rita.textbredd("".join(t.itertext()), 12) <= B


def test_ticks_read_1_500_and_2_5_never_1500_or_1_5k():
    rot = _rot(rita.svg(_fig([dict(type="scatter", x=[2020, 2021], y=[0, 3000])]), B))
    texter = _texter(rot)
    assert f"1{NBSP}500" in texter and f"3{NBSP}000" in texter
    assert not any(t in ("1500", "1.5k", "1,5k", "1 500") for t in texter)
    assert "2020" in texter and "2021" in texter        # years (no tickformat) are not grouped
    texter = _texter(_rot(rita.svg(_fig([dict(type="scatter", x=[2020, 2021], y=[0, 2.5])]), B)))
    assert "2,5" in texter and "2.5" not in texter and "2,50" not in texter
    assert rita._tal(-1234.5, 0.5, ",~f", ",\u00a0") == f"\u22121{NBSP}234,5"


def test_names_with_lt_and_amp_stay_characters_and_tags_become_bold():
    """A text of the report's figures is drawn as written, markup included; only the report's line break (RAD) is a
    tag. svg draws any figure as plotly does: plotly's tags and entities in a figure made otherwise."""
    namn = "Förbund <x> & Co"
    markup = "<b>Fet</b> &amp; <i>kursiv</i>"
    text = rita.svg(_fig([dict(type="scatter", x=[1, 2], y=[1, 2], name=namn, showlegend=True)],
                         dict(annotations=[dict(text=f"{markup}{charts.RAD}rad två", x=0.5, y=0.5,
                                                xref="paper", yref="paper", showarrow=False)])), B)
    rot = _rot(text)                       # well-formed
    texter = _texter(rot)
    assert namn in texter
    assert markup in texter and "rad två" in texter
    assert not any(t.get("font-weight") == "bold" for t in rot.iter(NS + "tspan"))
    taggad = {"data": [], "layout": {"height": 300, "annotations": [
        dict(text="<b>Fet</b> &amp; <i>kursiv</i><br>rad två", x=0.5, y=0.5, xref="paper", yref="paper",
             showarrow=False)]}}
    rot = _rot(rita.svg(taggad, B))
    assert "Fet & kursiv" in _texter(rot) and "rad två" in _texter(rot)
    assert any(t.get("font-weight") == "bold" and t.text == "Fet" for t in rot.iter(NS + "tspan"))
    # a raw figure (not through charts.figur) with a bare '<' and '&' and a control character
    raw = {"data": [{"type": "bar", "x": ["a<b & c\x01"], "y": [1], "name": "<script>alert(1)</script>"}],
           "layout": {"height": 300}}
    rot = _rot(rita.svg(raw, B))
    assert "a<b & c" in _texter(rot)
    assert not list(rot.iter(NS + "script"))


def test_no_script_no_external_reference_and_deterministic():
    fig = _fig([dict(type="scatter", x=[2020, 2021, 2022], y=[1, None, 3], name="A",
                     marker=dict(symbol=["circle", "square-open", "star"], size=[7, 10, 7]),
                     error_y=dict(type="data", array=[1, None, 1], arrayminus=[0.5, None, 0.5], symmetric=False))])
    a = rita.svg(fig, B)
    assert a == rita.svg(copy.deepcopy(fig), B)
    assert a.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and a.endswith("</svg>")
    assert "<script" not in a and "href" not in a and "<?xml" not in a and "http" not in a.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_error_bars_reach_from_low_to_high():
    fig = _fig([dict(type="scatter", mode="markers", x=[2020], y=[50], error_y=dict(
        type="data", array=[10], arrayminus=[20], symmetric=False, thickness=1, width=4))],
        dict(yaxis=dict(range=[0, 100])))
    rot = _rot(rita.svg(fig, B))
    topp, hojd = _plot_hojd()
    (fel,) = [p for p in rot.iter(NS + "path") if p.get("stroke-width") == "1" and "V" in p.get("d", "")
              and p.get("stroke") != "#EBF0F8"]
    y_hog, y_lag = (float(v) for v in re.match(r"M[\d.]+,([\d.]+)V([\d.]+)", fel.get("d")).groups())
    assert y_hog == pytest.approx(topp + hojd * 0.4, abs=0.06)
    assert y_lag == pytest.approx(topp + hojd * 0.7, abs=0.06)


def test_a_reference_band_is_one_closed_polygon():
    x = [2020, 2021, 2022]
    fig = _fig([dict(type="scatter", mode="lines", x=x + x[::-1], y=[1, 2, 3, 5, 6, 7], fill="toself",
                     fillcolor="rgba(136, 136, 136, 0.18)", line=dict(width=0), name="Riket")])
    rot = _rot(rita.svg(fig, B))
    (band,) = [p for p in rot.iter(NS + "path") if p.get("fill") == "rgba(136, 136, 136, 0.18)"]
    assert band.get("d").count("L") == 5 and band.get("d").endswith("Z")


def test_panels_annotations_by_domain_and_break_lines():
    layout = charts.rutnat(2, 1, 0.12, titlar=["Deltagare", "Nyinskrivna"])
    data = [dict(type="scatter", x=[2021, 2022, 2023], y=[1, 2, 3], xaxis="x", yaxis="y"),
            dict(type="scatter", x=[2021, 2022, 2023], y=[4, 5, 6], xaxis="x2", yaxis="y2")]
    charts.brottslinjer(layout, {"F": 2023}, {"F"}, 1, set())
    charts.brottslinjer(layout, {"F": 2023}, {"F"}, 2, {2023})
    fig = _packad(charts.figur(data, 700, layout, [dict(x=2022, y=0.03, xref="x2", yref="y2 domain",
                                                         text="saknas", showarrow=False, font=dict(size=10))]))
    r = rita._Ritning(fig, B)
    text = r.rita()
    rot = _rot(text)
    texter = _texter(rot)
    assert texter.count("Uppföljning Finsam från 2023") == 1 and "Deltagare" in texter and "Nyinskrivna" in texter
    y2 = r.axlar["y2"]
    (saknas,) = [t for t in rot.iter(NS + "text") if t.text == "saknas"]
    # in the lower panel, just above its x axis (bottom anchored at 3 % of the panel)
    assert y2.px1 < float(saknas.get("y")) < y2.px0
    assert y2.px0 - float(saknas.get("y")) < 0.03 * (y2.px0 - y2.px1) + 10 * 1.3 + 2
    # a dotted vertical line in each panel at 2022.5
    for xa in ("x", "x2"):
        x = r.axlar[xa].px(2022.5)
        assert any(p.get("stroke-dasharray") and p.get("d", "").startswith(f"M{x:.1f},")
                   for p in rot.iter(NS + "path"))


def test_tick_labels_do_not_overlap_in_a_narrow_panel():
    layout = charts.rutnat(1, 2, 0.02, 0.08)
    data = [dict(type="bar", x=list(range(2010, 2026)), y=[1] * 16, xaxis=x, yaxis=y)
            for x, y in (("x", "y"), ("x2", "y2"))]
    r = rita._Ritning(_fig(data, layout), B)
    r.rita()
    for namn in ("x", "x2"):
        ax = r.axlar[namn]
        mitt = [ax.px(v) for v in ax.ticks]
        bredd = [e.bredd(12) for e in ax.etiketter]
        assert len(mitt) >= 3
        for a, b, wa, wb in zip(mitt, mitt[1:], bredd, bredd[1:]):
            assert b - a >= (wa + wb) / 2


def test_a_long_panel_title_fits_its_panel():
    lang = "Samordningsförbundet i Norra Örebro län (SOFINT) med ett mycket långt namn"
    layout = charts.rutnat(1, 2, 0.02, 0.08, titlar=["Kort", lang])
    data = [dict(type="bar", x=[2020], y=[1], xaxis=x, yaxis=y) for x, y in (("x", "y"), ("x2", "y2"))]
    r = rita._Ritning(_fig(data, layout), B)
    rot = _rot(r.rita())
    panel = r.axlar["x2"].px1 - r.axlar["x2"].px0
    rader = [t for t in rot.iter(NS + "text") if t.text and t.text in lang]
    assert rader and " ".join(t.text for t in rader) == lang
    for t in rader:
        assert rita.textbredd(t.text, float(t.get("font-size"))) <= panel + 0.5


def test_a_sankey_draws_nodes_links_and_labels():
    fig = _fig([dict(type="sankey", node=dict(label=["före A", "före B", "efter C", "efter D"], pad=12),
                     link=dict(source=[0, 0, 1], target=[2, 3, 3], value=[5, 5, 10]))])
    rot = _rot(rita.svg(fig, B))
    noder = [r for r in rot.iter(NS + "rect") if r.get("stroke") == "#444444"]
    assert len(noder) == 4
    hojd = {r.get("y"): float(r.get("height")) for r in noder}
    assert sorted(hojd.values())[:1] == [pytest.approx(min(hojd.values()))]
    banor = [p for p in rot.iter(NS + "path") if "C" in p.get("d", "")]
    assert len(banor) == 3
    assert {"före A", "före B", "efter C", "efter D"} <= set(_texter(rot))
    # node heights are in proportion to their values: D (15) is three times C (5)
    x_hoger = max(float(r.get("x")) for r in noder)
    hoger = sorted(float(r.get("height")) for r in noder if float(r.get("x")) == x_hoger)
    assert hoger[1] == pytest.approx(3 * hoger[0], rel=0.01)


def test_textbredd_grows_with_the_text_and_the_size():
    assert rita.textbredd("", 12) == 0
    assert rita.textbredd("abc", 12) < rita.textbredd("abcd", 12)
    assert rita.textbredd("abc", 24) == pytest.approx(2 * rita.textbredd("abc", 12))
    assert rita.textbredd("Definition:", 12, fet=True) > rita.textbredd("Definition:", 12)
    assert rita.textbredd("W", 10) > rita.textbredd("i", 10)
    assert rita.textbredd("0", 1000) == pytest.approx(636, abs=1)     # DejaVu Sans: 1303/2048 em
    assert rita.textbredd("⚠", 12) > 0 and rita.textbredd("漢", 12) == 12     # unknown: an em


def test_radbryt_keeps_every_word_and_never_exceeds_the_width_but_for_one_long_word():
    text = ("Antal unika individer per år: deltagare (inskrivna någon gång under året), nyinskrivna och avslutade. "
            f"Förbundets unika individer; 12{NBSP}345 personer. Ordetsomärlängreänenradärlångochintegårattbryta slut")
    for bredd in (80, 150, 300, 680):
        rader = rita.radbryt(text, bredd, 12)
        assert " ".join(rader) == text
        for r in rader:
            assert rita.textbredd(r, 12) <= bredd or " " not in r
        # greedy: the next word would not have fitted on the line before
        for a, b in zip(rader, rader[1:]):
            assert rita.textbredd(a + " " + b.split(" ")[0], 12) > bredd
    assert rita.radbryt("", 100, 12) == [""]
    assert f"12{NBSP}345" in rita.radbryt(text, 60, 12)[-6:-5][0] or any(f"12{NBSP}345" in r
                                                                       for r in rita.radbryt(text, 60, 12))


@pytest.mark.slow
def test_every_chart_of_the_sample_is_a_wellformed_svg_quickly(prov):
    """Every chart of the sample's län pages, from the packed figure JSON the pages carry."""
    figurer = {}
    for sida in (prov.marts / "genomlysning").glob("*_lan.html"):
        text = sida.read_text(encoding="utf-8")
        m = re.search(r'id="figurer-gz"[^>]*>([^<]+)<', text)
        if m:
            packat = json.loads(gzip.decompress(base64.b64decode(m[1])))
            figurer |= {f"{sida.stem}/{k}": v for k, v in packat["figurer"].items()}
    assert len(figurer) >= 30
    start = time.perf_counter()
    bilder = {k: rita.svg(v, B) for k, v in figurer.items()}
    per_figur = (time.perf_counter() - start) / len(figurer)
    for k, text in bilder.items():
        rot = _rot(text)
        assert rot.tag == NS + "svg" and rot.get("width") == "680", k
        assert int(rot.get("height")) >= figurer[k]["layout"]["height"], k
        assert "<script" not in text and "href" not in text
    assert rita.svg(figurer[next(iter(figurer))], B) == bilder[next(iter(figurer))]
    assert per_figur < 0.05      # some 4 ms on the machines; generous for a loaded one


def _ruta(t: ET.Element) -> tuple[float, float, float, float]:
    """A text element's box (left, top, right, bottom) from its anchor, size and measured width."""
    storlek = float(t.get("font-size"))
    bredd = rita.textbredd("".join(t.itertext()), storlek)
    x, y = float(t.get("x")), float(t.get("y"))
    vanster = {"middle": x - bredd / 2, "end": x - bredd}.get(t.get("text-anchor"), x)
    return vanster, y - 0.95 * storlek, vanster + bredd, y + 0.25 * storlek


def test_the_break_label_moves_off_a_guideline_label_and_crowded_labels_shrink():
    layout: dict = {}
    charts.referenslinje(layout, 90, "Riktvärde 90 %", charts.RIKTLINJE)
    charts.brottslinjer(layout, {"F": 2023}, {"F"}, 1, set())
    ar = list(range(2010, 2026))
    etiketter = [dict(x=a, y=0.03, xref="x", yref="y domain", text="saknas", showarrow=False, font=dict(size=10))
                 for a in ar]
    data = [dict(type="scatter", x=ar, y=[None] * 15 + [80], name="A")]
    rot = _rot(rita.svg(_packad(charts.figur(data, 420, {**layout, "yaxis": dict(range=[0, 100])}, etiketter)),
                        400))
    (rikt,) = [t for t in rot.iter(NS + "text") if "".join(t.itertext()) == "Riktvärde 90 %"]
    brott = [t for t in rot.iter(NS + "text") if t.get("fill") == charts.GRA]   # the label, wrapped in its panel
    assert " ".join(t.text for t in brott) == "Uppföljning Finsam från 2023"
    a = _ruta(rikt)
    for b in map(_ruta, brott):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    saknas = sorted((_ruta(t) for t in rot.iter(NS + "text") if t.text == "saknas"), key=lambda r: r[0])
    assert len(saknas) == 16
    for r, s in zip(saknas, saknas[1:]):   # side by side they would overlap: smaller, alternating rows
        assert r[2] <= s[0] or r[3] <= s[1] or s[3] <= r[1]


def test_bar_texts_inside_hidden_below_9_px_and_outside_only_on_a_stacks_top():
    data = [dict(type="bar", x=["a", "b"], y=[50, 1], name="Stor", text=["Degerfors", "Karlskoga"],
                 textposition="inside"),
            dict(type="bar", x=["a", "b"], y=[30, 30], name="Topp", text=["30 st", "30 st"], textposition="outside")]
    rot = _rot(rita.svg(_fig(data, dict(barmode="stack", yaxis=dict(range=[0, 100]))), B))
    texter = {t.text: t for t in rot.iter(NS + "text") if t.text in ("Degerfors", "Karlskoga", "30 st")}
    assert "Degerfors" in texter and "Karlskoga" not in texter    # a 1-unit bar (3 px) is too low for 9 px
    assert float(texter["Degerfors"].get("font-size")) >= 9
    # "30 st" stands above its bar, the top of its stack (80 and 31)
    topp, hojd = _plot_hojd()
    trettio = sorted((float(t.get("x")), float(t.get("y"))) for t in rot.iter(NS + "text") if t.text == "30 st")
    assert [y < topp + hojd * (1 - s / 100) for (_, y), s in zip(trettio, (80, 31))] == [True, True]
    assert trettio[0][1] > topp + hojd * (1 - 80 / 100) - 20
    # the same text on the lower bar of a stack goes inside it
    data[0]["textposition"], data[1]["textposition"] = "outside", "inside"
    rot = _rot(rita.svg(_fig(data, dict(barmode="stack", yaxis=dict(range=[0, 100]))), B))
    (deg,) = [t for t in rot.iter(NS + "text") if t.text == "Degerfors"]
    assert topp + hojd * 0.5 < float(deg.get("y")) < topp + hojd


@pytest.mark.parametrize("figur", [
    {"data": [], "layout": {}},
    {"data": [{"type": "scatter", "x": [None], "y": [None], "name": "bara förklaring", "showlegend": True}],
     "layout": {"height": 200}},
    {"data": [{"type": "bar", "x": [2020, 2021], "y": [None, None]}], "layout": {"height": 300, "barmode": "stack"}},
    {"data": [{"type": "scatter", "y": [0, 0, 0]}], "layout": {"height": 300, "yaxis": {"rangemode": "tozero"}}},
    {"data": [{"type": "scatter", "x": [1, 2], "y": [float("nan"), float("inf")]}], "layout": {"height": 300}},
    {"data": [{"type": "sankey", "node": {"label": []}, "link": {"source": [], "target": [], "value": []}}],
     "layout": {"height": 300}},
    {"data": [{"type": "sankey", "node": {"label": ["a", "b"]}, "link": {"source": [0, 1], "target": [1, 0],
                                                                         "value": [1, 1]}}], "layout": {}},
    {"data": [{"type": "bar", "x": ["x"], "y": [-5]}],
     "layout": {"shapes": [{"type": "rect", "x0": 0, "x1": 1, "y0": 0, "y1": 1, "xref": "paper", "yref": "paper"}],
                "annotations": [{"text": "<sup>2</sup> &amp; <sub>x</sub>", "x": 9, "y": 9, "xref": "x7",
                                 "yref": "y7"}]}},
])
def test_odd_figures_still_give_a_wellformed_svg(figur):
    text = rita.svg(figur, B)
    rot = _rot(text)
    assert rot.get("width") == "680" and int(rot.get("height")) >= int(figur["layout"].get("height", 450))
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_the_figure_keeps_its_height_unless_the_legend_leaves_too_little_plot():
    def fig(n):
        return _fig([dict(type="scatter", x=[1, 2], y=[i, i + 1], name=f"Förbund med ett långt namn {i}")
                     for i in range(n)], hojd=300)
    assert _rot(rita.svg(fig(4), B)).get("height") == "300"
    rot = _rot(rita.svg(fig(40), B))
    hojd = int(rot.get("height"))
    assert hojd > 300
    assert all(float(t.get("y")) <= hojd for t in rot.iter(NS + "text"))
