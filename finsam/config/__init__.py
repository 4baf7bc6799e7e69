"""Configuration from $FINSAM_CONFIG_DIR: förbund registry, settings and mappings, validated on load."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from finsam.io import limits
from finsam.io.findings import ConfigError
from finsam.io.limits import InputLimits
from finsam.paths import project_root

PROJECT_ROOT = project_root()  # the checkout, or the copies an installed wheel ships (finsam.paths)
COUNTY_CODES = {"01", *(f"{c:02d}" for c in range(3, 11)), "12", "13", "14", *(f"{c:02d}" for c in range(17, 26))}
AVSLUT_KATEGORIER = ("arbete", "studier", "arbetssokande", "studieredo", "annan_insats", "sjukdom", "flytt",
                     "avbrott", "ovrigt")
AVSLUT_STOD = ("med_stod", "utan_stod")
# What a SUS export's Försörjning före/efter texts map to (config/forsorjning.csv); an unknown text is okand.
FORSORJNING_KATEGORIER = ("arbete", "studier", "arbetsloshet", "sjukpenning_ae", "aktivitetsstod", "forsorjningsstod",
                          "ingen", "annan")
SUS_STANGD = dt.date(2023, 4, 30)  # SUS closed on 30 April 2023; installningar.yaml's sus_stangd when absent
JA_NEJ = {"ja": True, "nej": False}
BUDGET_VARNING = 0.1     # installningar.yaml's budget_varning when absent: a prognosis 10 % over the budget
REVISION_TOLERANS = 0.01  # installningar.yaml's revision_tolerans when absent: 1 % relative change
VIKT_STANDARD = 5   # points off the data-quality score per finding of a rule datakvalitet_vikter.csv does not list


def data_dir() -> Path:
    return Path(os.environ.get("FINSAM_DATA_DIR") or PROJECT_ROOT / "data")


def dagster_home() -> Path:
    """Where Dagster keeps runs and events unless DAGSTER_HOME says: .dagster_home/ in a checkout, else in the
    data directory (an installed package's own folder may be read-only)."""
    in_checkout = (PROJECT_ROOT / "pyproject.toml").is_file()
    return (PROJECT_ROOT if in_checkout else data_dir()) / ".dagster_home"


def config_dir() -> Path:
    return Path(os.environ.get("FINSAM_CONFIG_DIR") or PROJECT_ROOT / "config")


def norm_name(text: str) -> str:
    """How names are compared everywhere: case-insensitive, whitespace folded, in one Unicode form (NFC: an 'ä'
    written as 'a' and a combining diaeresis, as macOS writes file contents and names, is the 'ä' of the config)."""
    return unicodedata.normalize("NFC", " ".join(str(text).split()).casefold())


@dataclass(frozen=True)
class Medlem:
    kommun: str
    namn: str
    fran: dt.date
    till: dt.date | None

    def member_on(self, day: dt.date) -> bool:
        return self.fran <= day and (self.till is None or self.till >= day)


@dataclass(frozen=True)
class Forbund:
    kod: str
    namn: str
    sus_namn: tuple[str, ...]
    region: str
    medlemmar: tuple[Medlem, ...]

    def kommuner(self, ar: int) -> list[Medlem]:
        """Members that count for year `ar`: members on 31 December."""
        return [m for m in self.medlemmar if m.member_on(dt.date(ar, 12, 31))]


@dataclass(frozen=True)
class Registry:
    forbund: tuple[Forbund, ...]

    def kod_for(self, name: str) -> str | None:
        return self._aliases.get(norm_name(name))

    @functools.cached_property
    def _aliases(self) -> dict[str, str]:
        """Built once per registry (cached_property writes the instance dict, which frozen allows)."""
        return {norm_name(a): f.kod for f in self.forbund for a in (f.kod, f.namn, *f.sus_namn)}


ARKIV_BEHALL = 5      # versions of each input file the archive keeps beside those in use
VANTA_SEKUNDER = 60   # seconds raw/ must stay unchanged before the sensor starts a run (a file may be being copied)


@dataclass(frozen=True)
class Settings:
    ar_fran: int
    ar_till: int
    malgrupp_andel: float
    undertryck_under: int
    sus_stangd: dt.date | None = SUS_STANGD   # the day SUS closed (no registrations after it); None = not closed
    personuppgifter: bool = True              # False: person-level files (raw/sus/) are refused unread
    svarsfrekvens_varning: float = 0.5        # a follow-up after avslut answered by fewer: lag_svarsfrekvens
    tackningsgrad_varning: float = 0.3        # a participant survey answered by fewer of the year's deltagare:
    #                                           lag_tackningsgrad
    arkiv_behall: int = ARKIV_BEHALL          # arkiv/ keeps the versions in use plus this many per file
    vanta_sekunder: int = VANTA_SEKUNDER      # the sensor starts a run once raw/ has been unchanged this long
    revision_tolerans: float = REVISION_TOLERANS  # a closed year's figure changing by more stops publishing
    grans_indata: InputLimits = InputLimits()  # what a file may hold before it is read (finsam.io.limits)
    budget_varning: float = BUDGET_VARNING    # a cost kategori's prognosis over its budget by more: prognos_over_budget

    @property
    def years(self) -> list[int]:
        return list(range(self.ar_fran, self.ar_till + 1))


def _date(value, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):   # YAML reads 2009-01-01 10:00 as a moment, which is a date too
        raise ConfigError(f"{where}: found {value.isoformat(' ')!r}, expected a date YYYY-MM-DD (without a time)")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: found {value!r}, expected a date YYYY-MM-DD") from None


class YamlMapping(dict):
    """A mapping of a config YAML file, with the line (1-based) of each of its keys: messages name the line."""
    lines: dict


class YamlList(list):
    """A list of a config YAML file, with the line (1-based) of each of its items."""
    lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (its C parser, libyaml, where PyYAML has it: forbund.yaml of 80 förbund took 0.2 s of
    every run's start in Python), whose mappings and lists keep their lines, and which refuses a key given twice
    (PyYAML would keep the last silently)."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMapping:
    """A mapping with its keys' lines. Merge keys (<<: *anchor, or <<: [*a, *b]) as YAML says: a key of the mapping
    itself overrides a merged one, and of several merged mappings the first listed wins (PyYAML's flatten_mapping
    kept the first or the last by whether the key's text object happened to be shared); a key the mapping itself
    gives twice is an error."""
    data = YamlMapping()
    data.lines = {}
    merged: list[tuple] = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            for source in value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                mapping = loader.construct_object(source, deep=True)
                if not isinstance(mapping, dict):
                    raise yaml.constructor.ConstructorError(None, None, "a merge key (<<) whose value is not a "
                                                            "mapping or a list of mappings", source.start_mark)
                merged += [(k, v, mapping.lines.get(k)) for k, v in mapping.items()]
            continue
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | dt.date | None):
            raise yaml.constructor.ConstructorError(None, None, "a key that is a list or a mapping",
                                                    key_node.start_mark)
        if key in data.lines:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice (first on line "
                                                    f"{data.lines[key]})", key_node.start_mark)
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = key_node.start_mark.line + 1
    for key, value, line in merged:
        if key not in data:
            data[key] = value
            data.lines[key] = line
    return data


def _list(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    data = YamlList(loader.construct_object(item, deep=True) for item in node.value)
    data.lines = [item.start_mark.line + 1 for item in node.value]
    return data


def _skalar(konstruktor, vad: str):
    """PyYAML's constructor of a date, number or moment, its error (30 February, a month 13, a number of more
    digits than Python converts) given the value's line: PyYAML raised a bare ValueError, which named no file."""
    def konstruera(loader: _Loader, node: yaml.ScalarNode):
        try:
            return konstruktor(loader, node)
        except (ValueError, OverflowError) as e:
            visat = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            orsak = str(e).split(";")[0]   # Python's advice on its digit limit is not the operator's
            raise yaml.constructor.ConstructorError(None, None, f"{visat!r} is not a valid {vad} ({orsak})",
                                                    node.start_mark) from None
    return konstruera


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _list)
_Loader.add_constructor("tag:yaml.org,2002:timestamp",
                        _skalar(yaml.constructor.SafeConstructor.construct_yaml_timestamp, "date"))
_Loader.add_constructor("tag:yaml.org,2002:int", _skalar(yaml.constructor.SafeConstructor.construct_yaml_int,
                                                         "whole number"))
_Loader.add_constructor("tag:yaml.org,2002:float", _skalar(yaml.constructor.SafeConstructor.construct_yaml_float,
                                                           "number"))


def _line(data, key) -> str:
    """'line N, ' where `key` (a key of a mapping, or an index of a list) is in its YAML file; '' if not known."""
    lines = getattr(data, "lines", None)
    try:
        return f"line {lines[key]}, " if lines is not None else ""
    except (KeyError, IndexError):
        return ""


def _shown(value) -> str:
    """A value as a message shows what was found: a list or mapping by its kind, a blank as nothing."""
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None or value == "" else repr(value)


def _yaml(cfg: Path, name: str) -> YamlMapping:
    path = cfg / name
    if not path.exists():
        raise ConfigError(f"{path}: missing (config dir {cfg}, set by FINSAM_CONFIG_DIR)")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}, " if mark is not None else ""
        problem = " ".join(p for p in (getattr(e, "context", None), getattr(e, "problem", None)) if p) or str(e)
        if isinstance(e, yaml.reader.ReaderError) and isinstance(e.character, int):   # a character YAML refuses
            text = path.read_text(encoding="utf-8")[:e.position]
            where = f"line {text.count(chr(10)) + 1}, column {len(text) - text.rfind(chr(10))}, "
            problem = f"character U+{e.character:04X}: {e.reason}"
        raise ConfigError(f"{path}: {where}not valid YAML: {problem}") from None
    if data is None:
        data = YamlMapping()
        data.lines = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: line 1, found {_shown(data)}, expected a mapping (key: value) at the top level")
    return data


