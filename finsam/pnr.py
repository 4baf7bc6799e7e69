"""The shape of a personnummer or samordningsnummer, and how one may be shown: masked, everywhere."""
import re

PNR = re.compile(r"^(\d{6}|\d{8})([-+]?)(\d{4})$")
# anywhere inside a text: 6 or 8 digits, optional - or +, 4 digits, not part of a longer number
PNR_IN_TEXT = re.compile(r"(?<![\d-])(\d{6}|\d{8})[-+]?\d{4}(?!\d)")


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
    """Mask every personnummer-shaped run in free text (a shifted column can put one anywhere)."""
    if text is None:
        return None
    return PNR_IN_TEXT.sub(lambda m: m.group(1) + "-****", text)
