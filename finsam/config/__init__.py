"""Configuration from $FINSAM_CONFIG_DIR: förbund registry, settings and mappings, validated on load."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from finsam.io.findings import ConfigError
from finsam.paths import project_root

PROJECT_ROOT = project_root()  # the checkout, or the copies an installed wheel ships (finsam.paths)
COUNTY_CODES = {"01", *(f"{c:02d}" for c in range(3, 11)), "12", "13", "14", *(f"{c:02d}" for c in range(17, 26))}
AVSLUT_KATEGORIER = ("arbete", "studier", "arbetssokande", "studieredo", "annan_insats", "sjukdom", "flytt",
                     "avbrott", "ovrigt")
AVSLUT_STOD = ("med_stod", "utan_stod")
SUS_STANGD = dt.date(2023, 4, 30)  # SUS closed on 30 April 2023; installningar.yaml's sus_stangd when absent
JA_NEJ = {"ja": True, "nej": False}
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
    """How names are compared everywhere: case-insensitive, whitespace folded."""
    return " ".join(str(text).split()).casefold()


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

    @property
    def years(self) -> list[int]:
        return list(range(self.ar_fran, self.ar_till + 1))


def _date(value, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: found {value!r}, expected a date YYYY-MM-DD") from None


def _yaml(cfg: Path, name: str) -> dict:
    path = cfg / name
    if not path.exists():
        raise ConfigError(f"{path}: missing (config dir {cfg}, set by FINSAM_CONFIG_DIR)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def load_registry(cfg: Path) -> Registry:
    path = cfg / "forbund.yaml"
    entries = _yaml(cfg, "forbund.yaml").get("forbund")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: expected a non-empty list under 'forbund'")
    forbund = []
    for i, e in enumerate(entries, 1):
        where = f"{path}: förbund #{i}"
        kod = str(e.get("kod", ""))
        if not re.fullmatch(r"[a-z0-9_]+", kod):
            raise ConfigError(f"{where}: kod found {kod!r}, expected an ASCII slug (a-z, 0-9, _)")
        where = f"{path}: förbund '{kod}'"
        region = str(e.get("region", ""))
        if region not in COUNTY_CODES:
            raise ConfigError(f"{where}: region found {region!r}, expected a county code (01, 03-10, 12-14, 17-25)")
        medlemmar = []
        for m in e.get("medlemmar") or []:
            kommun = str(m.get("kommun", ""))
            if not re.fullmatch(r"\d{4}", kommun) or kommun[:2] not in COUNTY_CODES:
                raise ConfigError(f"{where}: kommun code found {kommun!r}, expected four digits starting with a "
                                  "county code (01, 03-10, 12-14, 17-25)")
            fran = _date(m.get("fran"), f"{where}, kommun {kommun}, fran")
            till = _date(m.get("till"), f"{where}, kommun {kommun}, till")
            if fran is None:
                raise ConfigError(f"{where}, kommun {kommun}: 'fran' is missing, expected a date YYYY-MM-DD")
            if till is not None and till < fran:
                raise ConfigError(f"{where}, kommun {kommun}: till {till} is before fran {fran}")
            medlemmar.append(Medlem(kommun, str(m.get("namn") or kommun), fran, till))
        if not medlemmar:
            raise ConfigError(f"{where}: no medlemmar, expected at least one member kommun")
        forbund.append(Forbund(kod, str(e.get("namn") or kod), tuple(str(a) for a in e.get("sus_namn") or []),
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


def load_settings(cfg: Path, today: dt.date | None = None) -> Settings:
    path = cfg / "installningar.yaml"
    data = _yaml(cfg, "installningar.yaml")
    try:
        ar_fran = int(data.get("ar_fran", 2017))
        ar_till_raw = data.get("ar_till")
        ar_till = int(ar_till_raw) if ar_till_raw not in (None, "") else (today or dt.date.today()).year
        andel = float(data.get("malgrupp_andel", 0.05))
        undertryck = int(data.get("undertryck_under", 5))
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{path}: {e}") from None
    if ar_till < ar_fran:
        raise ConfigError(f"{path}: ar_till {ar_till} is before ar_fran {ar_fran}")
    if not 0 < andel <= 1:
        raise ConfigError(f"{path}: malgrupp_andel found {andel}, expected a fraction between 0 and 1")
    sus_stangd = _date(data["sus_stangd"], f"{path}: sus_stangd") if "sus_stangd" in data else SUS_STANGD
    return Settings(ar_fran, ar_till, andel, undertryck, sus_stangd, _ja_nej(data, "personuppgifter", True, path),
                    _fraction(data, "svarsfrekvens_varning", 0.5, path),
                    _fraction(data, "tackningsgrad_varning", 0.3, path),
                    _whole(data, "arkiv_behall", ARKIV_BEHALL, 1, path),
                    _whole(data, "vanta_sekunder", VANTA_SEKUNDER, 0, path),
                    _fraction(data, "revision_tolerans", REVISION_TOLERANS, path))


def _fraction(data: dict, key: str, default: float, path: Path) -> float:
    """A share from 0 to 1 (0 = never warn); `default` when the key is absent or blank. Anything else is a
    ConfigError naming the file, the key, what was found and what was expected."""
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        found = float(str(value).strip().replace(",", ".")) if not isinstance(value, bool) else None
    except ValueError:
        found = None
    if found is None or not 0 <= found <= 1:
        raise ConfigError(f"{path}: {key} found {value!r}, expected a share from 0 to 1 (0.5 = 50 %)")
    return found


def _whole(data: dict, key: str, default: int, least: int, path: Path) -> int:
    """A whole-number setting of at least `least`; `default` when the key is absent. Anything else (blank, a
    fraction, text, a number below `least`) is a ConfigError naming the key, what was found and what was expected."""
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ConfigError(f"{path}: {key} found {'' if value is None else value!r}, expected a whole number of at "
                          f"least {least}")
    return value


def _ja_nej(data: dict, key: str, default: bool, path: Path) -> bool:
    """A ja/nej setting (case and surrounding spaces ignored); `default` when the key is absent. Anything else,
    blank included (a privacy setting is not guessed), is a ConfigError."""
    if key not in data:
        return default
    value = data[key]
    found = JA_NEJ.get(value.strip().casefold()) if isinstance(value, str) else None
    if found is None:
        raise ConfigError(f"{path}: {key} found {'' if value is None else value!r}, expected ja or nej")
    return found


def read_config_csv(cfg: Path, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a config CSV as (line number, {column: trimmed text}); a missing column is a ConfigError."""
    path = cfg / name
    if not path.exists():
        raise ConfigError(f"{path}: missing (config dir {cfg}, set by FINSAM_CONFIG_DIR)")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [norm_name(h) for h in reader.fieldnames or []]
        missing = [c for c in columns if c not in header]
        if missing:
            raise ConfigError(f"{path}: missing column(s) {missing}, expected header {','.join(columns)}")
        reader.fieldnames = header
        return [(n, {c: (r.get(c) or "").strip() for c in header})
                for n, r in enumerate(reader, 2) if any((v or "").strip() for v in r.values())]


