"""Revisions on purpose: a published figure of a closed year that a new build changes is recorded in
marts.revisioner, listed in the report, and beyond revision_tolerans published only when confirmed; an
årsredovisning's subtotal lines are checked against its mapped lines. The tests that rebuild the whole sample are
slow (make test-quick leaves them out)."""
import datetime as dt
import re
from pathlib import Path

import pytest

from assets.resources import build_resources
from finsam import config
from finsam.config.insatser import load_insatser
from finsam.config.kostnadsmappning import load_kostnadsmappning
from finsam.io.findings import ConfigError
from finsam.publish.revision import Revision
from finsam.report import datakvalitet
from finsam.report.disclosure import DOLD, bygger_pa, personer
from finsam.sources import ekonomi
from tests.conftest import TODAY, Project
from tests.test_drift import live_state

SUS = Path("sus/sydnarke_2017_2023.csv")
EKONOMI = Path("ekonomi/sydnarke_resultatrakning_2017_2025.csv")
# Sydnärke's administration lines of 2019 in the sample's resultaträkning (1 342 000 kr together)
ADMIN_2019 = ("Köp av administrativa tjänster", "Köp av tjänst förbundschef", "Revisionstjänster",
              "Arvoden, soc. avg. övriga ersättn.", "Övriga verksamhetskostnader", "Hyra av lokal, städ, el",
              "Resekostnader inkl hotell och logi", "Representation", "Kurser, konferenser och utbildningar")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Project:
    """The committed sample, 2017-2025, published once in plain Python: every year is closed on TODAY."""
    project = Project(tmp_path_factory.mktemp("revision_live"))
    project.copy_sample()
    project.settings(2017, 2025)
    project.build()
    return project


@pytest.fixture
def live(project, published, monkeypatch) -> Project:
    monkeypatch.delenv("FINSAM_TILLAT_REVISION", raising=False)
    monkeypatch.delenv("FINSAM_TILLAT_FORLUST", raising=False)
    return project.restore(published)


def drop_sus_rows_2019(project: Project, share: float = 0.4) -> None:
    """Drop `share` of the rows of Sydnärke's SUS export whose spell touches 2019 (the file is cp1252, CRLF)."""
    path = project.data / "raw" / SUS
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    touching = [i for i, line in enumerate(lines) if (m := re.search(r";(\d{4}-\d\d-\d\d);(\d{4}-\d\d-\d\d)?;", line))
                and m.group(1) <= "2019-12-31" and (m.group(2) or "9999") >= "2019-01-01"]
    step = 1 / share
    dropped = {touching[int(k * step)] for k in range(int(len(touching) * share))}
    path.write_bytes("\r\n".join(line for i, line in enumerate(lines) if i not in dropped).encode("cp1252"))


def edit_ekonomi(project: Project, edit) -> None:
    path = project.data / "raw" / EKONOMI
    path.write_text(edit(path.read_text(encoding="utf-8-sig")), encoding="utf-8-sig")


def without_lines(text: str, year: int, posts: tuple[str, ...]) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not any(line.startswith(f"Samordningsförbundet Sydnärke;{year};{post};") for post in posts))


def revisions(project: Project, where: str = "true") -> list[tuple]:
    return project.query(f"select mart, nyckel, kolumn, gammalt, nytt, over_tolerans, filer from marts.revisioner "
                         f"where {where} order by mart, nyckel, kolumn")


@pytest.mark.slow
def test_the_same_inputs_revise_nothing(live):
    assert live.build() == []
    assert live.query("select count(*) from marts.revisioner") == [(0,)]


