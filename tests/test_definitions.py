"""The Dagster code location loads, with every asset, check, the job and the schedule."""
from dagster import AssetKey, AssetSelection

from pipelines.definitions import defs


def test_definitions_load_and_list_the_assets():
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"forbund_register", "sus_registreringar", "sus_aggregat_rader", "deltagare_ar", "sus_avstamning",
            "datakvalitet", "inlasta_filer", "finsam_lager"} <= keys


def test_marts_checks_are_blocking():
    checks = {spec.name: spec for c in defs.asset_checks for spec in c.check_specs}
    for name in ("deltagare_ar_unika_nycklar", "deltagare_ar_ej_negativa", "deltagare_ar_stock_flow",
                 "deltagare_ar_alla_forbund_ar"):
        assert checks[name].blocking and checks[name].asset_key == AssetKey("deltagare_ar")


def test_nightly_job_runs_in_process_on_a_schedule():
    job = defs.resolve_job_def("nightly_job")
    assert job.executor_def.name == "in_process"
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Europe/Stockholm")


def test_publishing_is_the_last_step():
    graph = defs.resolve_asset_graph()
    publish = AssetKey("finsam_lager")
    assert not graph.get(publish).child_keys
    upstream = AssetSelection.assets(publish).upstream().resolve(graph)
    marts = {k for k in graph.get_all_asset_keys() if graph.get(k).group_name == "marts"}
    assert marts <= upstream
