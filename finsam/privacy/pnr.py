"""The one personnummer detector, and how one may be shown: masked, everywhere.

A personnummer (or samordningsnummer) is found in any spelling a person or an export writes: after Unicode NFKC
(fullwidth digits, a no-break space) and with any digit a Unicode digit, 6 or 8 digits of a date, then a hyphen,
an en or em dash, a minus sign, '+', '/', '.', '_', a space or nothing (a space may stand on either side of the
sign), then 4 digits, not inside a longer run of digits nor, written without a sign, right after a decimal point that
follows a digit (a fraction), whatever letters stand before it (`pnr-ÅÅÅÅMMDD-NNNN`).
It is one only when the date is a date (a samordningsnummer's day is the day + 60) and the last digit is the Luhn
check digit of the other nine: so a timestamp (`ÅÅÅÅMMDD-ttmm`), an amount or a phone number is left alone, and a
name masked never becomes another name's twin by accident.

Every use goes through `find`: person keys (finsam.privacy.pseudonyms), free text (`scrub`, and
finsam.io.convert.scrub_column for a column), file names (`mask_name`), findings, config text and log lines.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from pathlib import PurePosixPath
from typing import NamedTuple

# Between the date and the last four digits: the signs people and exports put there, NFKC-normalised (a
# non-breaking hyphen becomes U+2010; an en dash, an em dash and the minus sign stay what they are).
SEPARATORS = "-+/._\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEP = "[" + re.escape(SEPARATORS) + "]"
# Not inside a longer run of digits. A bare run of 10 or 12 digits right after a decimal point (`0.2309699292`,
# `11.2309699292`: a number's decimals, as a script's constants have them) is no candidate either (find); after a
# comma it is (`1041,197506151237`: ids in a comma-separated row that a stray quote made one cell), and so is any
# number written with a sign between its parts wherever it stands (`19121212-1212,19800101-1231`).
CANDIDATE = re.compile(rf"(?<![0-9])([0-9]{{8}}|[0-9]{{6}})((?:[^\S\n]?{_SEP}[^\S\n]?)|[^\S\n])?"
                       rf"([0-9]{{4}})(?![0-9])")
_DECIMALS = re.compile(r"[0-9]\.")
# What a text must hold to hold a personnummer: ten digits, counting every character that is not ASCII (it may be
# a digit after NFKC). A text with fewer is passed over without normalising it (polars' regex, finsam.io.convert).
MAYBE_PNR = r"[0-9]|[^\x00-\x7F]"
MIN_DIGITS = 10
_MAYBE = re.compile(MAYBE_PNR)


class Found(NamedTuple):
    """One personnummer-shaped run of a text: where it stands in the text as written, its parts in ASCII digits, and
    whether it is a personnummer (a date and the right check digit)."""
    start: int
    end: int
    head: str      # the date part: 6 or 8 digits
    plus: bool     # '+' between the parts: a 10-digit number of a person 100 or older
    tail: str      # the last four digits
    valid: bool

    @property
    def masked(self) -> str:
        return f"{self.head}-****"

    @property
    def canonical(self) -> str:
        """12 digits, or 10 with '-' or '+' between the parts (the century is the reader's to derive)."""
        return self.head + self.tail if len(self.head) == 8 else f"{self.head}{'+' if self.plus else '-'}{self.tail}"


def _normalised(text: str) -> tuple[str, list[int] | None]:
    """NFKC, and every Unicode digit an ASCII digit, character by character so that each character of the result
    knows the character of `text` it came from (None: the same positions, an ASCII text)."""
    if text.isascii():
        return text, None
    out, origin = [], []
    for i, ch in enumerate(text):
        if ch.isascii():
            piece = ch
        else:
            digit = unicodedata.decimal(ch, None)
            piece = str(digit) if digit is not None else unicodedata.normalize("NFKC", ch)
        out.append(piece)
        origin += [i] * len(piece)
    return "".join(out), origin


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_date(head: str) -> bool:
    """6 or 8 digits that are a date (an 8-digit one from 1800 to 2099), or a samordningsnummer's (day + 60); 29
    February only in a leap year (for 6 digits: in some century)."""
    mm, dd = int(head[-4:-2]), int(head[-2:])
    dd = dd - 60 if dd > 60 else dd
    if not (1 <= mm <= 12 and 1 <= dd <= _DAYS[mm]) or (len(head) == 8 and not 18 <= int(head[:2]) <= 20):
        return False
    if mm != 2 or dd != 29:
        return True
    year = int(head[:4]) if len(head) == 8 else int(head[:2])
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0 or len(head) == 6)


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # the digit sum of twice each digit


def check_digit(nine: str) -> str:
    """The Luhn check digit of nine digits (Skatteverket's rule: every other digit doubled, from the first)."""
    digits = [ord(ch) - 48 for ch in nine]
    return str(-(sum(_DOUBLED[d] for d in digits[0::2]) + sum(digits[1::2])) % 10)


def luhn_ok(ten: str) -> bool:
    """The last of ten digits is the check digit of the nine before it."""
    return check_digit(ten[:9]) == ten[9]


def find(text: str) -> list[Found]:
    """Every personnummer-shaped run of `text` (valid or not), in order."""
    if len(text) < MIN_DIGITS or (not text.isascii() and len(_MAYBE.findall(text)) < MIN_DIGITS):
        return []
    norm, origin = _normalised(text)
    out = []
    for m in CANDIDATE.finditer(norm):
        if m.group(2) is None and m.start() >= 2 and _DECIMALS.fullmatch(norm, m.start() - 2, m.start()):
            continue   # a number's decimals
        head, sep, tail = m.group(1), (m.group(2) or "").strip(), m.group(3)
        valid = _is_date(head) and luhn_ok(head[-6:] + tail)
        start, end = (m.start(), m.end()) if origin is None else (origin[m.start()], origin[m.end() - 1] + 1)
        out.append(Found(start, end, head, sep == "+", tail, valid))
    return out


def holds_pnr(text: str | None) -> bool:
    return text is not None and any(f.valid for f in find(text))


def is_pnr(text: str) -> bool:
    """The whole text (spaces around it aside) is one personnummer, in any spelling."""
    found = find(text.strip())
    return len(found) == 1 and found[0].valid and found[0].start == 0 and found[0].end == len(text.strip())


def mask(key: str) -> str:
    """How a person id may appear in a message: 19121212-**** (or 121212-****) for a personnummer, a stub
    otherwise."""
    if is_pnr(key):
        return find(key.strip())[0].masked
    return key[:2] + "****" if len(key) > 2 else "****"


def scrub(text: str | None) -> str | None:
    """Every personnummer in free text masked to its date part (a shifted column can put one anywhere)."""
    if text is None:
        return None
    found = [f for f in find(text) if f.valid]
    for f in reversed(found):
        text = text[:f.start] + f.masked + text[f.end:]
    return text


NAME_HASH_LENGTH = 8


def mask_name(name: str, key: str) -> str:
    """A file name (a path relative to the data directory) with every personnummer masked and, when one was, a
    short keyed hash of the name as written before the suffix (`raw/sus/19121212-****~1a2b3c4d.csv`): two files
    whose names differ only in the masked digits stay two names, the same name gets the same label in every run
    (the archive knows a file by it), and without the key the hash cannot be turned back into the number."""
    masked = scrub(name)
    if masked == name:
        return name
    digest = hmac.new(key.encode("utf-8"), ("fil\n" + name).encode("utf-8"), hashlib.sha256).hexdigest()
    path = PurePosixPath(masked)
    return str(path.with_name(f"{path.stem}~{digest[:NAME_HASH_LENGTH]}{path.suffix}"))