@pytest.mark.slow
def test_dropping_40_percent_of_sydnarkes_sus_rows_for_2019_stops_publishing_with_the_list(live):
    before = live_state(live)
    drop_sus_rows_2019(live)
    with pytest.raises(Revision) as stopped:
        live.build()
    line = next(x for x in stopped.value.revised if x.startswith("deltagare_ar forbund=sydnarke, ar=2019, insats=*: "
                                                                  "deltagare 131 -> "))
    new = int(re.search(r"-> (\d+)", line).group(1))
    assert 70 <= new <= 90  # 40 % of the rows that touch 2019 gone; a person can have several spells
    assert line.endswith(f"({(new - 131) / 131:+.1%}); files: raw/sus/sydnarke_2017_2023.csv (ändrad)")
    assert str(stopped.value).startswith("not publishing: this build changes ")
    assert "FINSAM_TILLAT_REVISION=1 (or `python -m pipelines.run --tillat-revision`)" in str(stopped.value)
    assert live_state(live) == before  # nothing published

    notes = live.build(tillat_revision=True)
    assert any(n.startswith("revisions: ") and "beyond revision_tolerans (confirmed)" in n for n in notes)
    assert live.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2019 "
                      "and insats = '*'") == [(new,)]
    assert ("deltagare_ar", "forbund=sydnarke, ar=2019, insats=*", "deltagare", 131.0, float(new), True,
            "raw/sus/sydnarke_2017_2023.csv (ändrad)") in revisions(live)
    run = live.query("select run_id from register.bygge")[0][0]
    assert live.query("select distinct korning from marts.revisioner") == [(run,)]
    assert (run,) in live.query("select run_id from marts.korningar")
    # the other förbund's closed years did not change
    assert live.query("select distinct forbund from marts.revisioner") == [("sydnarke",)]


@pytest.mark.slow
def test_dropping_the_admin_lines_stops_publishing_and_the_subtotal_says_why(live):
    edit_ekonomi(live, lambda text: without_lines(text, 2019, ADMIN_2019))
    with pytest.raises(Revision) as stopped:  # 0, not NULL: the loss guard alone let it through
        live.build()
    assert ("ekonomi_ar forbund=sydnarke, ar=2019: kostnad_admin 1 342 000 -> 0 (-100.0%); files: "
            f"raw/{EKONOMI.as_posix()} (ändrad)") in stopped.value.revised
    live.build(tillat_revision=True)
    assert live.query("select gammalt, nytt, over_tolerans from marts.revisioner where mart = 'ekonomi_ar' and "
                      "kolumn = 'kostnad_admin'") == [(1342000.0, 0.0, True)]
    # the file's own subtotal still says 5 760 000: the finding names it and the sum of the lines
    assert live.query("select hittat, forvantat, rad from marts.datakvalitet where regel = 'delsumma_avviker'") == [
        ("5 760 000 kr", "4 418 000 kr, the sum of the 7 mapped kostnad lines (kostnadsmappning.csv)", 78)]


DELAR = """Samordningsförbund;Räkenskapsår;Benämning;Belopp;Enhet;Typ
Sydnärke;2019;Driftbidrag Försäkringskassan;1 325 000;kr;Intäkt
Sydnärke;2019;Driftbidrag Region Örebro län;662 500;kr;Intäkt
Sydnärke;2019;Driftbidrag Kumla kommun;261 450;kr;Intäkt
Sydnärke;2019;Driftbidrag Hallsbergs kommun;193 240;kr;Intäkt
Sydnärke;2019;Driftbidrag Askersunds kommun;139 062;kr;Intäkt
Sydnärke;2019;Driftbidrag Laxå kommun;68 748;kr;Intäkt
Sydnärke;2019;Utbetalda projektmedel Samordningsteam;1 440 000;kr;Kostnad
Sydnärke;2019;Utbetalda projektmedel Arbetsträning Kumla;233 000;kr;Kostnad
Sydnärke;2019;Utbetalda projektmedel Växa;466 000;kr;Kostnad
Sydnärke;2019;Strukturinsatser;39 000;kr;Kostnad
Sydnärke;2019;Köp av tjänst förbundschef;260 000;kr;Kostnad
Sydnärke;2019;Köp av administrativa tjänster;470 000;kr;Kostnad
"""


@pytest.mark.slow
def test_a_delar_file_that_replaces_a_closed_years_costs_stops_publishing(live):
    live.raw("ekonomi/sydnarke_delar_2019_jan_jun.csv", DELAR)  # newer than the årsredovisning: it wins that year
    with pytest.raises(Revision) as stopped:
        live.build()
    assert ("ekonomi_ar forbund=sydnarke, ar=2019: kostnad_admin 1 342 000 -> 730 000 (-45.6%); files: "
            "raw/ekonomi/sydnarke_delar_2019_jan_jun.csv (ny)") in stopped.value.revised
    live.build(tillat_revision=True)
    assert ("ekonomi_ar", "forbund=sydnarke, ar=2019", "kostnad_admin", 1342000.0, 730000.0, True,
            "raw/ekonomi/sydnarke_delar_2019_jan_jun.csv (ny)") in revisions(live)


