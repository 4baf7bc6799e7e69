"""Swedish number format, defined once: every number the report, its tables and its charts show passes through here.

Thousands are separated by a no-break space (U+00A0), so a number never wraps; decimals by a comma; units follow
after a no-break space (`1 234 567 kr`, `12,3 %`). A missing value is the word "saknas", never 0.
"""
from __future__ import annotations

import math

NBSP = "\u00a0"
MINUS = "\u2212"
SAKNAS = "saknas"
# plotly's layout.separators: decimal mark, then thousands separator.
PLOTLY_SEPARATORS = "," + NBSP


def _saknas(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def tal(x, decimaler: int = 0) -> str:
    """1234567.8 -> '1 234 568'; with decimaler=1 -> '1 234 567,8'. Negative numbers get a real minus sign."""
    if _saknas(x):
        return SAKNAS
    text = f"{abs(x):,.{decimaler}f}".translate({ord(","): NBSP, ord("."): ","})
    return (MINUS if x < 0 and text.strip("0,") else "") + text


def med_tecken(x, decimaler: int = 0) -> str:
    """A difference: '+15', '−3', '0'."""
    if _saknas(x):
        return SAKNAS
    return ("+" if x > 0 else "") + tal(x, decimaler)


def kr(x, tecken: bool = False) -> str:
    """Whole kronor: '1 234 567 kr'; with tecken a difference: '+1 200 kr'."""
    return SAKNAS if _saknas(x) else (med_tecken(x) if tecken else tal(x)) + NBSP + "kr"


def tkr(x, tecken: bool = False) -> str:
    """Whole thousands of kronor: 1234567 -> '1 235 tkr'; with tecken a difference: '+12 tkr'."""
    return SAKNAS if _saknas(x) else (med_tecken(x / 1000) if tecken else tal(x / 1000)) + NBSP + "tkr"


def procent(andel, decimaler: int = 1) -> str:
    """A share as a fraction 0-1, shown in per cent: 0.123 -> '12,3 %'."""
    return SAKNAS if _saknas(andel) else tal(andel * 100, decimaler) + NBSP + "%"


def visa(x, slag: str) -> str:
    """Format by the kind of number: antal (whole), kr, andel (fraction shown as %), tal (one decimal)."""
    if slag == "antal":
        return tal(x)
    if slag == "kr":
        return kr(x)
    if slag == "andel":
        return procent(x)
    if slag == "tal":
        return tal(x, 1)
    raise ValueError(f"unknown kind of number: {slag}")


# Swedish nouns the report counts, singular -> plural (a noun not here is written as given, in both).
PLURAL = {"deltagare": "deltagare", "förbund": "förbund", "fil": "filer", "insats": "insatser", "rad": "rader",
          "anmärkning": "anmärkningar", "år": "år", "kommun": "kommuner", "fel": "fel", "varning": "varningar",
          "diagram": "diagram", "inskrivning": "inskrivningar", "person": "personer", "mål": "mål",
          "avslut": "avslut", "cell": "celler", "revidering": "revideringar"}


def antal_ord(n, ental: str, flertal: str | None = None) -> str:
    """A count with its noun in the right number: antal_ord(1, 'anmärkning') -> '1 anmärkning', antal_ord(2,
    'anmärkning') -> '2 anmärkningar', antal_ord(1200, 'fil') -> '1 200 filer'. The plural is PLURAL's unless given."""
    if _saknas(n):
        return SAKNAS
    ord_ = ental if n == 1 else flertal or PLURAL.get(ental, ental)
    return f"{tal(n)}{NBSP}{ord_}"


def uppraknad(delar: list[str], sep: str = ", ", sist: str = " och ") -> str:
    """A list in running text: '', 'a', 'a och b', 'a, b och c' (other separators for a list whose names hold an
    "och" of their own: charts._lista)."""
    return sep.join(delar[:-1]) + sist + delar[-1] if len(delar) > 1 else "".join(delar)


def arsspann(ar) -> str:
    """Years as a reader lists them, runs joined by a dash: [2016, 2017, 2018, 2020, 2023, 2024] ->
    '2016–2018, 2020, 2023–2024'; None (a finding of no year) is left out."""
    ar = sorted({a for a in ar if a is not None})
    delar: list[list[int]] = []
    for a in ar:
        if delar and a == delar[-1][-1] + 1:
            delar[-1].append(a)
        else:
            delar.append([a])
    return ", ".join(f"{d[0]}–{d[-1]}" if len(d) > 1 else str(d[0]) for d in delar)
