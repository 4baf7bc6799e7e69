"""Person keys: personnummer and samordningsnummer become keyed pseudonyms at ingest; nothing else sees them. The
key itself is checked here: long enough, and known again by its fingerprint (finsam.publish.guard.key_change)."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

import polars as pl

from finsam.io.convert import map_distinct
from finsam.io.findings import ConfigError
from finsam.privacy.pnr import MAYBE_PNR, MIN_DIGITS, find, mask

KEY_ENV = "FINSAM_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 32
HOW_TO_SET_KEY = (f"set {KEY_ENV} to a long random secret (at least {MIN_KEY_LENGTH} characters), e.g. "
                  f"export {KEY_ENV}=$(python -c 'import secrets; print(secrets.token_hex(32))'), "
                  "and keep it unchanged between runs (a new key gives every person a new pseudonym)")
# What the key's fingerprint is the HMAC of: a fixed text, so the fingerprint says which key it is and nothing of it.
FINGERPRINT_LABEL = b"finsam pseudonymnyckel fingeravtryck v1"


PNR = r"^([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})$"  # a personnummer as Found.canonical writes it


def normalised(key: pl.Expr, start: pl.Expr) -> pl.Expr:
    """12 digits for a canonical personnummer (`canonical`), NULL for any other text. A 10-digit number gets the
    century that makes the person younger than 100 on `start`, or 100 or older with '+'. Samordningsnummer (day +
    60) keep their day; only the century is derived."""
    parts = key.str.extract_groups(PNR)
    head, sep, tail = (parts.struct.field(g) for g in ("1", "2", "3"))
    yy, mm = head.str.slice(0, 2).cast(pl.Int32), head.str.slice(2, 2).cast(pl.Int32)
    dd = head.str.slice(4, 2).cast(pl.Int32) % 60
    year = start.dt.year() // 100 * 100 + yy
    year = pl.when(year * 10000 + mm * 100 + dd > start.dt.year() * 10000 + start.dt.month() * 100
                   + start.dt.day()).then(year - 100).otherwise(year)
    year = pl.when(sep == "+").then(year - 100).otherwise(year)
    return (pl.when(head.str.len_chars() == 8).then(head + tail)
            .otherwise(year.cast(pl.String).str.zfill(4) + head.str.slice(2) + tail))


SHAPED = "?"  # canonical's word for a key that is shaped like a personnummer but is not one


def canonical(key: str) -> str | None:
    """The personnummer a person key holds, in any spelling and whatever stands around it (`pnr-ÅÅÅÅMMDD-NNNN`),
    as Found.canonical writes it: the same number in any spelling is the same text, so the same person. A key that
    is nothing but a number of that shape that is no personnummer (a mistyped date or check digit, an export's
    invented numbers) is read the same way, so its spellings are one person too. SHAPED for a key that holds such a
    number among other characters (a local id with digits: its letters tell it from another); either way it is
    still a person's number and never kept as written. None for a key without digits of that shape."""
    found = find(key)
    valid = [f for f in found if f.valid]
    if valid:
        return valid[0].canonical
    if len(found) == 1 and (found[0].start, found[0].end) == (0, len(key)):
        return found[0].canonical
    return SHAPED if found else None


def numbers_in(keys: pl.Series) -> pl.Series:
    """`canonical` of every key. A key written as an export writes it, only ASCII digits with '-', '+' or nothing
    between (PNR), is its own canonical form whether it is a personnummer or not (canonical reads such a key by its
    digits either way): it is taken as it is, in polars, and the detector reads the others, once per distinct key
    that may hold a number (a million personnummer are read in a fraction of a second instead of seconds)."""
    frame = pl.DataFrame({"key": keys}).with_columns(
        pl.when(pl.col("key").str.contains(PNR)).then(pl.col("key")).alias("bare"),
        (pl.col("key").str.count_matches(MAYBE_PNR) >= MIN_DIGITS).alias("maybe"))
    other = frame.select(pl.when(pl.col("bare").is_null() & pl.col("maybe")).then(pl.col("key"))).to_series()
    return frame.select(pl.coalesce(pl.col("bare"), map_distinct(other, canonical))).to_series()


