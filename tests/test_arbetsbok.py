"""The owners' workbook and the analysts' copies around the partial current year (issue 21, items 8 and 9): every
mart keyed by year has helt_ar, false exactly for the year the run is in; the Parquet files explain their columns in
their metadata; the workbook marks the partial year and leaves it out of Nyckeltal.

The fixture: Sydnärke, 2025-2026, built on 2026-06-30 (tests/conftest.py TODAY), so 2026 is the partial year.
"""
import datetime as dt
import re

import openpyxl
import pyarrow.parquet as pq
import pytest

from finsam.build import declarations, steps
from finsam.report import export
from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;P1;Nej;K;2025-02-01;2025-06-30;Arbete
Sydnärke;Steget;P2;Nej;M;2025-03-01;;
Sydnärke;Steget;P3;Nej;K;2025-04-01;2026-03-31;Studier
Sydnärke;Steget;P4;Nej;M;2025-05-01;2025-10-15;Avbrott
Sydnärke;Steget;P5;Nej;K;2025-06-01;;
Sydnärke;Steget;P6;Nej;M;2026-01-10;;
"""
YEAR_KEYED = [s.declaration for s in steps.MARTS if "ar" in s.declaration.nyckel]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "arbetsbok", (2025, 2026), {"sus/sydnarke.csv": SUS}, rapport=True)


def test_every_mart_keyed_by_year_declares_helt_ar_once_and_no_other_does():
    assert len(YEAR_KEYED) >= 20
    for d in YEAR_KEYED:
        assert [c.namn for c in d.kolumner].count("helt_ar") == 1, d.steg
        c = d.column("helt_ar")
        assert (c.typ, c.skydd, c.nyckel, c.etikett) == ("BOOLEAN", "text", False, "Helt år")
    assert all("helt_ar" not in [c.namn for c in s.declaration.kolumner] for s in steps.MARTS
               if "ar" not in s.declaration.nyckel)   # datakvalitet and revisioner: ar is no key there


def test_helt_ar_is_false_exactly_for_the_year_of_the_run(built):
    for d in YEAR_KEYED:
        rows = built.query(f"select distinct ar, helt_ar from {d.table} order by ar")
        assert set(rows) <= {(2025, True), (2026, False)}, d.steg
    assert built.query("select ar, helt_ar from marts.jamforelse_ar where forbund = 'sydnarke' order by ar") == [
        (2025, True), (2026, False)]
    assert built.query("select ar, helt_ar, deltagare from marts.deltagare_ar where forbund = 'sydnarke' "
                       "and insats = '*' order by ar") == [(2025, True, 5), (2026, False, 4)]
    # the column comment is its declaration's definition, as for every column
    comment, = built.query("select comment from duckdb_columns() where table_name = 'jamforelse_ar' "
                           "and column_name = 'helt_ar'")[0]
    assert comment.startswith("sant när året är avslutat")


def test_parquet_files_carry_their_declaration_in_the_metadata(built):
    parquet = built.data / "marts" / "parquet"
    schema = pq.read_schema(parquet / "jamforelse_ar.parquet")
    tackning = steps.BY_NAME["jamforelse_ar"].declaration.column("tackningsgrad")
    assert schema.field("tackningsgrad").metadata == {b"etikett": tackning.etikett.encode(),
                                                      b"definition": tackning.definition.encode(), b"skydd": b"kvot"}
    assert schema.field("helt_ar").metadata[b"etikett"] == "Helt år".encode()
    assert schema.metadata[b"mart"] == b"jamforelse_ar"
    assert schema.metadata[b"beskrivning"].decode().startswith("Genomlysningens jämförelse per förbund och år.")
    forbund = pq.read_table(parquet / "forbund.parquet")   # register.forbund, as the mart marts.forbund
    assert forbund.schema.field("forbundsnamn").metadata[b"etikett"] == "Förbundets namn".encode()
    assert ("sydnarke", "Samordningsförbundet Sydnärke", "18") in zip(
        *(forbund.column(k).to_pylist() for k in ("forbund", "forbundsnamn", "lan")))
    assert pq.read_table(parquet / "deltagare_ar.parquet").num_rows == built.query(
        "select count(*) from marts.deltagare_ar")[0][0]
    assert pq.read_schema(parquet / "korningar.parquet").field("startad").type.tz == "UTC"   # as DuckDB's COPY


def test_the_workbook_marks_the_partial_year_and_leaves_it_out_of_nyckeltal(built):
    wb = openpyxl.load_workbook(built.data / "marts" / "genomlysning" / "genomlysning.xlsx")
    assert wb.sheetnames[:4] == ["Läs mig", "Nyckeltal", "jamforelse_ar", "deltagare_ar"]
    assert wb.sheetnames[-5:] == ["forbund", "definitioner", "korningar", "inlasta_filer", "revisioner"]
    rows = list(wb["jamforelse_ar"].iter_rows(values_only=True))
    kolumner = [c for c, in built.query("select column_name from duckdb_columns() where table_name = "
                                        "'jamforelse_ar' order by column_index")]
    assert list(rows[0]) == kolumner + ["förbundsnamn", "län"]
    helt = rows[0].index("helt_ar")
    assert {(r[0], r[1], r[helt]) for r in rows[1:] if r[0] == "sydnarke"} == {
        ("sydnarke", 2025, True), ("sydnarke", 2026, False)}
    nyckel = list(wb["Nyckeltal"].iter_rows(values_only=True))
    assert {r[3] for r in nyckel[1:]} == {2025}
    assert ("Samordningsförbundet Sydnärke", "sydnarke", "Örebro län", 2025, 5) in [r[:5] for r in nyckel]
    assert wb["forbund"]["B1"].value == "forbundsnamn" and "förbundsnamn" not in [c.value for c in wb["forbund"][1]]
    definitioner = {(r[0], r[1]): r[3] for r in wb["definitioner"].iter_rows(min_row=2, values_only=True)}
    assert definitioner[("jamforelse_ar", "helt_ar")] == "Helt år"
    assert declarations.HELT_AR == "helt_ar"


@pytest.mark.parametrize("mart, kolumn, kind, format_", [
    ("jamforelse_ar", "tackningsgrad", "andel", "0.0 %"),
    ("jamforelse_ar", "eget_kapital_andel", "andel", "0.0 %"),
    ("jamforelse_ar", "kostnad_per_deltagare", "kr", '#,##0 "kr"'),     # a kvot of money per person
    ("ekonomi_ar", "medlemsbidrag", "kr", '#,##0 "kr"'),
    ("samhallsekonomi_ar", "varde_1_ar", "kr", '#,##0 "kr"'),          # its label says kr
    ("deltagare_ar", "deltagare", "antal", "#,##0"),
    ("helarsekvivalenter_ar", "helarsekvivalenter", "antal", "#,##0"),
    ("jamforelse_ar", "deltagare_per_1000_helarsekvivalenter", "tal", "#,##0.0"),
    ("tid_i_insats_ar", "median_dagar", "tal", "#,##0.0"),
    ("jamforelse_ar", "ar", None, None), ("jamforelse_ar", "helt_ar", None, None)])
def test_each_column_has_the_number_format_of_its_kind(mart, kolumn, kind, format_):
    assert export.slag(steps.BY_NAME[mart].declaration.column(kolumn)) == kind
    assert export.TALFORMAT.get(kind) == format_


def _parts(path) -> dict[str, bytes]:
    """Every part of an xlsx file but its creation time (docProps/core.xml)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


