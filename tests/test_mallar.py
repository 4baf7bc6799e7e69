"""The fill-in workbooks (finsam.templates, `make mallar`): what they list, their drop-downs, and that a workbook
filled in as a user would and saved into raw/ loads with no edit."""
import csv
import datetime as dt
import re
import shutil

import duckdb
import openpyxl
import pytest

from finsam import config
from finsam.build.runner import BuildContext
from finsam.config import PROJECT_ROOT, norm_name
from finsam.io.tables import Column, read_table
from finsam.templates import write_templates
from pipelines import cli

CFG = PROJECT_ROOT / "config"
AR = 2025

# The contract's columns and aliases, declared as finsam/sources/sus_aggregat.py declares its own: the test reads
# the workbooks as the sources' reader does, whether or not the sources' parsers are on this branch.
UPPFOLJNING = [
    Column("forbund", ("förbund",)),
    Column("ar", ("år",)),
    Column("insats", ()),
    Column("inriktning", ()),
    Column("preciserad_inriktning", ("preciserad inriktning",)),
    Column("malgrupp", ("målgrupp",)),
    Column("uppfoljningsmetod", ("uppföljningsmetod",), required=False),
    Column("esf", ()),
    Column("kvinnor", ()),
    Column("man", ("män",)),
    Column("totalt", (), required=False),
    Column("budgeterat_antal", ("budgeterat antal deltagare",), required=False),
    Column("budget", ()),
    Column("utfall", (), required=False),
    Column("enhet", (), required=False),
]
AVSLUT = [
    Column("forbund", ("förbund",)),
    Column("ar", ("år",)),
    Column("insats", ()),
    Column("avslutsorsak", ()),
    Column("kon", ("kön",), required=False),
    Column("antal", ()),
    Column("kalla", ("källa",), required=False),
]
# Hand-computed from config/insatser.csv: Sydnärke's rows valid in 2025 (Växa ended 2019, Ciceron began 2025) and
# in 2019; Lekeberg och Örebro's in 2025 (Vändpunkten ended 2024-12-31) and 2024.
SYDNARKE_2025 = ["Steget", "Navigatorn", "Arbetsträning Kumla", "Unga Vuxna", "Hälsolotsen", "Trappan",
                 "Samordningsteam", "Ciceron"]
SYDNARKE_2019 = ["Steget", "Navigatorn", "Arbetsträning Kumla", "Unga Vuxna", "Hälsolotsen", "Trappan",
                 "Samordningsteam", "Växa"]
LEKEBERG_2025 = ["Vägledning Lekeberg", "Resursteamet Örebro", "Insteget", "Unga Vuxna", "Mottagningsteam Lekeberg",
                 "Coachingteam Lekeberg", "Samverkansteamet", "IRMA"]
LEKEBERG_2024 = LEKEBERG_2025[:4] + ["Vändpunkten"] + LEKEBERG_2025[4:]
HEADER = 4  # the header's row in the sheet (title rows above it)


@pytest.fixture(scope="module")
def mallar(tmp_path_factory):
    out = tmp_path_factory.mktemp("mallar")
    write_templates(out, AR, CFG)
    return out


def data_rows(ws):
    """The sheet's rows below the header as {header: value}, stopping at the first empty row."""
    header = [c.value for c in ws[HEADER]]
    rows = []
    for values in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        if all(v is None for v in values):
            break
        rows.append(dict(zip(header, values)))
    return rows


def validations(wb, ws) -> dict[str, tuple[str, list[str] | str]]:
    """header -> (validation type, the listed values or the formula) of each validated column."""
    header = {c.column_letter: c.value for c in ws[HEADER]}
    found = {}
    for dv in ws.data_validations.dataValidation:
        letter = re.match(r"[A-Z]+", str(dv.sqref)).group()
        found[header[letter]] = (dv.type, dv.operator, _listed(wb, dv.formula1) if dv.type == "list" else dv.formula1)
    return found


def _listed(wb, formula: str) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.lstrip("=").split("!")
    return [c[0].value for c in wb[sheet][cells.replace("$", "")]]


