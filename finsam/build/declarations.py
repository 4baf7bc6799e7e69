"""The declarations: each SQL step's `sql/<layer>/<name>.yaml` beside its `.sql`, and every finding code in
`sql/findings/koder.yaml`. They are the one place where a mart's columns, types, keys, Swedish labels and
definitions, disclosure classes, loss-guard and revision-guard coverage and blocking checks are written, and which
steps build rows per person (`personniva`: never published); everything else (the pandera model, COMMENT ON, the
Dagster asset, the workbook's definitions, the disclosure rule, the loss guard, the revision guard, the reference
docs, the tables dropped before publishing) is derived from them here or from what this module returns.

A declaration that lacks a label, a definition or a disclosure class, names an unknown key, or a check without its
SQL file is refused when the definitions load (DeclarationError, naming the file and the column), not at 02:00.
Keys are Swedish (they are data); the code that reads them is English.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandera.polars as pa
import polars as pl
import yaml

from finsam.config import AVSLUT_KATEGORIER, FORSORJNING_KATEGORIER
from finsam.config.insatser import TYPER
from finsam.config.samhallsekonomi import AKTORER

LAYERS = ("staging", "findings", "marts")
CHECKS = "checks"
CODES = "findings/koder.yaml"

# TIMESTAMPTZ is a moment: DuckDB hands it over in its session's time zone, and the contract compares it in UTC
# (finsam.build.runner.contract_problems).
TYPES = {"VARCHAR": pl.String, "INTEGER": pl.Int32, "BIGINT": pl.Int64, "DOUBLE": pl.Float64,
         "BOOLEAN": pl.Boolean, "DATE": pl.Date, "TIMESTAMP": pl.Datetime("us"),
         "TIMESTAMPTZ": pl.Datetime("us", "UTC")}
# Disclosure classes: personer = a count of persons (1..threshold-1 shown as "<5"); beskriver = describes the
# persons a count of the same row counts (a median of their days); belopp = money; kvot = a ratio or share;
# antal = a count of something other than persons in a service (population, files); text = codes, names, years,
# dates and flags, shown as they are. A kvot or beskriver column of a mart that counts persons names the counts of
# its row it is built on (av: [..], empty for a ratio of money): it is hidden wherever one of them is suppressed.
DISCLOSURE = ("personer", "beskriver", "belopp", "kvot", "antal", "text")
# The types each class may have: a count of persons is whole, money and ratios are DOUBLE, and text is never a
# number that could be a count or an amount (a count hidden as text would escape suppression and the loss guard).
CLASS_TYPES = {"personer": ("BIGINT",), "beskriver": ("DOUBLE", "BIGINT"), "belopp": ("DOUBLE",),
               "kvot": ("DOUBLE",), "antal": ("BIGINT", "DOUBLE"),
               "text": ("VARCHAR", "INTEGER", "BOOLEAN", "DATE", "TIMESTAMP", "TIMESTAMPTZ")}
# What the loss guard watches by default: the counts and the money. A ratio or a description of persons is built
# from the counts and money of its row (watched themselves), and honestly becomes NULL when new data makes its
# denominator 0 (the one person who ended a year re-enrolled): that is no loss.
WATCHED_CLASSES = ("personer", "belopp", "antal")
# Value lists a column may name instead of writing them out (they live in config or code already); "fyndkoder" is
# every code of sql/findings/koder.yaml.
VALUE_LISTS = {"avslut_kategorier": [*AVSLUT_KATEGORIER, "okand"], "insatstyper": [*TYPER, "okand"],
               "forsorjning_kategorier": [*FORSORJNING_KATEGORIER, "okand"], "aktorer": list(AKTORER)}
SEVERITIES = ("fel", "varning", "info")
AREAS = ("deltagare", "ekonomi", "kapital", "tilldelning", "befolkning", "helar", "fil")
SHOWN = ("tecken", "andel", "antal")

STEP_KEYS = {"steg", "grupp", "etikett", "beskrivning", "beskrivning_en", "komplett", "samlar", "sist", "kontroller",
             "kolumner", "vakt_undantag", "personniva", "revision_undantag", "jamfor_publicerat", "kalla_visas",
             "celler", "celler_som"}
COLUMN_KEYS = {"namn", "typ", "nyckel", "etikett", "definition", "definition_en", "skydd", "av", "tom", "unik",
               "min", "max", "varden", "monster", "vakt", "revision", "taljare", "namnare", "faktor"}
CHECK_KEYS = {"namn", "beskrivning", "beskrivning_en", "blockerande"}
CELL_KEYS = {"niva", "del", "namn"}
CODE_KEYS = {"allvarlighet", "text", "omrade", "visning", "beskrivning", "beskrivning_en", "riktvarde"}


# Every mart keyed by year (ar in its key) has the column helt_ar, declared here once and computed by the runner after
# the mart's SQL (finsam.build.runner.HELT_AR), so that no mart, and no mart added later, can leave the partial
# current year unmarked. A mart's own declaration of helt_ar takes its place.
HELT_AR = "helt_ar"


class DeclarationError(Exception):
    """A declaration file is incomplete or inconsistent: the definitions do not load."""


@dataclass(frozen=True)
class Column:
    namn: str
    typ: str
    etikett: str
    definition: str
    skydd: str
    definition_en: str = ""
    nyckel: bool = False
    tom: bool = False
    unik: bool = False
    min: float | None = None
    max: float | None = None
    varden: tuple | None = None
    monster: str | None = None
    av: tuple[str, ...] | None = None
    vakt: bool = True
    revision: bool = True
    # A ratio's own definition, written once: faktor x Σ taljare ÷ Σ namnare, each a list of columns summed (of the
    # mart or of the marts it is built from). The report's "Totalt länet" and marts.jamforelse_referens_ar pool a
    # ratio over förbund by these terms (register.kvoter), never by averaging the förbund's ratios.
    taljare: tuple[str, ...] | None = None
    namnare: tuple[str, ...] | None = None
    faktor: float = 1.0

    @property
    def is_watched(self) -> bool:
        """The loss guard compares it with the live warehouse: a count or an amount, unless it says vakt: false."""
        return not self.nyckel and self.skydd in WATCHED_CLASSES and self.vakt

    @property
    def is_revised(self) -> bool:
        """A change of its published value for a closed year is a revision (finsam.publish.revision): every figure
        (a count, an amount, a ratio, a description of persons), unless it says revision: false (a row number)."""
        return not self.nyckel and self.skydd != "text" and self.revision

    def pandera(self) -> pa.Column:
        checks = []
        if self.min is not None:
            checks.append(pa.Check.ge(self.min))
        if self.max is not None:
            checks.append(pa.Check.le(self.max))
        if self.varden is not None:
            checks.append(pa.Check.isin(list(self.varden)))
        if self.monster is not None:
            checks.append(pa.Check.str_matches(self.monster))
        return pa.Column(TYPES[self.typ], checks=checks, nullable=self.tom, unique=self.unik,
                         description=self.definition, title=self.etikett)


@dataclass(frozen=True)
class Check:
    """A check that is a query: sql/checks/<step>.<namn>.sql returns the rows that break the rule. A blocking one
    (the default) stops the run; one declared `blockerande: false` is a warning: the run goes on and publishes, and
    Dagster shows the asset in yellow."""
    step: str
    namn: str
    beskrivning: str
    beskrivning_en: str
    path: Path
    blockerande: bool = True

    @property
    def query(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Celler:
    """Which secondary-suppression cell (finsam.report.disclosure) each person-count column of one mart's rows is:
    `niva` the column of the insats level ('*' when the mart has none), `del_` the key column whose value completes
    a split's name, `namn` (column, cell name) pairs ({} = the del_ value); a personer column not named is its own
    cell. Declared as the mart's `celler`."""
    niva: str | None
    del_: str | None
    namn: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Declaration:
    steg: str
    grupp: str
    layer: str
    path: Path
    beskrivning: str
    beskrivning_en: str = ""
    etikett: str = ""
    komplett: str | None = None
    samlar: tuple[tuple[str, str], ...] = ()
    sist: bool = False
    kontroller: tuple[Check, ...] = ()
    kolumner: tuple[Column, ...] = ()
    vakt_undantag: str | None = None
    personniva: bool = False  # its tables hold a row per person or spell: the build's only, never published
    revision_undantag: str | None = None  # why a changed figure of this mart is no revision
    jamfor_publicerat: bool = False  # its SQL compares the build with the published warehouse (revisioner)
    kalla_visas: tuple[str, ...] = ()  # where its figures come from, as a reader knows the sources (the report)
    celler: Celler | None = None  # its person counts are cells of the report's secondary suppression
    celler_som: str | None = None  # its person counts are the cells of that mart's (the same numbers)

    @property
    def is_mart(self) -> bool:
        return bool(self.kolumner)

    @property
    def table(self) -> str:
        return f"marts.{self.steg}"

    @property
    def nyckel(self) -> list[str]:
        return [c.namn for c in self.kolumner if c.nyckel]

    def column(self, namn: str) -> Column:
        return next(c for c in self.kolumner if c.namn == namn)

    def of_class(self, *skydd: str) -> tuple[str, ...]:
        return tuple(c.namn for c in self.kolumner if c.skydd in skydd)

    @property
    def watched(self) -> tuple[str, ...]:
        """The columns the loss guard compares with the live warehouse: every count and amount, unless the mart
        (vakt_undantag) or the column (vakt: false) says otherwise."""
        if self.vakt_undantag:
            return ()
        return tuple(c.namn for c in self.kolumner if c.is_watched)

    @property
    def revised(self) -> tuple[str, ...]:
        """The columns whose published values of closed years the revision guard compares with the build: every
        figure, unless the mart is bookkeeping (vakt_undantag) or says why not (revision_undantag), or the column
        says revision: false."""
        if self.vakt_undantag or self.revision_undantag:
            return ()
        return tuple(c.namn for c in self.kolumner if c.is_revised)

    def schema(self) -> pa.DataFrameSchema:
        """The pandera model the mart is validated against: strict (no column more or less), its key unique."""
        return pa.DataFrameSchema({c.namn: c.pandera() for c in self.kolumner}, strict=True,
                                  unique=self.nyckel or None, name=self.steg, title=self.etikett,
                                  description=self.beskrivning)


