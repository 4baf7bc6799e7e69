"""Nothing outside the data directory is read: a source folder that is a link, a folder above one that is, a link
in a subfolder. Each linked folder holds a file whose content would reach the findings (and, for SUS, the marts)
if it were read; none of it does, and each link is one rejected row of marts.inlasta_filer that says why."""
import pytest

from finsam.ingest.inventory import input_files
from tests.conftest import Project

SECRET = "HEMLIGT"
SUS = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
READABLE = SUS + "Sydnärke;Steget;U1;Nej;K;2019-02-01;;\n" + f"{SECRET} förbund;Steget;U2;Nej;K;2019-02-01;;\n"
UNREADABLE = f"{SECRET};{SECRET}\n1;2\n"  # no header: a rejection whose finding shows the first row


def linked(project: Project, rel: str, target, files: dict[str, str]) -> None:
    """raw/<rel> as a link to the folder `target`, which holds `files` (name -> content)."""
    for name, content in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(content, encoding="utf-8")
    link = project.data / "raw" / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)


@pytest.fixture(scope="module")
def linked_project(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("utanfor"))
    project.settings(2019, 2019)
    outside = project.root / "utanfor"
    linked(project, "sus", outside / "sus", {"sydnarke.csv": READABLE})                     # a source folder
    linked(project, "scb", outside / "scb", {"folkmangd/orebro.csv": UNREADABLE})          # a folder above three
    linked(project, "uppfoljning", project.data / "annat", {"u.csv": UNREADABLE})          # a folder inside
    project.raw("ekonomi/ok.csv", UNREADABLE.replace(SECRET, "synlig"))                    # read, as ever
    linked(project, "ekonomi/2019", outside / "ekonomi", {"e.csv": UNREADABLE})            # a link in a subfolder
    project.build(rapport=True)
    return project


def test_no_file_reached_through_a_linked_folder_is_read(linked_project):
    rows = {fil: (status, orsak) for fil, status, orsak in linked_project.query(
        "select fil, status, orsak from marts.inlasta_filer order by fil")}
    root = linked_project.root
    assert rows == {
        "raw/ekonomi/2019": ("avvisad", f"raw/ekonomi/2019: a link to a folder outside the data directory: not read: "
                                        f"found '{root}/utanfor/ekonomi', expected a file inside the data directory "
                                        "(FINSAM_DATA_DIR), or a link to one"),
        "raw/ekonomi/ok.csv": ("avvisad", "raw/ekonomi/ok.csv: no header row in the first 11 rows: found "
                                          "'synlig; synlig', expected a header with the columns forbund, ar, post, "
                                          "belopp, enhet, typ"),
        "raw/scb/folkmangd": ("avvisad", _through("raw/scb/folkmangd", "raw/scb", "outside", f"{root}/utanfor/scb")),
        "raw/scb/folkmangd_nov": ("avvisad", _through("raw/scb/folkmangd_nov", "raw/scb", "outside",
                                                      f"{root}/utanfor/scb")),
        "raw/scb/helarsekvivalenter": ("avvisad", _through("raw/scb/helarsekvivalenter", "raw/scb", "outside",
                                                           f"{root}/utanfor/scb")),
        "raw/sus": ("avvisad", f"raw/sus: a link to a folder outside the data directory: not read: found "
                               f"'{root}/utanfor/sus', expected a file inside the data directory (FINSAM_DATA_DIR), "
                               "or a link to one"),
        "raw/uppfoljning": ("avvisad", f"raw/uppfoljning: a link to a folder: not followed (folders are read, links "
                                       f"to them are not): found '{root}/data/annat', expected a file, or a link to "
                                       "a file inside the data directory"),
    }


def _through(fil: str, link: str, where: str, target: str) -> str:
    return (f"{fil}: reached through {link}, a link to a folder {where} the data directory: not read (links to "
            f"folders are never followed): found '{target}', expected a folder inside the data directory "
            "(FINSAM_DATA_DIR), not a link to one")


def test_nothing_of_what_the_links_hold_reaches_the_warehouse_or_the_report(linked_project):
    con = linked_project.connect()
    try:
        tables = [t for (t,) in con.execute("select schema_name || '.' || table_name from duckdb_tables()")
                  .fetchall()]
        leaked = [t for t in tables if SECRET in repr(con.execute(f"select * from {t}").fetchall())]
        assert leaked == []
        assert con.execute("select count(*) from marts.deltagare_ar where deltagare > 0").fetchall() == [(0,)]
    finally:
        con.close()
    report = linked_project.data / "marts" / "genomlysning"
    pages = sorted(report.glob("*.html"))
    assert pages and not [p.name for p in pages if SECRET in p.read_text(encoding="utf-8")]


def test_the_sensor_lists_the_linked_folders_not_what_they_hold(linked_project):
    raw = linked_project.data / "raw"
    assert [p.relative_to(raw).as_posix() for p in input_files(raw)] == [
        "ekonomi/2019", "ekonomi/ok.csv", "scb/folkmangd", "scb/folkmangd_nov", "scb/helarsekvivalenter", "sus",
        "uppfoljning"]
