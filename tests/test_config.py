"""The registry and settings are validated on load; a broken config stops the run with a clear message."""
import datetime as dt
import shutil

import pytest

from finsam.config import PROJECT_ROOT, load_registry, load_settings
from finsam.io.findings import ConfigError


@pytest.fixture
def cfg(tmp_path):
    shutil.copytree(PROJECT_ROOT / "config", tmp_path / "config")
    return tmp_path / "config"


def edit(cfg, old: str, new: str) -> None:
    path = cfg / "forbund.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_registry_has_the_five_forbund_and_boden_counts_from_2021(cfg):
    registry = load_registry(cfg)
    assert [f.kod for f in registry.forbund] == ["lekeberg_orebro", "sydnarke", "degerfors_karlskoga", "sofint",
                                                 "sodra_norrbotten"]
    norrbotten = registry.forbund[-1]
    assert [m.kommun for m in norrbotten.kommuner(2020)] == ["2580", "2581", "2560"]
    assert [m.kommun for m in norrbotten.kommuner(2021)] == ["2580", "2581", "2560", "2582"]
    assert registry.kod_for("  finsam degerfors   KARLSKOGA ") == "degerfors_karlskoga"
    assert registry.kod_for("Okänt förbund") is None


def test_overlapping_membership_is_rejected(cfg):
    edit(cfg, '{kommun: "1814", namn: Lekeberg, fran: 2009-01-01, till: null}',
         '{kommun: "1814", namn: Lekeberg, fran: 2009-01-01, till: null}\n'
         '      - {kommun: "1861", namn: Hallsberg, fran: 2015-01-01, till: 2016-12-31}')
    with pytest.raises(ConfigError, match=r"kommun 1861 \(Hallsberg\) has overlapping memberships in "
                                          r"'lekeberg_orebro' \(2015-01-01..2016-12-31\) and 'sydnarke' "
                                          r"\(2009-01-01..open\)"):
        load_registry(cfg)


def test_unknown_kommun_code_is_rejected(cfg):
    edit(cfg, 'kommun: "1814"', 'kommun: "1114"')
    with pytest.raises(ConfigError, match=r"förbund 'lekeberg_orebro': kommun code found '1114', expected four "
                                          r"digits starting with a county code"):
        load_registry(cfg)


def test_duplicate_forbund_code_is_rejected(cfg):
    edit(cfg, "kod: sofint", "kod: sydnarke")
    with pytest.raises(ConfigError, match=r"duplicate förbund kod 'sydnarke'"):
        load_registry(cfg)


def test_an_alias_used_by_two_forbund_is_rejected(cfg):
    edit(cfg, "sus_namn: [Samordningsförbundet Sydnärke, Sydnärke]",
         "sus_namn: [Samordningsförbundet Sydnärke, SOFINT]")
    with pytest.raises(ConfigError, match=r"name 'sofint' is used by both 'sydnarke' and 'sofint'"):
        load_registry(cfg)


def test_settings_blank_ar_till_is_the_current_year(cfg):
    settings = load_settings(cfg, today=dt.date(2026, 11, 25))
    assert (settings.ar_fran, settings.ar_till, settings.malgrupp_andel, settings.undertryck_under) == (
        2017, 2026, 0.05, 5)
    assert settings.years[0] == 2017 and settings.years[-1] == 2026


def settings_with(cfg, extra: str):
    (cfg / "installningar.yaml").write_text("ar_fran: 2017\nar_till: 2025\n" + extra, encoding="utf-8")
    return load_settings(cfg)


def test_shipped_settings_say_sus_closed_on_30_april_2023_and_person_level_files_are_allowed(cfg):
    settings = load_settings(cfg)
    assert (settings.sus_stangd, settings.personuppgifter) == (dt.date(2023, 4, 30), True)


def test_sus_stangd_and_personuppgifter_default_when_absent(cfg):
    assert (lambda s: (s.sus_stangd, s.personuppgifter))(settings_with(cfg, "")) == (dt.date(2023, 4, 30), True)


def test_blank_sus_stangd_means_sus_is_not_closed(cfg):
    assert settings_with(cfg, "sus_stangd:\n").sus_stangd is None
    assert settings_with(cfg, "sus_stangd: 2024-01-31\n").sus_stangd == dt.date(2024, 1, 31)


