"""Person keys: personnummer and samordningsnummer become keyed pseudonyms at ingest; nothing else sees them."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

from finsam.findings import ConfigError
from finsam.pnr import PNR, is_pnr, mask

KEY_ENV = "FINSAM_PSEUDONYM_KEY"
HOW_TO_SET_KEY = (f"set {KEY_ENV} to a long random secret, e.g. "
                  f"export {KEY_ENV}=$(python -c 'import secrets; print(secrets.token_hex(32))'), "
                  "and keep it unchanged between runs (a new key gives every person a new pseudonym)")


def normalise(key: str, start: dt.date) -> str:
    """12 digits. A 10-digit number gets the century that makes the person younger than 100 on `start`,
    or 100 or older with '+'. Samordningsnummer (day + 60) keep their day; only the century is derived."""
    m = PNR.match(key.replace(" ", ""))
    if m is None:
        raise ValueError("not a personnummer")
    head, sep, tail = m.groups()
    if len(head) == 8:
        return head + tail
    yy, mm, dd = int(head[:2]), int(head[2:4]), int(head[4:6]) % 60
    year = start.year // 100 * 100 + yy
    if (year, mm, dd) > (start.year, start.month, start.day):
        year -= 100
    if sep == "+":
        year -= 100
    return f"{year:04d}{head[2:]}{tail}"


def key_from_env() -> str | None:
    return os.environ.get(KEY_ENV) or None


def pseudonym(digits12: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), digits12.encode("ascii"), hashlib.sha256).hexdigest()


def pseudonymise(key_text: str | None, start: dt.date | None, secret: str | None, where: str) -> str | None:
    """The stored person key: HMAC-SHA256 of the 12-digit number, or the key as it is when not a number."""
    if key_text is None:
        return None
    key_text = key_text.strip()
    if key_text.isdigit() and len(key_text) in (9, 11):
        key_text = "0" + key_text  # a personnummer stored as a number in Excel loses its leading zero
    if not is_pnr(key_text):
        return key_text
    if secret is None:
        raise ConfigError(f"{where}: personnummer found ({mask(key_text)}) but no pseudonym key is set; "
                          + HOW_TO_SET_KEY)
    return pseudonym(normalise(key_text, start or dt.date.today()), secret)