def _fail(path: Path, what: str) -> DeclarationError:
    return DeclarationError(f"{path}: {what}")


def _text(entry: dict, key: str, path: Path, where: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()) or value == "TODO":
        if required:
            raise _fail(path, f"{where} has no {key}")
        return ""
    if not isinstance(value, str):
        raise _fail(path, f"{where}: {key} found {value!r}, expected text")
    return " ".join(value.split())


def _unknown(entry: dict, allowed: set[str], path: Path, where: str) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise _fail(path, f"{where}: unknown key(s) {', '.join(extra)}; expected some of {', '.join(sorted(allowed))}")


def _column(entry: dict, path: Path, lists: dict[str, list]) -> Column:
    if not isinstance(entry, dict) or not entry.get("namn"):
        raise _fail(path, f"a column entry without namn: {entry!r}")
    where = f"column {entry['namn']}"
    _unknown(entry, COLUMN_KEYS, path, where)
    if entry.get("typ") not in TYPES:
        raise _fail(path, f"{where}: typ found {entry.get('typ')!r}, expected one of {', '.join(TYPES)}")
    skydd = entry.get("skydd")
    if skydd not in DISCLOSURE:
        raise _fail(path, f"{where} has no disclosure class: skydd found {skydd!r}, expected one of "
                          f"{', '.join(DISCLOSURE)}")
    if entry["typ"] not in CLASS_TYPES[skydd]:
        raise _fail(path, f"{where}: skydd {skydd} does not fit typ {entry['typ']}: a {skydd} column is "
                          f"{' or '.join(CLASS_TYPES[skydd])}")
    av = entry.get("av")
    if av is not None and (skydd not in ("kvot", "beskriver") or not isinstance(av, list)):
        raise _fail(path, f"{where}: av (the person counts it is built on) is a list, on a kvot or beskriver column")
    if skydd == "beskriver" and not av:
        raise _fail(path, f"{where}: a beskriver column names the count whose persons it describes (av: [..])")
    varden = entry.get("varden")
    if isinstance(varden, str):
        if varden not in lists:
            raise _fail(path, f"{where}: varden found {varden!r}, expected a list or one of {', '.join(lists)}")
        varden = lists[varden]
    for flag in ("vakt", "revision"):
        if flag in entry and not isinstance(entry[flag], bool):
            raise _fail(path, f"{where}: {flag} found {entry[flag]!r}, expected true or false")
    termer = {k: entry.get(k) for k in ("taljare", "namnare")}
    if any(v is not None for v in termer.values()):
        if skydd != "kvot" or not all(isinstance(v, list) and v and all(isinstance(t, str) for t in v)
                                      for v in termer.values()):
            raise _fail(path, f"{where}: taljare and namnare (the columns a ratio sums) are both non-empty lists of "
                              f"column names, on a kvot column; found taljare {termer['taljare']!r}, namnare "
                              f"{termer['namnare']!r}, skydd {skydd}")
    faktor = entry.get("faktor", 1.0)
    if (not isinstance(faktor, int | float) or isinstance(faktor, bool)
            or (termer["taljare"] is None and "faktor" in entry)):
        raise _fail(path, f"{where}: faktor found {faktor!r}, expected a number, on a column with taljare and namnare")
    return Column(namn=entry["namn"], typ=entry["typ"], etikett=_text(entry, "etikett", path, where),
                  definition=_text(entry, "definition", path, where), skydd=skydd,
                  definition_en=_text(entry, "definition_en", path, where, required=False),
                  nyckel=bool(entry.get("nyckel")), tom=bool(entry.get("tom")), unik=bool(entry.get("unik")),
                  min=entry.get("min"), max=entry.get("max"), varden=tuple(varden) if varden else None,
                  monster=entry.get("monster"), av=tuple(av) if av is not None else None,
                  vakt=entry.get("vakt", True), revision=entry.get("revision", True),
                  taljare=tuple(termer["taljare"]) if termer["taljare"] else None,
                  namnare=tuple(termer["namnare"]) if termer["namnare"] else None, faktor=float(faktor))