@pytest.mark.slow
def test_revisions_of_earlier_publishes_are_carried_over(live):
    drop_sus_rows_2019(live)
    live.build(tillat_revision=True)
    first = live.query("select run_id from register.bygge")[0][0]
    n = live.query("select count(*) from marts.revisioner")[0][0]
    live.raw("ekonomi/sydnarke_delar_2019_jan_jun.csv", DELAR)
    live.build(tillat_revision=True)
    second = live.query("select run_id from register.bygge")[0][0]
    counts = dict(live.query("select korning, count(*) from marts.revisioner group by 1"))
    assert counts[first] == n and counts[second] > 0
    assert live.build() == []  # nothing changed since: no new revisions, the history stays
    assert live.query("select count(*) from marts.revisioner")[0][0] == n + counts[second]


@pytest.mark.slow
def test_a_change_within_the_tolerance_is_recorded_and_published(live):
    edit_ekonomi(live, lambda text: text.replace("Sydnärke;2019;Representation;-12\u00a0000;", "Sydnärke;2019;"
                                                 "Representation;-14\u00a0000;"))
    notes = live.build()
    assert notes == ["revisions: 7 published figure(s) of closed years changed; listed in marts.revisioner"]
    assert ("ekonomi_ar", "forbund=sydnarke, ar=2019", "kostnad_admin", 1342000.0, 1344000.0, False,
            f"raw/{EKONOMI.as_posix()} (ändrad)") in revisions(live)
    assert revisions(live, "over_tolerans") == []


@pytest.mark.slow
def test_revision_tolerans_zero_stops_every_change(live):
    with (live.config / "installningar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("revision_tolerans: 0\n")
    edit_ekonomi(live, lambda text: text.replace("Sydnärke;2019;Representation;-12\u00a0000;", "Sydnärke;2019;"
                                                 "Representation;-12\u00a0100;"))
    with pytest.raises(Revision) as stopped:
        live.build()
    assert "revision_tolerans (0.00%, config/installningar.yaml)" in str(stopped.value)


HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"


def spells(*rows: str) -> str:
    return HEADER + "".join(f"Sydnärke;Steget;{r}\n" for r in rows)


def test_the_open_year_and_a_first_publication_are_no_revision(project):
    """2026 is open on TODAY (2026-06-30); a figure that was NULL and now exists is published for the first time."""
    project.settings(2025, 2026)
    project.raw("sus/sydnarke.csv", spells("G1;Nej;K;2025-02-01;2025-05-01;Arbete", "G2;Nej;M;2026-02-01;;",
                                           "G3;Nej;K;2026-03-01;;"))
    project.build()
    assert project.query("select kostnad_admin from marts.ekonomi_ar where forbund = 'sydnarke' and ar = 2025") == \
        [(None,)]
    project.raw("sus/sydnarke.csv", spells("G1;Nej;K;2025-02-01;2025-05-01;Arbete", "G2;Nej;M;2026-02-01;;"))
    project.raw("ekonomi/sydnarke.csv", "Förbund;År;Post;Belopp;Enhet;Typ\n"
                "Sydnärke;2025;Köp av tjänst förbundschef;500 000;kr;Kostnad\n")
    assert project.build() == []
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2026 "
                         "and insats = '*'") == [(1,)]
    assert project.query("select count(*) from marts.revisioner") == [(0,)]


