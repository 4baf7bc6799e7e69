"""Bounded reading (finsam.io.limits, finsam.io.guard): a file over a limit is rejected before it is parsed, with
the limit, the value found and the setting to raise; a workbook the xlsx reader dies on, or runs out of memory or
time on, is that file's rejection and never the run's end.

The hostile files are made here, compressed as an xlsx is: a sheet that expands a thousandfold, a cell far out
(XFD1048576) with its range declared, with a false one and with none, a stray value in column XFD, a csv of a
million columns. The slow test puts the issue's full-size files beside the committed sample and runs the pipeline
command, which must reject each of them, load every sample file and stay under 2 GB.
"""
from __future__ import annotations

import io
import json
import operator
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from finsam import config
from finsam.config import PROJECT_ROOT
from finsam.io import csvtext, guard
from finsam.io.findings import ConfigError, FileRejected
from finsam.io.limits import InputLimits, LimitExceeded, applied
from finsam.io.tables import read_table
from finsam.sources import sus
from tests.conftest import SAMPLE, TODAY
from tests.test_bad_input import SUS, SUS_ROW, workbook

HEADER = SUS.strip().split(";")
SHEET = "xl/worksheets/sheet1.xml"
WORKSHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats'
             b'.org/spreadsheetml/2006/main">')


def advice(key: str, limit: str) -> str:
    return f"at most {limit} (installningar.yaml, grans_indata: {key}; raise it to read this file)"


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    return b'<row r="1">' + b"".join(cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER)) + b"</row>"


Piece = bytes | tuple[bytes, int]  # some XML, or a block of it and the number of times it is repeated


def sheet(dimension: str | None, rows: Iterable[Piece]) -> Iterator[Piece]:
    """A worksheet's XML, a piece at a time: the range it declares (None: none), then the SUS header and `rows`."""
    yield WORKSHEET + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"") + b"<sheetData>"
    yield header_row()
    yield from rows
    yield b"</sheetData></worksheet>"


def deflated(pieces: Iterable[Piece]) -> tuple[list[bytes], int, int]:
    """(the raw deflate stream in parts, CRC-32, uncompressed size) of the pieces. Each piece ends in a full flush,
    which starts the compressor afresh, so a block repeated a thousand times is compressed once (a GB of sheet in
    a second, not a minute) and its compressed bytes repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts, crc, size = [], 0, 0
    for piece in pieces:
        block, times = piece if isinstance(piece, tuple) else (piece, 1)
        packed = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
        if times > 1:
            assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == packed
        parts += [packed] * times
        for _ in range(times):
            crc = zlib.crc32(block, crc)
        size += len(block) * times
    return [*parts, packer.flush()], crc, size


def crafted(path: Path, pieces: Iterable[Piece]) -> Path:
    """An xlsx whose first sheet is `pieces`, deflated as any workbook is, around the other parts of a real one
    (openpyxl's): a file small on disk however far its sheet expands. The zip is written here (zipfile would
    compress every repeat of a block again)."""
    with zipfile.ZipFile(io.BytesIO(workbook([HEADER]))) as base:
        members = [(i.filename, deflated([base.read(i.filename)])) for i in base.infolist() if i.filename != SHEET]
    members.append((SHEET, deflated(pieces)))
    directory = b""
    with open(path, "wb") as fh:
        for name, (parts, crc, size) in members:
            fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, sum(map(len, parts)), size)
            directory += (struct.pack("<IH", 0x02014B50, 20) + fields + struct.pack("<HHHHHII", len(name), 0, 0, 0,
                                                                                      0, 0, fh.tell()) + name.encode())
            fh.write(struct.pack("<I", 0x04034B50) + fields + struct.pack("<HH", len(name), 0) + name.encode())
            fh.writelines(parts)
        start = fh.tell()
        fh.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory),
                                         start, 0))
    return path


def repeated(piece: bytes, total: int) -> tuple[bytes, int]:
    """`piece` repeated to `total` bytes: a block of a few MB, and how many times it comes."""
    block = piece * max(1, (4 << 20) // len(piece))
    return block, total // len(block)


def bomb(path: Path, mb: int) -> Path:
    """A sheet of `mb` MB of identical rows (row numbers are optional), which deflate shrinks about a
    thousandfold."""
    row = b"<row>" + cell("A2", "Sydnärke").replace(b' r="A2"', b"") * 10 + b"</row>"
    return crafted(path, sheet(None, [repeated(row, mb << 20)]))


def big_cell(path: Path, mb: int) -> Path:
    """One cell of `mb` MB of text."""
    return crafted(path, sheet(None, [b'<row r="2"><c r="A2" t="inlineStr"><is><t>', repeated(b"a", mb << 20),
                                      b"</t></is></c></row>"]))


def data_row(r: int) -> bytes:
    """Row `r` of a SUS export: SUS_ROW's values."""
    return f'<row r="{r}">'.encode() + b"".join(cell(f"{chr(65 + i)}{r}", v) for i, v in enumerate(
        SUS_ROW.strip().split(";")) if v) + b"</row>"


