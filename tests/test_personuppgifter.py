"""`personuppgifter: nej` (config/installningar.yaml): every file of a person-level source (Source.personniva: raw/sus/)
is rejected unread with personniva_ej_tillaten; the other sources load and the build publishes (exit 2)."""
import datetime as dt

import pytest

from finsam.publish.guard import DataLoss
from finsam.sources import sus
from finsam.sources.registry import SOURCES
from tests.conftest import Project

SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;19121212-1212;Nej;K;2024-02-01;;\n")  # personnummer: without a key, parsing it would stop
UPPFOLJNING = "Förbund;År;Insats;Inriktning;Kvinnor;Män\nSydnärke;2024;Steget;Individinriktad;7;4\n"
MESSAGE = ("personuppgifter is nej in installningar.yaml: files with one row per person (raw/sus/) are not read; "
           "remove the file, or set personuppgifter: ja")


def refuse(project: Project) -> None:
    with open(project.config / "installningar.yaml", "a", encoding="utf-8") as fh:
        fh.write("personuppgifter: nej\n")


@pytest.fixture
def unread(monkeypatch):
    """No SUS file is parsed, and no pseudonym key is set."""
    monkeypatch.delenv("FINSAM_PSEUDONYM_KEY", raising=False)
    monkeypatch.setattr(sus, "parse_file", lambda *a: pytest.fail("a SUS file was parsed"))


def test_only_sus_is_declared_person_level():
    assert [k.folder for k in SOURCES if k.personniva] == ["sus"]
    assert "personniva_ej_tillaten" in sus.SOURCE.findings


def test_a_sus_file_is_rejected_unread_and_the_rest_loads(project, unread):
    project.settings(2023, 2025)
    refuse(project)
    project.raw("sus/a.csv", SUS)
    project.raw("sus/inte_ens_en_tabell.csv", "bara text\n")
    project.raw("uppfoljning/u.csv", UPPFOLJNING)
    project.build()
    assert project.query("select fil, status, rader, orsak from marts.inlasta_filer order by fil") == [
        ("raw/sus/a.csv", "avvisad", None, f"raw/sus/a.csv: {MESSAGE}"),
        ("raw/sus/inte_ens_en_tabell.csv", "avvisad", None, f"raw/sus/inte_ens_en_tabell.csv: {MESSAGE}"),
        ("raw/uppfoljning/u.csv", "inlast", 1, None)]
    assert project.query("select regel, allvarlighet, kalla, fil, rad, kolumn, hittat, beskrivning "
                         "from marts.datakvalitet where allvarlighet = 'fel' order by fil") == [
        ("personniva_ej_tillaten", "fel", "sus", "raw/sus/a.csv", None, None, None, MESSAGE),
        ("personniva_ej_tillaten", "fel", "sus", "raw/sus/inte_ens_en_tabell.csv", None, None, None, MESSAGE)]
    assert project.build_query("select count(*) from staging.sus_registreringar") == [(0,)]
    assert project.query("select forbund, ar, insats, totalt from staging.uppfoljning_rader") == [
        ("sydnarke", 2024, "Steget", 11)]
    assert project.query("select sus_stangd, personuppgifter from register.installningar") == [
        (dt.date(2023, 4, 30), False)]
    # refused, not a data-quality problem: naming no förbund it is scored once, under okand in the build's current
    # year (2026, past the grid: its last year), and weighs 0
    assert project.query("select forbund, ar, poang, underlag from marts.datakvalitet_poang "
                         "where underlag like '%personniva_ej_tillaten%'") == [
        ("okand", 2025, 100, "personniva_ej_tillaten×2 (−0)")]


def test_an_archived_version_is_not_used_either_and_the_loss_must_be_confirmed(project, monkeypatch):
    """A SUS file accepted while personuppgifter was ja is not read from the archive once it is nej; the warehouse
    then loses the SUS numbers it showed, which the guard refuses until the loss is confirmed."""
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", "nyckel-med-minst-32-tecken-i-sig")
    project.settings(2024, 2024)
    project.raw("sus/a.csv", SUS)
    project.build()
    assert project.query("select status from marts.inlasta_filer") == [("inlast",)]
    assert project.query("select personuppgifter from register.installningar") == [(True,)]
    refuse(project)
    with pytest.raises(DataLoss):
        project.build()
    project.build(tillat_forlust=True)
    assert project.query("select status, orsak from marts.inlasta_filer") == [
        ("avvisad", f"raw/sus/a.csv: {MESSAGE}")]
    assert project.build_query("select count(*) from staging.sus_registreringar") == [(0,)]


@pytest.mark.slow
def test_the_command_publishes_the_rest_and_exits_2(project, unread):
    project.settings(2023, 2025)
    refuse(project)
    project.raw("sus/a.csv", SUS)
    project.raw("uppfoljning/u.csv", UPPFOLJNING)
    code, out, err = project.run_command()
    assert (code, err) == (2, "")
    assert "files read: 2, rejected: 1\n" in out
    assert f"  REJECTED raw/sus/a.csv: raw/sus/a.csv: {MESSAGE}\n" in out
    assert project.query("select fil, status from marts.inlasta_filer order by fil") == [
        ("raw/sus/a.csv", "avvisad"), ("raw/uppfoljning/u.csv", "inlast")]