def test_the_report_lists_the_revisions_and_hides_small_counts(project):
    project.settings(2019, 2019)
    project.raw("sus/sydnarke.csv", spells("G1;Nej;K;2019-02-01;2019-05-01;Arbete", "G2;Nej;M;2019-02-01;;",
                                           "G3;Nej;K;2019-03-01;;"))
    project.build()
    project.raw("sus/sydnarke.csv", spells("G1;Nej;K;2019-02-01;2019-05-01;Arbete", "G2;Nej;M;2019-02-01;;"))
    project.build(tillat_revision=True)
    con = project.connect()
    try:
        [ruta] = datakvalitet.revideringar(con, ("sydnarke",), 5)
    finally:
        con.close()
    assert ruta.rubrik == "Revideringar"
    rad = next(r for r in ruta.tabell.rader if r[1:4] == ["Deltagare per förbund, insats och år", "Deltagare",
                                                          "forbund=sydnarke, ar=2019, insats=*"])
    assert rad[4:8] == ["<5", "<5", DOLD, "ja"]  # 3 -> 2 persons: shown as the report shows every small count
    assert rad[8] == "raw/sus/sydnarke.csv (ändrad)"
    # the workbook hides them by the declaration: underlag_* are counts of persons, gammalt/nytt rest on them
    assert personer("revisioner") == {"underlag_gammalt", "underlag_nytt"}
    assert bygger_pa("revisioner") == {"gammalt": ("underlag_gammalt",), "nytt": ("underlag_nytt",),
                                       "andring": ("underlag_gammalt", "underlag_nytt")}


@pytest.mark.slow
def test_the_command_exits_1_with_the_list_and_publishes_when_confirmed(project, monkeypatch):
    monkeypatch.delenv("FINSAM_TILLAT_REVISION", raising=False)  # run.main sets it for --tillat-revision
    project.settings(2019, 2019)
    project.raw("sus/sydnarke.csv", spells("G1;Nej;K;2019-02-01;2019-05-01;Arbete", "G2;Nej;M;2019-02-01;;",
                                           "G3;Nej;K;2019-03-01;;", "G4;Nej;K;2019-03-01;;", "G5;Nej;M;2019-04-01;;",
                                           "G6;Nej;M;2019-04-01;;"))
    project.build()
    before = live_state(project)
    project.raw("sus/sydnarke.csv", spells("G1;Nej;K;2019-02-01;2019-05-01;Arbete", "G2;Nej;M;2019-02-01;;",
                                           "G3;Nej;K;2019-03-01;;", "G4;Nej;K;2019-03-01;;", "G5;Nej;M;2019-04-01;;"))
    code, _, err = project.run_command()
    assert code == 1
    assert err.splitlines()[0].startswith("NOT PUBLISHED: step finsam_lager failed: not publishing: this build "
                                          "changes ")
    assert "deltagare_ar forbund=sydnarke, ar=2019, insats=*: deltagare 6 -> 5 (-16.7%); files: " \
           "raw/sus/sydnarke.csv (ändrad)" in err
    assert live_state(project) == before
    code, out, err = project.run_command(argv=["--tillat-revision"])
    assert code == 0, err
    assert project.query("select gammalt, nytt from marts.revisioner where mart = 'deltagare_ar' and "
                         "nyckel = 'forbund=sydnarke, ar=2019, insats=*' and kolumn = 'deltagare'") == [(6.0, 5.0)]
    assert project.query("select korning from marts.revisioner limit 1") == \
        project.query("select run_id from marts.korningar order by startad desc limit 1")


@pytest.mark.slow
def test_the_report_says_when_nothing_was_revised(live):
    con = live.connect()
    try:
        [ruta] = datakvalitet.revideringar(con, ("sydnarke", "sofint"), 5)
    finally:
        con.close()
    assert ruta.tabell is None and ruta.text.endswith("Inga publicerade siffror för länets förbund ändrades.")


@pytest.mark.parametrize("value, found", [("-0.01", "-0.01"), ("1.5", "1.5"), ("en procent", "'en procent'"),
                                          ("ja", "'ja'")])
