"""The shape of a personnummer or samordningsnummer, and how one may be shown: masked, everywhere."""
import re

import polars as pl

PNR = re.compile(r"^([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})$")

# Anywhere inside a text, not part of a longer number (nor after a '-': '2019-02-01' is a date):
# 6 or 8 digits, then '-', '+' or nothing, then 4 digits; or, written with a space (or a no-break space), a date
# part that is a date (month 01-12, day 01-31 or 61-91 for a samordningsnummer), so that amounts ('123 456 7890'
# has no such run), years and kommun codes stay. One pattern for Python and for polars (Rust regex: no
# look-around, so the neighbouring characters are captured and put back).
_MMDD = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
PNR_IN_TEXT = (r"(^|[^0-9-])(?:([0-9]{6}|[0-9]{8})[-+]?|((?:18|19|20)?[0-9]{2}" + _MMDD + r")[ \u00a0])"
               r"[0-9]{4}([^0-9]|$)")
MAYBE_PNR = "[0-9]{6}"  # every form holds six digits in a row: a column without them needs no scrubbing
_PNR_IN_TEXT = re.compile(PNR_IN_TEXT)
_MASKED = (r"\g<1>\g<2>\g<3>-****\g<4>", "${1}${2}${3}-****${4}")  # Python's and polars' replacement


def is_pnr(key: str) -> bool:
    return PNR.match(key.replace(" ", "")) is not None


def mask(key: str) -> str:
    """How a person id may appear in a message: 19000101-**** (or 000101-****) for a personnummer, a stub
    otherwise."""
    m = PNR.match(key.replace(" ", ""))
    if m is None:
        return key[:2] + "****" if len(key) > 2 else "****"
    return m.group(1) + "-****"


def scrub(text: str | None) -> str | None:
    """Mask every personnummer-shaped run in free text (a shifted column can put one anywhere). Twice: a match
    takes the character after it, so a number right after another one is masked by the second pass."""
    if text is None:
        return None
    for _ in range(2):
        text = _PNR_IN_TEXT.sub(_MASKED[0], text)
    return text


def scrubbed(text: pl.Expr) -> pl.Expr:
    """`scrub` for a column: every free-text cell is read through it."""
    for _ in range(2):
        text = text.str.replace_all(PNR_IN_TEXT, _MASKED[1])
    return text
