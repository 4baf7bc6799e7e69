"""Disclosure control: the one place that says which columns count individuals and how small counts are shown.

A count of individuals from 1 to `undertryck_under` - 1 (register.installningar, 5 in the sample) is shown as
"<5" in every chart, table and export; 0 stays 0 and a missing count stays "saknas". Anything built from such a
count (a ratio, a sum, a län total) is hidden as "dold", because the small count could otherwise be worked out
from it and the numbers shown beside it. So is a count that, with a total and the other parts shown, would give a
small one away by subtraction (secondary suppression, below): the report shows it as "dold", not "<5", since it
need not be small and "<5" would tell the reader it is; the workbook writes every hidden count as the contract's
"<5" (its definitions say so). The marts and the parquet copies keep the exact values.
"""
from __future__ import annotations

import functools
import math

import duckdb
import polars as pl

from finsam.build import steps
from finsam.build.declarations import Celler  # noqa: F401  (CELLER's values; callers import it from here)
from finsam.build.runner import MACROS
from finsam.publish.warehouse import SQL_DIR
from finsam.report.format import tal


def _declarations():
    return [s.declaration for s in steps.MARTS]


# Columns of any mart that count individuals (disclosure class personer in its declaration): derived, and a mart
# column without a class does not load.
INDIVIDRAKNINGAR = frozenset(c.namn for d in _declarations() for c in d.kolumner if c.skydd == "personer")


@functools.cache   # asked for every row of the workbook and the pages
def personer(mart: str) -> frozenset[str]:
    """The columns of one mart that count individuals."""
    return frozenset(steps.BY_NAME[mart].declaration.of_class("personer"))


def bygger_pa(mart: str) -> dict[str, tuple[str, ...]]:
    """column -> the counts of individuals of the same row it is built on (a ratio, a median of their days), for one
    mart: hidden wherever one of them is suppressed."""
    return {c.namn: c.av for c in steps.BY_NAME[mart].declaration.kolumner if c.av}


DOLD = "dold"
DOLT = "Dolt"   # the part of a stacked chart that stands for its hidden parts, drawn grey


def grans(con: duckdb.DuckDBPyConnection) -> int:
    """undertryck_under from the build's settings: counts below it (and above 0) are suppressed."""
    return int(con.execute("select undertryck_under from register.installningar").fetchall()[0][0])


def undertryckt(antal, grans: int) -> bool:
    return antal is not None and 1 <= antal < grans


def undertryckt_text(grans: int) -> str:
    return f"<{grans}"


def antal_text(antal, grans: int) -> str:
    """A count of individuals as shown: '<5' when suppressed, else the number (0 stays 0, None is 'saknas')."""
    return undertryckt_text(grans) if undertryckt(antal, grans) else tal(antal)


def notis(grans: int) -> str:
    return (f"Antal individer 1–{grans - 1} visas som {undertryckt_text(grans)}. Ett antal som tillsammans med en "
            f"summa och de andra delarna skulle avslöja ett sådant antal döljs också ({DOLD}: det kan vara stort), "
            f"liksom en kvot eller summa som bygger på ett dolt antal; i arbetsboken står varje dolt antal som "
            f"{undertryckt_text(grans)}.")


# --- Secondary suppression -----------------------------------------------------------------------------------------
# A count hidden as "<5" can be worked out by subtraction wherever its table (or another published table) also shows
# the total it is a part of and the other parts: Lekeberg/Örebro 2021 studieredo = 98 avslutade − 94 in the other
# kategorier. So in every additive relation (total = Σ parts) in which a count is hidden, at least one more member is
# hidden (a complementary, "secondary" cell: the smallest shown part of at least `grans`, else of at least 1), and
# then no hidden member may follow from the shown numbers by interval arithmetic (a "<5" is 1..grans-1, any other
# hidden count 0 or more), across all relations together; hiding one cell can expose another relation it is in, so
# this repeats until nothing changes.
#
# A cell is a count of one förbund (or län total), insats level and year: (forbund, insats, ar, namn). Its name is
# the mart column's, or for a split <column>:<part> (avslut:studieredo, deltagare:20-24). CELLER (the marts' declared
# `celler`) says which mart column is which cell; SUMMOR the relations, declared once here for the report, the
# workbook and the test.