def _not_utf8(path: Path) -> ConfigError:
    """The error for a config file that is not UTF-8, naming the line and the first byte that is not."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        return ConfigError(f"{path}: line {line}, byte 0x{data[e.start]:02X} is not UTF-8, expected a UTF-8 file "
                           "(save it again as UTF-8)")
    return ConfigError(f"{path}: not UTF-8, expected a UTF-8 file (save it again as UTF-8)")


# The förbund code marts.datakvalitet_poang scores a rejected file under when the file names no förbund.
OKAND_FORBUND = "okand"
FORBUND_KEYS = ("kod", "namn", "sus_namn", "region", "medlemmar")
MEDLEM_KEYS = ("kommun", "namn", "fran", "till")


def _entry(value, path: Path, within, index, what: str, keys: tuple[str, ...]) -> YamlMapping:
    """A list item that should be a mapping of `keys` (the ones it may have): a ConfigError naming its line if it
    is something else or has a key the loader does not read (a typo would be ignored)."""
    where = f"{path}: {_line(within, index)}{what}"
    if not isinstance(value, dict):
        raise ConfigError(f"{where} found {_shown(value)}, expected a mapping with the keys {', '.join(keys)}")
    unknown = [k for k in value if k not in keys]
    if unknown:
        raise ConfigError(f"{path}: {_line(value, unknown[0])}{what}: key {unknown[0]!r} is not read, expected "
                          f"one of {', '.join(keys)}")
    return value


def _text(data, key, path: Path, what: str) -> str:
    """A text value of a mapping (`key`) or a list (an index): a number is read as its text, blank or absent is '';
    a list, mapping, yes/no or date is a ConfigError naming the line."""
    value = data.get(key) if isinstance(data, dict) else data[key]
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        label = key if isinstance(key, str) else f"item {key + 1}"
        raise ConfigError(f"{path}: {_line(data, key)}{what}{label} found {_shown(value)}, expected a text")
    return str(value)


def _texts(data, key, path: Path, what: str) -> tuple[str, ...]:
    """A list of texts (['a', 'b'] or one '- a' per line); absent or blank is none."""
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{path}: {_line(data, key)}{what}{key} found {_shown(value)}, expected a list of texts "
                          "([a, b] or one '- a' per line)")
    return tuple(_text(value, i, path, f"{what}{key} ") for i in range(len(value)))


def load_registry(cfg: Path) -> Registry:
    path = cfg / "forbund.yaml"
    data = _yaml(cfg, "forbund.yaml")
    entries = data.get("forbund")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: {_line(data, 'forbund')}forbund found {_shown(entries)}, expected a non-empty "
                          "list under 'forbund' (one '- kod: ...' per förbund)")
    forbund = []
    for i, e in enumerate(entries, 1):
        e = _entry(e, path, entries, i - 1, f"förbund #{i}", FORBUND_KEYS)
        kod = _text(e, "kod", path, f"förbund #{i}: ")
        if not re.fullmatch(r"[a-z0-9_]+", kod):
            raise ConfigError(f"{path}: {_line(e, 'kod')}förbund #{i}: kod found {kod!r}, expected an ASCII slug "
                              "(a-z, 0-9, _)")
        if kod == OKAND_FORBUND:
            raise ConfigError(f"{path}: {_line(e, 'kod')}förbund #{i}: kod found {kod!r}, expected another code: "
                              f"'{OKAND_FORBUND}' stands for an unknown förbund in marts.datakvalitet_poang")
        what = f"förbund '{kod}'"
        region = _text(e, "region", path, f"{what}: ")
        if region not in COUNTY_CODES:
            raise ConfigError(f"{path}: {_line(e, 'region')}{what}: region found {region!r}, expected a county code "
                              "(01, 03-10, 12-14, 17-25)")
        members = e.get("medlemmar") or YamlList()
        if not isinstance(members, list):
            raise ConfigError(f"{path}: {_line(e, 'medlemmar')}{what}: medlemmar found {_shown(members)}, expected "
                              "a list of member kommuner ('- {kommun: \"1814\", namn: ..., fran: YYYY-MM-DD}')")
        medlemmar = []
        for j, m in enumerate(members):
            m = _entry(m, path, members, j, f"{what}, member #{j + 1}", MEDLEM_KEYS)
            kommun = _text(m, "kommun", path, f"{what}: ")
            where = f"{path}: {_line(members, j)}{what}"
            if not re.fullmatch(r"\d{4}", kommun) or kommun[:2] not in COUNTY_CODES:
                raise ConfigError(f"{where}: kommun code found {kommun!r}, expected four digits starting with a "
                                  "county code (01, 03-10, 12-14, 17-25)")
            fran = _date(m.get("fran"), f"{where}, kommun {kommun}, fran")
            till = _date(m.get("till"), f"{where}, kommun {kommun}, till")
            if fran is None:
                raise ConfigError(f"{where}, kommun {kommun}: 'fran' is missing, expected a date YYYY-MM-DD")
            if till is not None and till < fran:
                raise ConfigError(f"{where}, kommun {kommun}: till {till} is before fran {fran}")
            medlemmar.append(Medlem(kommun, _text(m, "namn", path, f"{what}, kommun {kommun}: ") or kommun, fran,
                                    till))
        if not medlemmar:
            raise ConfigError(f"{path}: {_line(entries, i - 1)}{what}: no medlemmar, expected at least one member "
                              "kommun")
        forbund.append(Forbund(kod, _text(e, "namn", path, f"{what}: ") or kod, _texts(e, "sus_namn", path,
                                                                                     f"{what}: "),
                               region, tuple(medlemmar)))
    _check_registry(path, forbund)
    return Registry(tuple(forbund))


def _check_registry(path: Path, forbund: list[Forbund]) -> None:
    seen: dict[str, str] = {}
    for f in forbund:
        if f.kod in seen:
            raise ConfigError(f"{path}: duplicate förbund kod {f.kod!r}")
        seen[f.kod] = f.kod
    aliases: dict[str, str] = {}
    for f in forbund:
        for a in {norm_name(x) for x in (f.kod, f.namn, *f.sus_namn)}:
            if aliases.setdefault(a, f.kod) != f.kod:
                raise ConfigError(f"{path}: name {a!r} is used by both {aliases[a]!r} and {f.kod!r}")
    spells = [(m, f.kod) for f in forbund for m in f.medlemmar]
    for i, (a, fa) in enumerate(spells):
        for b, fb in spells[i + 1:]:
            if a.kommun != b.kommun:
                continue
            a_end, b_end = a.till or dt.date.max, b.till or dt.date.max
            if a.fran <= b_end and b.fran <= a_end:
                raise ConfigError(f"{path}: kommun {a.kommun} ({a.namn}) has overlapping memberships in "
                                  f"{fa!r} ({a.fran}..{a.till or 'open'}) and {fb!r} ({b.fran}..{b.till or 'open'})")


UNDERTRYCK_MIN = 3  # undertryck_under below this would publish counts of 1 or 2 people


def load_settings(cfg: Path, today: dt.date | None = None) -> Settings:
    path = cfg / "installningar.yaml"
    data = _yaml(cfg, "installningar.yaml")
    ar_fran = _whole(data, "ar_fran", 2017, 0, path)
    blank_till = data.get("ar_till") is None or data.get("ar_till") == ""
    ar_till = (today or dt.date.today()).year if blank_till else _whole(data, "ar_till", None, 0, path)
    if ar_till < ar_fran:
        raise ConfigError(f"{path}: ar_till {ar_till} is before ar_fran {ar_fran}")
    andel = _fraction(data, "malgrupp_andel", 0.05, path)
    if andel == 0:
        raise ConfigError(f"{path}: {_line(data, 'malgrupp_andel')}malgrupp_andel found 0, expected a share above 0 "
                          "and at most 1")
    sus_stangd = _date(data["sus_stangd"], f"{path}: {_line(data, 'sus_stangd')}sus_stangd") \
        if "sus_stangd" in data else SUS_STANGD
    return Settings(ar_fran, ar_till, andel, _whole(data, "undertryck_under", 5, UNDERTRYCK_MIN, path), sus_stangd,
                    _ja_nej(data, "personuppgifter", True, path),
                    _fraction(data, "svarsfrekvens_varning", 0.5, path),
                    _fraction(data, "tackningsgrad_varning", 0.3, path),
                    _whole(data, "arkiv_behall", ARKIV_BEHALL, 1, path),
                    _whole(data, "vanta_sekunder", VANTA_SEKUNDER, 0, path),
                    _fraction(data, "revision_tolerans", REVISION_TOLERANS, path), _input_limits(data, path),
                    _fraction(data, "budget_varning", BUDGET_VARNING, path))


def _fraction(data: dict, key: str, default: float, path: Path) -> float:
    """A share from 0 to 1 (0 = never warn); `default` when the key is absent or blank. Anything else is a
    ConfigError naming the file, the line, the key, what was found and what was expected."""
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        found = float(str(value).strip().replace(",", ".")) if isinstance(value, str | int | float) \
            and not isinstance(value, bool) else None
    except ValueError:
        found = None
    if found is None or not 0 <= found <= 1:
        raise ConfigError(f"{path}: {_line(data, key)}{key} found {_shown(value)}, expected a share from 0 to 1 "
                          "(0.5 = 50 %)")
    return found


def _whole(data: dict, key: str, default: int, least: int, path: Path, where: str = "") -> int:
    """A whole-number setting of at least `least` (undertryck_under: UNDERTRYCK_MIN, so that no count of one or
    two people is published); `default` when the key is absent. Anything else (blank, a fraction, text, a number
    below `least`) is a ConfigError naming the line, the key (after `where`, the mapping it is in), what was found
    and what was expected."""
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ConfigError(f"{path}: {_line(data, key)}{where}{key} found {'' if value is None else value!r}, "
                          f"expected a whole number of at least {least}")
    return value


def _input_limits(data: dict, path: Path) -> InputLimits:
    """grans_indata: the readers' limits (finsam.io.limits), a mapping of whole numbers; a limit left out keeps its
    default, and so do all when the mapping is absent or blank."""
    value = data.get(limits.SETTING)
    if value is None:
        return InputLimits()
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {_line(data, limits.SETTING)}{limits.SETTING} found {_shown(value)}, expected a "
                          f"mapping of limits ({', '.join(limits.KEYS)})")
    unknown = [key for key in value if key not in limits.KEYS]
    if unknown:
        raise ConfigError(f"{path}: {_line(value, unknown[0])}{limits.SETTING}: found {unknown[0]!r}, expected one of "
                          f"{', '.join(limits.KEYS)}")
    return InputLimits(**{key: _whole(value, key, 0, limits.MINIMUM.get(key, 1), path, f"{limits.SETTING}: ")
                          for key in value})


def _ja_nej(data: dict, key: str, default: bool, path: Path) -> bool:
    """A ja/nej setting (case and surrounding spaces ignored); `default` when the key is absent. Anything else,
    blank included (a privacy setting is not guessed), is a ConfigError."""
    if key not in data:
        return default
    value = data[key]
    found = JA_NEJ.get(value.strip().casefold()) if isinstance(value, str) else None
    if found is None:
        raise ConfigError(f"{path}: {_line(data, key)}{key} found {'' if value is None else value!r}, expected ja "
                          "or nej")
    return found


def read_config_csv(cfg: Path, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a config CSV as (line number, {column: trimmed text}), blank rows left out. The line is where the
    row starts in the file (a quoted text may span lines). A missing or repeated column, a row with more cells than
    the header (a comma in a text without quotes), a file that is not UTF-8 or not CSV is a ConfigError naming the
    line; a row with fewer cells has the rest blank (a last optional column may be left out)."""
    path = cfg / name
    if not path.exists():
        raise ConfigError(f"{path}: missing (config dir {cfg}, set by FINSAM_CONFIG_DIR)")
    rows, start = [], 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = [norm_name(h) for h in next(reader, [])]
            start = reader.line_num + 1
            missing = [c for c in columns if c not in header]
            if missing:
                raise ConfigError(f"{path}: missing column(s) {missing}, expected header {','.join(columns)}")
            twice = sorted({h for h in header if h and header.count(h) > 1})
            if twice:
                raise ConfigError(f"{path}: line 1, column(s) {twice} appear twice, expected each column once")
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                if any(c.strip() for c in cells[len(header):]):
                    raise ConfigError(f"{path}: line {line}, found {len(cells)} cells, expected at most "
                                      f"{len(header)} ({','.join(header)}): a text with a comma in it goes in "
                                      'double quotes ("a, b")')
                rows.append((line, {c: (cells[i] if i < len(cells) else "").strip() for i, c in enumerate(header)}))
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except csv.Error as e:
        raise ConfigError(f"{path}: line {start}, not readable as CSV ({e}), expected comma-separated cells, a "
                          'text with a comma or a quote in double quotes ("a, b", "a ""b""")') from None
    return rows


