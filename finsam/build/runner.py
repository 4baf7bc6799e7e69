"""Running the declared steps (finsam.build.steps) on one build connection, and checking what they built.

The Dagster assets call these functions one step each; `build_all` runs them all in plain Python, in dependency
order, for tests that want a whole warehouse in a fraction of a second. Either way the same code writes the same
tables and runs the same checks.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import pandera.errors
import polars as pl

from finsam import config
from finsam.build import declarations, steps
from finsam.config import samhallsekonomi
from finsam.config.insatser import Insatsregister, load_insatser
from finsam.config.kostnadsmappning import KATEGORIER
from finsam.config.mal import Mal, load_mal, mal_frame
from finsam.ingest.archive import Arkiv, utc_now
from finsam.ingest.folder import Ingested, ingest
from finsam.ingest.inventory import scan
from finsam.io import validation
from finsam.io.combine import LatestWins, Rader
from finsam.io.convert import scrub_column
from finsam.io.findings import VARNING, ConfigError, Finding, findings_frame
from finsam.privacy.pseudonyms import fingerprint, key_from_env
from finsam.publish import guard, revision, warehouse
from finsam.publish.warehouse import live_path, publish, report_staging_path, row_count, staging_path, write_frame
from finsam.sources.registry import FILER, FYND
from finsam.sqltext import literal


@dataclass
class BuildContext:
    """What a step needs: the build connection, the data and config directories, the date standing in for today."""
    con: duckdb.DuckDBPyConnection
    data_dir: Path
    config_dir: Path
    today: dt.date
    log: Callable[[str], None] = field(default=lambda _: None)
    warn: Callable[[str], None] = field(default=lambda _: None)
    tillat_nyckelbyte: bool = False  # build even though the pseudonym key is not the live warehouse's (confirmed)

    @cached_property
    def registry(self) -> config.Registry:
        return config.load_registry(self.config_dir)

    @cached_property
    def settings(self) -> config.Settings:
        return config.load_settings(self.config_dir, self.today)

    @cached_property
    def avslutsorsak(self) -> dict[str, str]:
        return config.load_avslutsorsak(self.config_dir)

    @cached_property
    def forsorjning(self) -> dict[str, str]:
        return config.load_forsorjning(self.config_dir)

    @cached_property
    def insatser(self) -> Insatsregister:
        return load_insatser(self.config_dir, self.registry)

    @cached_property
    def mal(self) -> tuple[Mal, ...]:
        return load_mal(self.config_dir, self.registry, self.insatser)


def register(b: BuildContext, run_id: str, utlost_av: str = "test") -> dict:
    """The schemas of a build, and the registry and settings as tables: register.forbund, register.medlemmar
    (membership spells), register.forbund_kommun_ar (who counts in which year: members on 31 December),
    register.ar (the years every mart covers), register.installningar, register.bygge (the run building it, when
    it started, what started it and the digest of raw/ it started from), register.insatser (config/insatser.csv,
    empty without it), the avslut and data-quality mappings (_register_tabeller), register.nyckel (the pseudonym
    key's fingerprint, _nyckel), staging.korningar_tidigare, the run history of the live warehouse, which
    marts.korningar carries over, and register.mal (config/mal.csv, the goals with their bindings; empty without
    it)."""
    registry, settings = b.registry, b.settings
    for schema in steps.SCHEMAS:
        b.con.execute(f"create schema if not exists {schema}")
    _nyckel(b)
    forbund = pl.DataFrame([(f.kod, f.namn, f.region) for f in registry.forbund],
                           schema={"kod": pl.String, "namn": pl.String, "region": pl.String}, orient="row")
    medlemmar = pl.DataFrame([(f.kod, m.kommun, m.namn, m.fran, m.till) for f in registry.forbund
                              for m in f.medlemmar],
                             schema={"forbund": pl.String, "kommun": pl.String, "kommun_namn": pl.String,
                                     "fran": pl.Date, "till": pl.Date}, orient="row")
    kommun_ar = pl.DataFrame([(f.kod, m.kommun, m.namn, y) for y in settings.years for f in registry.forbund
                              for m in f.kommuner(y)],
                             schema={"forbund": pl.String, "kommun": pl.String, "kommun_namn": pl.String,
                                     "ar": pl.Int32}, orient="row")
    installningar = pl.DataFrame({"ar_fran": [settings.ar_fran], "ar_till": [settings.ar_till],
                                  "malgrupp_andel": [settings.malgrupp_andel],
                                  "undertryck_under": [settings.undertryck_under],
                                  "byggd": [dt.datetime.now().replace(microsecond=0)],
                                  "sus_stangd": [settings.sus_stangd],
                                  "personuppgifter": [settings.personuppgifter],
                                  "svarsfrekvens_varning": [settings.svarsfrekvens_varning],
                                  "tackningsgrad_varning": [settings.tackningsgrad_varning],
                                  "arkiv_behall": [settings.arkiv_behall],
                                  "revision_tolerans": [settings.revision_tolerans],
                                  "sista_stangda_ar": [b.today.year - 1],
                                  "budget_varning": [settings.budget_varning]},
                                 schema_overrides={"sus_stangd": pl.Date, "personuppgifter": pl.Boolean,
                                                   "sista_stangda_ar": pl.Int32})
    write_config(b.con, "register.forbund", forbund)
    write_config(b.con, "register.medlemmar", medlemmar)
    write_config(b.con, "register.forbund_kommun_ar", kommun_ar)
    write_frame(b.con, "register.ar", pl.DataFrame({"ar": settings.years}, schema={"ar": pl.Int32}))
    write_frame(b.con, "register.installningar", installningar)
    # startad is a moment (UTC, TIMESTAMPTZ): the run history's order does not depend on the machine's time zone
    # indata: the digest of raw/ as the raw-file sensor computes it (finsam.ingest.inventory.scan), so that a
    # sensor started after this build was published knows its inputs and does not build them again
    write_frame(b.con, "register.bygge", pl.DataFrame({"run_id": [run_id], "utlost_av": [utlost_av],
                                                       "startad": [utc_now()],
                                                       "indata": [scan(b.data_dir / "raw", {})[1]]}))
    _earlier_runs(b.con, live_path(b.data_dir))
    _register_tabeller(b)
    write_config(b.con, "register.insatser", b.insatser.frame())
    write_config(b.con, "register.mal", mal_frame(b.mal))
    b.log(f"{len(registry.forbund)} förbund, years {settings.ar_fran}-{settings.ar_till}")
    return {"forbund": len(registry.forbund), "ar_fran": settings.ar_fran, "ar_till": settings.ar_till}


def _nyckel(b: BuildContext) -> None:
    """register.nyckel: the fingerprint of the pseudonym key this warehouse's persons were pseudonymised with
    (finsam.privacy.pseudonyms.fingerprint, never the key) and since when. A key shorter than the minimum is refused
    (ConfigError); a key whose fingerprint is not the live warehouse's stops the build (guard.KeyChanged: every
    pseudonym would change) unless confirmed, and a confirmed change is a nyckel_bytt finding (staging.fynd_nyckel).
    A run without a key keeps the live warehouse's fingerprint, so the key used before is still the one expected."""
    key = key_from_env()
    new = fingerprint(key) if key is not None else None
    live = guard.live_key(b.con, live_path(b.data_dir))
    row, findings = (new, utc_now() if new else None), []
    if live is not None and live[0] is not None:
        if new is None or new == live[0]:
            row = live
        elif not b.tillat_nyckelbyte:
            raise guard.KeyChanged(live[0], new)
        else:
            findings.append(Finding(
                "nyckel_bytt", VARNING, "FINSAM_PSEUDONYM_KEY is not the key the live warehouse was built with, and "
                f"the change was confirmed ({guard.CONFIRM_KEY}): every person has a new pseudonym from this run on",
                hittat=f"fingerprint {new[:12]}", forvantat=f"fingerprint {live[0][:12]} (since {live[1]:%Y-%m-%d})"))
            b.warn(findings[-1].message())
    write_frame(b.con, "register.nyckel", pl.DataFrame([row], orient="row", schema={
        "fingeravtryck": pl.String, "sedan": pl.Datetime("us", "UTC")}))  # a moment, as register.bygge.startad
    write_frame(b.con, f"staging.{FYND}nyckel", findings_frame(findings))