PRIMAR, SEKUNDAR = "primar", "sekundar"   # why a cell is hidden: small itself, or to protect a small one
HELA = "*"                                # the förbund level of deltagare_ar and avslut_ar
LAN = "lan:"                              # prefix of a län total's förbund: lan:<region>


GRUPPKOLUMNER = ("deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo")
# mart -> its Celler, from the marts' declarations (`celler`). Where marts share a cell (a förbund's avslutade is in
# deltagare_ar, jamforelse_ar and avslut_ar), the last one's value is the cell's: a mart with a split comes last (a
# total is the one its parts add up to), and a mart with insats levels before one of förbund totals only.
CELLER = {d.steg: d.celler for d in sorted((d for d in _declarations() if d.celler),
                                           key=lambda d: (d.celler.del_ is not None, d.celler.niva is None))}

# total cell, the split its parts are, the subset of the split (a macro of sql/makron.sql on the kategori, or a
# deltagare_grupp_ar dimension; None = all of it). A relation is used where its numbers add up (NULL nowhere): the
# kön groups add up to deltagare with registrations and to registreringar from Uppföljning Finsam.
SUMMOR = (
    ("avslutade", "avslut", None),
    ("avslut_arbete_studier", "avslut", "arbete_studier"),
    ("avslut_jobb_studieredo", "avslut", "jobb_studieredo"),
    ("avslut_stegforflyttning", "avslut", "stegforflyttning"),
    *((k, k, dim) for k in GRUPPKOLUMNER for dim in ("kon", "alder")),
    ("registreringar", "deltagare", "kon"),
    ("deltagare_bas", "deltagare", "kon"),
)
# The cells the report shows a "Totalt länet" of (Σ over the län's förbund, hidden when any förbund's is:
# measures.lansvarde), by name or name prefix. The sums across insats levels are _nivasummor's.
LANSUMMOR = ("deltagare_bas", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo", "avslut:",
             "med_stod:", "utan_stod:")
LANSUMMOR_SENASTE = ("deltagare:",)   # the kön/ålder table: the latest complete year only


def cellnamn(mart: str, rad: dict) -> dict[str, tuple]:
    """mart column -> its cell key for one row of `mart` (its person counts; none for a mart CELLER lacks)."""
    celler = CELLER.get(mart)
    if celler is None:
        return {}
    niva = rad[celler.niva] if celler.niva else HELA
    del_ = rad[celler.del_] if celler.del_ else None
    forbund, ar = rad["forbund"], rad["ar"]
    return {k: (forbund, niva, ar, mall.format(del_)) for k, mall in _cellmallar(mart)}


@functools.cache
def _cellmallar(mart: str) -> tuple[tuple[str, str], ...]:
    """(column, the name of its cell, {} standing for the row's part) for each person count of `mart`."""
    namn = dict(CELLER[mart].namn)
    return tuple((k, namn.get(k, k)) for k in personer(mart))