def good_workbook(path: Path) -> Path:
    """A SUS export of one row, within every limit."""
    return crafted(path, sheet("A1:H2", [data_row(2)]))


def far_cell(path: Path, dimension: str | None) -> Path:
    """The SUS header, and one value at XFD1048576, the last cell a sheet has; the range declared is
    `dimension`."""
    return crafted(path, sheet(dimension, [b'<row r="1048576">' + cell("XFD1048576", "x") + b"</row>"]))


def stray_column(path: Path, rows: int = 1000) -> Path:
    """A SUS export of `rows` rows, with one stray value in column XFD and no range declared."""
    return crafted(path, sheet(None, [*map(data_row, range(2, rows + 2)), f'<row r="{rows + 2}">'.encode()
                                      + cell(f"XFD{rows + 2}", "x") + b"</row>"]))


def wide_csv(path: Path, columns: int = 1_000_000) -> Path:
    """A csv of about one MB: the SUS header, and a line of `columns` cells."""
    path.write_bytes(SUS.encode() + b";" * (columns - 1) + b"\n")
    return path


def rejection(path: Path, limits: InputLimits | None = None) -> tuple:
    """(rad, hittat, forvantat, beskrivning) of the one finding that rejects the SUS file at `path` (under
    `limits`, else the defaults)."""
    with applied(limits or InputLimits()), pytest.raises(FileRejected) as e:
        read_table(path, sus.COLUMNS, path.name, sus.KALLA)
    (finding,) = e.value.findings
    assert (finding.regel, finding.allvarlighet, finding.fil) == ("fil_avvisad", "fel", path.name)
    return finding.rad, finding.hittat, finding.forvantat, finding.beskrivning


# -- each limit --------------------------------------------------------------------------------------------------

def test_a_file_larger_than_max_fil_mb_is_rejected_unread(tmp_path):
    path = tmp_path / "stor.csv"
    path.write_bytes((SUS + SUS_ROW * 40_000).encode())  # 1.5 MB, a good export
    assert rejection(path, InputLimits(max_fil_mb=1)) == (
        None, "1.5 MB", advice("max_fil_mb", "1 MB"), "the file is too large: over the limit max_fil_mb, so the "
        "file is not read")
    with applied(InputLimits(max_fil_mb=2)):
        assert read_table(path, sus.COLUMNS, path.name, sus.KALLA).frame.height == 40_000


def test_a_workbook_that_expands_past_max_okomprimerad_mb_is_rejected_unread(tmp_path):
    path = bomb(tmp_path / "bomb.xlsx", 12)
    assert path.stat().st_size < 100_000
    rad, hittat, forvantat, beskrivning = rejection(path, InputLimits(max_okomprimerad_mb=10))
    assert (rad, hittat, forvantat) == (None, "12.0 MB uncompressed", advice("max_okomprimerad_mb", "10 MB"))
    assert beskrivning == ("the workbook expands to more than its limit (xl/worksheets/sheet1.xml alone 12.0 MB): "
                           "over the limit max_okomprimerad_mb, so the file is not read")