def test_personuppgifter_nej_refuses_person_level_files(cfg):
    assert settings_with(cfg, "personuppgifter: nej\n").personuppgifter is False
    assert settings_with(cfg, "personuppgifter: ' Ja '\n").personuppgifter is True


@pytest.mark.parametrize("value, found", [("kanske", "'kanske'"), ("", "''"), ("no", "False"), ("1", "1")])
def test_personuppgifter_other_than_ja_or_nej_is_a_config_error(cfg, value, found):
    with pytest.raises(ConfigError) as e:
        settings_with(cfg, f"personuppgifter: {value}\n")
    assert str(e.value) == f"{cfg / 'installningar.yaml'}: personuppgifter found {found}, expected ja or nej"


def test_a_sus_stangd_that_is_no_date_is_a_config_error(cfg):
    with pytest.raises(ConfigError) as e:
        settings_with(cfg, "sus_stangd: 30 april\n")
    assert str(e.value) == f"{cfg / 'installningar.yaml'}: sus_stangd: found '30 april', expected a date YYYY-MM-DD"


def test_survey_thresholds_default_and_are_read(cfg):
    """svarsfrekvens_varning and tackningsgrad_varning: 0.5 and 0.3 when absent or blank; a decimal comma is read."""
    assert (lambda s: (s.svarsfrekvens_varning, s.tackningsgrad_varning))(load_settings(cfg)) == (0.5, 0.3)
    assert (lambda s: (s.svarsfrekvens_varning, s.tackningsgrad_varning))(settings_with(cfg, "")) == (0.5, 0.3)
    s = settings_with(cfg, "svarsfrekvens_varning: 0.6\ntackningsgrad_varning: '0,25'\n")
    assert (s.svarsfrekvens_varning, s.tackningsgrad_varning) == (0.6, 0.25)
    assert settings_with(cfg, "svarsfrekvens_varning:\ntackningsgrad_varning: 0\n").tackningsgrad_varning == 0


@pytest.mark.parametrize("key, value, found", [("svarsfrekvens_varning", "50", "50"),
                                               ("tackningsgrad_varning", "-0.1", "-0.1"),
                                               ("svarsfrekvens_varning", "hälften", "'hälften'"),
                                               ("tackningsgrad_varning", "yes", "True")])
def test_a_survey_threshold_that_is_no_share_is_a_config_error(cfg, key, value, found):
    with pytest.raises(ConfigError) as e:
        settings_with(cfg, f"{key}: {value}\n")
    assert str(e.value) == (f"{cfg / 'installningar.yaml'}: {key} found {found}, expected a share from 0 to 1 "
                            "(0.5 = 50 %)")


def test_archive_retention_and_the_sensors_settle_time_default_when_absent_and_ship_as_5_and_60(cfg):
    assert (lambda s: (s.arkiv_behall, s.vanta_sekunder))(load_settings(cfg)) == (5, 60)
    assert (lambda s: (s.arkiv_behall, s.vanta_sekunder))(settings_with(cfg, "")) == (5, 60)
    assert (lambda s: (s.arkiv_behall, s.vanta_sekunder))(
        settings_with(cfg, "arkiv_behall: 1\nvanta_sekunder: 0\n")) == (1, 0)


@pytest.mark.parametrize("line, found, least", [
    ("arkiv_behall: 0", "0", 1), ("arkiv_behall: -2", "-2", 1), ("arkiv_behall: 2.5", "2.5", 1),
    ("arkiv_behall:", "''", 1), ("arkiv_behall: alla", "'alla'", 1), ("arkiv_behall: yes", "True", 1),
    ("vanta_sekunder: -1", "-1", 0), ("vanta_sekunder: '60'", "'60'", 0), ("vanta_sekunder: 1 minut", "'1 minut'", 0)])
def test_archive_retention_or_settle_time_that_is_no_whole_number_in_range_is_a_config_error(cfg, line, found, least):
    key = line.split(":")[0]
    with pytest.raises(ConfigError) as e:
        settings_with(cfg, line + "\n")
    assert str(e.value) == (f"{cfg / 'installningar.yaml'}: {key} found {found}, expected a whole number of at least "
                            f"{least}")
