"""The file loop (finsam.ingest.folder): files are read a few at a time, but handed on, rejected and recorded in
order."""
import time

import polars as pl
import pytest

from finsam.ingest import folder as ingest_module
from finsam.ingest.folder import ingest
from finsam.io.findings import FEL, VARNING, FileRejected, Finding

TEN = [str(i) for i in range(10)]


def folder(tmp_path, texts: list[str]):
    """raw/x/00.csv, 01.csv, ... holding the texts."""
    for i, text in enumerate(texts):
        path = tmp_path / "raw" / "x" / f"{i:02d}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def parse(path, fil):
    i = int(path.read_text())
    time.sleep(0.02 * (i % 3 == 0))  # some files take longer: the order must not depend on it
    if i == 4:
        raise FileRejected(fil, [Finding("fil_avvisad", FEL, "bad", fil=fil)])
    return pl.DataFrame({"i": [i]}), [Finding("note", VARNING, f"file {i}", fil=fil)]


def test_files_are_handed_on_and_recorded_in_order_whatever_their_parse_time(tmp_path):
    kept = []
    result = ingest(folder(tmp_path, TEN), "x", "x", parse, lambda frame: kept.append(frame["i"][0]))
    assert kept == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    assert result.files["status"].to_list() == ["inlast"] * 4 + ["avvisad"] + ["inlast"] * 5
    assert [f.beskrivning for f in result.findings] == [*(f"file {i}" for i in range(4)), "bad",
                                                        *(f"file {i}" for i in range(5, 10))]


def test_a_bug_in_one_file_stops_the_loop_there(tmp_path):
    def buggy(path, fil):
        if path.read_text() == "3":
            raise KeyError("bug")
        return parse(path, fil)

    kept = []
    with pytest.raises(KeyError):
        ingest(folder(tmp_path, TEN), "x", "x", buggy, lambda frame: kept.append(frame["i"][0]))
    assert kept == [0, 1, 2]
    assert ingest_module.PARSERS > 1  # the files after it were being read ahead: still nothing of them is kept


def test_a_large_file_is_parsed_alone(tmp_path, monkeypatch):
    """Files are read ahead only while together they stay under READ_AHEAD_BYTES: a file larger than that is
    parsed with no other file in memory, so the memory bound of one file holds for the run."""
    monkeypatch.setattr(ingest_module, "READ_AHEAD_BYTES", 10)
    folder(tmp_path, ["7" * size for size in (4, 4, 40, 4)])
    running, most = set(), {}

    def slow(path, fil):
        running.add(path.name)
        most[path.name] = set(running)
        time.sleep(0.05)
        running.discard(path.name)
        return pl.DataFrame({"i": [len(path.read_text())]}), []

    kept = []
    ingest(tmp_path, "x", "x", slow, lambda frame: kept.append(frame["i"][0]))
    assert kept == [4, 4, 40, 4]
    assert most["02.csv"] == {"02.csv"} and "02.csv" not in most["03.csv"], "another file was parsed with it"


def test_a_finding_quotes_at_most_500_characters_of_a_cell_and_says_how_long_it_was():
    from finsam.io.findings import HITTAT_MAX, Finding
    cell = "Avbrott, studier; " * 10_000   # its commas stay commas
    f = Finding("fil_avvisad", "fel", "unreadable", hittat=cell)
    assert f.hittat == cell[:HITTAT_MAX] + " … (180 000 characters in all)"
    assert Finding("fil_avvisad", "fel", "unreadable", hittat=cell[:HITTAT_MAX]).hittat == cell[:HITTAT_MAX]
