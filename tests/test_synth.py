"""The national generator (scripts/make_synth.py) at a small scale: the pipeline and the bench's plain-DuckDB floor
(bench/floor.sql) both reproduce the förbund totals the generator counted on its own."""
import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from finsam.build.runner import build_all

ROOT = Path(__file__).resolve().parents[1]
COUNTS = ["deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
          "pagaende_vid_arets_slut", "registreringar", "anonyma"]


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    # 4 förbund: every csv dialect, an xlsx export, a late SUS start with reports, a report beside registrations
    subprocess.run([sys.executable, "scripts/make_synth.py", "--scale", "4", "--rows", "1000", "--last-year", "2025",
                    "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    return out


def expected(folder: Path, kalla: str | None = None) -> dict[tuple[str, int], tuple]:
    with open(folder / "expected_deltagare_ar.csv", encoding="utf-8") as fh:
        return {(r["forbund"], int(r["ar"])): tuple(int(r[c]) if r[c] else None for c in COUNTS) + (r["kalla"] or None,)
                for r in csv.DictReader(fh) if kalla is None or r["kalla"] == kalla}


def test_generator_is_deterministic(synth, tmp_path):
    again = tmp_path / "again"
    subprocess.run([sys.executable, "scripts/make_synth.py", "--scale", "4", "--rows", "1000", "--last-year", "2025",
                    "--out", str(again)], cwd=ROOT, check=True, capture_output=True)
    files = sorted(p.relative_to(synth) for p in synth.rglob("*") if p.is_file() and "marts" not in p.parts)
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for f in files:
        assert (synth / f).read_bytes() == (again / f).read_bytes(), f
        if "sus" in f.parts:  # the newer export wins a duplicate: its modification time is part of the data
            assert (synth / f).stat().st_mtime == (again / f).stat().st_mtime, f


def test_floor_counts_as_the_generator(synth):
    con = duckdb.connect()
    con.execute(f"set variable dir = '{synth}'")
    con.execute((ROOT / "bench" / "floor.sql").read_text(encoding="utf-8"))
    floor = {(f, ar): (*counts, "sus") for f, ar, *counts in
             con.execute(f"select forbund, ar, {', '.join(COUNTS)} from floor_deltagare_ar").fetchall()}
    assert floor == expected(synth, "sus")


def test_pipeline_counts_as_the_generator(synth, monkeypatch):
    """Every step and check in plain Python (finsam.build.runner) on the generated tree; the command itself is tested on
    the sample and by `make bench`."""
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", "test-key-of-32-characters-or-more")
    con = duckdb.connect(str(synth / "bygge.duckdb"))
    build_all(con, synth / "data", synth / "config", dt.date(2026, 6, 30))
    built = {(f, ar): tuple(rest) for f, ar, *rest in con.execute(
        f"select forbund, ar, {', '.join(COUNTS)}, kalla from marts.deltagare_ar where insats = '*'").fetchall()}
    assert built == expected(synth)
    # the two exports of a förbund overlap: spells still open in the older one are conflicts the newer one wins
    conflicts = con.execute("select count(*) from marts.datakvalitet where regel = 'dubblett_konflikt'").fetchone()[0]
    assert conflicts > 0
