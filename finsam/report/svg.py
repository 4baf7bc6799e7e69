"""One chart of the report as a static SVG document, drawn in Python from the figure JSON the page gives plotly.

The PDF and the PNG pictures need no plotly.js: the print copy of a län page carries these SVGs inline, and the
pictures are the same SVGs rasterised in the browser. The look is plotly_white's (charts.MALL): white paper, light
blue-grey grid, the report's colours, Swedish number format on the axes ("1 500", "2,5"). Only what a figure of the
report uses is drawn (charts.py, referens.py, effekt.py and the sections' bar charts): scatter (lines, markers,
gaps, error bars, "toself" bands), bar (group, stack, relative; hatching, labels inside), one sankey, panels of a
grid with their titles, shapes, annotations and a horizontal legend. Hover texts have no static meaning and are
left out.

The layout is the figure's own (height, margins, axes' domains), with two liberties where plotly's picture was
poor on paper: the legend's rows are measured and reserved below the plot (the plot shrinks, as plotly's automargin
does), and tick labels, panel titles and labels that would overlap are thinned, shrunk or wrapped. Text widths are
estimated from DejaVu Sans's advance widths (the wider of the two installed sans fonts), so what is measured to fit
does fit in either.

    text = svg(figur, 680)        # '<svg xmlns=... width="680" height="...">...</svg>'
    textbredd("Definition:", 12, fet=True); radbryt(text, 680, 12)
"""
from __future__ import annotations

import html
import math
import re

TYPSNITT = "system-ui, 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
TEXTFARG = "#2a3f5f"       # plotly_white's font colour
RUTNAT = "#EBF0F8"         # its grid and zero line colour
RADAVSTAND = 1.3           # plotly's line spacing in multi-line text
MINSTA_ETIKETT = 8         # px: labels that would overlap shrink to this at the least
PLOTLY_FARGER = ("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
                 "#FF97FF", "#FECB52")

# DejaVu Sans's advance widths, thousandths of an em, of the characters a report shows (ASCII, Latin-1, a few
# signs); any other character is taken as OKAND em wide.
_TECKEN = (' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ['
    '\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\xa0¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸'
    '¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóô'
    'õö÷øùúûüýþÿ–—‘’“”…−≤≥×÷Σ⚠○●▲▼■□◆◇€·•→')
_VANLIG = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838, 318, 401, 636, 636, 636, 636, 337, 500, 500, 1000, 471, 612, 838, 361,
    1000, 500, 500, 838, 401, 401, 500, 636, 636, 318, 500, 401, 471, 612, 969, 969, 969, 531, 684, 684, 684, 684,
    684, 684, 974, 698, 632, 632, 632, 632, 295, 295, 295, 295, 775, 748, 787, 787, 787, 787, 787, 838, 787, 732,
    732, 732, 732, 611, 605, 630, 613, 613, 613, 613, 613, 613, 982, 550, 615, 615, 615, 615, 278, 278, 278, 278,
    612, 634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592, 500, 1000, 318, 318, 518, 518,
    1000, 838, 838, 838, 838, 838, 632, 896, 873, 873, 769, 769, 945, 945, 769, 769, 636, 318, 590, 838)
_FET = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775,
    637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675,
    716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924,
    645, 652, 582, 712, 365, 712, 838, 348, 456, 696, 696, 636, 696, 365, 500, 500, 1000, 564, 646, 838, 415,
    1000, 500, 500, 838, 438, 438, 500, 736, 636, 380, 500, 438, 564, 646, 1035, 1035, 1035, 580, 774, 774, 774,
    774, 774, 774, 1085, 734, 683, 683, 683, 683, 372, 372, 372, 372, 838, 837, 850, 850, 850, 850, 850, 838, 850,
    812, 812, 812, 812, 724, 738, 719, 675, 675, 675, 675, 675, 675, 1048, 593, 678, 678, 678, 678, 343, 343, 343,
    343, 687, 712, 687, 687, 687, 687, 687, 838, 687, 712, 712, 712, 712, 652, 716, 652, 500, 1000, 380, 380, 657,
    657, 1000, 838, 838, 838, 838, 838, 683, 896, 873, 873, 769, 769, 945, 945, 769, 769, 696, 380, 639, 838)
OKAND = 1000
_VANLIGA = dict(zip(_TECKEN, _VANLIG))
_FETA = dict(zip(_TECKEN, _FET))


def textbredd(text: str, storlek: float, fet: bool = False) -> float:
    """The estimated width in px of `text` (plain, no tags) at font size `storlek` in the report's sans font (DejaVu
    Sans's widths; bold with fet)."""
    tabell = _FETA if fet else _VANLIGA
    get = tabell.get
    return sum(get(c, OKAND) for c in text) * storlek / 1000


def radbryt(text: str, bredd: float, storlek: float, fet: bool = False, dela_ord: bool = False) -> list[str]:
    """`text` broken at spaces into lines no wider than `bredd` px at `storlek` (greedy); a word wider than a line
    gets a line of its own, or with `dela_ord` is cut into lines that fit (a picture's heading and notes: a name
    without spaces ran off the picture's edge). No-break spaces (in numbers) never break."""
    mellanslag = textbredd(" ", storlek, fet)
    rader: list[str] = []
    rad, radbredd = "", 0.0
    ordlista = text.split(" ")
    if dela_ord:
        ordlista = [bit for ord_ in ordlista for bit in _delat(ord_, bredd, storlek, fet)]
    for ord_ in ordlista:
        w = textbredd(ord_, storlek, fet)
        if rad and radbredd + mellanslag + w > bredd:
            rader.append(rad)
            rad, radbredd = ord_, w
        elif rad or radbredd:
            rad, radbredd = rad + " " + ord_, radbredd + mellanslag + w
        else:
            rad, radbredd = ord_, w
    rader.append(rad)
    return rader


def _delat(ord_: str, bredd: float, storlek: float, fet: bool) -> list[str]:
    """A word cut into pieces no wider than `bredd` (each at least one character); a word that fits as it is."""
    if textbredd(ord_, storlek, fet) <= bredd:
        return [ord_]
    delar, bit, w = [], "", 0.0
    for tecken in ord_:
        tw = textbredd(tecken, storlek, fet)
        if bit and w + tw > bredd:
            delar.append(bit)
            bit, w = "", 0.0
        bit, w = bit + tecken, w + tw
    return delar + [bit]


# Text. plotly reads a few HTML tags in any text (the report writes only <br>, charts.plotlytext) and entities
# (&lt; is '<'); everything else is the characters it is. XML forbids most control characters: they are dropped.
_TAGG = re.compile(r"<(/?)(br|b|i|sup|sub)\s*/?>", re.IGNORECASE)
_KONTROLL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_ESC_BEHOVS = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')


def esc(text: str) -> str:
    """Text for an XML element or attribute (double quotes); characters XML forbids are dropped."""
    if not _ESC_BEHOVS.search(text):
        return text
    return _KONTROLL.sub("", text.translate(_ESC))


class _Text:
    """Rich text as lines of runs (text, bold, italic, shift: 1 sup, -1 sub, 0), and its width at a size."""
    __slots__ = ("rader",)

    def __init__(self, text):
        text = "" if text is None else str(text)
        rader: list[list[tuple[str, bool, bool, int]]] = [[]]
        if "<" not in text and "&" not in text:
            rader[0].append((text, False, False, 0))
            self.rader = rader
            return
        fet = kursiv = False
        skift = 0
        pos = 0
        for m in _TAGG.finditer(text):
            if m.start() > pos:
                rader[-1].append((html.unescape(text[pos:m.start()]), fet, kursiv, skift))
            pos = m.end()
            slut, tagg = m.group(1) == "/", m.group(2).lower()
            if tagg == "br":
                rader.append([])
            elif tagg == "b":
                fet = not slut
            elif tagg == "i":
                kursiv = not slut
            else:
                skift = 0 if slut else (1 if tagg == "sup" else -1)
        if pos < len(text):
            rader[-1].append((html.unescape(text[pos:]), fet, kursiv, skift))
        self.rader = rader

    @classmethod
    def rad(cls, rader: list[str]) -> _Text:
        t = cls("")
        t.rader = [[(r, False, False, 0)] for r in rader]
        return t

    def bredd(self, storlek: float) -> float:
        return max((sum(textbredd(s, storlek * (0.7 if k else 1), f) for s, f, _, k in rad) for rad in self.rader),
                   default=0.0)

    def ren(self) -> str:
        return " ".join("".join(s for s, *_ in rad) for rad in self.rader)

    def svg(self, x: float, y_mitt_forsta: float, storlek: float, farg: str, ankare: str = "start",
            extra: str = "") -> str:
        """<text> elements, one per line, the first line's middle at y_mitt_forsta."""
        ut = []
        lh = storlek * RADAVSTAND
        anchor = "" if ankare == "start" else f' text-anchor="{ankare}"'
        for i, rad in enumerate(self.rader):
            if not rad or not any(s for s, *_ in rad):
                continue
            y = y_mitt_forsta + i * lh + 0.35 * storlek
            if len(rad) == 1 and not (rad[0][1] or rad[0][2] or rad[0][3]):
                inne = esc(rad[0][0])
            else:
                delar = []
                for s, f, k, sk in rad:
                    attr = (' font-weight="bold"' if f else "") + (' font-style="italic"' if k else "")
                    if sk:
                        attr += f' font-size="{storlek * 0.7:.1f}" dy="{-0.4 * storlek * sk:.1f}"'
                    delar.append(f"<tspan{attr}>{esc(s)}</tspan>" if attr else esc(s))
                    if sk:
                        delar.append(f'<tspan dy="{0.4 * storlek * sk:.1f}"></tspan>')
                inne = "".join(delar)
            ut.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{storlek:g}" fill="{esc(farg)}"{anchor}{extra}>'
                      f"{inne}</text>")
        return "".join(ut)