def _helt_ar() -> Column:
    return Column(namn=HELT_AR, typ="BOOLEAN", etikett="Helt år", skydd="text",
                  definition="sant när året är avslutat (året före körningens år eller tidigare, "
                             "register.installningar.sista_stangda_ar); falskt för det påbörjade året, vars siffror "
                             "ännu växer och som rapporten inte visar i tidsserierna eller nyckeltalen",
                  definition_en="true when the year is complete (before the year of the run, "
                                "register.installningar.sista_stangda_ar); false for the partial current year, whose "
                                "figures still grow and which the report leaves out of its year series and key "
                                "figures")


def _celler(raw, columns: tuple[Column, ...], path: Path) -> Celler | None:
    """The mart's `celler`: niva and del columns of the mart, namn a mapping of its personer columns to cell names
    with {} (the del value) only where there is a del."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(path, f"celler found {raw!r}, expected a mapping with some of {', '.join(sorted(CELL_KEYS))}")
    _unknown(raw, CELL_KEYS, path, "celler")
    names = {c.namn for c in columns}
    for key in ("niva", "del"):
        if key in raw and raw[key] not in names:
            raise _fail(path, f"celler: {key} found {raw[key]!r}, expected a column of this mart")
    namn = raw.get("namn") or {}
    if not isinstance(namn, dict):
        raise _fail(path, f"celler: namn found {namn!r}, expected a mapping of column to cell name")
    persons = {c.namn for c in columns if c.skydd == "personer"}
    for column, cell in namn.items():
        if column not in persons:
            raise _fail(path, f"celler: namn {column!r} is no personer column of this mart")
        if (not isinstance(cell, str) or not cell.strip() or "{" in cell.replace("{}", "")
                or "}" in cell.replace("{}", "") or ("{}" in cell and "del" not in raw)):
            raise _fail(path, f"celler: namn {column}: found {cell!r}, expected a cell name, with {{}} (the del "
                              "column's value) only when celler has del")
    return Celler(raw.get("niva"), raw.get("del"), tuple(namn.items()))


# libyaml's safe loader where PyYAML has it: the same documents, read ten times faster (the declarations are read
# on every start of the pipeline, the UI and the tests: 0.4 s in pure Python)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}


def _declaration(path: Path, sql_dir: Path, lists: dict[str, list]) -> Declaration:
    raw = _yaml(path)
    _unknown(raw, STEP_KEYS, path, "the step")
    name, layer = path.stem, path.parent.name
    if raw.get("steg") != name:
        raise _fail(path, f"steg found {raw.get('steg')!r}, expected {name!r} (the file's name)")
    if not (path.with_suffix(".sql")).exists():
        raise _fail(path, f"no SQL beside it: expected {path.with_suffix('.sql').name}")
    columns = tuple(_column(c, path, lists) for c in raw.get("kolumner") or ())
    if any(c.namn == "ar" and c.nyckel for c in columns) and HELT_AR not in {c.namn for c in columns}:
        columns += (_helt_ar(),)
    names = [c.namn for c in columns]
    if len(set(names)) != len(names):
        raise _fail(path, f"a column is declared twice: {sorted(n for n in names if names.count(n) > 1)}")
    persons = {c.namn for c in columns if c.skydd == "personer"}
    for c in columns:
        if c.av is not None and not set(c.av) <= persons:
            raise _fail(path, f"column {c.namn}: av {sorted(set(c.av) - persons)} is no personer column of this mart")
        if persons and c.skydd in ("kvot", "beskriver") and c.av is None:
            raise _fail(path, f"column {c.namn}: a {c.skydd} column of a mart that counts persons names the counts it "
                              "is built on (av: [..], [] when none), so that it is hidden where they are")
    checks = []
    for entry in raw.get("kontroller") or ():
        where = f"check {entry.get('namn')}"
        _unknown(entry, CHECK_KEYS, path, where)
        check_path = sql_dir / CHECKS / f"{name}.{entry.get('namn')}.sql"
        if not check_path.exists():
            raise _fail(path, f"{where}: its query {check_path.relative_to(sql_dir.parent)} does not exist")
        blocking = entry.get("blockerande", True)
        if not isinstance(blocking, bool):
            raise _fail(path, f"{where}: blockerande found {blocking!r}, expected true or false")
        checks.append(Check(name, entry["namn"], _text(entry, "beskrivning", path, where),
                            _text(entry, "beskrivning_en", path, where, required=False), check_path, blocking))
    if columns and layer != "marts":
        raise _fail(path, "only a mart (sql/marts/) declares columns")
    for flag in ("personniva", "jamfor_publicerat"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise _fail(path, f"{flag} found {raw[flag]!r}, expected true or false")
    if raw.get("personniva") and layer == "marts":
        raise _fail(path, "a mart is published, so it cannot be personniva: count persons in it, or build the "
                          "person-level rows in a step of sql/staging/")
    kallor = raw.get("kalla_visas") or []
    if not isinstance(kallor, list) or not all(isinstance(k, str) and k.strip() for k in kallor):
        raise _fail(path, f"kalla_visas found {kallor!r}, expected a list of source names as readers know them "
                          "(e.g. [SUS-registreringar, Årsredovisningar])")
    if layer == "marts" and not columns:
        raise _fail(path, "a mart declares its columns (kolumner)")
    if ("celler" in raw or "celler_som" in raw) and layer != "marts":
        raise _fail(path, "only a mart (sql/marts/) declares celler or celler_som")
    if "celler" in raw and "celler_som" in raw:
        raise _fail(path, "a mart declares its own celler or names the mart whose cells its counts are (celler_som), "
                          "not both")
    celler_som = raw.get("celler_som")
    if celler_som is not None and (not isinstance(celler_som, str) or not celler_som.strip()):
        raise _fail(path, f"celler_som found {celler_som!r}, expected the name of a mart with celler")
    if columns and not raw.get("vakt_undantag") and not any(c.is_watched for c in columns):
        raise _fail(path, "a mart without counts or amounts says why the loss guard does not watch it "
                          "(vakt_undantag)")
    if columns and not raw.get("vakt_undantag") and not {"forbund", "ar"} <= {c.namn for c in columns if c.nyckel}:
        raise _fail(path, "the loss guard compares a mart per förbund and year on its key: declare a key (nyckel) "
                          "with forbund and ar, or say why the guard does not watch it (vakt_undantag)")
    return Declaration(steg=name, grupp=raw.get("grupp") or layer, layer=layer, path=path,
                       beskrivning=_text(raw, "beskrivning", path, "the step"),
                       beskrivning_en=_text(raw, "beskrivning_en", path, "the step", required=False),
                       etikett=_text(raw, "etikett", path, "the mart", required=bool(columns)),
                       komplett=raw.get("komplett"), samlar=tuple((raw.get("samlar") or {}).items()),
                       sist=bool(raw.get("sist")), kontroller=tuple(checks), kolumner=columns,
                       vakt_undantag=_text(raw, "vakt_undantag", path, "the mart", required=False) or None,
                       personniva=bool(raw.get("personniva")),
                       revision_undantag=_text(raw, "revision_undantag", path, "the mart", required=False) or None,
                       jamfor_publicerat=bool(raw.get("jamfor_publicerat")), kalla_visas=tuple(kallor),
                       celler=_celler(raw.get("celler"), columns, path), celler_som=celler_som)


@cache
def load(sql_dir: Path) -> dict[str, Declaration]:
    """step name -> its declaration, for every sql/<layer>/<name>.yaml, marts last (each layer's files by name).
    Refuses a check file no declaration names."""
    out: dict[str, Declaration] = {}
    lists = {**VALUE_LISTS, "fyndkoder": sorted(codes(sql_dir))}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.yaml")):
            if path.name == Path(CODES).name:
                continue
            declaration = _declaration(path, sql_dir, lists)
            if declaration.steg in out:
                raise _fail(path, f"step {declaration.steg} is declared twice")
            out[declaration.steg] = declaration
    for d in out.values():
        target = out.get(d.celler_som) if d.celler_som else None
        if d.celler_som and (target is None or target.celler is None):
            raise _fail(d.path, f"celler_som found {d.celler_som!r}, expected a mart that declares celler")
        if target and not {c for c in (target.celler.niva, target.celler.del_) if c} <= {c.namn for c in d.kolumner}:
            raise _fail(d.path, f"celler_som {d.celler_som}: this mart lacks its niva or del column "
                                f"({target.celler.niva}, {target.celler.del_})")
    known = {c.path.name for d in out.values() for c in d.kontroller}
    orphans = sorted(p.name for p in (sql_dir / CHECKS).glob("*.sql") if p.name not in known)
    if orphans:
        raise DeclarationError(f"{sql_dir / CHECKS}: {', '.join(orphans)} belong(s) to no declared check")
    return out


@dataclass(frozen=True)
class Code:
    """A finding code (marts.datakvalitet.regel)."""
    kod: str
    allvarlighet: tuple[str, ...]
    text: str
    omrade: str
    beskrivning: str
    beskrivning_en: str = ""
    visning: str | None = None
    # A guideline's threshold (a share, 0.20 = 20 %): the code is about how the förbund keeps its money, not about
    # its data, so the report draws the threshold as a reference line and no data-quality ring. None: a data check.
    riktvarde: float | None = None


@cache
def codes(sql_dir: Path) -> dict[str, Code]:
    """Every finding code, from sql/findings/koder.yaml."""
    path = sql_dir / CODES
    raw = _yaml(path).get("koder") or {}
    out = {}
    for kod, entry in raw.items():
        where = f"code {kod}"
        _unknown(entry, CODE_KEYS, path, where)
        severities = tuple(entry.get("allvarlighet") or ())
        if not severities or set(severities) - set(SEVERITIES):
            raise _fail(path, f"{where}: allvarlighet found {list(severities)}, expected some of {SEVERITIES}")
        if entry.get("omrade") not in AREAS:
            raise _fail(path, f"{where}: omrade found {entry.get('omrade')!r}, expected one of {', '.join(AREAS)}")
        if entry.get("visning") not in (None, *SHOWN):
            raise _fail(path, f"{where}: visning found {entry.get('visning')!r}, expected one of {', '.join(SHOWN)}")
        riktvarde = entry.get("riktvarde")
        if riktvarde is not None and (isinstance(riktvarde, bool) or not isinstance(riktvarde, int | float)
                                      or not 0 < riktvarde <= 1):
            raise _fail(path, f"{where}: riktvarde found {riktvarde!r}, expected a share above 0 and at most 1")
        out[kod] = Code(kod, severities, _text(entry, "text", path, where), entry["omrade"],
                        _text(entry, "beskrivning", path, where),
                        _text(entry, "beskrivning_en", path, where, required=False), entry.get("visning"),
                        None if riktvarde is None else float(riktvarde))
    return out