def skydda(varden: dict, summor, avledda, grans: int) -> dict:
    """The cells to hide: {cell: PRIMAR} for every count 1..grans-1 and {cell: SEKUNDAR} for what protects them.
    `summor`: (total, parts) relations among `varden`'s cells; `avledda`: (total, parts) whose total is hidden as
    soon as a part is (a län total: measures.lansvarde). A relation with a missing member, or whose numbers do not
    add up, is no relation and is left out."""
    def galler(rel):
        t, delar = rel
        v = [varden.get(c) for c in (t, *delar)]
        return None not in v and v[0] == sum(v[1:])
    summor, avledda = [r for r in summor if galler(r)], [r for r in avledda if galler(r)]
    dolda = {c: PRIMAR for c, v in varden.items() if undertryckt(v, grans)}
    alla = summor + avledda
    ar_avledd = {id(r) for r in avledda}
    i_rel: dict = {}
    for r in alla:
        for c in (r[0], *r[1]):
            i_rel.setdefault(c, []).append(r)

    def dolj(c) -> None:
        dolda[c] = SEKUNDAR
        ko.extend(i_rel.get(c, ()))

    ko = list(alla)
    while True:
        while ko:   # every relation with exactly one hidden member gets a second, until none has
            r = ko.pop()
            t, delar = r
            if id(r) in ar_avledd and t not in dolda and any(d in dolda for d in delar):
                dolj(t)
            elif sum(c in dolda for c in (t, *delar)) == 1 and (c := _komplement(r, varden, dolda, i_rel, grans)):
                dolj(c)
        rorda = [r for r in alla if any(c in dolda for c in (r[0], *r[1]))]
        granser = intervall(varden, dolda, rorda, grans)
        fore = dict(dolda)
        for r in rorda:   # one more hidden in each relation with a member worked out exactly (none new in it yet)
            medlemmar = (r[0], *r[1])
            exakta = [c for c in medlemmar if c in fore and granser[c][0] == granser[c][1]]
            if exakta and all(c in fore or c not in dolda for c in medlemmar):
                # nothing left to hide in it (small parts that add up to a total known elsewhere): hide in a
                # relation that gives that total away instead
                kandidat = _komplement(r, varden, dolda, i_rel, grans) or next(
                    (k for c in exakta for r2 in i_rel[c] if r2 is not r
                     and (k := _komplement(r2, varden, dolda, i_rel, grans))), None)
                # or, last, small parts that add up to a small total (four insatser with 1 each and "<5" in all):
                # no cell to hide is left, so one of them is shown as hidden (dold) rather than as small (<5)
                kandidat = kandidat or next((c for c in medlemmar if dolda.get(c) == PRIMAR), None)
                if kandidat:
                    dolj(kandidat)
        if dolda == fore:   # every round hides a cell or turns a '<5' into 'dold', so this ends
            return dolda   # safe, or nothing left to hide (the test of every published table would say so)


def _komplement(rel, varden: dict, dolda: dict, i_rel: dict, grans: int):
    """The cell to hide with the hidden ones of `rel`: a shown part with a value of at least 1 (at least grans if
    any), the one that leaves the fewest of its other relations with a single hidden member, then the smallest;
    the total when no part is left."""
    def nya_ensamma(c):
        return sum(1 for t, delar in i_rel.get(c, ()) if not any(x in dolda for x in (t, *delar)))
    t, delar = rel
    kandidater = [c for c in delar if c not in dolda and varden[c] >= 1] or \
        ([t] if t not in dolda and varden[t] >= 1 else [])
    return min(kandidater, key=lambda c: (varden[c] < grans, nya_ensamma(c), varden[c], str(c)), default=None)


def intervall(varden: dict, dolda: dict, summor, grans: int) -> dict:
    """cell -> (lowest, highest) value a reader can work out from the shown numbers and the relations: a shown
    count is itself, a "<5" 1..grans-1, another hidden count 0..∞, narrowed through every relation until nothing
    changes (interval arithmetic)."""
    inf = math.inf
    granser = {}
    for t, delar in summor:
        for c in (t, *delar):
            if c not in granser:
                granser[c] = ((1, grans - 1) if dolda[c] == PRIMAR else (0, inf)) if c in dolda else \
                    (varden[c], varden[c])
    i_rel: dict = {}
    for r in summor:
        for c in (r[0], *r[1]):
            i_rel.setdefault(c, []).append(r)
    ko, i_ko = list(summor), {id(r) for r in summor}
    for _ in range(50 * len(summor)):   # narrowing in a cycle of relations can creep; this bounds the work
        if not ko:
            break
        t, delar = r = ko.pop()
        i_ko.discard(id(r))
        lo = sum(granser[d][0] for d in delar)
        hog = [granser[d][1] for d in delar]
        andliga, oandliga = sum(h for h in hog if h != inf), hog.count(inf)
        t_lo, t_hi = granser[t]
        nya = {t: (max(t_lo, lo), min(t_hi, inf if oandliga else andliga))}
        for d in delar:
            d_lo, d_hi = granser[d]
            ovriga_hi = inf if oandliga > (d_hi == inf) else andliga - (0 if d_hi == inf else d_hi)
            nya[d] = (max(d_lo, t_lo - ovriga_hi), min(d_hi, t_hi - (lo - d_lo)))
        for c, g in nya.items():
            if g != granser[c]:
                granser[c] = g
                for r2 in i_rel[c]:
                    if id(r2) not in i_ko:
                        ko.append(r2)
                        i_ko.add(id(r2))
    return granser


