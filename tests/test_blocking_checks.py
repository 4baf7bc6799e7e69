"""A broken invariant in the combined data fails its blocking check, and nothing is published."""
import hashlib
import shutil

import finsam.warehouse


def test_duplicate_keys_stop_publication_and_keep_the_previous_warehouse(project, monkeypatch, tmp_path):
    project.settings(2019, 2019)
    project.raw("sus/a.csv", "Samordningsförbund;Insats;Deltagar-ID;Inskrivningsdatum;Utskrivningsdatum;"
                             "Avslutsorsak\nSydnärke;Steget;A1;2019-02-01;;\n")
    project.build()
    before = hashlib.sha256(project.warehouse.read_bytes()).hexdigest()

    # a deltagare_ar.sql that emits one key twice
    sql_dir = tmp_path / "sql"
    shutil.copytree(finsam.warehouse.SQL_DIR, sql_dir)
    path = sql_dir / "deltagare_ar.sql"
    text = path.read_text(encoding="utf-8").rstrip().rstrip(";")
    path.write_text(f"{text.split('order by forbund')[0]} union all select * from (select * from counted "
                    "where insats <> '*' limit 0) x;\ninsert into marts.deltagare_ar select * from marts.deltagare_ar "
                    "where forbund = 'sydnarke' and insats = '*';", encoding="utf-8")
    monkeypatch.setattr(finsam.warehouse, "SQL_DIR", sql_dir)

    result = project.build(raise_on_error=False)
    assert not result.success
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == ["deltagare_ar_unika_nycklar"]
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "deltagare_ar" in materialized and "finsam_lager" not in materialized
    assert hashlib.sha256(project.warehouse.read_bytes()).hexdigest() == before