def test_one_row_per_insats_valid_that_year(tmp_path, mallar):
    write_templates(tmp_path, 2019, CFG, forbund=["sydnarke"])
    write_templates(tmp_path, 2024, CFG, forbund=["lekeberg_orebro"])
    for path, expected in ((mallar / "uppfoljning_sydnarke_2025.xlsx", SYDNARKE_2025),
                           (tmp_path / "uppfoljning_sydnarke_2019.xlsx", SYDNARKE_2019),
                           (mallar / "uppfoljning_lekeberg_orebro_2025.xlsx", LEKEBERG_2025),
                           (tmp_path / "uppfoljning_lekeberg_orebro_2024.xlsx", LEKEBERG_2024)):
        rows = data_rows(openpyxl.load_workbook(path).worksheets[0])
        assert [r["Insats"] for r in rows] == expected, path.name
        ar = int(path.stem[-4:])
        assert {(r["Förbund"], r["År"]) for r in rows} == {(rows[0]["Förbund"], ar)}
        # the counts, money and choices are left blank: blank is "not reported", never 0
        assert all(v is None for r in rows for k, v in r.items() if k not in ("Förbund", "År", "Insats"))
    # the avslut sheet offers the same insatser
    wb = openpyxl.load_workbook(mallar / "uppfoljning_sydnarke_2025.xlsx")
    assert validations(wb, wb["Avslut"])["Insats"][2] == SYDNARKE_2025
    assert data_rows(wb["Avslut"]) == []


def test_forbund_names_map_to_their_kod(mallar):
    registry = config.load_registry(CFG)
    for f in registry.forbund:
        wb = openpyxl.load_workbook(mallar / f"uppfoljning_{f.kod}_{AR}.xlsx")
        names = validations(wb, wb.worksheets[0])["Förbund"][2]
        assert [registry.kod_for(n) for n in names] == [f.kod]
    # a förbund without insatser in the register still gets its workbooks, with empty rows to fill
    rows = data_rows(openpyxl.load_workbook(mallar / f"uppfoljning_sodra_norrbotten_{AR}.xlsx").worksheets[0])
    assert rows == []


def test_drop_downs_and_number_checks(mallar):
    with (CFG / "avslutsorsak.csv").open(encoding="utf-8") as fh:
        orsaker = [row[0] for row in list(csv.reader(fh))[1:] if row]
    wb = openpyxl.load_workbook(mallar / f"uppfoljning_sydnarke_{AR}.xlsx")
    assert wb.sheetnames == ["Uppföljning", "Avslut", "Instruktioner", "Listor"]
    assert wb["Listor"].sheet_state == "hidden"
    ws = wb.worksheets[0]
    checks = validations(wb, ws)
    assert checks["Inriktning"][::2] == ("list", ["Individinriktad", "Strukturövergripande"])
    assert checks["ESF"][::2] == ("list", ["Ja", "Nej"])
    assert checks["Enhet"][::2] == ("list", ["kr", "tkr"])
    for column in ("Kvinnor", "Män", "Budgeterat antal deltagare"):
        assert checks[column] == ("whole", "greaterThanOrEqual", "0"), column
    assert checks["Budget"][0] == checks["Utfall"][0] == "decimal"
    assert ws.freeze_panes == "D5"
    assert ws["A5"].fill.fgColor.rgb.endswith("E7E6E6")  # the pre-filled names are grey
    assert ws.column_dimensions["A"].width > 30
    text = " ".join(c.value or "" for c in wb["Instruktioner"]["A"])
    for words in ("Tom är inte 0", "tkr", "raw/uppfoljning/", "raw/avslut_rapporterade/", "Individinriktad"):
        assert words in text

    checks = validations(wb, wb["Avslut"])
    assert checks["Avslutsorsak"][::2] == ("list", orsaker)
    assert checks["Kön"][::2] == ("list", ["Kvinna", "Man", "Annat"])
    assert checks["Antal"] == ("whole", "greaterThanOrEqual", "0")
    assert wb["Avslut"].freeze_panes == "A5"