def _delmangder(kategorier: set[str], grupper: list[tuple[str, str]]) -> dict:
    """SUMMOR's subsets: each macro of sql/makron.sql it names, evaluated on the kategorier of avslut_ar (the
    lists are written once, there), each dimension's groups of deltagare_grupp_ar, and None = every kategori."""
    makron = duckdb.connect()
    try:
        makron.execute((SQL_DIR / MACROS).read_text(encoding="utf-8"))
        urval = {m: {k for k in kategorier if makron.execute(f"select {m}(?)", [k]).fetchall()[0][0]}
                 for _, _, m in SUMMOR if m not in (None, "kon", "alder")}
    finally:
        makron.close()
    return {None: set(kategorier), **urval, **{d: {g for dd, g in grupper if dd == d} for d in ("kon", "alder")}}


def berakna(con: duckdb.DuckDBPyConnection, grans: int, senaste: int | None = None) -> dict[tuple, str]:
    """Every hidden cell of the build (the marts of CELLER; a län total as (lan:<region>, '*', ar, namn)): PRIMAR
    or SEKUNDAR, computed once per build and used by the report's tables and charts and by the workbook.
    `senaste`: the latest complete year, the only one whose kön/ålder groups the report totals over the län."""
    varden, summor, avledda, region = relationer(con, senaste)
    return _per_komponent(varden, summor, avledda, grans, lambda c: (region.get(c[0], c[0][len(LAN):]), c[2]))


def relationer(con: duckdb.DuckDBPyConnection, senaste: int | None) -> tuple[dict, list, list, dict]:
    """The build's cells with their exact values, its additive relations (SUMMOR at every level, the levels'
    sums, _nivasummor) and the län totals (avledda: hidden with any of their parts), and each förbund's region."""
    marts = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
    varden: dict[tuple, int | None] = {}
    for mart in CELLER:
        if mart in marts:
            for rad in con.sql(f"select * from marts.{mart}").pl().iter_rows(named=True):
                varden.update({c: rad[k] for k, c in cellnamn(mart, rad).items() if k in rad})
    grupper = con.execute("select distinct dimension, grupp from marts.deltagare_grupp_ar").fetchall() \
        if "deltagare_grupp_ar" in marts else []
    urval = _delmangder({n[len("avslut:"):] for *_, n in varden if n.startswith("avslut:")}, grupper)
    region = dict(con.execute("select kod, region from register.forbund").fetchall())
    nivaer: dict[tuple, set] = {}     # (forbund, ar) -> insats levels
    namn: dict[tuple, set] = {}       # (forbund, niva, ar) -> cell names
    for f, niva, ar, n in varden:
        nivaer.setdefault((f, ar), set()).add(niva)
        namn.setdefault((f, niva, ar), set()).add(n)
    summor, avledda = [], []
    per_lan: dict[tuple, list] = {}
    for f, ar in nivaer:
        per_lan.setdefault((region.get(f), ar), []).append(f)
    for (reg, ar), forbund in per_lan.items():
        if len(forbund) < 2:   # a one-förbund län has no total row
            continue
        for n in set().union(*(namn.get((f, HELA, ar), set()) for f in forbund)):
            if n.startswith(LANSUMMOR) or (ar == senaste and n.startswith(LANSUMMOR_SENASTE)):
                delar = tuple((f, HELA, ar, n) for f in sorted(forbund))
                total = (LAN + str(reg), HELA, ar, n)
                varden[total] = None if any(varden.get(d) is None for d in delar) else sum(varden[d] for d in delar)
                namn.setdefault(total[:3], set()).add(n)
                avledda.append((total, delar))
    mallar = [(total, [f"{split}:{d}" for d in sorted(urval[del_])]) for total, split, del_ in SUMMOR]
    for (f, niva, ar), finns_namn in namn.items():
        for total, delar in mallar:
            if total in finns_namn and delar and not finns_namn.isdisjoint(delar):
                summor.append(((f, niva, ar, total), tuple((f, niva, ar, d) for d in delar)))
    summor += _nivasummor(con, nivaer, namn) if "deltagare_ar" in marts else []
    return varden, summor, avledda, region


