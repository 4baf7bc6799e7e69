"""config/samhallsekonomi.csv: the values per person and year of a socio-economic SCENARIO, never an effect.

Each row values one avslut outcome (an avslut kategori of config/avslutsorsak.csv) for one actor: what a person
who left an insats to that outcome is worth to the kommun, the region, Arbetsförmedlingen, Försäkringskassan, the
state or the person, per year, in kr, with where the figure comes from. marts.samhallsekonomi_ar multiplies them
with the förbund's avslutade; that is arithmetic on assumptions, not a measured effect (no comparison group says
what would have happened without the insats), and every text that shows it says so.

The project ships no values for real use: the file holds invented example rows, each marked `exempel = ja`, so
the sample shows the scenario and every figure built on them is flagged as an example (exempelvarden). A förbund
replaces them with values from a source it can name. The file is optional: without it the mart is empty.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from finsam.config import AVSLUT_KATEGORIER, JA_NEJ, read_config_csv
from finsam.io.findings import ConfigError

FILE = "samhallsekonomi.csv"
HEADER = ("utfall", "aktor", "kr_per_person_och_ar", "kalla", "exempel")
AKTORER = ("kommun", "region", "arbetsformedlingen", "forsakringskassan", "staten", "individen")
# the actors as a reader of the report knows them (the codes stay in the mart, config and workbook)
AKTOR_NAMN = {"kommun": "Kommunen", "region": "Regionen", "arbetsformedlingen": "Arbetsförmedlingen",
              "forsakringskassan": "Försäkringskassan", "staten": "Staten", "individen": "Individen"}
MAX_KR = 10_000_000  # per person and year: more is a typing error (a total where a per-person value belongs)
KR = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Varde:
    rad: int                # line in samhallsekonomi.csv (header = 1)
    utfall: str             # an avslut kategori
    aktor: str
    kr_per_person_och_ar: float
    kalla: str
    exempel: bool           # an invented value, shown as an example wherever it is used


def load_samhallsekonomi(cfg: Path) -> list[Varde]:
    """The scenario's values, validated: every problem is a ConfigError naming the file, the line and the column."""
    path = cfg / FILE
    if not path.exists():
        return []
    varden: list[Varde] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_config_csv(cfg, FILE, HEADER):
        where = f"{path}: line {line}"
        if row["utfall"] not in AVSLUT_KATEGORIER:
            raise ConfigError(f"{where}, utfall found {row['utfall']!r}, expected an avslut kategori, one of "
                              f"{', '.join(AVSLUT_KATEGORIER)}")
        if row["aktor"] not in AKTORER:
            raise ConfigError(f"{where}, aktor found {row['aktor']!r}, expected one of {', '.join(AKTORER)}")
        kr = _kr(row["kr_per_person_och_ar"], where)
        if not row["kalla"]:
            raise ConfigError(f"{where}, kalla is blank, expected where the value comes from (a report, a "
                              "calculation; for an invented value say so and set exempel to ja)")
        exempel = JA_NEJ.get(row["exempel"].casefold()) if row["exempel"] else False
        if exempel is None:
            raise ConfigError(f"{where}, exempel found {row['exempel']!r}, expected ja (an invented value), nej or "
                              "blank (= nej)")
        key = (row["utfall"], row["aktor"])
        if key in seen:
            raise ConfigError(f"{where}, utfall {key[0]!r} and aktor {key[1]!r} are also on line {seen[key]}, "
                              "expected one value per utfall and aktor")
        seen[key] = line
        varden.append(Varde(line, *key, kr, row["kalla"], exempel))
    return varden


def _kr(text: str, where: str) -> float:
    """kr per person and year: a number 0 or more (decimal comma or point, spaces between thousands)."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    value = float(cleaned.replace(",", ".")) if KR.fullmatch(cleaned) else math.nan
    if not 0 <= value <= MAX_KR:
        raise ConfigError(f"{where}, kr_per_person_och_ar found {text!r}, expected kr per person and year, a number "
                          f"from 0 to {MAX_KR}")
    return value


def frame(varden: list[Varde]) -> pl.DataFrame:
    """register.samhallsekonomi: the values as a table the mart joins. The value column is kr_per_ar (kr per person
    and year): a column name with "person" in it marks a person-level table (finsam.privacy.personniva)."""
    return pl.DataFrame([(v.rad, v.utfall, v.aktor, v.kr_per_person_och_ar, v.kalla, v.exempel) for v in varden],
                        schema={"rad": pl.Int32, "utfall": pl.String, "aktor": pl.String, "kr_per_ar": pl.Float64,
                                "kalla": pl.String, "exempel": pl.Boolean},
                        orient="row")
