"""The pseudonym key: at least 32 characters, and the same key from run to run unless a change is confirmed.
register.nyckel keeps the key's fingerprint with the warehouse, never the key."""
import os

import pytest

from finsam.io.findings import ConfigError
from finsam.privacy.pseudonyms import KEY_ENV, MIN_KEY_LENGTH, fingerprint, key_from_env, pseudonym
from finsam.publish.guard import KeyChanged
from pipelines import run
from tests.conftest import built_once, personnummer

KEY_A = "nyckel-A-" + "0123456789abcdef" * 2
KEY_B = "nyckel-B-" + "fedcba9876543210" * 2
CONFIRM = "FINSAM_TILLAT_NYCKELBYTE"
HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
LOCAL = HEADER + "Sydnärke;Steget;L1;Nej;K;2019-02-01;;\nSydnärke;Steget;L2;Nej;M;2019-03-01;2019-09-30;Arbete\n"
PERSON = personnummer("19850709-980")


@pytest.mark.parametrize("key", ["Zq", " ", "Kort-" + "Z" * (MIN_KEY_LENGTH - 6), " " * 40, "\t" * MIN_KEY_LENGTH])
def test_a_short_or_blank_key_is_refused(monkeypatch, key):
    monkeypatch.setenv(KEY_ENV, key)
    with pytest.raises(ConfigError, match=f"{KEY_ENV} is too short: found {len(key.strip())} characters .*expected "
                                          "at least 32; set FINSAM_PSEUDONYM_KEY to a long random secret") as e:
        key_from_env()
    assert not key.strip() or key not in str(e.value)  # the key itself is never shown


def test_a_key_of_32_characters_is_taken_and_none_is_none(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "k" * MIN_KEY_LENGTH)
    assert key_from_env() == "k" * MIN_KEY_LENGTH
    monkeypatch.delenv(KEY_ENV)
    assert key_from_env() is None


def test_the_fingerprint_is_a_keyed_hash_that_shows_nothing_of_the_key():
    assert fingerprint(KEY_A) == fingerprint(KEY_A) != fingerprint(KEY_B)
    assert len(fingerprint(KEY_A)) == 64 and KEY_A not in fingerprint(KEY_A)
    assert fingerprint(KEY_A) not in (pseudonym("", KEY_A), pseudonym("191212121212", KEY_A))