def fill(mallar, raw):
    """Sydnärke's workbook as a user sends it back: some cells of both sheets filled with openpyxl, some left blank,
    saved under raw/uppfoljning/ and, a copy, raw/avslut_rapporterade/."""
    (raw / "uppfoljning").mkdir(parents=True)
    (raw / "avslut_rapporterade").mkdir(parents=True)
    wb = openpyxl.load_workbook(mallar / f"uppfoljning_sydnarke_{AR}.xlsx")
    ws = wb.worksheets[0]
    header = {c.value: c.column for c in ws[HEADER]}
    rows = {ws.cell(r, 3).value: r for r in range(HEADER + 1, ws.max_row + 1) if ws.cell(r, 3).value}
    for insats, values in {
        "Steget": {"Inriktning": "Individinriktad", "Preciserad inriktning": "Arbetslivsinriktad rehabilitering",
                   "Målgrupp": "Unga vuxna 18-29 år", "ESF": "Nej", "Kvinnor": 12, "Män": 9, "Totalt": 23,
                   "Budget": 1250, "Utfall": 1180.5, "Enhet": "tkr"},
        "Navigatorn": {"Inriktning": "Strukturövergripande", "Kvinnor": 0, "Budget": 800000},  # Män not reported
    }.items():
        for column, value in values.items():
            ws.cell(rows[insats], header[column], value)
    ws = wb["Avslut"]
    for r, values in enumerate([("Samordningsförbundet Sydnärke", AR, "Steget", "Arbete med stöd", "Kvinna", 3, "SUS"),
                                ("Samordningsförbundet Sydnärke", AR, "Steget", "Studier", None, 2, "egen lista"),
                                ("Samordningsförbundet Sydnärke", AR, "Trappan", "Avbrott", "Man", 0, None)],
                               start=HEADER + 1):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    wb.save(raw / "uppfoljning" / f"uppfoljning_sydnarke_{AR}.xlsx")
    shutil.copy(raw / "uppfoljning" / f"uppfoljning_sydnarke_{AR}.xlsx", raw / "avslut_rapporterade")


def test_filled_workbooks_load_with_no_edit(tmp_path, mallar):
    fill(mallar, tmp_path / "raw")
    fil = f"raw/uppfoljning/uppfoljning_sydnarke_{AR}.xlsx"
    table = read_table(tmp_path / fil, UPPFOLJNING, fil, "uppfoljning")
    assert table.header_rad == HEADER
    assert set(table.headers) == {c.name for c in UPPFOLJNING}
    rows = {r["insats"]: r for r in table.frame.iter_rows(named=True)}
    assert list(rows) == SYDNARKE_2025  # every pre-filled row, the untouched ones too
    assert {r["forbund"] for r in rows.values()} == {"Samordningsförbundet Sydnärke"}
    assert {r["ar"] for r in rows.values()} == {str(AR)}
    steget, navigatorn, trappan = rows["Steget"], rows["Navigatorn"], rows["Trappan"]
    assert (steget["inriktning"], steget["esf"], steget["kvinnor"], steget["man"], steget["totalt"]) == \
        ("Individinriktad", "Nej", "12", "9", "23")
    assert (steget["budget"], steget["utfall"], steget["enhet"]) == ("1250", "1180.5", "tkr")
    assert (navigatorn["kvinnor"], navigatorn["man"], navigatorn["budget"], navigatorn["enhet"]) == \
        ("0", "", "800000", "")
    assert all(v == "" for k, v in trappan.items() if k not in ("rad", "forbund", "ar", "insats"))
    assert table.total is None  # the Totalt column is not taken for a trailing Totalt row

    fil = f"raw/avslut_rapporterade/uppfoljning_sydnarke_{AR}.xlsx"   # the same file: its sheet Avslut is read
    table = read_table(tmp_path / fil, AVSLUT, fil, "avslut_rapporterade")
    assert table.header_rad == HEADER
    assert [(r["insats"], r["avslutsorsak"], r["kon"], r["antal"], r["kalla"])
            for r in table.frame.iter_rows(named=True)] == [("Steget", "Arbete med stöd", "Kvinna", "3", "SUS"),
                                                           ("Steget", "Studier", "", "2", "egen lista"),
                                                           ("Trappan", "Avbrott", "Man", "0", "")]
    known = config.load_avslutsorsak(CFG)
    assert all(norm_name(r) in known for r in table.frame["avslutsorsak"])