def load_avslutsorsak(cfg: Path) -> dict[str, str]:
    """Avslutsorsak text (normalised) -> kategori."""
    return {key: kat for key, (kat, _) in load_avslutsorsak_stod(cfg).items()}


def load_avslutsorsak_stod(cfg: Path) -> dict[str, tuple[str, str | None]]:
    """Avslutsorsak text (normalised) -> (kategori, stod). The optional column `stod` says whether the avslut
    came with continued public support (med_stod, utan_stod); blank or absent = the text does not say."""
    path = cfg / "avslutsorsak.csv"
    mapping: dict[str, tuple[str, str | None]] = {}
    for line, row in read_config_csv(cfg, "avslutsorsak.csv", ("avslutsorsak", "kategori")):
        key, kat, stod = norm_name(row["avslutsorsak"]), row["kategori"], row.get("stod") or None
        if kat not in AVSLUT_KATEGORIER:
            raise ConfigError(f"{path}: line {line}, kategori found {kat!r}, expected one of {AVSLUT_KATEGORIER}")
        if stod not in (None, *AVSLUT_STOD):
            raise ConfigError(f"{path}: line {line}, stod found {stod!r}, expected {' or '.join(AVSLUT_STOD)} "
                              "or blank")
        if mapping.setdefault(key, (kat, stod)) != (kat, stod):
            raise ConfigError(f"{path}: line {line}, {row['avslutsorsak']!r} is mapped to both "
                              f"{'/'.join(filter(None, mapping[key]))!r} and {'/'.join(filter(None, (kat, stod)))!r}")
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