TRICKY = [[1, 2.5, -0.0, 1e-12, 123456789012345678, True, False, None, "vanlig text"],
          ["  inledande blanksteg", "avslutande blanksteg ", "rad\nbrytning", 'a & b < c > d "e"', "_x0041_",
           "kontroll\x01tecken", "\ufffe", "åäö €", dt.datetime(2026, 12, 6, 23, 59, 59)],
          # a blank text and one like rich text: xlsxwriter writes these rows itself
          [dt.date(2026, 1, 1), 0, float("inf"), "<r>ser ut som rik text</r>", "", None, True, 3, 4]]


def test_the_fast_row_writer_writes_xlsxwriter_s_own_xml(tmp_path, monkeypatch):
    """export.Blad writes a row as one string: the workbook is byte for byte xlsxwriter's, on tricky cells (spaces
    to keep, escapes, control characters, a text like rich text, booleans, dates, formats by column and by cell)."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    def write(path, cls):
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                             "strings_to_urls": False, "nan_inf_to_errors": True})
        ws = wb.add_worksheet("blad", cls)
        procent, fet = wb.add_format({"num_format": "0.0 %"}), wb.add_format({"bold": True})
        ws.set_column(1, 1, 12, procent)
        ws.write_row(0, 0, ["rubrik"] * 9, fet)
        ws.set_row(1, 30)   # a row with properties goes through xlsxwriter itself
        for r, rad in enumerate(TRICKY * 3, start=1):
            export._skriv_rad(ws, r, rad)
        ws.write_comment(2, 1, "en not")
        wb.close()
        return _parts(path)

    class Text(Worksheet):   # xlsxwriter's own writer, with Blad's one change: a text like rich text is text
        _xml_rich_inline_string = export.Blad._xml_rich_inline_string

    skrivna = []
    rad = export.Blad.rad
    monkeypatch.setattr(export.Blad, "rad", lambda self, r, celler: rad(self, r, celler) and not skrivna.append(r))
    egen, xlsxwriterns = write(tmp_path / "blad.xlsx", export.Blad), write(tmp_path / "ws.xlsx", Text)
    assert egen.keys() == xlsxwriterns.keys()
    assert [n for n in egen if egen[n] != xlsxwriterns[n]] == []
    assert b'<c r="F5" t="b"><v>1</v></c>' in egen["xl/worksheets/sheet1.xml"]
    # whole rows of numbers, booleans and texts were written at once; the row with a height, the rows with a date,
    # infinity or a datetime went through xlsxwriter (and the row after such a row, pending in it, was flushed)
    assert skrivna == [4, 7]


def test_rows_written_at_once_number_formats_and_leave_empty_rows_as_xlsxwriter_does(tmp_path):
    """Blad.rad flushes the row xlsxwriter holds before it uses a format (formats are numbered by first use), and
    writes nothing for a row without a value; a row it has written is closed: a note or value given to it later
    raises, where it would have been lost."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    def write(path, cls):
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("blad", cls)
        ws.set_column(1, 1, 10, wb.add_format({"num_format": "0.0"}))
        export._skriv_rad(ws, 0, [dt.date(2020, 1, 2)])   # through xlsxwriter: the date format is numbered first
        export._skriv_rad(ws, 1, [1, 2.5])
        export._skriv_rad(ws, 2, [None, ""])
        ws.write_comment(3, 0, "en not")
        ws.set_row(4, 25)
        export._skriv_rad(ws, 5, ["x", True])
        wb.close()
        return _parts(path)

    assert write(tmp_path / "blad.xlsx", export.Blad) == write(tmp_path / "ws.xlsx", Worksheet)
    wb = xlsxwriter.Workbook(str(tmp_path / "c.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet("blad", export.Blad)
    export._skriv_rad(ws, 1, [1, 2])
    with pytest.raises(export.RadSkriven, match="row 2 of sheet blad"):
        ws.write_comment(1, 0, "not")
    with pytest.raises(export.RadSkriven):
        ws.write_string(1, 2, "x")
    export._skriv_rad(ws, 2, [3])   # the next row is written as usual
    wb.close()


def test_a_text_from_the_data_is_text_never_a_formula_or_xml(tmp_path):
    """Names come from config and input files: a text written as an array formula ({=...}), like a formula, or like
    xlsxwriter's rich text (<r>...</r>) is written as that text, in the marts' rows (_skriv_rad), the Nyckeltal
    sheet and the definitions; in a row of Blad's own and in one xlsxwriter writes (a row with a height)."""
    import zipfile

    import xlsxwriter
    elaka = ['{=HYPERLINK("http://x","klick")}', "=1+1", "@SUM(A1)", "<r><t>rik</t></r><f>1+1</f><r></r>"]
    wb = xlsxwriter.Workbook(str(tmp_path / "b.xlsx"), {"constant_memory": True, "strings_to_formulas": False,
                                                         "strings_to_urls": False})
    f = export._Format(wb)
    ws = wb.add_worksheet("rader", export.Blad)
    ws.set_row(2, 30)
    for r in range(1, 4):
        export._skriv_rad(ws, r, [r, *elaka])
    export._nyckeltal(wb.add_worksheet("Nyckeltal", export.Blad), f, export.Framsida(
        nyckeltal=["Deltagare"], nyckelslag=["antal"], nyckelrader=[[elaka[0], "kod", elaka[3], 2025, 3]]))
    export._definitioner(wb.add_worksheet("definitioner", export.Blad), f, [elaka + ["text"]])
    wb.close()
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        blad = [z.read(f"xl/worksheets/sheet{i}.xml").decode() for i in (1, 2, 3)]
    for xml in blad:
        assert "<f" not in xml and "<r>" not in xml
        assert "&lt;r&gt;&lt;t&gt;rik&lt;/t&gt;&lt;/r&gt;&lt;f&gt;1+1&lt;/f&gt;&lt;r&gt;&lt;/r&gt;" in xml
        assert '<t>{=HYPERLINK("http://x","klick")}</t>' in xml
    assert blad[0].count('<t>{=HYPERLINK("http://x","klick")}</t>') == 3


def test_a_text_longer_than_a_cell_holds_is_cut_with_a_mark(tmp_path):
    """Excel's cells hold 32 767 characters; xlsxwriter cut a longer text without a sign (a 42 009-character insats
    name): the cut now ends in '…', and a text that fits is as it was."""
    import zipfile

    import xlsxwriter
    wb = xlsxwriter.Workbook(str(tmp_path / "b.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet("rader", export.Blad)
    export._skriv_rad(ws, 0, ["a" * 40_000, "b" * 32_767])
    wb.close()
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        texter = re.findall(r"<t>([^<]*)</t>", z.read("xl/worksheets/sheet1.xml").decode())
    assert texter == ["a" * 32_766 + "…", "b" * 32_767]


def test_rows_after_an_excel_2010_data_bar_are_xlsxwriter_s_own(tmp_path):
    """An Excel 2010 data bar makes xlsxwriter write x14ac:dyDescent on every row: Blad leaves those to it."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    def write(path, cls):
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("blad", cls)
        ws.conditional_format("A1:A9", {"type": "data_bar", "data_bar_2010": True})
        for r in range(9):
            export._skriv_rad(ws, r, [r, "text", True])
        wb.close()
        return _parts(path)

    egen = write(tmp_path / "blad.xlsx", export.Blad)
    assert b'x14ac:dyDescent' in egen["xl/worksheets/sheet1.xml"]
    assert egen == write(tmp_path / "ws.xlsx", Worksheet)


def test_the_sample_s_workbook_is_xlsxwriter_s_own(built, tmp_path, monkeypatch):
    """The whole workbook of a build, with the fast row writer and without: the same bytes in every part."""
    import duckdb
    from xlsxwriter.worksheet import Worksheet

    from finsam.report import _framsida
    from finsam.report.data import lage
    from finsam.report.disclosure import sekundara
    con = duckdb.connect(str(built.warehouse), read_only=True)
    situation = lage(con)
    parquet = export.parquet(con, tmp_path / "parquet")
    args = (parquet, export.definitioner(con), None, situation.grans,
            _framsida(con, situation, dt.datetime(2026, 6, 30, 12)), sekundara(situation.dolda))
    egen = _parts(export.excel(*args[:2], tmp_path / "egen.xlsx", *args[3:]))
    monkeypatch.setattr(export, "Blad", Worksheet)
    xlsxwriterns = _parts(export.excel(*args[:2], tmp_path / "ws.xlsx", *args[3:]))
    assert len(egen) > 30 and egen == xlsxwriterns