def _column(frame, *names):
    found = [n for n in names if n in frame.columns]
    assert found, f"none of {names} in the parsed columns {frame.columns}"
    return found[0]


def test_filled_workbooks_parse(tmp_path, mallar):
    """The same files through the sources' own parsers, when they are on this branch."""
    uppfoljning = pytest.importorskip("finsam.sources.uppfoljning")
    data, cfg = tmp_path / "data", tmp_path / "config"
    shutil.copytree(CFG, cfg)
    fill(mallar, data / "raw")
    build = BuildContext(duckdb.connect(), data, cfg, dt.date(2026, 6, 30))
    fil = f"raw/uppfoljning/uppfoljning_sydnarke_{AR}.xlsx"
    parse, _ = uppfoljning.SOURCE.reader(build)
    frame, _ = parse(data / fil, fil)
    rows = {r["insats"]: r for r in frame.iter_rows(named=True)}
    # the two insatser the user filled in; the pre-filled rows left empty report nothing and are left out
    assert set(rows) == {"Steget", "Navigatorn"} and set(rows) < set(SYDNARKE_2025)
    kvinnor, man = _column(frame, "kvinnor"), _column(frame, "man", "män")
    budget, utfall = _column(frame, "budget_kr", "budget"), _column(frame, "utfall_kr", "utfall")
    assert (rows["Steget"][kvinnor], rows["Steget"][man]) == (12, 9)
    assert (rows["Steget"][budget], rows["Steget"][utfall]) == (1_250_000, 1_180_500)
    assert (rows["Navigatorn"][kvinnor], rows["Navigatorn"][man], rows["Navigatorn"][budget]) == (0, None, 800_000)

    avslut = pytest.importorskip("finsam.sources.avslut_rapporterade")
    fil = f"raw/avslut_rapporterade/uppfoljning_sydnarke_{AR}.xlsx"
    parse, _ = avslut.SOURCE.reader(build)
    frame, _ = parse(data / fil, fil)
    assert sorted(frame[_column(frame, "antal")].to_list()) == [0, 2, 3]


def test_command_writes_a_workbook_per_forbund(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FINSAM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINSAM_CONFIG_DIR", str(CFG))
    assert cli.main(["mallar", "--ar", "2024"]) == 0
    out = tmp_path / "data" / "marts" / "mallar"
    koder = [f.kod for f in config.load_registry(CFG).forbund]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"uppfoljning_{k}_2024.xlsx" for k in koder)
    assert str(out / "uppfoljning_sydnarke_2024.xlsx") in capsys.readouterr().out
    assert cli.main(["mallar", "--forbund", "okand"]) == 1
    assert "okand" in capsys.readouterr().err


def test_an_untouched_workbook_in_both_folders_loads_and_reports_nothing(tmp_path, mallar):
    """Sent back before anything was filled in, and saved into both folders: each reads its own sheet, and the
    pre-filled names alone report nothing (no row, no finding, no rejection)."""
    uppfoljning = pytest.importorskip("finsam.sources.uppfoljning")
    avslut = pytest.importorskip("finsam.sources.avslut_rapporterade")
    data = tmp_path / "data"
    build = BuildContext(duckdb.connect(), data, CFG, dt.date(2026, 6, 30))
    for source, folder in ((uppfoljning, "uppfoljning"), (avslut, "avslut_rapporterade")):
        (data / "raw" / folder).mkdir(parents=True)
        shutil.copy(mallar / f"uppfoljning_sydnarke_{AR}.xlsx", data / "raw" / folder)
        fil = f"raw/{folder}/uppfoljning_sydnarke_{AR}.xlsx"
        parse, _ = source.SOURCE.reader(build)
        frame, findings = parse(data / fil, fil)
        assert (frame.height, findings) == (0, []), folder
