"""The two csv readers of finsam.io.csvtext on the same files: the fast one (polars, fast_frame) and the careful one
(the csv module, careful_frame) give the same records, row numbers and cells, for every csv file of the sample
(data/raw/) and of the tests' fixtures. Read twice: from the first record (title rows and the header as records
too), and from below the header as finsam.io.tables reads a file. Where the fast reader refuses a file, the test
names the file and checks that it refuses it (finsam.io.tables then uses the careful reader alone).
tests/fixtures/csv/awkward.csv holds what the other files lack: CRLF line ends, a title row, a blank line, cells with
blanks around them, a quoted separator, a quoted line break, doubled quotes, a short row."""
from pathlib import Path

import polars as pl
import pytest

from finsam.config import PROJECT_ROOT
from finsam.io import csvtext, tables

FILES = sorted(p for folder in ("data/raw", "tests/fixtures") for p in (PROJECT_ROOT / folder).rglob("*.csv"))
# file -> why the fast reader hands the whole file to the careful one
REFUSED = {
    "tests/fixtures/bad/scb/folkmangd_nov/pipe_separated.csv":
        'quoted cells with text after the closing quote ("region"|"ålder"|..., read with ;): quoting polars reads '
        "otherwise than the csv module",
}


def name(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def delimiter(data: bytes) -> str:
    """The first separator finsam.io.tables tries that splits a record of the head into two or more filled cells."""
    for sep in (";", ",", "\t"):
        if header_position(data, sep) is not None:
            return sep
    return ";"


def header_position(data: bytes, sep: str) -> int | None:
    """Which of the first records is the header: the first with two or more filled cells (finsam.io.tables looks
    for a source's column names; this test knows no source)."""
    head, _ = csvtext.head(data, sep, tables.MAX_TITLE_ROWS + 1)
    return next((pos for pos, (_, cells) in enumerate(head) if sum(1 for c in cells if c) >= 2), None)


def records(frame: pl.DataFrame, columns: int) -> list[tuple[int, list[str]]]:
    """(row number, cells c0..c{columns-1}) per record; a cell the frame lacks is blank, as for the careful reader."""
    cells = [pl.col(c) if c in frame.columns else pl.lit("").alias(c) for c in (f"c{i}" for i in range(columns))]
    return [(rad, list(row)) for rad, *row in frame.select(csvtext.ROW, *cells).iter_rows()]


def differences(fast: list, careful: list) -> list[str]:
    """Every record and cell where the readers differ (the first 20)."""
    out = [f"{len(fast)} records read fast, {len(careful)} carefully"] if len(fast) != len(careful) else []
    for (rad_f, cells_f), (rad_c, cells_c) in zip(fast, careful):
        if rad_f != rad_c:
            out.append(f"row number {rad_f} read fast, {rad_c} carefully")
        out += [f"row {rad_c}, c{i}: {f!r} read fast, {c!r} carefully"
                for i, (f, c) in enumerate(zip(cells_f, cells_c)) if f != c]
    return out[:20]


def test_every_refused_file_is_there():
    assert set(REFUSED) <= {name(p) for p in FILES}
    assert len(FILES) > 60


@pytest.mark.parametrize("path", FILES, ids=name)
def test_both_readers_give_the_same_records(path):
    data = csvtext.decode(path.read_bytes()).data
    sep = delimiter(data)
    careful = csvtext.careful_frame(data, sep, 0)
    width = careful.width - 2  # c0.. besides rad and _n
    fast = csvtext.fast_frame(data, sep, 1, width, width)
    if name(path) in REFUSED:
        assert fast is None, f"the fast reader now reads {name(path)}: check it against the careful one"
        assert careful.height == len(csvtext.records(csvtext.text(data), sep)[0]) > 0
        return
    assert fast is not None, "the fast reader refused the file"
    everything = records(careful, width)
    assert everything[0][0] == 1
    found = differences(records(fast, width), everything)
    assert not found, "\n".join(found)

    pos = header_position(data, sep)
    if pos is None:  # finsam.io.tables rejects the file (no header) before reading its rows
        return
    head, next_lines = csvtext.head(data, sep, tables.MAX_TITLE_ROWS + 1)  # the title rows and the header
    assert [(rad, cells + [""] * (width - len(cells))) for rad, cells in head[:pos + 1]] == everything[:pos + 1]
    header = head[pos][1]
    fast = csvtext.fast_frame(data, sep, next_lines[pos], len(header), tables._width(header))
    careful = csvtext.careful_frame(data, sep, pos + 1)
    assert fast is not None, "the fast reader refused the rows below the header"
    below = records(careful, careful.width - 2)
    assert [rad for rad, _ in below] == [rad for rad, _ in everything[pos + 1:]]
    assert all(not any(cells[len(header):]) for _, cells in below)  # past the header: blank, as fast leaves out
    found = differences(records(fast, len(header)), records(careful, len(header)))
    assert not found, "\n".join(found)


def test_a_utf8_sequence_is_found_as_the_regular_expression_finds_one(monkeypatch):
    """csvtext.utf8_sequence (numpy, a chunk at a time) against the regular expression it replaced, on random bytes
    of the kinds that matter (lead bytes, continuation bytes, ASCII, bytes UTF-8 never uses), also where a sequence
    runs over a chunk's end."""
    import random
    import re

    regex = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
    kinds = [0x41, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xE5, 0xA4]
    rng = random.Random(21)
    for chunk in (csvtext.CHUNK, 4):
        monkeypatch.setattr(csvtext, "CHUNK", chunk)
        for _ in range(5000):
            data = bytes(rng.choice(kinds) for _ in range(rng.randint(0, 12)))
            assert csvtext.utf8_sequence(data) == (regex.search(data) is not None), data
    assert csvtext.utf8_sequence("Örebro".encode()) and not csvtext.utf8_sequence("Örebro".encode("cp1252"))
    assert csvtext.utf8_sequence(b"abc\xe2\x82") is False    # a sequence cut at the end is none