def test_a_workbook_that_expands_past_max_komprimeringskvot_is_rejected_unread(tmp_path):
    path = bomb(tmp_path / "bomb.xlsx", 12)
    ratio = sum(i.file_size for i in zipfile.ZipFile(path).infolist()) / path.stat().st_size
    rad, hittat, forvantat, beskrivning = rejection(path)
    assert (rad, hittat, forvantat) == (None, f"{ratio:,.0f} times", advice("max_komprimeringskvot", "100 times"))
    assert beskrivning.startswith(f"the workbook expands {ratio:,.0f} times its size (")
    assert beskrivning.endswith("): a zip bomb, or a sheet of repeated empty cells: over the limit "
                                "max_komprimeringskvot, so the file is not read")


def test_a_cell_at_xfd1048576_in_the_declared_range_is_rejected_unread(tmp_path):
    """The reader would set aside 17 billion cells (550 GB) for it: the range the sheet declares stops it."""
    path = far_cell(tmp_path / "langt_ut.xlsx", "A1:XFD1048576")
    assert rejection(path) == (None, "16 384 columns", advice("max_kolumner", "1 000 columns"),
                               "sheet 'Sheet1' (range A1:XFD1048576) has 16 384 columns (a stray value far to the "
                               "right?): over the limit max_kolumner, so the file is not read")
    assert rejection(path, InputLimits(max_kolumner=20_000)) == (
        None, "17 179 869 184 cells", advice("max_celler", "5 000 000 cells"),
        "sheet 'Sheet1' (range A1:XFD1048576) has 1 048 576 rows of 16 384 columns (a stray value far down?): over "
        "the limit max_celler, so the file is not read")


def test_a_stray_value_in_column_xfd_written_by_excel_or_a_library_is_rejected_unread(tmp_path):
    """openpyxl, like Excel, declares the range the values span."""
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append(SUS_ROW.strip().split(";"))
    wb.active.cell(row=3, column=16384, value="x")
    path = tmp_path / "xfd.xlsx"
    wb.save(path)
    assert rejection(path)[1:] == ("16 384 columns", advice("max_kolumner", "1 000 columns"),
                                   "sheet 'Sheet' (range A1:XFD3) has 16 384 columns (a stray value far to the "
                                   "right?): over the limit max_kolumner, so the file is not read")


def test_a_stray_value_in_column_xfd_of_a_sheet_without_a_range_is_rejected_as_read(tmp_path):
    """No range declared: the reader's child reads the sheet (101 rows of 16 384 columns, within its memory cap)
    and the sheet is rejected before its cells are copied out."""
    assert rejection(stray_column(tmp_path / "xfd.xlsx", rows=100))[1:] == (
        "16 384 columns", advice("max_kolumner", "1 000 columns"),
        "sheet 'Sheet1' (as read) has 16 384 columns (a stray value far to the right?): over "
        "the limit max_kolumner, so the file is not read")


@pytest.mark.parametrize("dimension", ["A1:H2", None])
def test_a_cell_far_out_behind_a_false_range_stops_the_readers_child_not_the_run(tmp_path, dimension):
    """The range is false (or missing), so the reader asks for 550 GB: its child process is refused the memory
    and aborts; the file is rejected naming the memory cap, and the next workbook is read by a new child."""
    started = time.perf_counter()
    rad, hittat, forvantat, beskrivning = rejection(far_cell(tmp_path / "langt_ut.xlsx", dimension))
    assert (rad, hittat, forvantat) == (None, "more than 1024 MB", advice("lasare_minne_mb", "1024 MB"))
    assert beskrivning.startswith("the xlsx reader ran out of memory on the file (memory allocation of ")
    assert beskrivning.endswith(" bytes failed): over the limit lasare_minne_mb, so the file is not read")
    assert time.perf_counter() - started < 60  # generous: it takes about a second
    good = good_workbook(tmp_path / "god.xlsx")
    assert read_table(good, sus.COLUMNS, good.name, sus.KALLA).frame["insats"].to_list() == ["Trappan"]


def test_a_csv_of_a_million_columns_is_rejected_unread(tmp_path):
    started = time.perf_counter()
    assert rejection(wide_csv(tmp_path / "bred.csv")) == (
        2, "1 000 000 cells", advice("max_kolumner", "1 000 columns"),
        "the line has more cells than the limit: over the limit max_kolumner, so the file is not read")
    assert time.perf_counter() - started < 30  # generous: it takes a fraction of a second