@pytest.fixture(scope="module")
def built_with_a(tmp_path_factory):
    """A live warehouse built with KEY_A (its SUS file holds local ids only, so a run without a key builds too)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(KEY_ENV, KEY_A)
        return built_once(tmp_path_factory, "nyckel_a", (2019, 2019), {"sus/a.csv": LOCAL})


@pytest.fixture
def live(project, built_with_a, monkeypatch):
    monkeypatch.setenv(CONFIRM, "0")
    return project.restore(built_with_a)


def test_the_fingerprint_is_kept_with_the_warehouse_never_the_key(live):
    assert live.query("select fingeravtryck from register.nyckel") == [(fingerprint(KEY_A),)]
    assert KEY_A.encode() not in live.warehouse.read_bytes()


def test_without_any_key_there_is_no_fingerprint(project, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    project.settings(2019, 2019)
    project.raw("sus/a.csv", LOCAL)
    project.build()
    assert project.query("select fingeravtryck, sedan from register.nyckel") == [(None, None)]


def test_another_key_stops_the_build_and_the_live_warehouse_stays(live, monkeypatch):
    before = live.warehouse.read_bytes()
    monkeypatch.setenv(KEY_ENV, KEY_B)
    with pytest.raises(KeyChanged, match=f"fingerprint {fingerprint(KEY_B)[:12]}, expected "
                                         f"{fingerprint(KEY_A)[:12]} as register.nyckel holds it.*every person gets a "
                                         f"new pseudonym.*FINSAM_TILLAT_NYCKELBYTE=1"):
        live.build()
    assert live.warehouse.read_bytes() == before


def test_the_same_key_builds_and_keeps_since_when(live, monkeypatch):
    (before,) = live.query("select fingeravtryck, sedan from register.nyckel")
    monkeypatch.setenv(KEY_ENV, KEY_A)
    live.build()
    assert live.query("select fingeravtryck, sedan from register.nyckel") == [before]
    assert live.query("select count(*) from marts.datakvalitet where regel = 'nyckel_bytt'") == [(0,)]


def test_a_run_without_a_key_keeps_the_fingerprint_so_another_key_is_still_caught(live, monkeypatch):
    (before,) = live.query("select fingeravtryck, sedan from register.nyckel")
    monkeypatch.delenv(KEY_ENV, raising=False)
    live.build()
    assert live.query("select fingeravtryck, sedan from register.nyckel") == [before]
    monkeypatch.setenv(KEY_ENV, KEY_B)
    with pytest.raises(KeyChanged):
        live.build()


def test_the_flag_is_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIRM, "0")
    assert run.main(tmp_path / "finns_inte", argv=["--tillat-nyckelbyte"]) == run.NOT_PUBLISHED
    assert os.environ[CONFIRM] == "1"


@pytest.mark.slow
def test_a_short_key_stops_the_command_with_exit_1_even_without_personnummer(live, monkeypatch):
    before = live.warehouse.read_bytes()
    monkeypatch.setenv(KEY_ENV, "x")
    code, out, err = live.run_command()
    assert code == run.NOT_PUBLISHED
    assert err.startswith("NOT PUBLISHED: step forbund_register failed: ")
    assert f"{KEY_ENV} is too short: found 1 characters" in err.splitlines()[0]
    assert live.warehouse.read_bytes() == before


@pytest.mark.slow
def test_the_command_stops_on_another_key_and_builds_when_the_change_is_confirmed(live, monkeypatch):
    """With a personnummer in the data, as in the night: the new key gives the person a new pseudonym."""
    live.raw("sus/b.csv", HEADER + f"Sydnärke;Trappan;{PERSON};Nej;K;2019-04-01;;\n")
    monkeypatch.setenv(KEY_ENV, KEY_A)
    # the person is new in 2019, a closed year of the live warehouse: a revision, confirmed
    assert live.run_command(argv=["--tillat-revision"])[0] == run.PUBLISHED
    before = live.warehouse.read_bytes()
    a, b = fingerprint(KEY_A)[:12], fingerprint(KEY_B)[:12]
    monkeypatch.setenv(KEY_ENV, KEY_B)
    code, out, err = live.run_command()
    assert code == run.NOT_PUBLISHED
    assert err.splitlines()[0] == (
        f"NOT PUBLISHED: step forbund_register failed: not building: {KEY_ENV} is not the key the live warehouse "
        f"was built with (fingerprint {b}, expected {a} as register.nyckel holds it): with another key every "
        "person gets a new pseudonym, and people can no longer be followed from one run to the next. The previous "
        "warehouse is unchanged. Set the key used before; if the key was replaced on purpose, rerun once with "
        "FINSAM_TILLAT_NYCKELBYTE=1 (or `python -m pipelines.run --tillat-nyckelbyte`).")
    assert live.warehouse.read_bytes() == before
    assert KEY_B not in out + err and KEY_A not in out + err
    monkeypatch.setenv(CONFIRM, "1")
    code, out, err = live.run_command()
    assert code == run.PUBLISHED, err
    assert live.query("select fingeravtryck from register.nyckel") == [(fingerprint(KEY_B),)]
    (finding,) = live.query("select regel, allvarlighet, hittat, forvantat from marts.datakvalitet "
                            "where regel = 'nyckel_bytt'")
    assert finding[:3] == ("nyckel_bytt", "varning", f"fingerprint {b}")
    assert finding[3].startswith(f"fingerprint {a} (since ")
    assert live.build_query("select person from staging.sus_registreringar where fil = 'raw/sus/b.csv'") == [
        (pseudonym("19850709980" + PERSON[-1], KEY_B),)]
    monkeypatch.setenv(CONFIRM, "0")  # the next night, with the new key, is a night like any other
    assert live.run_command()[0] == run.PUBLISHED
