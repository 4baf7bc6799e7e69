"""Findings (rows of marts.datakvalitet) and the errors that carry them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import polars as pl

from finsam.privacy.pnr import scrub

# allvarlighet: 'fel' = the file was rejected, 'varning' = loaded but suspicious, 'info' = for the record.
FEL, VARNING, INFO = "fel", "varning", "info"
# What a finding quotes of a cell (hittat): enough to find it in the file. A cell can hold megabytes (an 8 MB quoted
# field), which the warehouse, the report and the workbook (32 767 characters a cell) would carry or cut unsaid.
HITTAT_MAX = 500


@dataclass(frozen=True)
class Finding:
    regel: str
    allvarlighet: str
    beskrivning: str
    kalla: str | None = None
    forbund: str | None = None
    ar: int | None = None
    insats: str | None = None
    fil: str | None = None
    rad: int | None = None
    kolumn: str | None = None
    hittat: str | None = None
    forvantat: str | None = None
    varde: float | None = None

    def __post_init__(self):
        # Findings end up in DuckDB, the summary and Dagster's event log: no personnummer, whatever field it is in
        # (a file name or a header cell can hold one too).
        for f in fields(self):
            if isinstance(getattr(self, f.name), str):
                object.__setattr__(self, f.name, scrub(getattr(self, f.name)))
        if self.hittat is not None and len(self.hittat) > HITTAT_MAX:
            langd = f"{len(self.hittat):,}".replace(",", " ")
            object.__setattr__(self, "hittat", f"{self.hittat[:HITTAT_MAX]} … ({langd} characters in all)")

    def message(self) -> str:
        """One line for people: file, row, column, what was found, what was expected."""
        where = ", ".join(p for p in (
            self.fil,
            f"row {self.rad}" if self.rad is not None else None,
            f"column '{self.kolumn}'" if self.kolumn else None,
        ) if p)
        what = self.beskrivning
        if self.hittat is not None or self.forvantat is not None:
            found = "a blank cell" if self.hittat is None else repr(self.hittat)
            what += f": found {found}, expected {self.forvantat}"
        return f"{where}: {what}" if where else what


FINDING_SCHEMA = {
    "regel": pl.String, "allvarlighet": pl.String, "beskrivning": pl.String, "kalla": pl.String,
    "forbund": pl.String, "ar": pl.Int32, "insats": pl.String, "fil": pl.String, "rad": pl.Int64,
    "kolumn": pl.String, "hittat": pl.String, "forvantat": pl.String, "varde": pl.Float64,
}
assert set(FINDING_SCHEMA) == {f.name for f in fields(Finding)}


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    return pl.DataFrame([asdict(f) for f in findings], schema=FINDING_SCHEMA)


class FileRejected(Exception):
    """A whole input file is refused; its findings say why, row by row. `forbund`: the förbund codes its rows
    name, when the file was read that far (the archive lets only a version of the same förbund stand in for it)."""

    def __init__(self, fil: str, findings: list[Finding], forbund: frozenset[str] | None = None):
        self.fil = fil = scrub(fil)
        self.findings = findings
        self.forbund = forbund
        shown = "\n".join("  " + f.message() for f in findings[:20])
        more = f"\n  ... and {len(findings) - 20} more" if len(findings) > 20 else ""
        super().__init__(f"{fil} rejected ({len(findings)} problem(s)):\n{shown}{more}")


class ConfigError(Exception):
    """Configuration is broken: the run stops and publishes nothing. Its message quotes config text and file
    names, and goes to standard error and Dagster's event log: no personnummer in it."""

    def __init__(self, message: str):
        super().__init__(scrub(message))