def test_a_csv_line_longer_than_max_radlangd_kb_is_rejected_unread(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_bytes((SUS + SUS_ROW + SUS_ROW.replace(";;\n", f';;"{"x" * 200_000}"\n')).encode())
    assert rejection(path) == (3, "195 KB", advice("max_radlangd_kb", "100 KB"),
                               "the line is too long: over the limit max_radlangd_kb, so the file is not read")


def test_lone_cr_line_ends_are_lines_too(tmp_path):
    """An old Mac export ends its lines with CR alone: its lines are counted, not taken for one long line."""
    path = tmp_path / "mac.csv"
    path.write_bytes((SUS + SUS_ROW * 20_000).replace("\n", "\r").encode())
    assert read_table(path, sus.COLUMNS, path.name, sus.KALLA).frame.height == 20_000


# -- the reader's child process ----------------------------------------------------------------------------------

def test_the_child_answers_and_raises_what_the_function_raises():
    assert guard.run(operator.add, 2, 3) == 5
    with pytest.raises(ZeroDivisionError) as e:
        guard.run(operator.truediv, 1, 0)
    assert "(in the xlsx reader's process)" in "".join(e.value.__notes__)


def test_a_child_out_of_time_is_killed_and_the_next_call_gets_a_new_one():
    with applied(InputLimits(lasare_tid_s=1)), pytest.raises(LimitExceeded) as e:
        guard.run(time.sleep, 30)
    assert (e.value.key, e.value.found) == ("lasare_tid_s", "more than 1 s")
    assert str(e.value) == ("the xlsx reader took too long on the file: over the limit lasare_tid_s, so the file is "
                            "not read: found more than 1 s, expected " + advice("lasare_tid_s", "1 s"))
    assert guard.run(operator.add, 1, 1) == 2


def test_a_child_out_of_memory_is_a_limit():
    with applied(InputLimits(lasare_minne_mb=256)), pytest.raises(LimitExceeded) as e:
        guard.run(bytearray, 1 << 30)
    assert (e.value.key, e.value.found, e.value.limit) == ("lasare_minne_mb", "more than 256 MB", "256 MB")


def test_a_child_that_aborts_is_a_failed_read():
    with pytest.raises(guard.ReaderFailed, match=r"^the xlsx reader stopped on the file \(killed by signal "
                                                 r"SIGABRT(: .*)?\)$"):
        guard.run(os.abort)
    assert guard.run(operator.add, 1, 2) == 3


def test_a_folder_with_a_workbook_starts_the_child_at_once_and_stops_it_when_no_longer_used(project, monkeypatch):
    """The child loads while the folder's other files are read; it serves the next folder when that comes within
    IDLE_S, and is stopped when none does, so no reader process lingers through the rest of the run."""
    monkeypatch.setattr(guard, "IDLE_S", 0.5)
    with guard.session(prestart=True):
        child = guard._child
        assert child is not None and child.process.poll() is None
        with guard.session(prestart=True):  # another folder read at the same time shares it
            pass
        assert guard._child is child and child.process.poll() is None
    with guard.session(prestart=False):  # the next folder, within IDLE_S: the same child
        assert guard._child is child and child.process.poll() is None
    assert stopped_within(5)
    assert child.process.returncode is not None
    project.settings(2019, 2019)
    (project.data / "raw" / "sus").mkdir(parents=True)
    good_workbook(project.data / "raw" / "sus" / "god.xlsx")
    project.build()
    assert project.query("select fil, status, rader from marts.inlasta_filer where kalla = 'sus'") == [
        ("raw/sus/god.xlsx", "inlast", 1)]
    assert stopped_within(5)


def stopped_within(seconds: float) -> bool:
    """Whether the reader's child is stopped within `seconds`."""
    deadline = time.monotonic() + seconds
    while guard._child is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    return guard._child is None


def test_a_child_left_holding_much_memory_is_not_kept(monkeypatch):
    monkeypatch.setattr(guard, "KEEP_BELOW", 0)
    assert guard.run(operator.add, 1, 2) == 3
    assert guard._child is None


def test_a_panic_in_polars_sends_a_csv_to_the_careful_reader(tmp_path, monkeypatch):
    """A panic in native code is a BaseException, which would end the run: the csv module reads the file instead."""
    def panic(*args, **kwargs):
        raise pl.exceptions.PanicException("a bug in polars")
    monkeypatch.setattr(csvtext.pl, "read_csv", panic)
    path = tmp_path / "sus.csv"
    path.write_bytes((SUS + SUS_ROW).encode())
    assert read_table(path, sus.COLUMNS, path.name, sus.KALLA).frame["person"].to_list() == ["X1"]


# -- settings ----------------------------------------------------------------------------------------------------

def test_the_limits_are_read_from_installningar_yaml(project):
    assert config.load_settings(project.config).grans_indata == InputLimits()  # the shipped file: the defaults
    project.settings(2019, 2019)
    assert config.load_settings(project.config).grans_indata == InputLimits()  # none given: the defaults
    path = project.config / "installningar.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "grans_indata:\n  max_fil_mb: 20\n  lasare_tid_s: 30\n",
                    encoding="utf-8")
    assert config.load_settings(project.config).grans_indata == InputLimits(max_fil_mb=20, lasare_tid_s=30)


