"""Rows from several files that describe the same thing: count once, the newest file wins, disagreements are
findings."""
from __future__ import annotations

import polars as pl

from finsam.findings import VARNING, Finding

ORDER = ("andrad", "fil", "rad")  # newest file first; within a file the later row wins


def latest_wins(frame: pl.DataFrame, key: list[str], values: list[str], kalla: str,
                describe) -> tuple[pl.DataFrame, list[Finding]]:
    """Keep one row per key: the one from the file modified last. Each key whose copies disagree on
    `values` gives a `dubblett_konflikt` finding built by `describe(winner_row, loser_row)`."""
    ranked = frame.sort(list(ORDER), descending=True, nulls_last=True)
    winners = ranked.unique(subset=key, keep="first", maintain_order=True)
    conflicts = (ranked.group_by(key).agg(pl.struct(values).n_unique().alias("n"))
                 .filter(pl.col("n") > 1).select(key))
    findings = []
    if conflicts.height:
        losers = ranked.join(conflicts, on=key, how="semi").join(
            winners.select(*key, *(pl.col(v).alias(f"_w_{v}") for v in values), pl.col("fil").alias("_w_fil")),
            on=key, nulls_equal=True)
        for row in losers.iter_rows(named=True):
            if all(row[v] == row[f"_w_{v}"] for v in values):
                continue
            findings.append(describe(row, kalla))
    return winners, findings


def conflict_finding(row: dict, kalla: str, values: list[str], what: str, **kw) -> Finding:
    found = ", ".join(f"{v}={row[v]}" for v in values)
    kept = ", ".join(f"{v}={row['_w_' + v]}" for v in values)
    return Finding("dubblett_konflikt", VARNING,
                   f"{what} appears more than once with different values; the copy in the newest file "
                   f"({row['_w_fil']}) wins (within one file, the later row)", kalla=kalla, fil=row["fil"],
                   rad=row["rad"],
                   hittat=found, forvantat=kept, **kw)