def normalise(key: str, start: dt.date) -> str:
    """One key, as `pseudonymise` reads it: the 12 digits of the personnummer it holds."""
    number = canonical(key)
    if number in (None, SHAPED):
        raise ValueError("not a personnummer")
    return pl.select(normalised(pl.lit(number), pl.lit(start, dtype=pl.Date))).item()


def key_from_env() -> str | None:
    """The pseudonym key, None when none is set. A key shorter than MIN_KEY_LENGTH characters (`x`, a space, a
    word) is refused: a short key can be guessed from the pseudonyms and the key's fingerprint."""
    key = os.environ.get(KEY_ENV)
    if not key:
        return None
    if len(key) < MIN_KEY_LENGTH or not key.strip():
        raise ConfigError(f"{KEY_ENV} is too short: found {len(key.strip())} characters (not counting spaces at "
                          f"either end), expected at least {MIN_KEY_LENGTH}; {HOW_TO_SET_KEY}. A key in use is "
                          "replaced only on purpose: the next run stops until the change is confirmed "
                          "(FINSAM_TILLAT_NYCKELBYTE=1)")
    return key


def fingerprint(key: str) -> str:
    """What register.nyckel keeps of the key: the HMAC-SHA256 of a fixed text with it. Another key has another
    fingerprint; the fingerprint gives away nothing of the key."""
    return hmac.new(key.encode("utf-8"), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def pseudonym(digits12: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), digits12.encode("ascii"), hashlib.sha256).hexdigest()


def pseudonymiser(key: str):
    """`pseudonym` with the key fixed: the HMAC's keyed state is set up once and copied per number (or per key
    text that holds one)."""
    base = hmac.new(key.encode("utf-8"), digestmod=hashlib.sha256)

    def one(identity: str) -> str:
        h = base.copy()
        h.update(identity.encode("utf-8"))
        return h.hexdigest()
    return one


def pseudonymise(keys: pl.Series, starts: pl.Series, rows: pl.Series, secret: str | None, fil: str) -> pl.Series:
    """The stored person keys: HMAC-SHA256 of the 12-digit number (computed once per person) of the personnummer
    a key holds, in whatever spelling (finsam.privacy.pnr), or the key as it is when it holds none. A key that
    holds a number shaped like one that is not one among other characters (SHAPED) is pseudonymised as a whole
    text, so it does not reach the warehouse either. Raises ConfigError, naming the first row, when there are
    personnummer and no key."""
    key = pl.col("key").str.strip_chars()
    frame = pl.DataFrame({"key": keys, "start": starts, "rad": rows}).with_columns(
        # a personnummer stored as a number in Excel loses its leading zero
        pl.when(key.str.contains(r"^\d{9}$|^\d{11}$")).then(pl.lit("0") + key).otherwise(key).alias("key"))
    frame = frame.with_columns(numbers_in(frame["key"]).alias("number"))
    frame = frame.with_columns(pl.coalesce(
        normalised(pl.col("number"), pl.col("start").fill_null(dt.date.today())),
        pl.when(pl.col("number") == SHAPED).then(pl.col("key"))).alias("hashed"))
    numbers = frame["hashed"].is_not_null()
    if not numbers.any():
        return frame["key"].alias(keys.name)
    if secret is None:
        key_text, rad = frame.select("key", "rad").row(numbers.arg_true()[0])
        raise ConfigError(f"{fil} row {rad}: personnummer found ({mask(key_text)}) but no pseudonym key is set; "
                          + HOW_TO_SET_KEY)
    hashed = map_distinct(frame["hashed"], pseudonymiser(secret))
    return frame.select(pl.coalesce(hashed, pl.col("key")).alias(keys.name)).to_series()