def load_avslutsorsak(cfg: Path) -> dict[str, str]:
    """Avslutsorsak text (normalised) -> kategori."""
    return {key: kat for key, (kat, _) in load_avslutsorsak_stod(cfg).items()}


def load_avslutsorsak_stod(cfg: Path) -> dict[str, tuple[str, str | None]]:
    """Avslutsorsak text (normalised) -> (kategori, stod). The optional column `stod` says whether the avslut
    came with continued public support (med_stod, utan_stod); blank or absent = the text does not say."""
    def stod(path: Path, line: int, row: dict[str, str]) -> tuple[str | None]:
        value = row.get("stod") or None
        if value not in (None, *AVSLUT_STOD):
            raise ConfigError(f"{path}: line {line}, stod found {value!r}, expected {' or '.join(AVSLUT_STOD)} "
                              "or blank")
        return (value,)
    return load_text_mapping(cfg, "avslutsorsak.csv", "avslutsorsak", AVSLUT_KATEGORIER, stod)


def load_forsorjning(cfg: Path) -> dict[str, str]:
    """Försörjning text (normalised) -> kategori, from config/forsorjning.csv. The file is optional (a config
    directory from before it existed still builds): without it every text is unknown, counted as okand and named
    in an okand_forsorjning finding."""
    if not (cfg / "forsorjning.csv").exists():
        return {}
    mapping = load_text_mapping(cfg, "forsorjning.csv", "text", FORSORJNING_KATEGORIER)
    return {key: kat for key, (kat,) in mapping.items()}