WHOLE = "expected a whole number of at least"


@pytest.mark.parametrize("text, error", [  # installningar.yaml has four lines before these
    ("grans_indata: 20", "line 5, grans_indata found 20, expected a mapping of limits (max_fil_mb, "
     "max_okomprimerad_mb, max_komprimeringskvot, max_celler, max_kolumner, max_radlangd_kb, lasare_minne_mb, "
     "lasare_tid_s)"),
    ("grans_indata:\n  max_fil: 20", "line 6, grans_indata: found 'max_fil', expected one of max_fil_mb, "
     "max_okomprimerad_mb, max_komprimeringskvot, max_celler, max_kolumner, max_radlangd_kb, lasare_minne_mb, "
     "lasare_tid_s"),
    ("grans_indata:\n  max_fil_mb: 0", f"line 6, grans_indata: max_fil_mb found 0, {WHOLE} 1"),
    ("grans_indata:\n  max_celler: 1.5e6", f"line 6, grans_indata: max_celler found '1.5e6', {WHOLE} 1"),
    ("grans_indata:\n  max_kolumner: yes", f"line 6, grans_indata: max_kolumner found True, {WHOLE} 1"),
    ("grans_indata:\n  lasare_minne_mb: 100", f"line 6, grans_indata: lasare_minne_mb found 100, {WHOLE} 256"),
])
def test_a_limit_that_is_not_a_whole_number_stops_the_run(project, text, error):
    project.settings(2019, 2019)
    path = project.config / "installningar.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        config.load_settings(project.config)
    assert str(e.value) == f"{path}: {error}"


def test_a_build_reads_within_its_limits_and_loads_the_other_files(project, tmp_path):
    """The limits of installningar.yaml reach every reader of a build (on its worker threads); each hostile file
    is one rejection, and the good file beside them loads."""
    project.settings(2019, 2019)
    path = project.config / "installningar.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "grans_indata:\n  max_fil_mb: 1\n", encoding="utf-8")
    project.raw("sus/god.csv", SUS + SUS_ROW)
    project.raw("sus/stor.csv", SUS + SUS_ROW * 40_000)
    wide_csv(project.data / "raw" / "sus" / "bred.csv")
    far_cell(project.data / "raw" / "sus" / "langt_ut.xlsx", "A1:B2")
    far_cell(project.data / "raw" / "sus" / "langt_ut_angivet.xlsx", "A1:XFD1048576")
    project.build()
    assert project.query("select fil, status, rader from marts.inlasta_filer where kalla = 'sus' order by fil") == [
        ("raw/sus/bred.csv", "avvisad", None), ("raw/sus/god.csv", "inlast", 1),
        ("raw/sus/langt_ut.xlsx", "avvisad", None), ("raw/sus/langt_ut_angivet.xlsx", "avvisad", None),
        ("raw/sus/stor.csv", "avvisad", None)]
    assert project.query("select fil, hittat from marts.datakvalitet where regel = 'fil_avvisad' order by fil") == [
        ("raw/sus/bred.csv", "1 000 000 cells"), ("raw/sus/langt_ut.xlsx", "more than 1024 MB"),
        ("raw/sus/langt_ut_angivet.xlsx", "16 384 columns"), ("raw/sus/stor.csv", "1.5 MB")]