def _nivasummor(con: duckdb.DuckDBPyConnection, nivaer: dict, namn: dict) -> list:
    """Relations across insats levels: from Uppföljning Finsam (deltagare_ar.kalla 'uppfoljning') a förbund's
    counts are the sum over its insatser, and so over its insats types (typ:<typ>, config/insatser.csv), and a
    type's the sum over its insatser; in any year a level with one insats below it has that insats' counts. With
    registrations the förbund counts unique persons, which no sum over insatser gives."""
    kalla = dict(((f, ar), k) for f, ar, k in con.execute(
        "select forbund, ar, kalla from marts.deltagare_ar where insats = ?", [HELA]).fetchall())
    typ = {(f, i.lower()): t for f, i, t in con.execute(
        "select forbund, insats, typ from register.insatser").fetchall()} if con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'register' and table_name = 'insatser'"
    ).fetchall()[0][0] else {}
    ut = []
    for (f, ar), alla in nivaer.items():
        insatser = sorted(n for n in alla if n != HELA and not n.startswith("typ:"))
        under = {HELA: [insatser, sorted(n for n in alla if n.startswith("typ:"))]}
        for t in (n for n in alla if n.startswith("typ:")):
            under[t] = [[i for i in insatser if typ.get((f, i.lower())) == t[len("typ:"):]]]
        for niva, listor in under.items():
            for delar in listor:
                if delar and (len(delar) == 1 or kalla.get((f, ar)) == "uppfoljning"):
                    ut += [((f, niva, ar, n), tuple((f, d, ar, n) for d in delar)) for n in namn.get((f, niva, ar), ())]
    return ut


def _per_komponent(varden: dict, summor: list, avledda: list, grans: int, komponent) -> dict:
    """skydda over each group of cells no relation joins to another (a län and year): the same result, in a small
    fraction of the time at national scale."""
    grupper: dict = {}
    for c, v in varden.items():
        grupper.setdefault(komponent(c), ({}, [], []))[0][c] = v
    for lista, i in ((summor, 1), (avledda, 2)):
        for r in lista:
            grupper[komponent(r[0])][i].append(r)
    dolda: dict = {}
    for v, s, a in grupper.values():
        if any(undertryckt(x, grans) for x in v.values()):
            dolda.update(skydda(v, s, a, grans))
    return dolda


# The report's and the workbook's marts whose person counts are cells of another mart's (the same numbers): their
# declarations' celler_som.
SAMMA_CELLER = {d.steg: d.celler_som for d in _declarations() if d.celler_som}
DOLDA = "_dolda"   # a report frame's column: the person-count columns of the row hidden to protect another


_SEKUNDARA: list = [None, 0, {}]   # the last `dolda` asked about, its size, its SEKUNDAR cells


def sekundara(dolda: dict) -> dict:
    """The cells hidden to protect a small one (SEKUNDAR), shown "dold" in the report and "<5" in the workbook; a
    PRIMAR cell is found from its own value wherever it is shown. Kept for the last `dolda` asked about (a build's,
    asked some thousand times while its report is drawn: at national scale the scan took 5 s)."""
    if _SEKUNDARA[0] is not dolda or _SEKUNDARA[1] != len(dolda):
        _SEKUNDARA[:] = [dolda, len(dolda), {c: v for c, v in dolda.items() if v == SEKUNDAR}]
    return _SEKUNDARA[2]


def dolda_kolumner(mart: str, rad: dict, dolda: dict) -> set[str]:
    """The columns of one row of `mart` whose cells are in `dolda`."""
    return {k for k, c in cellnamn(SAMMA_CELLER.get(mart, mart), rad).items() if c in dolda and k in rad}


def markera(df, dolda: dict, *marts: str):
    """`df` (rows of `marts`, or of a frame joining them: the later mart's cell wins) with DOLDA: the list of each
    row's columns hidden as SEKUNDAR. measures.visning and lansvarde hide them as "dold"."""
    sek = sekundara(dolda)
    listor = [sorted(set().union(*(dolda_kolumner(m, rad | {"insats": rad.get("insats", HELA)}, sek) for m in marts)))
              for rad in df.iter_rows(named=True)]
    return df.with_columns(pl.Series(DOLDA, listor, dtype=pl.List(pl.String)))
