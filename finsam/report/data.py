"""What the report reads from a build: its settings, the förbund by län, and one wide frame per förbund and year.

Only schemas `marts` and `register` are read, never staging or raw files.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import duckdb
import polars as pl

from finsam.report import charts
from finsam.report.disclosure import berakna, grans as las_grans, markera

# County names by the registry's two-digit region code (SCB's länskoder).
LAN = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län", "05": "Östergötlands län",
    "06": "Jönköpings län", "07": "Kronobergs län", "08": "Kalmar län", "09": "Gotlands län", "10": "Blekinge län",
    "12": "Skåne län", "13": "Hallands län", "14": "Västra Götalands län", "17": "Värmlands län",
    "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län", "21": "Gävleborgs län",
    "22": "Västernorrlands län", "23": "Jämtlands län", "24": "Västerbottens län", "25": "Norrbottens län",
}


def slug(text: str) -> str:
    """'Örebro län' -> 'orebro_lan'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


@dataclass(frozen=True)
class Lan:
    region: str
    namn: str
    forbund: tuple[str, ...]   # codes, in registry order

    @property
    def fil(self) -> str:
        return f"{self.region}_{slug(self.namn)}.html"


@dataclass(frozen=True)
class Lage:
    """The build the report describes."""
    grans: int                 # undertryck_under
    byggd: dt.datetime
    ar_fran: int
    ar_till: int
    delar: int | None          # the current, partial year (ar_till = the build's year), left out of year series
    namn: dict[str, str]       # förbund code -> name
    lan: tuple[Lan, ...]
    # marts.jamforelse_referens_ar where the build has it (finsam.report.referens draws it)
    referens: pl.DataFrame | None = field(default=None, compare=False)
    # the cells hidden by disclosure control (disclosure.berakna): the same in every table, chart and the workbook
    dolda: dict = field(default_factory=dict, repr=False, compare=False)
    # grund() per förbund tuple, read once per build: the pages, the index and the workbook's Nyckeltal ask alike
    grunder: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def senaste(self) -> int:
        """The latest complete year."""
        return self.ar_till - 1 if self.delar else self.ar_till

    @property
    def ar(self) -> list[int]:
        return list(range(self.ar_fran, self.senaste + 1))


def lage(con: duckdb.DuckDBPyConnection) -> Lage:
    """The build, read from the register; also where every förbund and member kommun gets its colour and marker
    for the whole build (charts.tilldela: the register's order, so they are the same in every chart and page)."""
    ar_fran, ar_till, byggd = con.execute("select ar_fran, ar_till, byggd from register.installningar").fetchall()[0]
    rows = con.execute("select kod, namn, region from register.forbund order by rowid").fetchall()
    regioner = list(dict.fromkeys(r[2] for r in rows))
    lan = tuple(Lan(r, LAN.get(r, f"Län {r}"), tuple(k for k, _, reg in rows if reg == r)) for r in sorted(regioner))
    kommuner: dict[str, list[str]] = {}
    if con.execute("select count(*) from duckdb_tables() where schema_name = 'register' "
                   "and table_name = 'medlemmar'").fetchall()[0][0]:
        for f, namn in con.execute("select forbund, kommun_namn from register.medlemmar order by rowid").fetchall():
            kommuner.setdefault(f, []).extend([namn] if namn not in kommuner.get(f, []) else [])
    charts.tilldela([x.forbund for x in lan], kommuner)
    grans, delar = las_grans(con), ar_till if ar_till == byggd.year else None
    return Lage(grans=grans, byggd=byggd, ar_fran=ar_fran, ar_till=ar_till, delar=delar,
                namn={k: n for k, n, _ in rows}, lan=lan,
                referens=fraga(con, "select * from marts.jamforelse_referens_ar")
                if finns(con, "jamforelse_referens_ar") else None,
                dolda=berakna(con, grans, ar_till - 1 if delar else ar_till))


def marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every public mart: the tables of schema marts."""
    kanda = _LASES.get(id(con))
    if kanda is not None:
        return list(kanda)
    return [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts' "
                                      "order by table_name").fetchall()]


_LASES: dict[int, tuple[str, ...]] = {}   # id(con) -> its marts, while a report reads con (las)


@contextlib.contextmanager
def las(con: duckdb.DuckDBPyConnection):
    """While a report reads `con` and nothing writes it: marts() (and so finns()) lists its tables once, not some
    500 times (0.9 s of a national report)."""
    _LASES[id(con)] = tuple(marts(con))
    try:
        yield
    finally:
        _LASES.pop(id(con), None)


def finns(con: duckdb.DuckDBPyConnection, mart: str) -> bool:
    return mart in marts(con)


def fraga(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pl.DataFrame:
    return con.sql(sql, params=params).pl()


def grund(con: duckdb.DuckDBPyConnection, lage: Lage, forbund: tuple[str, ...]) -> pl.DataFrame:
    """One row per förbund and complete year: deltagare_ar (insats '*') but its deltagare, jamforelse_ar's deltagare
    (one series across the break after SUS: unique persons, else the sum over insatser, as deltagare_bas says) and
    ratios, ekonomi_ar,
    malgrupp_ar, helarsekvivalenter_ar (kön and ersättning totalt) and the data-quality score (datakvalitet_poang,
    NULL in a build without it), with the förbund's name."""
    if forbund in lage.grunder:
        return lage.grunder[forbund]
    poang = ("(select poang from marts.datakvalitet_poang q where q.forbund = d.forbund and q.ar = d.ar)"
             if finns(con, "datakvalitet_poang") else "null::bigint")
    df = fraga(con, f"""
        select d.forbund, f.namn, d.ar::bigint as ar, d.* exclude (forbund, ar, insats, deltagare),
               j.* exclude (forbund, ar, avslutade, avslut_arbete_studier, avslut_jobb_studieredo),
               e.* exclude (forbund, ar), m.befolkning_16_64, h.helarsekvivalenter, h.befolkning_20_64,
               {poang} as datakvalitet_poang
        from marts.deltagare_ar d
        join register.forbund f on f.kod = d.forbund
        join marts.jamforelse_ar j using (forbund, ar)
        left join marts.ekonomi_ar e using (forbund, ar)
        left join marts.malgrupp_ar m using (forbund, ar)
        left join marts.helarsekvivalenter_ar h on h.forbund = d.forbund and h.ar = d.ar
             and h.kon = 'totalt' and h.ersattning = 'totalt'
        where d.insats = '*' and d.ar <= ? and list_contains(?, d.forbund)
    """, [lage.senaste, list(forbund)])
    ordning = {k: i for i, k in enumerate(forbund)}
    df = df.with_columns(_o=pl.col("forbund").replace_strict(ordning)).sort("_o", "ar").drop("_o")
    lage.grunder[forbund] = markera(df, lage.dolda, "deltagare_ar", "jamforelse_ar")
    return lage.grunder[forbund]
