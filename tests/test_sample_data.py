"""The committed sample data builds a warehouse that meets the contract and holds the values data/raw lists."""
import csv
import shutil
import subprocess
import sys

import pytest

from finsam.config import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "data" / "raw"
CHECK_MARTS = PROJECT_ROOT.parent / "shared" / "tools" / "check_marts.py"
COUNTS = ("deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
          "pagaende_vid_arets_slut", "registreringar", "anonyma", "kalla")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from tests.conftest import Project

    project = Project(tmp_path_factory.mktemp("sample"))
    shutil.rmtree(project.data / "raw")
    shutil.copytree(SAMPLE, project.data / "raw")
    project.settings(2017, 2025)
    project.build()
    return project


def expected_rows(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_deltagare_ar_matches_the_values_listed_with_the_sample(sample):
    expected = expected_rows("expected_deltagare_ar.csv")
    assert len(expected) > 60
    got = {(f, str(a), i): tuple("" if v is None else str(v) for v in rest) for f, a, i, *rest in sample.query(
        f"select forbund, ar, insats, {', '.join(COUNTS)} from marts.deltagare_ar")}
    mismatches = [(r["forbund"], r["ar"], r["insats"], tuple(r[c] for c in COUNTS),
                   got.get((r["forbund"], r["ar"], r["insats"]))) for r in expected
                  if got.get((r["forbund"], r["ar"], r["insats"])) != tuple(r[c] for c in COUNTS)]
    assert not mismatches


def test_sample_shows_each_reconciliation_finding(sample):
    rows = sample.query("select regel, forbund, ar, varde from marts.datakvalitet "
                        "where regel in ('stock_flow', 'aggregat_avviker') order by regel, kolumn")
    assert rows == [("aggregat_avviker", "sydnarke", 2021, -2.0), ("aggregat_avviker", "sydnarke", 2021, 3.0),
                    ("stock_flow", "degerfors_karlskoga", 2019, 15.0)]
    assert sample.query("select forbund, ar from marts.datakvalitet where regel = 'saknar_sus' "
                        "and forbund <> 'sodra_norrbotten'") == [("lekeberg_orebro", 2017)]
    assert sample.query("select count(*) from marts.inlasta_filer where status = 'avvisad'") == [(0,)]


def test_warehouse_meets_the_data_contract(sample):
    if not CHECK_MARTS.exists():
        pytest.fail(f"{CHECK_MARTS} is missing: the contract check ships in ../shared/tools")
    done = subprocess.run([sys.executable, str(CHECK_MARTS), str(sample.warehouse)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("contract: 0 problems in 4 tables")
