"""What a source is: one declaration (`Source`) per raw folder, the same shape in every source module.

A source module ends in `SOURCE = Source(...)`: the step it is (staging.<name>), the folder it reads (raw/<folder>/),
its kalla code, its header columns with their aliases, the pandera model of a file's typed rows, the finding codes
it can emit, and one parse signature, `parse(path, fil, context) -> (frame, findings)`, with the rule that
combines its files. finsam.sources.registry lists them; the build's steps, their assets and the raw-file sensor
all read that one list.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandera.polars as pa
import polars as pl

from finsam.io import limits
from finsam.io.combine import LatestWins
from finsam.io.findings import FEL, FileRejected, Finding
from finsam.io.tables import Column

# The columns that name a förbund and a year, as the report-style sources write them (a source with more aliases
# declares its own).
FORBUND = Column("forbund", ("förbund", "samordningsförbund", "samordningsforbund"))
AR = Column("ar", ("år", "year"))
FYND, FILER = "fynd_", "filer_"   # staging.fynd_<step>: a step's findings; staging.filer_<step>: files it saw

# Finding codes every source can emit: a rejected file (the readers and validators of finsam.io, and
# finsam.ingest.folder for a file it cannot open), the archived version that stands in for it, and the archived
# versions passed over (finsam.ingest.archive: changed since archived, missing, another förbund's).
FILE_FINDINGS = ("fil_avvisad", "anvander_tidigare_version", "arkiv_andrad", "arkiv_saknas", "arkiv_annat_forbund")
# A combine rule's: the same row in several files with different values (finsam.io.combine, ekonomi.combine).
DUPLICATE_FINDINGS = ("dubblett_konflikt",)
# A person-level source's (Source.personniva): each of its files, refused unread under `personuppgifter: nej`.
PERSON_FINDINGS = ("personniva_ej_tillaten",)

Parse = Callable[[Path, str, Any], tuple[pl.DataFrame, list[Finding]]]
Combine = LatestWins | Callable[[list[pl.DataFrame]], tuple[pl.DataFrame, list[Finding]]]


@dataclass(frozen=True)
class SideTable:
    """A table an ingestion step writes beside its rows, derived from them (e.g. staging.befolkning): `make` gets
    `select <columns> from staging.<step>` (only what it needs: a source streamed into the build is never read
    back into Python whole)."""
    table: str
    make: Callable[[pl.DataFrame], pl.DataFrame]
    columns: str = "*"


def the_build(build: Any) -> Any:
    return build


def with_registry_and_date(parse_file) -> Parse:
    """The parse of a source whose parse_file(path, fil, registry, today) needs the build's förbund registry and the
    run's date, as most sources do (inspect.unwrap gives parse_file back)."""
    @functools.wraps(parse_file)
    def parse(path, fil, b):
        return parse_file(path, fil, b.registry, b.today)
    return parse


@dataclass(frozen=True)
class Source:
    """Ingestion of raw/<folder>/: staging.<name> (rows), staging.fynd_<name>, staging.filer_<name>, and its side
    tables.

    `parse(path, fil, context)` reads one file: its typed, validated rows and its non-fatal findings, or
    FileRejected. `context` is what `prepare` makes of the build once per build (the build itself unless the source
    needs something read once before any file: ekonomi's kostnadsmappning). `combine` is a LatestWins rule (run in
    the build, file by file) or a function of all files' frames. `schema` builds the pandera model of a file's
    typed rows (its bounds depend on the date, or on the file's layout); `columns` are the header columns and their
    aliases; `findings` every finding code the source can emit. A `personniva` source (one row per person) has
    every file rejected unread when installningar.yaml says `personuppgifter: nej` (PERSON_FINDINGS, added to its
    findings here)."""
    name: str
    folder: str
    kalla: str
    group: str
    description: str
    columns: tuple[Column, ...]
    schema: Callable[..., pa.DataFrameSchema]
    findings: tuple[str, ...]
    parse: Parse
    combine: Combine
    side: tuple[SideTable, ...] = ()
    prepare: Callable[[Any], Any] = the_build
    personniva: bool = False   # one row per person: refused unread when installningar.yaml says personuppgifter: nej
    # the rows that stay in staging.<name> once the side tables are made (an SQL condition; None = all): ekonomi's
    # delår rows go to a side table of their own, so no reader of its whole-year rows can count them
    behall: str | None = None

    def __post_init__(self):
        if self.personniva and not set(PERSON_FINDINGS) <= set(self.findings):
            object.__setattr__(self, "findings", (*self.findings, *PERSON_FINDINGS))

    @property
    def writes(self) -> tuple[str, ...]:
        return (f"staging.{self.name}", f"staging.{FYND}{self.name}", f"staging.{FILER}{self.name}",
                *(s.table for s in self.side))

    def reader(self, build: Any) -> tuple[Callable[[Path, str], tuple[pl.DataFrame, list[Finding]]], Combine]:
        """(parse(path, fil), combine) for one build: what finsam.ingest.folder.ingest and the combine step call.
        A person-level source's files are rejected without being read when the build's settings refuse
        personuppgifter (nor is an archived version of them used: it is refused the same way). Every file is read
        within the build's grans_indata (installningar.yaml)."""
        if self.personniva and not build.settings.personuppgifter:
            return (lambda path, fil: refuse_person_level(fil, self.kalla, self.folder)), self.combine
        context, bounds = self.prepare(build), build.settings.grans_indata

        def parse(path: Path, fil: str) -> tuple[pl.DataFrame, list[Finding]]:
            with limits.applied(bounds):  # the readers' limits (finsam.io.limits), on the thread that parses
                return self.parse(path, fil, context)
        return parse, self.combine


def refuse_person_level(fil: str, kalla: str, folder: str) -> tuple[pl.DataFrame, list[Finding]]:
    """Reject a file of a person-level source unread: `personuppgifter: nej` in installningar.yaml."""
    raise FileRejected(fil, [Finding(
        "personniva_ej_tillaten", FEL,
        f"personuppgifter is nej in installningar.yaml: files with one row per person (raw/{folder}/) are not read; "
        "remove the file, or set personuppgifter: ja", kalla=kalla, fil=fil)])
