"""Person keys: personnummer and samordningsnummer become keyed pseudonyms at ingest; nothing else sees them."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

import polars as pl

from finsam.io.convert import map_distinct
from finsam.io.findings import ConfigError
from finsam.privacy.pnr import PNR, PNR_IN_TEXT, is_pnr, mask

KEY_ENV = "FINSAM_PSEUDONYM_KEY"
HOW_TO_SET_KEY = (f"set {KEY_ENV} to a long random secret, e.g. "
                  f"export {KEY_ENV}=$(python -c 'import secrets; print(secrets.token_hex(32))'), "
                  "and keep it unchanged between runs (a new key gives every person a new pseudonym)")


def normalised(key: pl.Expr, start: pl.Expr) -> pl.Expr:
    """12 digits for a personnummer-shaped key, NULL for any other. A 10-digit number gets the century that makes
    the person younger than 100 on `start`, or 100 or older with '+'. Samordningsnummer (day + 60) keep their day;
    only the century is derived."""
    parts = key.str.replace_all(" ", "").str.extract_groups(PNR.pattern)
    head, sep, tail = (parts.struct.field(g) for g in ("1", "2", "3"))
    yy, mm = head.str.slice(0, 2).cast(pl.Int32), head.str.slice(2, 2).cast(pl.Int32)
    dd = head.str.slice(4, 2).cast(pl.Int32) % 60
    year = start.dt.year() // 100 * 100 + yy
    year = pl.when(year * 10000 + mm * 100 + dd > start.dt.year() * 10000 + start.dt.month() * 100
                   + start.dt.day()).then(year - 100).otherwise(year)
    year = pl.when(sep == "+").then(year - 100).otherwise(year)
    return (pl.when(head.str.len_chars() == 8).then(head + tail)
            .otherwise(year.cast(pl.String).str.zfill(4) + head.str.slice(2) + tail))


def normalise(key: str, start: dt.date) -> str:
    """One key, as `normalised` does it for a column."""
    if not is_pnr(key):
        raise ValueError("not a personnummer")
    return pl.select(normalised(pl.lit(key), pl.lit(start, dtype=pl.Date))).item()


def key_from_env() -> str | None:
    return os.environ.get(KEY_ENV) or None


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
    """The stored person keys: HMAC-SHA256 of the 12-digit number (computed once per person), or the key as it
    is when not a number. A key that holds a personnummer among other characters ('pnr ' before the number) is
    pseudonymised as a whole text, so the number does not reach the warehouse either. Raises ConfigError, naming
    the first row, when there are personnummer and no key."""
    key = pl.col("key").str.strip_chars()
    frame = pl.DataFrame({"key": keys, "start": starts, "rad": rows}).with_columns(
        # a personnummer stored as a number in Excel loses its leading zero
        pl.when(key.str.contains(r"^\d{9}$|^\d{11}$")).then(pl.lit("0") + key).otherwise(key).alias("key"))
    frame = frame.with_columns(pl.coalesce(
        normalised(pl.col("key"), pl.col("start").fill_null(dt.date.today())),
        pl.when(pl.col("key").str.contains(PNR_IN_TEXT)).then(pl.col("key"))).alias("hashed"))
    numbers = frame["hashed"].is_not_null()
    if not numbers.any():
        return frame["key"].alias(keys.name)
    if secret is None:
        key_text, rad = frame.select("key", "rad").row(numbers.arg_true()[0])
        raise ConfigError(f"{fil} row {rad}: personnummer found ({mask(key_text)}) but no pseudonym key is set; "
                          + HOW_TO_SET_KEY)
    hashed = map_distinct(frame["hashed"], pseudonymiser(secret))
    return frame.select(pl.coalesce(hashed, pl.col("key")).alias(keys.name)).to_series()
