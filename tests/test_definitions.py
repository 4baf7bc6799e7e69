"""The Dagster code location: every declared step is an asset, the graph is closed and rooted in the registry,
every mart shows its column schema and carries blocking checks, the job runs in process on a schedule."""
from dagster import AssetKey, AssetSelection

from finsam.build import runner, steps
from finsam.config import PROJECT_ROOT
from finsam.sources.registry import SOURCES
from pipelines.definitions import defs


def graph():
    return defs.resolve_asset_graph()


def test_every_step_is_an_asset_and_nothing_else_is():
    """One asset per registered source and per SQL file in sql/staging, sql/findings and sql/marts, plus the
    registry, the report and the publish step."""
    keys = {k.to_user_string() for k in graph().get_all_asset_keys()}
    sql_files = {p.stem for layer in ("staging", "findings", "marts")
                 for p in (PROJECT_ROOT / "sql" / layer).glob("*.sql")}
    assert keys == {steps.REGISTER, "genomlysning", "finsam_lager", *(k.name for k in SOURCES), *sql_files}
    assert {"sus_registreringar", "folkmangd_nov_rader", "deltagare_raknat", "fynd_insats", "deltagare_ar",
            "korningar"} <= keys


def test_no_external_assets_and_every_asset_descends_from_the_registry():
    g = graph()
    assert not [k for k in g.get_all_asset_keys() if not g.get(k).is_materializable]
    root = AssetKey(steps.REGISTER)
    downstream = AssetSelection.assets(root).downstream().resolve(g)
    assert downstream == set(g.get_all_asset_keys())


def test_dependencies_come_from_the_sql_and_the_declarations():
    parents = {k.to_user_string(): {p.to_user_string() for p in graph().get(k).parent_keys}
               for k in graph().get_all_asset_keys()}
    assert parents["jamforelse_ar"] == {"forbund_register", "deltagare_ar", "ekonomi_ar", "malgrupp_ar",
                                        "helarsekvivalenter_ar", "avslut_ar"}
    # scb findings read four marts and two ingested tables; all are declared now
    assert parents["fynd_scb"] == {"folkmangd_rader", "helarsekvivalenter_rader", "malgrupp_kommun", "malgrupp_ar",
                                   "helarsekvivalenter_kommun", "helarsekvivalenter_ar"}
    # datakvalitet gathers the findings of every ingestion step, every step of sql/findings/ and the registry (a
    # confirmed change of the pseudonym key)
    assert parents["datakvalitet"] == {steps.REGISTER, *(k.name for k in steps.SOURCES),
                                       *(p.stem for p in (PROJECT_ROOT / "sql" / "findings").glob("*.sql"))}
    assert parents["deltagare_ar"] == {"forbund_register", "sus_aggregat_rader", "deltagare_raknat", "kallval",
                                       "uppfoljning_rader", "avslut_rapporterat"}
    assert parents["inlasta_filer"] == {k.name for k in steps.SOURCES}
    assert parents["genomlysning"] == {s.name for s in steps.MARTS}
    assert parents["finsam_lager"] == {s.name for s in steps.MARTS} | {"genomlysning"}


def test_a_sql_file_naming_a_table_nobody_writes_is_refused(monkeypatch):
    step = steps.SqlStep("ny_mart", "marts", "test")
    monkeypatch.setattr(steps.SqlStep, "sql", property(lambda self: "create or replace table marts.ny_mart as "
                                                                   "select * from staging.stavfel"))
    monkeypatch.setitem(steps.BY_NAME, "ny_mart", step)
    try:
        steps.deps("ny_mart")
    except steps.GraphError as e:
        assert str(e) == "sql/marts/ny_mart.sql reads staging.stavfel, which no step writes"
    else:
        raise AssertionError("an unknown table must be refused")
    finally:
        steps.deps.cache_clear()


def test_kontroller_are_named_after_the_tables_they_write():
    kontroller = [s for s in steps.SQL_STEPS if s.group == "kontroller"]
    assert kontroller and all(s.writes == (f"staging.{s.name}",) and s.path == f"sql/findings/{s.name}.sql"
                              for s in kontroller)


def test_every_mart_shows_its_column_schema_with_definitions():
    for step in steps.MARTS:
        spec = graph().get(AssetKey(step.name))
        schema = spec.metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == [c.namn for c in step.declaration.kolumner], step.name
        assert all(c.description and c.type in ("VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP",
                                                "TIMESTAMPTZ")
                   for c in schema.columns), step.name


def test_every_declared_check_is_a_check_on_its_mart_blocking_unless_declared_a_warning():
    checks = {spec.name: spec for a in defs.assets for spec in a.check_specs}
    declared = {name: step.name for step in steps.MARTS for name, _, _ in runner.checks(step)}
    warnings = {name: step.name for step in steps.MARTS for name, _, _ in runner.warnings(step)}
    assert set(checks) == set(declared) | set(warnings) and not set(declared) & set(warnings)
    assert {"deltagare_ar_kontrakt", "deltagare_ar_stock_flow", "deltagare_ar_alla_forbund_ar"} <= set(checks)
    assert warnings == {"inga_avvisade_filer": "inlasta_filer"}
    for name, mart in {**declared, **warnings}.items():
        assert checks[name].blocking == (name in declared) and checks[name].asset_key == AssetKey(mart)


def test_nightly_job_runs_in_process_on_a_schedule():
    job = defs.resolve_job_def("nightly_job")
    assert job.executor_def.name == "in_process"
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Europe/Stockholm")


def test_publishing_is_the_last_step():
    g = graph()
    publish = AssetKey("finsam_lager")
    assert not g.get(publish).child_keys
    upstream = AssetSelection.assets(publish).upstream().resolve(g)
    assert upstream == set(g.get_all_asset_keys())