def test_a_bad_revision_tolerans_is_a_config_error_naming_file_key_found_expected(tmp_path, value, found):
    (tmp_path / "installningar.yaml").write_text(f"ar_fran: 2017\nrevision_tolerans: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        config.load_settings(tmp_path)
    assert str(error.value) == (f"{tmp_path / 'installningar.yaml'}: line 2, revision_tolerans found {found}, "
                                "expected a share from 0 to 1 (0.5 = 50 %)")


def test_revision_tolerans_defaults_to_one_percent(tmp_path):
    (tmp_path / "installningar.yaml").write_text("ar_fran: 2017\n", encoding="utf-8")
    assert config.load_settings(tmp_path).revision_tolerans == 0.01
    (tmp_path / "installningar.yaml").write_text("ar_fran: 2017\nrevision_tolerans:\n", encoding="utf-8")
    assert config.load_settings(tmp_path).revision_tolerans == 0.01  # blank: the default, as the other shares
    assert config.load_settings(config.PROJECT_ROOT / "config").revision_tolerans == 0.01


def test_the_environment_confirms_a_revision_for_dagster_runs(monkeypatch, tmp_path):
    monkeypatch.setenv("FINSAM_TILLAT_REVISION", "1")
    assert build_resources(tmp_path, tmp_path)["finsam"].tillat_revision is True
    monkeypatch.setenv("FINSAM_TILLAT_REVISION", "0")
    assert build_resources(tmp_path, tmp_path)["finsam"].tillat_revision is False


# -- subtotal lines --------------------------------------------------------------------------------------------------

def parse(tmp_path: Path, text: str):
    cfg = config.PROJECT_ROOT / "config"
    registry = config.load_registry(cfg)
    path = tmp_path / "arsredovisning.csv"
    path.write_text(text, encoding="utf-8")
    mappning = load_kostnadsmappning(cfg, {f.kod for f in registry.forbund}, load_insatser(cfg, registry))
    return ekonomi.parse_file(path, "raw/ekonomi/arsredovisning.csv", registry, mappning,
                              dt.date.fromisoformat(TODAY))


def test_a_subtotal_that_differs_from_its_lines_is_a_finding_naming_both(tmp_path):
    frame, notes = parse(tmp_path, "Förbund;År;Post;Belopp;Enhet;Typ\n"
                                   "Sydnärke;2019;Driftbidrag Försäkringskassan;100;tkr;Intäkt\n"
                                   "Sydnärke;2019;Summa intäkter;100;tkr;Intäkt\n"
                                   "Sydnärke;2019;Köp av tjänst förbundschef;-40;tkr;Kostnad\n"
                                   "Sydnärke;2019;Revisionstjänster;-20;tkr;Kostnad\n"
                                   "Sydnärke;2019;Finansiella kostnader;-5;tkr;Kostnad\n"
                                   "Sydnärke;2019;Rörelsens kostnader;-75;tkr;Kostnad\n")
    [finding] = [n for n in notes if n.regel == "delsumma_avviker"]
    assert (finding.allvarlighet, finding.forbund, finding.ar, finding.rad, finding.kolumn, finding.hittat,
            finding.forvantat, finding.varde) == (
        "varning", "sydnarke", 2019, 7, "Belopp", "75 000 kr",
        "60 000 kr, the sum of the 2 mapped kostnad lines (kostnadsmappning.csv)", 15000.0)
    assert finding.beskrivning.startswith("the subtotal line 'Rörelsens kostnader' (row 7) says 75 000 kr, but the 2 "
                                          "mapped cost lines of förbund sydnarke, year 2019 in this file sum to "
                                          "60 000 kr (difference 15 000 kr)")
    # the subtotal never counts: the costs are the mapped lines
    assert frame.filter(frame["kategori"] == "administration")["belopp"].sum() == 60000


def test_a_subtotal_within_rounding_is_no_finding(tmp_path):
    _, notes = parse(tmp_path, "Förbund;År;Post;Belopp;Enhet;Typ\n"
                               "Sydnärke;2019;Köp av tjänst förbundschef;40,4;tkr;Kostnad\n"
                               "Sydnärke;2019;Revisionstjänster;20,4;tkr;Kostnad\n"
                               "Sydnärke;2019;Summa kostnader;62;tkr;Kostnad\n")
    assert [n for n in notes if n.regel == "delsumma_avviker"] == []


@pytest.mark.slow
def test_the_samples_subtotals_agree_with_their_lines(published):
    assert published.query("select count(*) from marts.datakvalitet where regel = 'delsumma_avviker'") == [(0,)]
    assert published.query("select count(*) from staging.ekonomi_rader where kategori = 'exkludera' and "
                           "post in ('Summa intäkter', 'Summa kostnader', 'Rörelsens kostnader')")[0][0] == 45