def load_text_mapping(cfg: Path, name: str, text: str, kategorier: tuple[str, ...],
                      extra: Callable[[Path, int, dict[str, str]], tuple] = lambda path, line, row: ()
                      ) -> dict[str, tuple]:
    """A config CSV that maps the texts an export writes to categories (avslutsorsak.csv, forsorjning.csv): the
    text normalised as every name is compared (norm_name) -> (kategori, *what `extra` reads and checks of the
    row). A blank text, a kategori outside `kategorier`, or one text (as normalised) mapped twice to different
    values is a ConfigError naming the file, the line and the column."""
    path = cfg / name
    mapping: dict[str, tuple] = {}
    first: dict[str, int] = {}
    for line, row in read_config_csv(cfg, name, (text, "kategori")):
        kat = row["kategori"]
        if not row[text]:
            raise ConfigError(f"{path}: line {line}, {text} is blank, expected the text as the export writes it")
        if kat not in kategorier:
            raise ConfigError(f"{path}: line {line}, kategori found {kat!r}, expected one of {kategorier}")
        key, value = norm_name(row[text]), (kat, *extra(path, line, row))
        if mapping.setdefault(key, value) != value:
            raise ConfigError(f"{path}: line {line}, {row[text]!r} is mapped to both "
                              f"{'/'.join(filter(None, mapping[key]))!r} and {'/'.join(filter(None, value))!r} "
                              f"(column {text}; first on line {first[key]})")
        first.setdefault(key, line)
    return mapping


