"""The report built from the real sample warehouse: files, charts, 2019 figures, exports, and the helpers around it
(kostnadsmappning_ar, the DuckDB 1.x storage format, the notebook, pictures)."""
import base64
import datetime as dt
import gzip
import json
import re
import shutil
import signal
import struct
import subprocess

import duckdb
import openpyxl
import polars as pl
import pytest

from finsam.build import steps
from finsam.config import PROJECT_ROOT
from finsam.publish.compat import storage_version
from finsam.report import _framsida, datakvalitet, diagram, export, html, images
from finsam.report.charts import RITADE_TYPER
from finsam.report.data import grund, lage
from finsam.report.disclosure import sekundara
from finsam.report.format import NBSP
from finsam.report.measures import MATT, varde

# Slow (make test-quick leaves it out): the whole report of the sample, its pictures, and its workbook process
# (one test kills it).
pytestmark = pytest.mark.slow
LAN = ("18_orebro_lan.html", "25_norrbottens_lan.html")


@pytest.fixture
def con(prov):
    c = prov.connect()
    yield c
    c.close()


def _rad(d, forst):
    return next(r for r in d.tabell.rader if r[0] == forst or (len(r) > 1 and r[:2] == list(forst)))


def _cell(d, rad, ar):
    return rad[d.tabell.kolumner.index(str(ar))]


def test_every_lan_file_index_and_parquet_written(prov, con):
    g = prov.marts / "genomlysning"
    for fil in LAN:
        sida = (g / fil).read_text(encoding="utf-8")
        assert sida.count(html.plotly_packad()) == 1                  # plotly.js, packed, once
        resten = sida.replace(html.plotly_packad(), "")
        assert "<script src" not in resten and "http" not in resten    # opens without network
        assert sida.count('class="plotly-graph-div"') == prov.rapport.diagram[fil]
        # lean: under 2.5 MB (the sample's Örebro page was 5.8 MB with plotly.js and a template per chart)
        assert len(sida.encode("utf-8")) == prov.rapport.filer[g / fil] <= html.SIDA_MAX
    assert prov.rapport.diagram["18_orebro_lan.html"] >= 15
    assert prov.rapport.diagram["25_norrbottens_lan.html"] >= 3
    index = (g / "index.html").read_text(encoding="utf-8")
    utanfor = (prov.marts / "genomlysning.html").read_text(encoding="utf-8")
    for fil in LAN:
        assert f'href="{fil}"' in index and f'href="genomlysning/{fil}"' in utanfor
    for namn, in con.execute("select namn from register.forbund").fetchall():
        assert namn in index
    marts = [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()]
    for mart in marts:
        rader = con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
        assert pl.read_parquet(prov.marts / "parquet" / f"{mart}.parquet").height == rader


def test_excel_has_one_sheet_per_mart_with_its_columns_and_rows(prov, con):
    wb = openpyxl.load_workbook(prov.marts / "genomlysning" / "genomlysning.xlsx", read_only=True)
    marts = [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts' "
                                       "order by 1").fetchall()]
    assert wb.sheetnames == ["Läs mig", "Nyckeltal"] + sorted(marts + ["definitioner"], key=export.sortering)
    assert wb.sheetnames[2:5] == ["jamforelse_ar", "deltagare_ar", "avslut_ar"]
    for mart in marts:
        kolumner = [r[0] for r in con.execute(f"select column_name from duckdb_columns() where schema_name = "
                                              f"'marts' and table_name = '{mart}' order by column_index").fetchall()]
        rader = list(wb[mart].iter_rows(values_only=True))
        tillagda = ["förbundsnamn", "län"] if "forbund" in kolumner and mart != "forbund" else []
        tillagda += ["regeltext", "regelbeskrivning"] if "regel" in kolumner else []
        assert list(rader[0]) == kolumner + tillagda   # the mart's own columns first, in its order
        assert len(rader) - 1 == con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
    deltagare = list(wb["deltagare_ar"].iter_rows(values_only=True))
    smatt = [r for r in deltagare[1:] if r[2] == "Öppen väg" and r[1] == 2019][0]   # 3 deltagare in SOFINT 2019
    assert smatt[3] == "<5" and smatt[6] == "<5" and smatt[7] == 0
    texter = {c for r in deltagare[1:] for c in r[3:11] if isinstance(c, str)}
    assert texter == {"<5"}
    definitioner = list(wb["definitioner"].iter_rows(values_only=True))
    assert all(r[3] for r in definitioner[1:]), [r for r in definitioner[1:] if not r[3]]


def test_every_chart_of_the_sample_draws_only_trace_types_the_template_covers(con):
    typer = {t.type for lan in ("18", "25") for d in diagram(con, lan).values() if d.figur is not None
             for t in d.figur.data}
    assert typer == set(RITADE_TYPER)


def _celler(fil):
    wb = openpyxl.load_workbook(fil)
    return {ws.title: [[(c.value, c.number_format, c.comment.text if c.comment else None) for c in rad]
                       for rad in ws.iter_rows()] for ws in wb.worksheets}