def write_config(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """A table of config text, its personnummer masked as the data's free text is (finsam.io.convert), so that the
    two still match and neither is published as written."""
    write_frame(con, table, frame.with_columns(scrub_column(frame[c]) for c, t in frame.schema.items()
                                               if t == pl.String))


KORNINGAR = """create or replace table staging.korningar_tidigare (run_id varchar, startad timestamptz,
    klar timestamptz, utlost_av varchar, status varchar, exitkod integer, filer_lasta bigint, filer_avvisade bigint,
    varningar bigint, filer varchar, rader varchar, lopnummer integer, indata varchar)"""


def _earlier_runs(con: duckdb.DuckDBPyConnection, live: Path) -> None:
    """staging.korningar_tidigare and staging.revisioner_tidigare: the live warehouse's marts.korningar and
    marts.revisioner, which the new build carries over (none on a first run, or from a warehouse published before
    the mart existed). A history published before the runs were numbered and their times stored as moments holds
    the machine's local time without a zone: its times are read as local time (DuckDB's TimeZone is the
    machine's), and its runs numbered in their order."""
    con.execute(KORNINGAR)
    con.execute(revision.EARLIER)
    with guard.attached(con, live) as found:
        if not found:
            return
        if con.execute("select count(*) from duckdb_tables() where database_name = 'live' and schema_name = 'marts' "
                       "and table_name = 'revisioner'").fetchall()[0][0]:
            con.execute(f"insert into {revision.TIDIGARE} by name select * from live.marts.revisioner")
        columns = {c for c, in con.execute("select column_name from duckdb_columns() where database_name = 'live' "
                                           "and schema_name = 'marts' and table_name = 'korningar'").fetchall()}
        if columns:
            con.execute("insert into staging.korningar_tidigare by name select * from live.marts.korningar")
        if columns and "lopnummer" not in columns:
            con.execute("""update staging.korningar_tidigare k set lopnummer = n.nr
                           from (select run_id, row_number() over (order by startad, klar, run_id) as nr
                                 from staging.korningar_tidigare) n
                           where n.run_id = k.run_id""")


def _register_tabeller(b: BuildContext) -> None:
    """register.avslut_kategori (the avslut categories, best outcome first: on the same end day the better one
    decides), register.kostnadskategori (kategori -> Typ), register.avslutsorsak (normalised text -> kategori,
    stod), register.datakvalitet_vikter (regel -> points off the data-quality score, '*' = any other rule),
    register.samhallsekonomi (the scenario's values per utfall and aktor, config/samhallsekonomi.csv) and
    register.kvoter (the declared ratios' terms)."""
    kategorier = (*config.AVSLUT_KATEGORIER, "okand")
    write_frame(b.con, "register.avslut_kategori", pl.DataFrame(
        {"kategori": kategorier, "ordning": range(1, len(kategorier) + 1)},
        schema={"kategori": pl.String, "ordning": pl.Int32}))
    write_config(b.con, "register.avslutsorsak", pl.DataFrame(
        [(nyckel, kat, stod) for nyckel, (kat, stod) in config.load_avslutsorsak_stod(b.config_dir).items()],
        schema={"nyckel": pl.String, "kategori": pl.String, "stod": pl.String}, orient="row"))
    # register.kostnadskategori: each kategori of config/kostnadsmappning.csv and the Typ (side) it fits, so the
    # budget marts fill a kategori of a side with 0 where the side has lines, as ekonomi_ar does
    write_frame(b.con, "register.kostnadskategori", pl.DataFrame(
        [(k, typ) for k, typer in KATEGORIER.items() if k not in ("exkludera", "eget_kapital") for typ in typer],
        schema={"kategori": pl.String, "typ": pl.String}, orient="row"))
    write_frame(b.con, "register.samhallsekonomi", samhallsekonomi.frame(
        samhallsekonomi.load_samhallsekonomi(b.config_dir)))
    vikter = config.load_datakvalitet_vikter(b.config_dir)
    unknown = sorted(set(vikter) - {"*"} - set(declarations.codes(warehouse.SQL_DIR)))
    if unknown:
        raise ConfigError(f"{b.config_dir / 'datakvalitet_vikter.csv'}: regel {', '.join(map(repr, unknown))} is no "
                          "finding code (sql/findings/koder.yaml lists them, docs/fynd.md explains them)")
    write_frame(b.con, "register.datakvalitet_vikter", pl.DataFrame(
        list(vikter.items()),
        schema={"regel": pl.String, "vikt": pl.Int64}, orient="row"))
    write_frame(b.con, "register.kvoter", kvoter())


def kvoter() -> pl.DataFrame:
    """register.kvoter: every ratio a mart declares with its terms (mart, kolumn, taljare, namnare, faktor) and the
    terms that count individuals (personer: skydd personer in any mart), so SQL can pool a ratio over förbund by its
    own definition (marts.jamforelse_referens_ar) without a second list of definitions."""
    personer = {c.namn for m in steps.MARTS for c in m.declaration.kolumner if c.skydd == "personer"}
    return pl.DataFrame(
        [(m.name, c.namn, list(c.taljare), list(c.namnare), c.faktor,
          [t for t in (*c.taljare, *c.namnare) if t in personer])
         for m in steps.MARTS for c in m.declaration.kolumner if c.taljare],
        schema={"mart": pl.String, "kolumn": pl.String, "taljare": pl.List(pl.String),
                "namnare": pl.List(pl.String), "faktor": pl.Float64, "personer": pl.List(pl.String)}, orient="row")


def kalla(b: BuildContext, step: steps.Source) -> dict:
    """Ingest one raw folder: staging.<name> holds the rows, staging.fynd_<name> the findings, staging.filer_<name>
    the files seen, and each side table its derived rows (then the rows the source does not keep, `behall`, leave
    staging.<name>). A source combined by a `LatestWins` rule goes into the
    build file by file and is combined there; any other is combined in polars."""
    parse, combine = step.reader(b)
    table = f"staging.{step.name}"
    if isinstance(combine, LatestWins):
        rows = Rader(b.con, table, combine)
        result: Ingested = ingest(b.data_dir, step.folder, step.kalla, parse, rows.add, b.warn)
        combined = rows.combine(step.kalla)
    else:
        frames = []
        result = ingest(b.data_dir, step.folder, step.kalla, parse, frames.append, b.warn)
        frame, combined = combine(frames)
        write_frame(b.con, table, frame)
    findings = result.findings + combined
    write_frame(b.con, f"staging.{FYND}{step.name}", findings_frame(findings))
    write_frame(b.con, f"staging.{FILER}{step.name}", result.files)
    for side in step.side:
        write_frame(b.con, side.table, side.make(b.con.sql(f"select {side.columns} from {table}").pl()))
    if step.behall:
        b.con.execute(f"delete from {table} where not ({step.behall})")
    if result.rejected:
        b.warn(f"{step.name}: {result.rejected} file(s) rejected; see marts.datakvalitet")
    return {"rows": row_count(b.con, table), "files": result.files.height, "rejected_files": result.rejected,
            "findings": len(findings)}


MACROS = "makron.sql"  # sql/makron.sql: the macros every SQL step may use (the Wilson interval, ...)


def riktvarden() -> str:
    """The macro riktvarde(kod): a finding code's guideline threshold (a share, as DOUBLE), from its riktvarde in
    sql/findings/koder.yaml, so the SQL that emits the finding and the chart that draws the guideline read one
    number; NULL for a code without one."""
    fall = " ".join(f"when {literal(k)} then {c.riktvarde!r}::double"
                    for k, c in declarations.codes(warehouse.SQL_DIR).items() if c.riktvarde is not None)
    return f"create or replace temp macro riktvarde(kod) as case kod {fall} end"


def sql(b: BuildContext, step: steps.SqlStep) -> dict:
    """Build the gathered views, define the shared macros (temp: a step's connection may be its own), run the step's
    SQL, and write a mart's Swedish definitions as comments."""
    for view, tables in steps.gathered(step).items():
        union = " union all by name ".join(f"select * from {t}" for t in tables)
        b.con.execute(f"create or replace view {view} as {union}")
    b.con.execute((warehouse.SQL_DIR / MACROS).read_text(encoding="utf-8"))
    b.con.execute(riktvarden())
    if step.declaration is not None and step.declaration.jamfor_publicerat:
        with revision.compared(b.con, live_path(b.data_dir)):
            b.con.execute(step.sql)
    else:
        b.con.execute(step.sql)
    if step.is_mart:
        if declarations.HELT_AR in {c.namn for c in step.declaration.kolumner}:
            helt_ar(b.con, step.table)
        comment(b.con, step.declaration)
    return {"rows": row_count(b.con, step.table)}


# Whether a year is complete: up to the year before the run's (sista_stangda_ar, the same line that closes a year for
# the revision guard); the report's partial year (finsam.report.data.Lage.delar) is the year after it.
# try_cast: a mart whose SQL went wrong (its ar as text) still reaches its contract check, which says what is wrong.
HELT_AR = "try_cast(ar as integer) <= (select sista_stangda_ar from register.installningar)"


def helt_ar(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Adds (or recomputes) the column helt_ar of a mart keyed by year, after its SQL: declared once for all of them
    (finsam.build.declarations.HELT_AR), so a mart's SQL need not, and cannot forget to, write it."""
    columns = [d[0] for d in con.execute(f"select * from {table} limit 0").description]
    select = (f"* replace ({HELT_AR} as helt_ar)" if declarations.HELT_AR in columns
              else f"*, {HELT_AR} as {declarations.HELT_AR}")
    con.execute(f"create or replace table {table} as select {select} from {table}")


def _quote(text: str) -> str:
    """A definition as a COMMENT ON text (which takes no parameter): whitespace folded, quoted."""
    return literal(" ".join(text.split()))


def comment(con: duckdb.DuckDBPyConnection, d: declarations.Declaration) -> None:
    """COMMENT ON the mart and each column, the Swedish text of its declaration, so `describe` and
    duckdb_columns() explain it to an analyst."""
    statements = [f"comment on table {d.table} is {_quote(d.beskrivning)}"]
    statements += [f"comment on column {d.table}.{c.namn} is {_quote(c.definition)}" for c in d.kolumner]
    con.execute(";\n".join(statements))


def run(b: BuildContext, name: str) -> dict:
    """One declared step (an ingestion or an SQL file) on the build."""
    step = steps.BY_NAME[name]
    return kalla(b, step) if isinstance(step, steps.Source) else sql(b, step)


# -- checks: each returns the problems found, [] = passed -------------------------------------------------------

def contract_problems(con: duckdb.DuckDBPyConnection, step: steps.SqlStep) -> list[str]:
    """The mart against its pandera schema (collected: a LazyFrame would check the schema only)."""
    frame = con.sql(f"select * from {step.table}").pl()
    frame = frame.with_columns(pl.col(c).dt.convert_time_zone("UTC") for c, t in frame.schema.items()
                               if isinstance(t, pl.Datetime) and t.time_zone is not None)
    try:
        validation.validate(step.declaration.schema(), frame)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
        return [f"{c['column']}: {c['check']} (found {c['failure_case']!r}, row {c['index']})"
                for c in cases.head(50).iter_rows(named=True)]
    except pl.exceptions.PolarsError as err:   # pandera's key check raises one when a key column is missing
        missing = [c.namn for c in step.declaration.kolumner if c.namn not in frame.columns]
        return [f"{step.table} could not be checked against its contract ({type(err).__name__}: {err})"
                + (f"; missing column(s): {', '.join(missing)}" if missing else "")]
    return []


def komplett_query(step: steps.SqlStep) -> str:
    return f"""select f.kod, y.ar from register.forbund f cross join register.ar y
               anti join (select * from {step.table} where {step.komplett}) m on m.forbund = f.kod and m.ar = y.ar"""


def query_problems(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """The violating rows; a query that cannot run on the mart (say, a column of the wrong type, which its
    contract check reports) is a failed check, not a crash that hides the other checks' results."""
    try:
        return [str(r) for r in con.execute(query).fetchall()]
    except duckdb.Error as e:
        return [f"the check's query could not run on the mart: {e}"]


def checks(step: steps.SqlStep) -> list[tuple[str, str, Callable[[duckdb.DuckDBPyConnection], list[str]]]]:
    """(check name, description, function) for every blocking check on a step's mart: its contract, its
    completeness where declared (komplett), and each query of sql/checks/<mart>.<name>.sql."""
    if not step.is_mart:
        return []
    key = step.declaration.nyckel
    out = [(f"{step.name}_kontrakt", f"{step.table} uppfyller sitt kontrakt: kolumner, typer, tomma värden, "
            f"värdeintervall och en rad per {', '.join(key) if key else 'rad'}.",
            lambda con: contract_problems(con, step))]
    if step.komplett is not None:
        out.append((f"{step.name}_alla_forbund_ar", "Varje förbund i registret har en rad för varje år.",
                    lambda con: query_problems(con, komplett_query(step))))
    out += [(f"{step.name}_{c.namn}", c.beskrivning, lambda con, q=c.query: query_problems(con, q))
            for c in step.checks if c.blockerande]
    return out


def warnings(step: steps.SqlStep) -> list[tuple[str, str, Callable[[duckdb.DuckDBPyConnection], list[str]]]]:
    """(check name, description, function) for every non-blocking check of a step's mart (`blockerande: false`):
    named by its own name (e.g. inga_avvisade_filer), since an operator looks for it by that name in the UI."""
    return [(c.namn, c.beskrivning, lambda con, q=c.query: query_problems(con, q))
            for c in (step.checks if step.is_mart else ()) if not c.blockerande]


def publish_build(con: duckdb.DuckDBPyConnection, data_dir: Path, tillat_forlust: bool = False,
                  tillat_revision: bool = False) -> list[str]:
    """Publish this build (con is its connection, closed here): refuse it if it would lose what the live warehouse
    shows (guard.DataLoss) or change published figures of closed years beyond revision_tolerans
    (revision.Revision) unless confirmed, leave out its person-level tables (steps.PERSON_TABLES: what publishes
    holds no row per person), and hand it with its report to warehouse.publish. Returns what should be said
    (confirmed losses, the revisions recorded, förbund-years whose counts moved to another source, a WAL moved
    aside)."""
    lost = guard.losses(con, live_path(data_dir))
    if lost and not tillat_forlust:
        raise guard.DataLoss(lost)
    revised = [] if tillat_revision else revision.beyond_tolerance(con, loss_confirmed=tillat_forlust)
    if revised:
        raise revision.Revision(revised, revision.tolerance(con))
    n, beyond = revision.counted(con)
    moved = guard.source_changes(con, live_path(data_dir))
    in_use, behall = _archive_in_use(con)
    warehouse.without_person_tables(con, data_dir, steps.PERSON_TABLES)
    notes = publish(staging_path(data_dir), live_path(data_dir), report_staging_path(data_dir))
    return ([f"confirmed loss: {line}" for line in lost]
            + ([f"revisions: {n} published figure(s) of closed years changed"
                + (f", {beyond} of them beyond revision_tolerans (confirmed)" if beyond else "")
                + "; listed in marts.revisioner"] if n else [])
            + [f"source changed: {line}" for line in moved] + notes + _prune_archive(data_dir, in_use, behall))


def _archive_in_use(con: duckdb.DuckDBPyConnection) -> tuple[set[tuple[str, str]], int]:
    """(fil, sha256) of every input version this build used (read or standing in for a rejected file), and how
    many more versions per file the archive keeps (register.installningar.arkiv_behall)."""
    in_use = {(fil, sha) for fil, sha in con.execute(
        "select fil, sha256 from marts.inlasta_filer where status <> 'avvisad' and sha256 is not null").fetchall()}
    return in_use, con.execute("select arkiv_behall from register.installningar").fetchall()[0][0]


def _prune_archive(data_dir: Path, in_use: set[tuple[str, str]], behall: int) -> list[str]:
    """After a publish: the archive keeps the versions in use plus the last `behall` of each file. The run has
    published by now, so a failure here is said (a warning in the run's log), not raised."""
    try:
        Arkiv(data_dir).prune(in_use, behall)
    except OSError as e:
        return [f"the archive (arkiv/) was not pruned: {e}"]
    return []


class CheckFailed(Exception):
    """A blocking check found problems in the combined data: nothing may be published."""


def build_all(con: duckdb.DuckDBPyConnection, data_dir: Path, config_dir: Path, today: dt.date) -> None:
    """Every step in order, then every check; raises CheckFailed naming the failed checks."""
    b = BuildContext(con, data_dir, config_dir, today)
    register(b, f"plain-{uuid.uuid4()}")
    for name in steps.order()[1:]:
        run(b, name)
    failed = {name: problems for step in steps.MARTS for name, _, fn in checks(step) if (problems := fn(con))}
    if failed:
        raise CheckFailed("; ".join(f"{k}: {v[:3]}" for k, v in failed.items()))
