"""Every source, in one place: the only list of them. The build's ingestion steps (finsam.build.steps) and so their
assets, and the raw-file sensor's scan of raw/ (finsam.ingest.inventory), all read SOURCES. A new source is a module
that ends in `SOURCE = Source(...)` (finsam.sources.source) and one line here; the order is the steps' order."""
from __future__ import annotations

from finsam.sources import (
    avslut_rapporterade,
    budget,
    ekonomi,
    indikatorer,
    scb_folkmangd,
    scb_helarsekvivalenter,
    sus,
    sus_aggregat,
    tilldelning,
    uppfoljning,
    uppfoljning_efter_avslut,
)
from finsam.sources.source import FILER, FYND, Source

__all__ = ["FILER", "FYND", "SOURCES", "Source"]

SOURCES: tuple[Source, ...] = (
    sus.SOURCE,
    sus_aggregat.SOURCE,
    uppfoljning.SOURCE,
    avslut_rapporterade.SOURCE,
    uppfoljning_efter_avslut.SOURCE,
    indikatorer.SOURCE,
    ekonomi.SOURCE,
    tilldelning.SOURCE,
    budget.SOURCE,
    scb_folkmangd.SOURCE,
    scb_folkmangd.SOURCE_NOV,
    scb_helarsekvivalenter.SOURCE,
)