# -- the issue's files, full size, beside the sample -------------------------------------------------------------

RUN = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from pipelines import run
    started = time.perf_counter()
    code = run.main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
    print(json.dumps({"code": code, "seconds": time.perf_counter() - started,
                      "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
""")
HOSTILE = {  # file under raw/sus/ -> (how it is made, the limit it is rejected by)
    "bomb_1gb.xlsx": (lambda p: bomb(p, 1024), "max_okomprimerad_mb"),
    "cell_768mb.xlsx": (lambda p: big_cell(p, 768), "max_okomprimerad_mb"),
    "xfd1048576.xlsx": (lambda p: far_cell(p, "A1:XFD1048576"), "max_kolumner"),
    "xfd1048576_falskt_omrade.xlsx": (lambda p: far_cell(p, "A1:H2"), "lasare_minne_mb"),
    "xfd1048576_utan_omrade.xlsx": (lambda p: far_cell(p, None), "lasare_minne_mb"),
    "kolumn_xfd.xlsx": (stray_column, "max_kolumner"),
    "miljon_kolumner.csv": (wide_csv, "max_kolumner"),
}
MEMORY_MB = 2048


@pytest.mark.slow
def test_the_issues_files_beside_the_sample_are_rejected_and_the_run_stays_under_2_gb(tmp_path):
    """The sample and the issue's hostile files, full size, through the pipeline command in a child process: exit
    2, each hostile file rejected by its limit, every sample file loaded. Peak memory is the command's own plus
    the largest of its children (the xlsx reader, the workbook writer): at most what the tree held at once."""
    data, cfg = tmp_path / "data", tmp_path / "config"
    shutil.copytree(SAMPLE, data / "raw")
    shutil.copytree(PROJECT_ROOT / "config", cfg)
    for name, (make, _) in HOSTILE.items():
        make(data / "raw" / "sus" / name)
    sizes = {name: (data / "raw" / "sus" / name).stat().st_size for name in HOSTILE}
    assert sizes["bomb_1gb.xlsx"] < 5 << 20 and sizes["miljon_kolumner.csv"] < 2 << 20
    child = subprocess.run([sys.executable, "-c", RUN, str(data), str(cfg), TODAY], capture_output=True, text=True,
                           cwd=PROJECT_ROOT, env={**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster"),
                                                  "FINSAM_PNG": "0"})
    result = json.loads(child.stdout.splitlines()[-1])
    peak = result["self_mb"] + result["children_mb"]
    print(f"\nsample + {len(HOSTILE)} hostile files: {result['seconds']:.1f} s, peak {result['self_mb']:.0f} MB "
          f"(command) + {result['children_mb']:.0f} MB (largest child) = {peak:.0f} MB; sizes {sizes}")
    assert result["code"] == 2, child.stdout + child.stderr
    import duckdb
    con = duckdb.connect(str(data / "marts" / "finsam.duckdb"), read_only=True)
    try:
        files = dict(con.execute("select fil, status from marts.inlasta_filer").fetchall())
        rejected = dict(con.execute("select fil, forvantat from marts.datakvalitet where regel = 'fil_avvisad'")
                        .fetchall())
    finally:
        con.close()
    assert {f: s for f, s in files.items() if s != "inlast"} == {f"raw/sus/{n}": "avvisad" for n in HOSTILE}
    assert len(files) == len(HOSTILE) + sum(1 for p in SAMPLE.rglob("*") if p.is_file()
                                            and p.parent != SAMPLE)
    for name, (_, key) in HOSTILE.items():
        assert f"grans_indata: {key};" in rejected[f"raw/sus/{name}"], name
    assert peak < MEMORY_MB
