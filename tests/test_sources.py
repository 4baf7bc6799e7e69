"""The source declarations (finsam.sources): one registry, one shape, and the finding codes each one declares."""
import datetime as dt
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import finsam.sources
from finsam.build import steps
from finsam.config import PROJECT_ROOT
from finsam.io.tables import ROW
from finsam.sources.registry import SOURCES
from finsam.sources.source import Source

CODE = re.compile(r'"([a-z][a-z0-9_]*)",\s*(?:FEL|VARNING|INFO)\b')  # Finding("code", FEL, ...) and its variants


def test_the_registry_is_the_only_list_of_sources():
    declared = {}
    for module in pkgutil.iter_modules(finsam.sources.__path__):
        mod = importlib.import_module(f"finsam.sources.{module.name}")
        declared.update({id(v): v for v in vars(mod).values() if isinstance(v, Source)})
    assert {id(k) for k in SOURCES} == set(declared), "a source module's declaration is not in the registry"
    assert steps.SOURCES is SOURCES
    for attribute in ("name", "folder", "kalla"):
        values = [getattr(k, attribute) for k in SOURCES]
        assert len(set(values)) == len(values), f"two sources share a {attribute}"


def test_each_source_has_the_same_shape():
    for k in SOURCES:
        assert list(inspect.signature(k.parse, follow_wrapped=False).parameters)[:2] == ["path", "fil"]
        assert len(inspect.signature(k.parse, follow_wrapped=False).parameters) == 3
        assert k.columns and k.findings and k.combine is not None
        # the pandera model checks the columns the header declares (and the row number)
        args = {"today": dt.date(2026, 6, 30), "years": [], "counts": [], "shares": [], "long": True}
        schema = k.schema(**{p: args[p] for p in inspect.signature(k.schema).parameters})
        assert set(schema.columns) - {ROW} <= {c.name for c in k.columns}, k.name


def test_every_finding_code_an_ingest_can_emit_is_declared_by_a_source():
    """The codes written in finsam/sources, finsam/io and finsam/ingest are exactly those the sources declare; the
    shared ones (a rejected file, an earlier version, a conflicting duplicate) by every source."""
    emitted = {c for folder in ("sources", "io", "ingest") for path in (PROJECT_ROOT / "finsam" / folder).glob("*.py")
               for c in CODE.findall(path.read_text(encoding="utf-8"))}
    assert emitted == {c for k in SOURCES for c in k.findings}
    by_module = {}
    for k in SOURCES:
        assert {"fil_avvisad", "anvander_tidigare_version", "dubblett_konflikt"} <= set(k.findings), k.name
        by_module.setdefault(Path(inspect.getfile(inspect.unwrap(k.parse))), set()).update(k.findings)
    for module, declared in by_module.items():  # scb_folkmangd declares two sources: its codes are in one of them
        assert set(CODE.findall(module.read_text(encoding="utf-8"))) <= declared, module.name