def load_datakvalitet_vikter(cfg: Path) -> dict[str, int]:
    """regel -> points a finding of that rule takes off a förbund-year's data-quality score; '*' = every rule not
    listed. The file is optional: without it (or without a '*' row) an unlisted rule weighs VIKT_STANDARD."""
    path = cfg / "datakvalitet_vikter.csv"
    vikter: dict[str, int] = {}
    rows = read_config_csv(cfg, "datakvalitet_vikter.csv", ("regel", "vikt")) if path.exists() else []
    for line, row in rows:
        if not re.fullmatch(r"\d{1,3}", row["vikt"]) or int(row["vikt"]) > 100:
            raise ConfigError(f"{path}: line {line}, vikt found {row['vikt']!r}, expected a whole number 0-100")
        if not re.fullmatch(r"[a-z0-9_]+|\*", row["regel"]):
            raise ConfigError(f"{path}: line {line}, regel found {row['regel']!r}, expected a rule code such as "
                              "stock_flow (docs/fynd.md, marts.datakvalitet), or * for every rule not listed")
        if vikter.setdefault(row["regel"], int(row["vikt"])) != int(row["vikt"]):
            raise ConfigError(f"{path}: line {line}, regel {row['regel']!r} is listed twice with different vikt")
    return {"*": VIKT_STANDARD, **vikter}