def test_the_workbook_written_beside_the_pages_is_the_one_written_in_process(prov, con, tmp_path):
    """From EXCEL_BREDVID_FRAN mart rows a second Python process writes the workbook: the same cells and notes, the
    secondary suppression (the cells hidden to protect a small count) passed to it included."""
    parquet = sorted((prov.marts / "parquet").glob("*.parquet"))
    definitioner = export.definitioner(con)
    framsida = _framsida(con, lage(con), dt.datetime(2026, 1, 1))
    dolda = sekundara(lage(con).dolda)
    with export.excel_bredvid(parquet, definitioner, tmp_path / "bredvid.xlsx", 5, framsida, dolda) as vanta:
        celler = _celler(vanta())
    assert celler == _celler(export.excel(parquet, definitioner, tmp_path / "har.xlsx", 5, framsida, dolda))
    publicerad = _celler(prov.marts / "genomlysning" / "genomlysning.xlsx")
    assert len(celler["Nyckeltal"]) == 6   # a header and five förbund
    assert {k: v for k, v in celler.items() if k != "Läs mig"} == {k: v for k, v in publicerad.items()
                                                                    if k != "Läs mig"}  # Läs mig names its time
    assert sum(1 for blad in celler.values() for rad in blad[1:] for *_, notis in rad if notis) > 0
    huvud = [c[0] for c in celler["korningar"][0]]
    assert {rad[huvud.index("startad")][1] for rad in celler["korningar"][1:]} == {"yyyy-mm-dd h:mm:ss"}
    andrad = celler["inlasta_filer"][1][[c[0] for c in celler["inlasta_filer"][0]].index("andrad")]
    assert andrad[0].hour or andrad[0].minute or andrad[0].second   # the time is kept


def test_a_workbook_process_that_fails_says_why(prov, con, tmp_path):
    saknas = tmp_path / "saknas.parquet"
    with export.excel_bredvid([saknas], export.definitioner(con), tmp_path / "x.xlsx", 5) as vanta, \
            pytest.raises(RuntimeError, match=r"(?s)x\.xlsx was not written \(exit 1\).*saknas\.parquet"):
        vanta()


def test_an_error_while_the_pages_are_drawn_stops_the_workbook_process(prov, con, tmp_path, monkeypatch):
    startade = []
    popen = subprocess.Popen

    def fanga(*args, **kwargs):
        startade.append(popen(*args, **kwargs))
        return startade[-1]
    monkeypatch.setattr(subprocess, "Popen", fanga)
    parquet = sorted((prov.marts / "parquet").glob("*.parquet"))
    with pytest.raises(KeyError), export.excel_bredvid(parquet, export.definitioner(con), tmp_path / "y.xlsx", 5):
        assert len(startade) == 1 and startade[0].poll() is None   # the workbook process is running
        raise KeyError("a chart failed")
    assert startade[0].returncode == -signal.SIGKILL and not (tmp_path / "y.xlsx").exists()


def test_2019_figures_as_published_and_formatted(prov, con):
    d = diagram(con, "18")
    assert _cell(d["kostnad_per"], _rad(d["kostnad_per"], ("Kostnad per deltagare", "Samordningsförbundet Sydnärke")),
                 2019) == f"32{NBSP}672{NBSP}kr"                        # 4 280 000 / 131 (README worked example)
    admin = d["admin_andel"]
    assert _cell(admin, _rad(admin, ("Administration ÷ medelstilldelning", "Samordningsförbundet Sydnärke")),
                 2019) == f"25,3{NBSP}%"                                 # published 25 %
    assert _cell(admin, _rad(admin, ("Administration ÷ medelstilldelning", "Finsam Degerfors/Karlskoga")),
                 2019) == f"22,1{NBSP}%"                                 # 22 % on medelstilldelning alone
    assert _cell(admin, _rad(admin, ("Administration ÷ intäkter totalt", "Finsam Degerfors/Karlskoga")),
                 2019) == f"19,7{NBSP}%"                                 # the published "20 %", MUCF in the base
    tack = d["tackningsgrad"]
    assert _cell(tack, _rad(tack, "Totalt länet"), 2019) == f"6,7{NBSP}%"   # 610 / 9 108, published "7 %"
    assert _cell(tack, _rad(tack, "Finsam Degerfors/Karlskoga"), 2019) == f"21,0{NBSP}%"
    delt = d["deltagare"]
    assert _cell(delt, _rad(delt, ("Deltagare", "Totalt länet")), 2019) == "610"   # the review's 610
    sida = (prov.marts / "genomlysning" / LAN[0]).read_text(encoding="utf-8")
    figurer = gzip.decompress(base64.b64decode(re.search(r'id="figurer-gz"[^>]*>([^<]+)<', sida)[1])).decode()
    for text in (f"32{NBSP}672{NBSP}kr", f"25,3{NBSP}%", f"6,7{NBSP}%"):
        assert text in sida
    assert "stock-flow-avvikelse 2019: +15" in figurer     # a ring's hover, in the page's packed chart data
    norr = diagram(con, "25")["ansokt_stat"]
    assert _cell(norr, norr.tabell.rader[0], 2019) == f"57,1{NBSP}%" and norr.figur is not None
    assert norr.kallor == ("marts.tilldelning_ar",)
    # one note, the break after SUS, and nothing else
    assert [n[:72] for n in norr.noter] == ["Från 2023 (Samordningsförbundet Södra Norrbotten) kommer deltagarantalen"]