def _lista(v) -> list:
    if v is None:
        return []
    if isinstance(v, list):
        return v
    if isinstance(v, str | bytes | int | float):
        return [v]
    return list(v)


def _tal_eller_none(v):
    """A number, or None for a missing one (None, NaN, a string that is not a number)."""
    t = type(v)
    if t is float:
        return v if v - v == 0 else None     # NaN and ±inf fail this
    if t is int:
        return float(v)
    if v is None or t is bool:
        return None
    if isinstance(v, int | float):
        return None if v != v or v in (math.inf, -math.inf) else float(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _per_punkt(v, i, standard):
    """The i:th of a per-point property (a list) or the property itself."""
    if isinstance(v, list | tuple):
        return v[i] if i < len(v) and v[i] is not None else standard
    return standard if v is None else v


def _streck(dash, bredd: float) -> str:
    """stroke-dasharray of plotly's dash names (Drawing.dashStyle) or a list of px."""
    if not dash or dash == "solid":
        return ""
    d = max(bredd, 3)
    monster = {"dot": (d, d), "dash": (3 * d, 3 * d), "longdash": (5 * d, 5 * d),
               "dashdot": (3 * d, d, d, d), "longdashdot": (5 * d, 2 * d, d, 2 * d)}.get(dash)
    if monster is None:
        siffror = re.findall(r"[\d.]+", str(dash))
        if not siffror:
            return ""
        return f' stroke-dasharray="{",".join(siffror)}"'
    return ' stroke-dasharray="' + ",".join(f"{x:g}" for x in monster) + '"'


def _tal(v: float, steg: float, format_: str, sep: str) -> str:
    """A tick label in plotly's way with the figure's separators: ',~f' groups thousands and drops trailing zeros
    ("1 500", "2,5"); without a format thousands are grouped from 10 000 (plotly's default)."""
    decimaler = 0
    while decimaler < 8 and abs(round(steg, decimaler) - steg) > 1e-9 * max(1.0, abs(steg)):
        decimaler += 1
    text = f"{abs(v):.{decimaler}f}"
    heltal, _, dec = text.partition(".")
    if "~" in format_ or not format_:
        dec = dec.rstrip("0")
    if ("," in format_ or (not format_ and abs(v) >= 10000)) and len(heltal) > 3:
        grupper = []
        while len(heltal) > 3:
            grupper.append(heltal[-3:])
            heltal = heltal[:-3]
        heltal = sep[1:2].join([heltal, *reversed(grupper)])
    text = heltal + (sep[:1] + dec if dec else "")
    return ("\u2212" if v < 0 and text.strip("0,. \u00a0") else "") + text


def _fint_steg(rått: float) -> float:
    """The nice step (1, 2, 2.5, 5 × 10^k) nearest above `rått`."""
    if rått <= 0 or rått != rått:
        return 1.0
    mag = 10 ** math.floor(math.log10(rått))
    for m in (1, 2, 2.5, 5, 10):
        if rått <= m * mag * 1.0000001:
            return m * mag
    return 10 * mag


# Marker symbols as plotly draws them (src/components/drawing/symbol_defs.js), radius r = size / 2.
def _symbol(namn: str, x: float, y: float, r: float) -> tuple[str, bool]:
    """(the SVG element's geometry: a path or a circle, open?) of a marker at x, y."""
    namn = str(namn or "circle")
    oppen = namn.endswith("-open") or namn.endswith("-open-dot")
    bas = namn.replace("-open-dot", "").replace("-open", "").replace("-dot", "")
    if bas == "square":
        p = [(r, r), (-r, r), (-r, -r), (r, -r)]
    elif bas == "diamond":
        d = r * 1.3
        p = [(d, 0), (0, d), (-d, 0), (0, -d)]
    elif bas in ("triangle-up", "triangle-down"):
        rt, r2 = r * 2 / math.sqrt(3), r / 2
        s = 1 if bas == "triangle-up" else -1
        p = [(-rt, s * r2), (rt, s * r2), (0, -s * r)]
    elif bas == "pentagon":
        p = [(r * 0.951, -r * 0.309), (r * 0.588, r * 0.809), (-r * 0.588, r * 0.809), (-r * 0.951, -r * 0.309),
             (0, -r)]
    elif bas == "hexagon":
        h = r * math.sqrt(3) / 2
        p = [(h, -r / 2), (h, r / 2), (0, r), (-h, r / 2), (-h, -r / 2), (0, -r)]
    elif bas == "star":
        s = r * 1.4
        p = [(s * 0.225, -s * 0.309), (s * 0.951, -s * 0.309), (s * 0.363, s * 0.118), (s * 0.588, s * 0.809),
             (0, s * 0.382), (-s * 0.588, s * 0.809), (-s * 0.363, s * 0.118), (-s * 0.951, -s * 0.309),
             (-s * 0.225, -s * 0.309), (0, -s)]
    else:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"', oppen
    return '<path d="M' + "L".join(f"{x + a:.1f},{y + b:.1f}" for a, b in p) + 'Z"', oppen


def _markor(namn, x, y, storlek, farg, linjebredd, linjefarg) -> str:
    geometri, oppen = _symbol(namn, x, y, storlek / 2)
    if oppen:
        return f'{geometri} fill="none" stroke="{farg}" stroke-width="{linjebredd or 1:g}"/>'
    kant = f' stroke="{linjefarg}" stroke-width="{linjebredd:g}"' if linjebredd else ""
    return f'{geometri} fill="{farg}"{kant}/>'


class _Axel:
    """One axis: its place on the page (px0 at lo, px1 at hi), range, ticks."""
    __slots__ = ("namn", "lay", "domain", "anchor", "kategorier", "lo", "hi", "px0", "px1", "varden", "pad",
                 "noll", "markor", "ticks", "etiketter", "vinkel", "titel", "anvand", "kat_text")

    def __init__(self, namn: str, lay: dict):
        self.namn, self.lay = namn, lay or {}
        d = self.lay.get("domain") or [0, 1]
        self.domain = (float(d[0]), float(d[1]))
        self.anchor = self.lay.get("anchor")
        self.kategorier: dict | None = None
        self.varden: list[float] = []
        self.pad = False         # 5 % of the range beyond the data (markers, lines on y)
        self.noll = False        # bars: 0 is in the range, without padding beyond it
        self.markor = 0.0        # the largest marker's size in px
        self.ticks: list[float] = []
        self.etiketter: list[_Text] = []
        self.vinkel = 0.0
        self.lo, self.hi, self.px0, self.px1 = 0.0, 1.0, 0.0, 1.0
        titel = self.lay.get("title")
        self.titel = _Text(titel.get("text") if isinstance(titel, dict) else titel) \
            if (titel.get("text") if isinstance(titel, dict) else titel) else None
        self.anvand = False
        self.kat_text: list[str] = []

    def pos(self, v):
        """v as a number on this axis (a category's index), or None."""
        if self.kategorier is not None:
            if v is None:
                return None
            k = v if isinstance(v, str) else _kategori(v)
            return self.kategorier.get(k)
        return _tal_eller_none(v)

    def px(self, v: float) -> float:
        return self.px0 + (v - self.lo) * (self.px1 - self.px0) / (self.hi - self.lo)


def _kategori(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _bar_breddenhet(positioner: list[float]) -> float:
    unika = sorted(set(positioner))
    skillnader = [b - a for a, b in zip(unika, unika[1:]) if b - a > 1e-12]
    return min(skillnader) if skillnader else 1.0


def _ljus(farg: str) -> bool:
    """Whether a colour (#rgb, #rrggbb, rgb(a)) is light: dark text on it."""
    farg = str(farg).strip()
    if farg.startswith("#") and len(farg) in (4, 7):
        h = farg[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        try:
            r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return True
    else:
        siffror = re.findall(r"[\d.]+", farg)
        if len(siffror) < 3:
            return farg.lower() in ("white", "", "none", "transparent")
        r, g, b = (float(s) for s in siffror[:3])
    return 0.299 * r + 0.587 * g + 0.114 * b > 150


def _id(*delar) -> str:
    """An element id from what it defines: equal definitions in two figures of one page share one id harmlessly,
    different ones never do (inline SVGs share the page's id namespace)."""
    return "finsam-" + "-".join(re.sub(r"[^0-9A-Za-z]", "", str(d)) or "0" for d in delar)


MONSTER_STEG = 10.0    # px between a hatch's lines


def skraffering(form: str, x0: float, y0: float, x1: float, y1: float) -> str | None:
    """The path of plotly's bar pattern `form` ("/", "\\", "x", "-", "|", "+") inside the box x0..x1, y0..y1: its
    lines, clipped to the box by hand, on one grid for the whole picture (as a pattern in user space would be).
    Lines, not an SVG <pattern>: Chromium prints a pattern fill as a tile per repeat, and the sample's 100 hatched
    bars made a PDF 4.5 MB heavier; None for a form it does not know."""
    if form not in ("/", "\\", "x", "-", "|", "+"):
        return None
    s, d = MONSTER_STEG, []
    if form in ("/", "x"):          # x + y = c: up to the right on screen
        for k in range(math.ceil((x0 + y0) / s), math.floor((x1 + y1) / s) + 1):
            c = k * s
            a, b = max(x0, c - y1), min(x1, c - y0)
            if a < b:
                d.append(f"M{a:.1f},{c - a:.1f}L{b:.1f},{c - b:.1f}")
    if form in ("\\", "x"):       # x - y = c: down to the right
        for k in range(math.ceil((x0 - y1) / s), math.floor((x1 - y0) / s) + 1):
            c = k * s
            a, b = max(x0, c + y0), min(x1, c + y1)
            if a < b:
                d.append(f"M{a:.1f},{a - c:.1f}L{b:.1f},{b - c:.1f}")
    def mitt(a: float, b: float) -> list[float]:   # the grid's mid-lines between a and b
        return [k * s + s / 2 for k in range(math.ceil((a - s / 2) / s), math.floor((b - s / 2) / s) + 1)]
    if form in ("-", "+"):
        d += [f"M{x0:.1f},{y:.1f}H{x1:.1f}" for y in mitt(y0, y1)]
    if form in ("|", "+"):
        d += [f"M{x:.1f},{y0:.1f}V{y1:.1f}" for x in mitt(x0, x1)]
    return "".join(d)


def _skrafferad(form, farg: str, x0: float, y0: float, x1: float, y1: float, opacitet: float = 1.0) -> str | None:
    """A box's hatch (skraffering) as an SVG path element, or None."""
    d = skraffering(str(form), x0, y0, x1, y1)
    if d is None:
        return None
    return (f'<path d="{d}" stroke="{esc(farg)}" stroke-width="1.5" fill="none"'
            + (f' stroke-opacity="{opacitet:g}"' if opacitet != 1 else "") + "/>") if d else ""


def _axelref(ref) -> tuple[str, bool]:
    """('x2', True) for 'x2 domain', ('x', False) for 'x', ('paper', False) for paper."""
    ref = str(ref or "paper")
    if ref.endswith(" domain"):
        return ref[:-7], True
    return ref, False


def svg(figur: dict, bredd: int) -> str:
    """figur: plotly JSON {"data": [...], "layout": {...}} as finsam.report.html.figurdata packs it per chart
    (layout without template; layout.height set). Returns '<svg xmlns=... width=bredd height=layout.height
    viewBox=...>...</svg>' (no XML declaration, no script, no external reference), deterministic for equal input."""
    return _Ritning(figur, bredd).rita()


class _Ritning:
    def __init__(self, figur: dict, bredd: int):
        lay = figur.get("layout") or {}
        self.lay = lay
        self.data = [t for t in _lista(figur.get("data"))
                     if isinstance(t, dict) and t.get("visible", True) is not False]
        self.W = float(bredd)
        self.H = float(lay.get("height") or 450)
        font = lay.get("font") or {}
        self.fs = float(font.get("size") or 12)
        self.fc = font.get("color") or TEXTFARG
        self.farger = _lista(lay.get("colorway")) or list(PLOTLY_FARGER)
        self.sep = str(lay.get("separators") or ".,")
        m = lay.get("margin") or {}
        self.m = {k: float(m.get(k, d) if m.get(k) is not None else d)
                  for k, d in (("l", 80), ("r", 80), ("t", 100), ("b", 80))}
        self.defs: dict[str, str] = {}
        self.axlar: dict[str, _Axel] = {}
        for k, v in lay.items():
            if re.fullmatch(r"[xy]axis\d*", k) and isinstance(v, dict):
                self._axel(k[0] + k[5:])
        self.staplar: dict[int, list] = {}
        self.ytterst: dict[tuple, float] = {}
        self.utan_axlar = [t for t in self.data if t.get("type") == "sankey"]
        self.kartesiska = [(i, t) for i, t in enumerate(self.data) if t.get("type", "scatter") in ("scatter", "bar")
                           and t.get("type") != "sankey"]

    def _axel(self, namn: str) -> _Axel:
        namn = namn if namn[1:] not in ("1",) else namn[0]
        if namn not in self.axlar:
            self.axlar[namn] = _Axel(namn, self.lay.get(namn[0] + "axis" + namn[1:]) or {})
        return self.axlar[namn]

    def _farg(self, i: int) -> str:
        return str(self.farger[i % len(self.farger)])

    # --- data and ranges -------------------------------------------------------------------------------------------
    def _forbered(self) -> None:
        for _, t in self.kartesiska:
            xa, ya = self._axel(str(t.get("xaxis") or "x")), self._axel(str(t.get("yaxis") or "y"))
            xa.anvand = ya.anvand = True
            xa.anchor = xa.anchor or ya.namn
            ya.anchor = ya.anchor or xa.namn
            for ax, nyckel in ((xa, "x"), (ya, "y")):
                varden = _lista(t.get(nyckel))
                if ax.kategorier is None and (ax.lay.get("type") == "category"
                                              or any(isinstance(v, str) for v in varden)):
                    ax.kategorier = {}
        for _, t in self.kartesiska:
            for nyckel in ("x", "y"):
                ax = self._axel(str(t.get(nyckel + "axis") or nyckel))
                if ax.kategorier is not None:
                    for v in _lista(t.get(nyckel)):
                        if v is not None:
                            k = v if isinstance(v, str) else _kategori(v)
                            if k not in ax.kategorier:
                                ax.kategorier[k] = float(len(ax.kategorier))
                                ax.kat_text.append(k)
        per_delplot: dict[tuple[str, str], list] = {}
        for i, t in self.kartesiska:
            xa, ya = self._axel(str(t.get("xaxis") or "x")), self._axel(str(t.get("yaxis") or "y"))
            if t.get("type") == "bar":
                per_delplot.setdefault((xa.namn, ya.namn), []).append((i, t))
                continue
            xs, ys = self._xy(t, xa, ya)
            xa.varden += [x for x in xs if x is not None]
            ya.varden += [y for y in ys if y is not None]
            mode = self._mode(t, ys)
            if "markers" in mode:
                xa.pad = ya.pad = True
                storlek = max((_tal_eller_none(s) or 0 for s in _lista((t.get("marker") or {}).get("size", 6))),
                              default=6)
                xa.markor = max(xa.markor, storlek)
                ya.markor = max(ya.markor, storlek)
            ya.pad = True
            fel = t.get("error_y") or {}
            if fel and fel.get("visible", True):
                for y, (upp, ned) in zip(ys, self._fel(fel, len(ys))):
                    if y is not None:
                        ya.varden += [y + (upp or 0), y - (ned or 0)]
        for (xn, yn), staplar in per_delplot.items():
            self._staplar(self.axlar[xn], self.axlar[yn], staplar)
        for s in _lista(self.lay.get("shapes")):
            if not isinstance(s, dict):
                continue
            for bokstav in ("x", "y"):
                ref, doman = _axelref(s.get(bokstav + "ref"))
                if ref != "paper" and not doman and ref in self.axlar:
                    ax = self.axlar[ref]
                    ax.varden += [v for v in (ax.pos(s.get(bokstav + "0")), ax.pos(s.get(bokstav + "1")))
                                  if v is not None]

    def _mode(self, t: dict, ys: list) -> str:
        return str(t.get("mode") or ("lines+markers" if len(ys) < 20 else "lines"))

    def _xy(self, t: dict, xa: _Axel, ya: _Axel) -> tuple[list, list]:
        y_in = _lista(t.get("y"))
        x_in = _lista(t.get("x")) if t.get("x") is not None else list(range(len(y_in)))
        n = min(len(x_in), len(y_in))
        return [xa.pos(v) for v in x_in[:n]], [ya.pos(v) for v in y_in[:n]]

    @staticmethod
    def _fel(fel: dict, n: int) -> list[tuple]:
        typ = fel.get("type", "data")
        if typ == "constant":
            upp = [_tal_eller_none(fel.get("value"))] * n
            ned = [_tal_eller_none(fel.get("valueminus", fel.get("value")))] * n
        elif typ == "data":
            upp = [_tal_eller_none(v) for v in _lista(fel.get("array"))]
            ned = [_tal_eller_none(v) for v in _lista(fel.get("arrayminus"))]
        else:
            return [(None, None)] * n
        symmetrisk = fel.get("symmetric")
        if symmetrisk is None:
            symmetrisk = not ned
        if symmetrisk:
            ned = upp
        upp += [None] * (n - len(upp))
        ned += [None] * (n - len(ned))
        return list(zip(upp[:n], ned[:n]))

    def _staplar(self, xa: _Axel, ya: _Axel, staplar: list) -> None:
        """Each bar's place: (point index, left, right, base, top) in axis units, per trace; the barmode's offsets."""
        punkter, alla_x = [], []
        for i, t in staplar:
            xs, ys = self._xy(t, xa, ya)
            p = [(j, x, y) for j, (x, y) in enumerate(zip(xs, ys)) if x is not None and y is not None]
            if any(x is not None for x in xs):    # plotly keeps a trace's slot in the group though it has no bar
                punkter.append((i, t, p))
                alla_x += [x for x in xs if x is not None]
        if not punkter:
            return
        enhet = _bar_breddenhet(alla_x)
        # every position of the traces that have bars is in the range, also a year whose values are all missing
        # (its "saknas" label stands there)
        xa.varden += [min(alla_x) - enhet / 2, max(alla_x) + enhet / 2]
        xa.noll = True   # on x: the bars' extent is the range, no padding for markers over them
        gap = _tal_eller_none(self.lay.get("bargap"))
        gap = 0.2 if gap is None else gap
        gruppgap = _tal_eller_none(self.lay.get("bargroupgap")) or 0.0
        mode = self.lay.get("barmode") or "group"
        n = len(punkter) if mode == "group" else 1
        bw = enhet * (1 - gap) / n
        plus: dict[float, float] = {}
        minus: dict[float, float] = {}
        for k, (i, t, p) in enumerate(punkter):
            vanster = -enhet * (1 - gap) / 2 + (k if mode == "group" else 0) * bw + bw * gruppgap / 2
            bas_t = _tal_eller_none(t.get("base"))
            rader = []
            for j, x, y in p:
                nyckel = round(x, 9)
                if mode == "stack" or (mode == "relative" and y >= 0):
                    bas = plus.get(nyckel, 0.0)
                    plus[nyckel] = bas + y
                elif mode == "relative":
                    bas = minus.get(nyckel, 0.0)
                    minus[nyckel] = bas + y
                else:
                    bas = bas_t or 0.0
                rader.append((j, x + vanster, x + vanster + bw * (1 - gruppgap), bas, bas + y))
                xa.varden += [x - enhet / 2, x + enhet / 2]
                ya.varden += [bas, bas + y]
            self.staplar[i] = rader
        ya.noll = ya.pad = True
        if mode in ("stack", "relative"):   # the outermost bar of each stack: only its text may stand outside
            for i, _, _ in punkter:
                for _, v0, _, bas, topp in self.staplar[i]:
                    nyckel = (xa.namn, round(v0, 9), topp >= bas)
                    self.ytterst[nyckel] = max(self.ytterst.get(nyckel, 0.0), abs(topp))

    def _intervall(self, ax: _Axel, langd: float) -> None:
        r = ax.lay.get("range")
        if isinstance(r, list | tuple) and len(r) == 2 and all(_tal_eller_none(v) is not None for v in r) \
                and float(r[0]) != float(r[1]):
            ax.lo, ax.hi = float(r[0]), float(r[1])
            return
        if not ax.varden:
            ax.lo, ax.hi = (-1.0, 6.0) if ax.kategorier is None else (-0.5, max(0.5, len(ax.kategorier) - 0.5))
            return
        lo, hi = min(ax.varden), max(ax.varden)
        stapel_x = ax.noll and ax.namn[0] == "x"
        noll = (ax.noll and not stapel_x) or ax.lay.get("rangemode") == "tozero"
        if noll:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        if ax.lay.get("rangemode") == "nonnegative":
            lo = max(lo, 0.0)
        if hi - lo < 1e-12:
            if noll and lo == 0:
                hi = 1.0
            else:
                lo, hi = lo - 1, hi + 1
        if ax.pad and not stapel_x:
            span = hi - lo
            extra = span * 0.05 + (ax.markor / 2 + 1 if ax.markor else 0) * span / max(langd, 50)
            if not (noll and lo == 0):
                lo -= extra
            if not (noll and hi == 0):
                hi += extra
        ax.lo, ax.hi = lo, hi

    def _ticks(self, ax: _Axel, langd: float, ar_x: bool) -> None:
        """Tick values and labels that do not overlap: a longer step (years: every second, fifth...) or, for
        categories, slanted labels, then every k-th."""
        fs = self.fs
        lo, hi = min(ax.lo, ax.hi), max(ax.lo, ax.hi)
        span = hi - lo
        vinkel = _tal_eller_none(ax.lay.get("tickangle"))
        if ax.kategorier is not None:
            ticks = [v for v in ax.kategorier.values() if lo - 1e-9 <= v <= hi + 1e-9]
            etiketter = [_Text(ax.kat_text[int(v)]) for v in ticks]
            steg_px = langd / max(span, 1e-9)
            bredast = max((e.bredd(fs) for e in etiketter), default=0)
            if vinkel is None and ar_x:
                vinkel = 0.0
                if bredast + 8 > steg_px:
                    # too wide side by side: each label wrapped to its category's width (at most three lines), else
                    # slanted as plotly does
                    brutna = [radbryt(e.ren(), steg_px - 8, fs) for e in etiketter]
                    if all(len(b) <= 3 and max(textbredd(r, fs) for r in b) + 8 <= steg_px for b in brutna):
                        etiketter = [_Text.rad(b) for b in brutna]
                        bredast = 0
                    else:
                        vinkel = -30.0 if steg_px * 0.5 >= fs * 1.15 else -90.0
            vinkel = vinkel or 0.0
            var_k = 1
            if ar_x:
                behov = bredast + 8 if vinkel == 0 else fs * 1.15 / max(math.sin(math.radians(abs(vinkel))), 0.1)
                var_k = max(1, math.ceil(behov / max(steg_px, 1e-9)))
            else:
                var_k = max(1, math.ceil(fs * 1.2 / max(steg_px, 1e-9)))
            ax.ticks = ticks[::var_k]
            ax.etiketter = etiketter[::var_k]
            ax.vinkel = vinkel
            return
        format_ = str(ax.lay.get("tickformat") or "")
        dtick = _tal_eller_none(ax.lay.get("dtick"))
        tick0 = _tal_eller_none(ax.lay.get("tick0")) or 0.0
        if dtick and dtick > 0 and span / dtick <= 400:
            steg = dtick
            tick0 = tick0 + math.ceil((lo - tick0) / steg - 1e-9) * steg   # a longer step keeps the first tick
        else:
            # plotly's count: one tick per 40 px on y, 80 px on x, 5 to 10 of them
            steg = _fint_steg(span / (max(4.0, min(9.0, langd / (80 if ar_x else 40))) + 1))
        vinkel = vinkel or 0.0
        for _ in range(20):
            forsta = math.ceil((lo - tick0) / steg - 1e-9)
            ticks = []
            k = forsta
            while tick0 + k * steg <= hi + 1e-9 * max(1.0, abs(hi)) and len(ticks) < 500:
                ticks.append(round(tick0 + k * steg, 10))
                k += 1
            texter = [_tal(v, steg, format_, self.sep) for v in ticks]
            steg_px = langd * steg / span if span else langd
            if ar_x:
                if vinkel:
                    behov = fs * 1.15 / max(math.sin(math.radians(abs(vinkel))), 0.1)
                else:
                    behov = max((textbredd(s, fs) for s in texter), default=0) + 10
            else:
                behov = fs * 1.6
            if len(ticks) <= 1 or steg_px >= behov:
                break
            steg = _nasta_steg(steg)
        ax.ticks = ticks
        ax.etiketter = [_Text.rad([s]) for s in texter]
        ax.vinkel = vinkel

    # --- the page --------------------------------------------------------------------------------------------------
    def _x_hojd(self, ax: _Axel) -> float:
        """The height of an x axis's tick labels."""
        if not ax.etiketter:
            return 0.0
        fs = self.fs
        if not ax.vinkel:
            return max(len(e.rader) for e in ax.etiketter) * fs * RADAVSTAND + 4
        bredast = max(e.bredd(fs) for e in ax.etiketter)
        a = math.radians(abs(ax.vinkel))
        return bredast * math.sin(a) + fs * math.cos(a) + 6

    def _y_bredd(self, ax: _Axel) -> float:
        return max((e.bredd(self.fs) for e in ax.etiketter), default=0.0)

    def rita(self) -> str:
        self._forbered()
        fs, W = self.fs, self.W
        ml, mr, mt, mb = self.m["l"], self.m["r"], self.m["t"], self.m["b"]
        xaxlar = [a for a in self.axlar.values() if a.anvand and a.namn[0] == "x"]
        yaxlar = [a for a in self.axlar.values() if a.anvand and a.namn[0] == "y"]
        pw0, ph0 = max(W - ml - mr, 50), max(self.H - mt - mb, 50)
        for ax in xaxlar:
            self._intervall(ax, pw0 * (ax.domain[1] - ax.domain[0]))
            self._ticks(ax, pw0 * (ax.domain[1] - ax.domain[0]), True)
        for ax in yaxlar:
            self._intervall(ax, ph0 * (ax.domain[1] - ax.domain[0]))
            self._ticks(ax, ph0 * (ax.domain[1] - ax.domain[0]), False)
        # left: the y tick labels and titles of the axes at the left edge
        vanster = ml
        for ax in yaxlar:
            x_ax = self.axlar.get(ax.anchor or "x")
            if x_ax is None or x_ax.domain[0] <= 0.001:
                behov = self._y_bredd(ax) + 8 + (fs * RADAVSTAND + 8 if ax.titel else 0) + 2
                vanster = max(vanster, behov)
        # slanted x labels reach left of their tick: the first must not leave the page
        for ax in xaxlar:
            if ax.vinkel and ax.ticks:
                a = math.radians(abs(ax.vinkel))
                forsta = vanster + pw0 * (ax.domain[0] + (ax.domain[1] - ax.domain[0])
                                          * (ax.ticks[0] - ax.lo) / (ax.hi - ax.lo))
                ut_ = ax.etiketter[0].bredd(fs) * math.cos(a) + fs * 0.5 * math.sin(a) - forsta + 4
                if ut_ > 0:
                    vanster += ut_ / max(1 - ax.domain[0] - (ax.ticks[0] - ax.lo) / (ax.hi - ax.lo)
                                         * (ax.domain[1] - ax.domain[0]), 0.3)
        # below: the bottom x axes' labels and titles, then the legend
        under = 0.0
        for ax in xaxlar:
            y_ax = self.axlar.get(ax.anchor or "y")
            if y_ax is None or y_ax.domain[0] <= 0.001:
                under = max(under, self._x_hojd(ax) + 4 + (fs * RADAVSTAND * len(ax.titel.rader) + 6
                                                           if ax.titel else 0))
        poster = self._legendposter()
        legend = self.lay.get("legend") or {}
        horisontell = legend.get("orientation") == "h"
        ly = _tal_eller_none(legend.get("y"))
        hoger = mr
        rader: list = []
        legend_h = 0.0
        if poster and horisontell:
            rader = self._legendrader(poster, W - vanster - 8)
            legend_h = sum(h for h, _ in rader)
        elif poster:
            bredast = max(40 + p[2].bredd(fs) + 10 for p in poster)
            hoger = max(mr, min(bredast + 10, W * 0.4))
            rader = self._legendrader(poster, hoger - 10, en_per_rad=True)
        ovanfor = bool(poster and horisontell and ly is not None and ly > 1)
        nedanfor = bool(poster and horisontell and not ovanfor)
        botten = max(mb, under + 4 + (legend_h + 14 if nedanfor else 0))   # 6 px below the legend
        # above: the title, the legend if above, and the annotations over the top panels (their titles)
        titel = self.lay.get("title")
        titeltext = titel.get("text") if isinstance(titel, dict) else titel
        titelstorlek = float(((titel or {}).get("font") or {}).get("size") or fs * 1.4) \
            if isinstance(titel, dict) else fs * 1.4
        titel_t = _Text(titeltext) if titeltext else None
        titel_h = len(titel_t.rader) * titelstorlek * RADAVSTAND + 6 if titel_t else 0.0
        topp_ann = 0.0
        for a in _lista(self.lay.get("annotations")):
            if isinstance(a, dict) and str(a.get("yref")) == "paper" and (_tal_eller_none(a.get("y")) or 0) >= 0.999:
                storlek = float((a.get("font") or {}).get("size") or fs)
                topp_ann = max(topp_ann, len(_Text(a.get("text")).rader) * storlek * RADAVSTAND + 4)
        toppen = max(mt, titel_h + topp_ann + 6 + (legend_h + 6 if ovanfor else 0))
        H = self.H
        ph = H - toppen - botten
        if ph < 0.6 * ph0:
            H += 0.6 * ph0 - ph
            ph = 0.6 * ph0
        self.H = H
        pw = W - vanster - hoger
        self.plot = (vanster, toppen, pw, ph)
        for ax in xaxlar + [a for a in self.axlar.values() if not a.anvand and a.namn[0] == "x"]:
            ax.px0, ax.px1 = vanster + ax.domain[0] * pw, vanster + ax.domain[1] * pw
        for ax in yaxlar + [a for a in self.axlar.values() if not a.anvand and a.namn[0] == "y"]:
            ax.px0, ax.px1 = toppen + ph - ax.domain[0] * ph, toppen + ph - ax.domain[1] * ph
        for ax in self.axlar.values():
            if not ax.anvand:
                ax.lo, ax.hi = -1.0, 6.0
        for ax in yaxlar:
            self._ticks(ax, abs(ax.px0 - ax.px1), False)
        for ax in xaxlar:
            self._ticks(ax, abs(ax.px1 - ax.px0), True)

        ut = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W:g}" height="{H:.0f}" viewBox="0 0 {W:g} {H:.0f}" '
              f'font-family="{esc(TYPSNITT)}">',
              f'<rect width="{W:g}" height="{H:.0f}" fill="{esc(str(self.lay.get("paper_bgcolor") or "white"))}"/>']
        kropp: list[str] = []
        kropp += self._rutnat(xaxlar, yaxlar)
        kropp += self._former("below")
        kropp += self._alla_staplar()
        for i, t in self.kartesiska:
            if t.get("type") != "bar" and t.get("visible", True) is True:
                kropp += self._scatter(i, t)
        for t in self.utan_axlar:
            kropp += self._sankey(t)
        kropp += self._axeltexter(xaxlar, yaxlar)
        kropp += self._former("above")
        kropp += self._annoteringar()
        if poster:
            if horisontell:
                y0 = (titel_h + 4) if ovanfor else toppen + ph + under + 8
                kropp += self._legend(rader, vanster, y0)
            else:
                kropp += self._legend(rader, W - hoger + 10, toppen)
        if titel_t:
            tx = _tal_eller_none((titel or {}).get("x")) if isinstance(titel, dict) else None
            tx = 0.05 if tx is None else tx
            ankare = "start" if tx <= 1 / 3 else ("end" if tx >= 2 / 3 else "middle")
            kropp.append(titel_t.svg(tx * W, 6 + titelstorlek * RADAVSTAND / 2, titelstorlek, self.fc, ankare))
        if self.defs:
            ut.append("<defs>" + "".join(self.defs[k] for k in sorted(self.defs)) + "</defs>")
        ut += kropp
        ut.append("</svg>")
        return "".join(ut)

    # --- axes ------------------------------------------------------------------------------------------------------
    def _rutnat(self, xaxlar: list[_Axel], yaxlar: list[_Axel]) -> list[str]:
        linjer, noll = [], []
        for ax in xaxlar:
            y_ax = self.axlar.get(ax.anchor or "y")
            if y_ax is None or ax.lay.get("showgrid") is False:
                continue
            y0, y1 = y_ax.px0, y_ax.px1
            farg = esc(str(ax.lay.get("gridcolor") or RUTNAT))
            for v in ax.ticks:
                x = ax.px(v)
                linjer.append(f'<path d="M{x:.1f},{y0:.1f}V{y1:.1f}" stroke="{farg}"/>')
            if ax.kategorier is None and ax.lo < 0 < ax.hi and ax.lay.get("zeroline", True):
                x = ax.px(0)
                noll.append(f'<path d="M{x:.1f},{y0:.1f}V{y1:.1f}" stroke="{RUTNAT}" stroke-width="2"/>')
        for ax in yaxlar:
            x_ax = self.axlar.get(ax.anchor or "x")
            if x_ax is None:
                continue
            x0, x1 = x_ax.px0, x_ax.px1
            farg = esc(str(ax.lay.get("gridcolor") or RUTNAT))
            if ax.lay.get("showgrid") is not False:
                for v in ax.ticks:
                    y = ax.px(v)
                    linjer.append(f'<path d="M{x0:.1f},{y:.1f}H{x1:.1f}" stroke="{farg}"/>')
            if ax.kategorier is None and min(ax.lo, ax.hi) <= 0 <= max(ax.lo, ax.hi) and ax.lay.get("zeroline", True):
                y = ax.px(0)
                noll.append(f'<path d="M{x0:.1f},{y:.1f}H{x1:.1f}" stroke="{RUTNAT}" stroke-width="2"/>')
        if not linjer and not noll:
            return []
        return ['<g stroke-width="1" fill="none">', *linjer, *noll, "</g>"]

    def _axeltexter(self, xaxlar: list[_Axel], yaxlar: list[_Axel]) -> list[str]:
        fs, fc = self.fs, esc(str(self.fc))
        ut = []
        for ax in xaxlar:
            y_ax = self.axlar.get(ax.anchor or "y")
            y = y_ax.px0 if y_ax is not None else self.plot[1] + self.plot[3]
            if ax.lay.get("showticklabels", True):
                for v, e in zip(ax.ticks, ax.etiketter):
                    x = ax.px(v)
                    if ax.vinkel:
                        ut.append(e.svg(x, y + 6 + fs * 0.3, fs, fc, "end",
                                        f' transform="rotate({ax.vinkel:g},{x:.1f},{y + 6:.1f})"'))
                    else:
                        ut.append(e.svg(x, y + 4 + fs * 0.65, fs, fc, "middle"))
            if ax.titel:
                ty = y + self._x_hojd(ax) + 6 + fs * 0.65
                ut.append(ax.titel.svg((ax.px0 + ax.px1) / 2, ty, fs, fc, "middle"))
        for ax in yaxlar:
            x_ax = self.axlar.get(ax.anchor or "x")
            x = x_ax.px0 if x_ax is not None else self.plot[0]
            if ax.lay.get("showticklabels", True):
                for v, e in zip(ax.ticks, ax.etiketter):
                    ut.append(e.svg(x - 6, ax.px(v), fs, fc, "end"))
            if ax.titel:
                tx = max(x - self._y_bredd(ax) - 8 - fs * 0.65 * len(ax.titel.rader), fs * 0.7)
                ty = (ax.px0 + ax.px1) / 2
                ut.append(ax.titel.svg(tx, ty, fs, fc, "middle", f' transform="rotate(-90,{tx:.1f},{ty:.1f})"'))
        return ut

    def _klipp(self, xa: _Axel, ya: _Axel) -> str:
        x0, x1 = sorted((xa.px0, xa.px1))
        y0, y1 = sorted((ya.px0, ya.px1))
        id_ = _id("k", round(x0), round(y0), round(x1 - x0), round(y1 - y0))
        self.defs.setdefault(id_, f'<clipPath id="{id_}"><rect x="{x0 - 1:.1f}" y="{y0 - 1:.1f}" '
                                  f'width="{x1 - x0 + 2:.1f}" height="{y1 - y0 + 2:.1f}"/></clipPath>')
        return f'clip-path="url(#{id_})"'

    # --- traces ----------------------------------------------------------------------------------------------------
    def _alla_staplar(self) -> list[str]:
        ut, etiketter = [], []
        for i, t in self.kartesiska:
            if t.get("type") != "bar" or i not in self.staplar or t.get("visible", True) is not True:
                continue
            xa, ya = self._axel(str(t.get("xaxis") or "x")), self._axel(str(t.get("yaxis") or "y"))
            marker = t.get("marker") or {}
            farg_, standard = marker.get("color"), self._farg(i)
            linje = marker.get("line") or {}
            lfarg, lbredd = linje.get("color"), _tal_eller_none(linje.get("width")) or 0
            monster = (marker.get("pattern") or {})
            former, fg = monster.get("shape"), monster.get("fgcolor")
            opacitet = _tal_eller_none(marker.get("opacity"))
            texter, lagen = t.get("text"), t.get("textposition") or "auto"
            g = [f'<g {self._klipp(xa, ya)}' + (f' opacity="{opacitet:g}"' if opacitet is not None else "") + ">"]
            for j, v0, v1, bas, topp in self.staplar[i]:
                x0, x1 = sorted((xa.px(v0), xa.px(v1)))
                y0, y1 = sorted((ya.px(bas), ya.px(topp)))
                f = str(_per_punkt(farg_, j, standard))
                lf = _per_punkt(lfarg, j, "#444")
                kant = f' stroke="{esc(str(lf))}" stroke-width="{lbredd:g}"' if lbredd else ""
                rekt = f'x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{max(y1 - y0, 0):.1f}"'
                g.append(f'<rect {rekt} fill="{esc(f)}"{kant}/>')
                form = _per_punkt(former, j, "")
                if form:
                    hatch = _skrafferad(form, str(fg or ("#333333" if _ljus(f) else "#ffffff")), x0, y0, x1,
                                      y0 + max(y1 - y0, 0), 0.75)
                    if hatch:
                        g.append(hatch)
                text = _per_punkt(texter, j, None)
                lage = _per_punkt(lagen, j, "auto")
                if lage == "outside" and abs(topp) < self.ytterst.get((xa.namn, round(v0, 9), topp >= bas), 0):
                    lage = "inside"     # plotly: inside a stack, an outside text goes in its bar
                if text not in (None, "") and lage != "none":
                    etiketter.append((_Text(text), x0, x1, y0, y1, f, lage, topp >= bas))
            g.append("</g>")
            ut += g
        ut += self._stapeltexter(etiketter)
        return ut

    def _stapeltexter(self, etiketter: list) -> list[str]:
        """Bar labels: inside a bar at one size (uniformtext: the largest all shown fit at, hidden below minsize),
        outside above it."""
        if not etiketter:
            return []
        fs = self.fs
        enhetlig = self.lay.get("uniformtext") or {}
        minsta = _tal_eller_none(enhetlig.get("minsize")) or 0
        dolj = enhetlig.get("mode") in ("hide", "show")
        passar = []
        for text, x0, x1, y0, y1, _, lage, _ in etiketter:
            if lage in ("inside", "auto"):
                b = text.bredd(fs)
                hojd = len(text.rader) * RADAVSTAND
                passar.append(min(fs, fs * (x1 - x0 - 4) / b if b else fs, (y1 - y0 - 2) / hojd))
            else:
                passar.append(fs)
        synliga = [p for p in passar if p >= max(minsta, 4)]
        storlek = min(synliga, default=fs) if dolj else None
        ut = []
        for (text, x0, x1, y0, y1, farg, lage, upp), p in zip(etiketter, passar):
            if lage in ("inside", "auto"):
                if p < max(minsta, 4):
                    continue
                s = storlek or p
                tf = "#444444" if _ljus(farg) else "#ffffff"
                mitt = (y0 + y1) / 2 - (len(text.rader) - 1) * s * RADAVSTAND / 2
                ut.append(text.svg((x0 + x1) / 2, mitt, s, tf, "middle"))
            elif lage == "outside":
                y = y0 - 3 - fs * 0.65 if upp else y1 + 3 + fs * 0.65
                ut.append(text.svg((x0 + x1) / 2, y, fs, esc(str(self.fc)), "middle"))
        return ut

    def _scatter(self, i: int, t: dict) -> list[str]:
        xa, ya = self._axel(str(t.get("xaxis") or "x")), self._axel(str(t.get("yaxis") or "y"))
        xs, ys = self._xy(t, xa, ya)
        mode = self._mode(t, ys)
        linje = t.get("line") or {}
        marker = t.get("marker") or {}
        mfarg = marker.get("color")
        farg = str(linje.get("color") or (mfarg if isinstance(mfarg, str) else None) or self._farg(i))
        punkter = [(xa.px(x), ya.px(y)) if x is not None and y is not None else None for x, y in zip(xs, ys)]
        ut = []
        klippt = []
        fyll = t.get("fill")
        lbredd = _tal_eller_none(linje.get("width"))
        lbredd = 2.0 if lbredd is None else lbredd
        streck = _streck(linje.get("dash"), lbredd)
        if fyll in ("toself", "tonext", "tozeroy", "tonexty", "tozerox", "tonextx"):
            fyllfarg = esc(str(t.get("fillcolor") or farg))
            opac = "" if t.get("fillcolor") else ' fill-opacity="0.5"'
            giltiga = [p for p in punkter if p is not None]
            if fyll == "tozeroy" and giltiga:
                y0 = ya.px(0) if min(ya.lo, ya.hi) <= 0 <= max(ya.lo, ya.hi) else ya.px0
                giltiga = [(giltiga[0][0], y0), *giltiga, (giltiga[-1][0], y0)]
            if len(giltiga) >= 3:
                kant = f' stroke="{esc(farg)}" stroke-width="{lbredd:g}"{streck}' \
                    if "lines" in mode and lbredd > 0 else ""
                klippt.append('<path d="M' + "L".join(f"{x:.1f},{y:.1f}" for x, y in giltiga)
                              + f'Z" fill="{fyllfarg}"{opac}{kant}/>')
        elif "lines" in mode and lbredd > 0:
            delar: list[list] = [[]]
            for p in punkter:
                if p is None:
                    if not t.get("connectgaps"):
                        delar.append([])
                    continue
                delar[-1].append(p)
            for d in delar:
                if len(d) >= 2:
                    klippt.append('<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in d)
                                  + f'" fill="none" stroke="{esc(farg)}" stroke-width="{lbredd:g}"{streck} '
                                    'stroke-linejoin="round"/>')
        if klippt:
            ut += [f"<g {self._klipp(xa, ya)}>", *klippt, "</g>"]
        fel = t.get("error_y") or {}
        if fel and fel.get("visible", True):
            ffarg = esc(str(fel.get("color") or farg))
            tjock = _tal_eller_none(fel.get("thickness"))
            tjock = 2.0 if tjock is None else tjock
            bredd = _tal_eller_none(fel.get("width"))
            bredd = 4.0 if bredd is None else bredd
            d = []
            for p, y, (upp, ned) in zip(punkter, ys, self._fel(fel, len(ys))):
                if p is None or (upp is None and ned is None):
                    continue
                x = p[0]
                ya_ = ya.px(y + (upp or 0))
                yn = ya.px(y - (ned or 0))
                d.append(f"M{x:.1f},{ya_:.1f}V{yn:.1f}")
                if bredd:
                    d.append(f"M{x - bredd:.1f},{ya_:.1f}h{2 * bredd:g}M{x - bredd:.1f},{yn:.1f}h{2 * bredd:g}")
            if d:
                ut.append(f'<path d="{"".join(d)}" stroke="{ffarg}" stroke-width="{tjock:g}" fill="none"/>')
        if "markers" in mode:
            symboler, storlekar = marker.get("symbol"), marker.get("size")
            ml = marker.get("line") or {}
            mlb, mlf = _tal_eller_none(ml.get("width")) or 0, ml.get("color")
            opac = _tal_eller_none(marker.get("opacity"))
            m = []
            for j, p in enumerate(punkter):
                if p is None:
                    continue
                s = _tal_eller_none(_per_punkt(storlekar, j, 6))
                s = 6.0 if s is None else s
                f = esc(str(_per_punkt(mfarg, j, farg)))
                m.append(_markor(_per_punkt(symboler, j, "circle"), p[0], p[1], s, f, mlb,
                                 esc(str(_per_punkt(mlf, j, "#444")))))
            if m:
                ut += ([f'<g opacity="{opac:g}">'] if opac is not None else []) + m + (["</g>"] if opac is not None
                                                                                      else [])
        return ut

    def _sankey(self, t: dict) -> list[str]:
        nod, lank = t.get("node") or {}, t.get("link") or {}
        etiketter = [str(x) for x in _lista(nod.get("label"))]
        kallor = [int(v) for v in _lista(lank.get("source")) if _tal_eller_none(v) is not None]
        mal = [int(v) for v in _lista(lank.get("target")) if _tal_eller_none(v) is not None]
        varden = [_tal_eller_none(v) or 0.0 for v in _lista(lank.get("value"))]
        lankar = [(s, m, v) for s, m, v in zip(kallor, mal, varden) if s >= 0 and m >= 0 and v > 0]
        n = max([len(etiketter)] + [max(s, m) + 1 for s, m, _ in lankar])
        if not n:
            return []
        in_, ut_ = [0.0] * n, [0.0] * n
        for s, m, v in lankar:
            ut_[s] += v
            in_[m] += v
        djup = [0] * n
        for _ in range(n):
            andrat = False
            for s, m, _v in lankar:
                if djup[m] < djup[s] + 1 and djup[s] + 1 < n:
                    djup[m] = djup[s] + 1
                    andrat = True
            if not andrat:
                break
        storst = max(djup)
        djup = [storst if ut_[k] == 0 and in_[k] > 0 else djup[k] for k in range(n)]
        kolumner: dict[int, list[int]] = {}
        for k in range(n):
            kolumner.setdefault(djup[k], []).append(k)
        vanster, toppen, pw, ph = self.plot
        dom = t.get("domain") or {}
        dx, dy = dom.get("x") or [0, 1], dom.get("y") or [0, 1]
        x0, x1 = vanster + dx[0] * pw, vanster + dx[1] * pw
        y0, y1 = toppen + (1 - dy[1]) * ph, toppen + (1 - dy[0]) * ph
        pad = _tal_eller_none(nod.get("pad"))
        pad = 20.0 if pad is None else pad
        tjocklek = _tal_eller_none(nod.get("thickness")) or 20.0
        varde = [max(in_[k], ut_[k]) for k in range(n)]
        ky = min(((y1 - y0) - pad * (len(ks) - 1)) / max(sum(varde[k] for k in ks), 1e-9)
                 for ks in kolumner.values())
        ky = max(ky, 0.0)
        steg = (x1 - x0 - tjocklek) / max(storst, 1)
        nx, ny, nh = [0.0] * n, [0.0] * n, [0.0] * n
        for d, ks in kolumner.items():
            total = sum(max(varde[k] * ky, 1) for k in ks) + pad * (len(ks) - 1)
            y = y0 + (y1 - y0 - total) / 2
            for k in ks:
                nx[k], ny[k], nh[k] = x0 + d * steg, y, max(varde[k] * ky, 1)
                y += nh[k] + pad
        ut_off, in_off = list(ny), list(ny)
        ordning = sorted(range(len(lankar)), key=lambda i: (ny[lankar[i][0]], ny[lankar[i][1]]))
        lfarger = _lista(lank.get("color"))
        banor = []
        for i in ordning:
            s, m, v = lankar[i]
            h = v * ky
            xa_, xb = nx[s] + tjocklek, nx[m]
            ya0, yb0 = ut_off[s], in_off[m]
            ut_off[s] += h
            in_off[m] += h
            xm = (xa_ + xb) / 2
            f = esc(str(_per_punkt(lfarger, i, "rgba(0,0,0,0.2)")))
            banor.append(f'<path d="M{xa_:.1f},{ya0:.1f}C{xm:.1f},{ya0:.1f} {xm:.1f},{yb0:.1f} {xb:.1f},{yb0:.1f}'
                         f'V{yb0 + h:.1f}C{xm:.1f},{yb0 + h:.1f} {xm:.1f},{ya0 + h:.1f} {xa_:.1f},{ya0 + h:.1f}Z" '
                         f'fill="{f}"/>')
        nfarger = nod.get("color")
        storlek = self.fs - 1
        # a label beside its node, on the side towards the next column, wrapped to half the way there: the labels
        # of two columns facing each other share the gap
        tbredd = max((steg - tjocklek) / 2 - 10, 60)
        noder, texter = [], []
        for k in range(n):
            f = esc(str(_per_punkt(nfarger, k, self._farg(k))))
            noder.append(f'<rect x="{nx[k]:.1f}" y="{ny[k]:.1f}" width="{tjocklek:g}" height="{nh[k]:.1f}" '
                         f'fill="{f}" stroke="#444444" stroke-width="0.5"/>')
            if k < len(etiketter) and etiketter[k]:
                text = _Text(etiketter[k])
                rader = [r for rad in text.rader for r in radbryt("".join(s for s, *_ in rad), tbredd, storlek)]
                text = _Text.rad(rader)
                mitt = ny[k] + nh[k] / 2 - (len(rader) - 1) * storlek * RADAVSTAND / 2
                if djup[k] < storst or storst == 0:
                    texter.append(text.svg(nx[k] + tjocklek + 6, mitt, storlek, esc(str(self.fc))))
                else:
                    texter.append(text.svg(nx[k] - 6, mitt, storlek, esc(str(self.fc)), "end"))
        return [*banor, *noder, *texter]

    # --- shapes and annotations ------------------------------------------------------------------------------------
    def _koord(self, bokstav: str, ref, v) -> float | None:
        namn, doman = _axelref(ref)
        if namn == "paper" or namn not in self.axlar:
            vanster, toppen, pw, ph = self.plot
            f = _tal_eller_none(v)
            if f is None:
                return None
            return vanster + f * pw if bokstav == "x" else toppen + ph - f * ph
        ax = self.axlar[namn]
        if doman:
            f = _tal_eller_none(v)
            return None if f is None else ax.px0 + f * (ax.px1 - ax.px0)
        p = ax.pos(v)
        return None if p is None else ax.px(p)

    def _former(self, lager: str) -> list[str]:
        ut = []
        for s in _lista(self.lay.get("shapes")):
            if not isinstance(s, dict) or (s.get("layer") or "above") != lager or s.get("visible", True) is False:
                continue
            typ = s.get("type") or "rect"
            xr, yr = s.get("xref") or "x", s.get("yref") or "y"
            x0, x1 = self._koord("x", xr, s.get("x0")), self._koord("x", xr, s.get("x1"))
            y0, y1 = self._koord("y", yr, s.get("y0")), self._koord("y", yr, s.get("y1"))
            if None in (x0, x1, y0, y1):
                continue
            linje = s.get("line") or {}
            lb = _tal_eller_none(linje.get("width"))
            lb = 2.0 if lb is None else lb
            lf = esc(str(linje.get("color") or TEXTFARG))
            kant = f' stroke="{lf}" stroke-width="{lb:g}"{_streck(linje.get("dash"), lb)}' if lb > 0 else ""
            opac = _tal_eller_none(s.get("opacity"))
            o = f' opacity="{opac:g}"' if opac is not None else ""
            if typ == "line":
                ut.append(f'<path d="M{x0:.1f},{y0:.1f}L{x1:.1f},{y1:.1f}" fill="none"{kant}{o}/>')
            elif typ in ("rect", "circle"):
                fyll = esc(str(s.get("fillcolor") or "none"))
                xa, xb = sorted((x0, x1))
                ya, yb = sorted((y0, y1))
                if typ == "rect":
                    ut.append(f'<rect x="{xa:.1f}" y="{ya:.1f}" width="{xb - xa:.1f}" height="{yb - ya:.1f}" '
                              f'fill="{fyll}"{kant}{o}/>')
                else:
                    ut.append(f'<ellipse cx="{(xa + xb) / 2:.1f}" cy="{(ya + yb) / 2:.1f}" rx="{(xb - xa) / 2:.1f}" '
                              f'ry="{(yb - ya) / 2:.1f}" fill="{fyll}"{kant}{o}/>')
        return ut

    def _annoteringar(self) -> list[str]:
        ut = []
        vanster, toppen, pw, ph = self.plot
        standard_ref = "x" if "x" in self.axlar else "paper"
        lagda: list[list] = []
        for a in _lista(self.lay.get("annotations")):
            if not isinstance(a, dict) or a.get("visible", True) is False or a.get("text") in (None, ""):
                continue
            font = a.get("font") or {}
            storlek = float(font.get("size") or self.fs)
            farg = esc(str(font.get("color") or self.fc))
            xr, yr = a.get("xref") or standard_ref, a.get("yref") or standard_ref.replace("x", "y")
            x, y = self._koord("x", xr, a.get("x", 0.5)), self._koord("y", yr, a.get("y", 0.5))
            if x is None or y is None:
                continue
            text = _Text(a.get("text"))
            xank, yank = a.get("xanchor") or "auto", a.get("yanchor") or "auto"
            pappers_x = _axelref(xr)[0] == "paper" or _axelref(xr)[1]
            pappers_y = _axelref(yr)[0] == "paper" or _axelref(yr)[1]
            if xank == "auto":
                fx = _tal_eller_none(a.get("x")) or 0
                xank = "center" if not pappers_x or a.get("showarrow") else \
                    ("left" if fx <= 1 / 3 else "right" if fx >= 2 / 3 else "center")
            if yank == "auto":
                fy = _tal_eller_none(a.get("y")) or 0
                yank = "middle" if not pappers_y or a.get("showarrow") else \
                    ("bottom" if fy <= 1 / 3 else "top" if fy >= 2 / 3 else "middle")
            text, storlek, xank = self._anpassa(text, storlek, a, xr, xank, x)
            lagda.append([a, text, storlek, farg, xank, yank, x, y])
        _krymp_grannar(lagda)
        lagda_rutor: list[tuple[float, float, float, float]] = []
        for a, text, storlek, farg, xank, yank, x, y in lagda:
            b = text.bredd(storlek) + 4
            h = len(text.rader) * storlek * RADAVSTAND + 2
            x += _tal_eller_none(a.get("xshift")) or 0
            y -= _tal_eller_none(a.get("yshift")) or 0
            vx = x - (0 if xank == "left" else b if xank == "right" else b / 2)
            vy = y - (0 if yank == "top" else h if yank == "bottom" else h / 2)
            # a label over one already placed (the break's label over a guideline's) moves off it, away from its
            # anchor's side: down when hung from the top, else up
            for _ in range(4):
                fore = next((q for q in lagda_rutor if vx < q[0] + q[2] - 1 and q[0] < vx + b - 1
                             and vy < q[1] + q[3] - 1 and q[1] < vy + h - 1), None)
                if fore is None:
                    break
                vy = fore[1] + fore[3] if yank == "top" else fore[1] - h
            lagda_rutor.append((vx, vy, b, h))
            bg, kant = a.get("bgcolor"), a.get("bordercolor")
            if bg or kant:
                kb = _tal_eller_none(a.get("borderwidth")) or 1
                k = f' stroke="{esc(str(kant))}" stroke-width="{kb:g}"' if kant else ""
                ut.append(f'<rect x="{vx:.1f}" y="{vy:.1f}" width="{b:.1f}" height="{h:.1f}" '
                          f'fill="{esc(str(bg or "none"))}"{k}/>')
            ut.append(text.svg(vx + b / 2, vy + 1 + storlek * RADAVSTAND / 2, storlek, farg, "middle"))
        return ut

    def _anpassa(self, text: _Text, storlek: float, a: dict, xr, xank: str, x: float) -> tuple[_Text, float, str]:
        """A panel title (centred on paper) that is wider than its panel gets smaller, down to 10 px, then wraps;
        a label at a data x that runs past its panel's edge wraps."""
        namn, doman = _axelref(xr)
        if namn == "paper" and xank == "center":
            fx = _tal_eller_none(a.get("x")) or 0
            plats = 2 * min(fx, 1 - fx) * self.plot[2]
            if plats <= 20 or text.bredd(storlek) <= plats:
                return text, storlek, xank
            minst = min(storlek, 10.0)
            ny = max(minst, math.floor(storlek * plats / text.bredd(storlek) * 10) / 10)
            if text.bredd(ny) <= plats:
                return text, ny, xank
            return _Text.rad([r for rad in text.rader for r in radbryt("".join(s for s, *_ in rad), plats, minst)]), \
                minst, xank
        if namn in self.axlar and not doman and xank in ("left", "right"):
            ax = self.axlar[namn]
            hoger, vanster = max(ax.px0, ax.px1) - x - 2, x - min(ax.px0, ax.px1) - 2
            plats = hoger if xank == "left" else vanster
            bredd = text.bredd(storlek)
            if bredd > plats:
                if plats < min(bredd, 60) and (vanster if xank == "left" else hoger) > plats:
                    xank = "right" if xank == "left" else "left"     # too near its panel's edge: the other side
                    plats = max(hoger, vanster)
                if bredd > plats >= 30:
                    text = _Text.rad([r for rad in text.rader for r in radbryt("".join(s for s, *_ in rad), plats,
                                                                                storlek)])
        return text, storlek, xank

    # --- legend ----------------------------------------------------------------------------------------------------
    def _legendposter(self) -> list[tuple[int, dict, _Text]]:
        if self.lay.get("showlegend") is False:
            return []
        poster, grupper = [], set()
        for i, t in enumerate(self.data):
            if t.get("type") == "sankey" or t.get("showlegend") is False:
                continue
            g = t.get("legendgroup")
            if g not in (None, ""):
                if g in grupper:
                    continue
                grupper.add(g)
            namn = t.get("name")
            poster.append((i, t, _Text(f"trace {i}" if namn is None else namn)))
        if self.lay.get("showlegend") is not True and len(poster) < 2 \
                and not any(t.get("showlegend") is True for _, t, _ in poster):
            return []
        return poster

    def _legendrader(self, poster: list, bredd: float, en_per_rad: bool = False) -> list[tuple[float, list]]:
        """The legend's rows: [(height, [(x offset, entry, text)])], entries side by side while they fit."""
        fs = self.fs
        rader: list[tuple[float, list]] = []
        rad: list = []
        x = 0.0
        for i, t, text in poster:
            if text.bredd(fs) > bredd - 54:
                text = _Text.rad([r for rad_ in text.rader for r in radbryt("".join(s for s, *_ in rad_),
                                                                           max(bredd - 54, 40), fs)])
            w = 40 + text.bredd(fs) + 16
            if rad and (en_per_rad or x + w - 16 > bredd):
                rader.append(rad)
                rad, x = [], 0.0
            rad.append((x, (i, t), text))
            x += w
        if rad:
            rader.append(rad)
        return [(max(len(p[2].rader) for p in r) * fs * RADAVSTAND + 9, r) for r in rader]

    def _legend(self, rader: list, x0: float, y0: float) -> list[str]:
        fs = self.fs
        ut = []
        y = y0
        for h, rad in rader:
            for dx, (i, t), text in rad:
                x = x0 + dx
                mitt = y + h / 2
                ut += self._legendsymbol(i, t, x, mitt)
                forsta = mitt - (len(text.rader) - 1) * fs * RADAVSTAND / 2
                ut.append(text.svg(x + 40, forsta, fs, esc(str(self.fc))))
            y += h
        return ut

    def _legendsymbol(self, i: int, t: dict, x: float, y: float) -> list[str]:
        marker = t.get("marker") or {}
        mfarg = marker.get("color")
        forsta_farg = _per_punkt(mfarg, 0, None)
        if t.get("type") == "bar":
            f = esc(str(forsta_farg or self._farg(i)))
            linje = marker.get("line") or {}
            lb = _tal_eller_none(linje.get("width")) or 0
            kant = f' stroke="{esc(str(_per_punkt(linje.get("color"), 0, "#444")))}" stroke-width="{lb:g}"' \
                if lb else ""
            rekt = f'x="{x + 14:.1f}" y="{y - 6:.1f}" width="12" height="12"'
            ut = [f'<rect {rekt} fill="{f}"{kant}/>']
            monster = marker.get("pattern") or {}
            form = _per_punkt(monster.get("shape"), 0, "")
            if form:
                hatch = _skrafferad(form, str(monster.get("fgcolor") or "#333333"), x + 14, y - 6, x + 26, y + 6)
                if hatch:
                    ut.append(hatch)
            return ut
        linje = t.get("line") or {}
        farg = str(linje.get("color") or (mfarg if isinstance(mfarg, str) else None) or self._farg(i))
        ys = _lista(t.get("y"))
        mode = self._mode(t, ys)
        ut = []
        if t.get("fill") not in (None, "none"):
            fyll = esc(str(t.get("fillcolor") or farg))
            ut.append(f'<rect x="{x + 5:.1f}" y="{y - 5:.1f}" width="30" height="10" fill="{fyll}"/>')
        lb = _tal_eller_none(linje.get("width"))
        lb = 2.0 if lb is None else lb
        if "lines" in mode and lb > 0:
            lb = min(lb, 5)
            ut.append(f'<path d="M{x + 5:.1f},{y:.1f}h30" stroke="{esc(farg)}" stroke-width="{lb:g}"'
                      f'{_streck(linje.get("dash"), lb)}/>')
        if "markers" in mode:
            s = _tal_eller_none(_per_punkt(marker.get("size"), 0, 6)) or 6
            ml = marker.get("line") or {}
            ut.append(_markor(_per_punkt(marker.get("symbol"), 0, "circle"), x + 20, y, min(s, 16),
                              esc(str(forsta_farg or farg)), _tal_eller_none(ml.get("width")) or 0,
                              esc(str(_per_punkt(ml.get("color"), 0, "#444")))))
        return ut


def _krymp_grannar(lagda: list[list]) -> None:
    """Labels in one row (the same y, size and anchor: the "saknas" labels of a panel's years) that would overlap
    get a smaller font, down to MINSTA_ETIKETT px, so each stays readable under its year."""
    rader: dict[tuple, list[list]] = {}
    for post in lagda:
        a, text, storlek, _, xank, yank, x, y = post
        if len(text.rader) == 1 and xank == "center":
            rader.setdefault((round(y), storlek, yank), []).append(post)
    for (_, storlek, _), poster in rader.items():
        if len(poster) < 2 or storlek <= MINSTA_ETIKETT:
            continue
        poster.sort(key=lambda p: p[6])
        faktor = 1.0
        for p, q in zip(poster, poster[1:]):
            avstand = q[6] - p[6]
            behov = (p[1].bredd(storlek) + q[1].bredd(storlek)) / 2 + 3
            if behov > avstand:
                faktor = min(faktor, max(avstand - 3, 0) / (behov - 3))
        if faktor < 1:
            ny = max(MINSTA_ETIKETT, math.floor(storlek * faktor * 2) / 2)
            for p in poster:
                p[2] = ny
            # still too close at the smallest size: every second one a line further from the axis
            if any(q[6] - p[6] < (p[1].bredd(ny) + q[1].bredd(ny)) / 2 + 2 for p, q in zip(poster, poster[1:])):
                steg = ny * RADAVSTAND * (1 if poster[0][5] == "top" else -1)
                for p in poster[1::2]:
                    p[7] += steg


def _nasta_steg(steg: float) -> float:
    """The next longer tick step: whole steps (years) go 1, 2, 5, 10, 20...; others 1, 2, 2.5, 5, 10."""
    mag = 10 ** math.floor(math.log10(steg) + 1e-9)
    hela = steg >= 1 and abs(steg - round(steg)) < 1e-9
    for m in ((1, 2, 5, 10) if hela else (1, 2, 2.5, 5, 10)):
        if m * mag > steg * 1.0000001:
            return m * mag
    return 10 * mag
