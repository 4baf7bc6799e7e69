"""What an operator sees: a run that rejected a file is yellow in Dagster (the non-blocking check
inga_avvisade_filer), not green and not red; and the raw-file sensor knows what the pipeline command published, so
`make dev` after `make run` builds nothing until raw/ changes. (A rejected file naming no förbund is scored once, under
okand: tests/test_datakvalitet_poang.py.)"""
import pytest
from dagster import AssetCheckSeverity, RunRequest, SkipReason

from finsam.ingest.inventory import scan
from finsam.publish.guard import published_input
from pipelines.sensors import decide
from tests.test_tjanst import evaluate, settle

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
GOOD = HEADER + "Sydnärke;Steget;G1;Nej;K;2019-02-01;;\n"


@pytest.mark.slow
def test_a_run_with_a_rejected_file_publishes_with_a_failed_warning_check(project):
    project.settings(2019, 2019)
    project.raw("sus/sydnarke.csv", GOOD)
    project.raw("sus/trasig.csv", HEADER + "Sydnärke;Steget;B1;Nej;K;2019-13-01;;\n")
    result = project.materialize(raise_on_error=False)
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    varning = checks["inga_avvisade_filer"]
    assert (varning.passed, varning.severity, varning.asset_key.to_user_string()) == (
        False, AssetCheckSeverity.WARN, "inlasta_filer")
    assert varning.metadata["violations"].value == 1
    assert all(e.passed for name, e in checks.items() if name != "inga_avvisade_filer")
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and insats = '*'") == [
        (1,)]


def test_decide_builds_nothing_while_raw_is_what_was_published():
    fresh = {}
    cursor, run_key, why = decide(fresh, "a" * 64, 100.0, 0, published="a" * 64)
    assert run_key is None and cursor["byggt"] == "a" * 64 and "live warehouse" in why
    # the sensor had started a run for b, which failed; the command then published a: still nothing to do
    cursor, run_key, _ = decide({"digest": "b" * 64, "sedan": 1.0, "byggt": "b" * 64}, "a" * 64, 100.0, 0,
                                published="a" * 64)
    assert run_key is None
    # raw/ changed after the publish: a run, once settled
    _, run_key, _ = decide(cursor, "c" * 64, 200.0, 0, published="a" * 64)
    assert run_key == f"{'c' * 64}-200.000"


@pytest.mark.slow
def test_the_sensor_after_the_pipeline_command_builds_nothing_until_raw_changes(project):
    project.settings(2019, 2019)
    settle(project, 0)
    project.raw("sus/sydnarke.csv", GOOD)
    code, _, err = project.run_command()
    assert code == 0, err
    assert published_input(project.warehouse) == scan(project.data / "raw", {})[1]
    first, cursor = evaluate(project, None)          # a sensor that never ran, as when make dev starts
    assert isinstance(first, SkipReason) and "live warehouse was built from" in first.skip_message
    project.raw("sus/sofint.csv", HEADER + "SOFINT;Kompassen;S1;Nej;K;2019-02-01;;\n")
    second, _ = evaluate(project, cursor)
    assert isinstance(second, RunRequest)


def test_published_input_of_no_warehouse_or_an_unreadable_one_is_none(tmp_path):
    assert published_input(tmp_path / "finsam.duckdb") is None
    (tmp_path / "trasig.duckdb").write_bytes(b"not a database")
    assert published_input(tmp_path / "trasig.duckdb") is None


def test_a_warning_check_is_declared_blockerande_false_and_nothing_else(tmp_path):
    from finsam.build import declarations
    from tests.test_declarations import _edit

    loaded = declarations.load(_edit(tmp_path / "a", "inlasta_filer", lambda raw: None))
    assert [(c.namn, c.blockerande) for c in loaded["inlasta_filer"].kontroller] == [("inga_avvisade_filer", False)]
    sql = _edit(tmp_path / "b", "inlasta_filer", lambda raw: raw["kontroller"][0].update(blockerande="nej"))
    with pytest.raises(declarations.DeclarationError, match="blockerande found 'nej', expected true or false"):
        declarations.load(sql)