def test_measure_terms_reproduce_every_mart_ratio(con):
    bygge = lage(con)
    rader = grund(con, bygge, tuple(bygge.namn)).to_dicts()
    kvoter = [m for m in MATT.values() if m.namnare and m.kolumn in rader[0]]
    assert len(kvoter) >= 12
    for r in rader:
        for m in kvoter:
            utan_mart = {k: v for k, v in r.items() if k != m.kolumn}
            mart, termer = r[m.kolumn], varde(utan_mart, m)
            assert (termer is None) if mart is None else termer == pytest.approx(mart, rel=1e-9), (m.kolumn, r)


def test_kostnadsmappning_section_with_and_without_the_mart(prov, tmp_path):
    kopia = tmp_path / "med_mappning.duckdb"
    shutil.copy(prov.lager, kopia)
    con = duckdb.connect(str(kopia))
    try:
        con.execute("create table marts.kostnadsmappning_kopia as from marts.kostnadsmappning_ar; "
                    "drop table marts.kostnadsmappning_ar")
        utan = datakvalitet.kostnadsmappning(con, ("degerfors_karlskoga",))
        assert len(utan) == 1 and "finns inte" in utan[0].text
        con.execute((PROJECT_ROOT / "sql" / "marts" / "kostnadsmappning_ar.sql").read_text(encoding="utf-8"))  # staging
        assert con.execute("select sum(belopp) filter (where kategori = 'administration') from "
                           "marts.kostnadsmappning_ar where forbund = 'sydnarke' and ar = 2019").fetchall() == \
            [(1_342_000.0,)]                                            # = ekonomi_ar.kostnad_admin
        rader, andringar = datakvalitet.kostnadsmappning(con, ("degerfors_karlskoga",))
    finally:
        con.close()
    assert ["Finsam Degerfors/Karlskoga", "2021", "Förbundschef, strukturövergripande del", "ny rad",
            "strukturovergripande_insatser (rad 27)"] in andringar.tabell.rader
    admin = [r for r in rader.tabell.rader if r[1] == "administration" and r[2] == "Förbundschef"][0]
    assert admin[rader.tabell.kolumner.index("2019")] == f"780{NBSP}000{NBSP}kr"


def test_the_published_warehouse_is_in_the_1_0_storage_format(prov):
    huvud = prov.lager.read_bytes()[:20]
    assert huvud[8:12] == b"DUCK" and struct.unpack("<Q", huvud[12:20])[0] == 64
    assert storage_version(prov.lager) == "v1.0.0+"


def test_the_job_published_the_report_with_the_warehouse_and_named_it(sample, prov):
    published = sample.data / "marts"
    written = sorted(str(p.relative_to(prov.marts)) for p in prov.marts.rglob("*") if p.is_file())
    assert sorted(str(p.relative_to(published)) for p in published.rglob("*") if p.is_file()
                  and p.name not in ("finsam.duckdb", ".finsam.lock")) == written
    assert not (published / "rapport.building").exists() and not (published / "finsam.duckdb.building").exists()
    _, out, _ = sample.command
    for fil in LAN:
        size = (published / "genomlysning" / fil).stat().st_size / 1e6
        assert f"  genomlysning/{fil}: {size:.2f} MB\n" in out
    assert "  no PDF or PNG: FINSAM_PNG=0" in out    # the sample is built as the tests build it, without them
    assert f"  parquet/: {len(steps.MARTS)} Parquet files" in out


def test_notebook_redraws_report_charts(prov, monkeypatch):
    nb = json.loads((PROJECT_ROOT / "notebooks" / "genomlysning.ipynb").read_text(encoding="utf-8"))
    monkeypatch.setenv("FINSAM_DATA_DIR", str(prov.data))
    ns: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), "genomlysning.ipynb", "exec"), ns)
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")   # kept small
    ritade = [v for v in ns.values() if type(v).__name__ == "Figure"]
    assert len(ritade) >= 2 and all(any(len(t.x or ()) for t in f.data) for f in ritade)


def test_no_pdf_or_pictures_without_chromium_and_the_reason_why(prov):
    """prov was built with pictures asked for where no Chromium is found: the report is whole and says why (the
    PDFs and pictures themselves: test_rapport_webblasare)."""
    assert prov.rapport.png == prov.rapport.pdf == [] and prov.rapport.ingen_png == images.INGEN_CHROMIUM
    assert (prov.marts / "genomlysning" / LAN[0]).exists()
    assert not list((prov.marts / "genomlysning").glob("*.pdf"))
