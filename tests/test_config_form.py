"""Config that keeps the safeguards: a suppression threshold below 3 is refused, a cost-mapping pattern cannot hang
a run, and every config file of the wrong shape stops the run with a ConfigError naming file, line and what was
expected (never an AttributeError or a KeyError, never a silent guess)."""
import shutil
import time

import pytest

from finsam.config import PROJECT_ROOT, load_avslutsorsak, load_registry, load_settings
from finsam.config.insatser import load_insatser
from finsam.config.kostnadsmappning import compile_pattern, load_kostnadsmappning
from finsam.io.findings import ConfigError
from finsam.io.tables import read_table
from finsam.sources.ekonomi import COLUMNS

KODER = {"sydnarke", "sofint", "lekeberg_orebro", "degerfors_karlskoga", "sodra_norrbotten"}
MAPPING = "forbund,post_pattern,kategori,giltig_fran,giltig_till\n"


@pytest.fixture
def cfg(tmp_path):
    shutil.copytree(PROJECT_ROOT / "config", tmp_path / "config")
    return tmp_path / "config"


def settings(cfg, text: str):
    (cfg / "installningar.yaml").write_text("ar_fran: 2017\nar_till: 2025\n" + text, encoding="utf-8")
    return load_settings(cfg)


def error(load, *args) -> str:
    with pytest.raises(ConfigError) as e:
        load(*args)
    return str(e.value)


@pytest.mark.parametrize("value", ["0", "-3", "2"])
def test_undertryck_under_below_3_is_a_config_error(cfg, value):
    assert error(settings, cfg, f"undertryck_under: {value}\n") == (
        f"{cfg / 'installningar.yaml'}: line 3, undertryck_under found {value}, expected a whole number of at least 3")


def test_undertryck_under_3_is_accepted_and_absent_is_5(cfg):
    assert settings(cfg, "undertryck_under: 3\n").undertryck_under == 3
    assert settings(cfg, "").undertryck_under == 5


@pytest.mark.parametrize("text, message", [
    ("undertryck_under: 3.5\n", "line 3, undertryck_under found 3.5, expected a whole number of at least 3"),
    ("undertryck_under: ja\n", "line 3, undertryck_under found 'ja', expected a whole number of at least 3"),
    ("undertryck_under: yes\n", "line 3, undertryck_under found True, expected a whole number of at least 3"),
    ("undertryck_under:\n", "line 3, undertryck_under found '', expected a whole number of at least 3"),
    ("malgrupp_andel: [0.05]\n", "line 3, malgrupp_andel found a list, expected a share from 0 to 1"),
    ("malgrupp_andel: 0\n", "line 3, malgrupp_andel found 0, expected a share above 0 and at most 1"),
    ("ar_fran: 2017\n", "line 3, column 1, not valid YAML: key 'ar_fran' given twice (first on line 1)"),
    ("personuppgifter: {ja: nej}\n", "line 3, personuppgifter found {'ja': 'nej'}, expected ja or nej"),
    # libyaml's words ("... in this context"; PyYAML's own parser says "... here")
    ("  undertryck_under: 5\n", "line 3, column 19, not valid YAML: mapping values are not allowed"),
])
def test_a_setting_of_the_wrong_shape_names_its_line(cfg, text, message):
    assert error(settings, cfg, text).startswith(f"{cfg / 'installningar.yaml'}: {message}")


@pytest.mark.parametrize("text, message", [
    # PyYAML's own constructors raised a bare ValueError for these, which named no file
    ("sus_stangd: 2023-02-30\n", "line 3, column 13, not valid YAML: '2023-02-30' is not a valid date (day is out of "
                                 "range for month)"),
    ("sus_stangd: 2023-13-01\n", "line 3, column 13, not valid YAML: '2023-13-01' is not a valid date (month must "
                                 "be in 1..12)"),
    ("arkiv_behall: 5" + "0" * 5000 + "\n", "line 3, column 15, not valid YAML: '5" + "0" * 39 + "…' is not a valid "
     "whole number (Exceeds the limit (4300 digits) for integer string conversion: value has 5001 digits)"),
    ("sus_stangd: 2023-04-01 10:00:00\n", "line 3, sus_stangd: found '2023-04-01 10:00:00', expected a date "
                                          "YYYY-MM-DD (without a time)"),
    ("undertryck_under: 5 \x1a\n", "line 3, column 21, not valid YAML: character U+001A: control characters are not "
                                   "allowed"),
])
def test_a_value_yaml_cannot_read_names_its_line(cfg, text, message):
    assert error(settings, cfg, text) == f"{cfg / 'installningar.yaml'}: {message}"


def test_merge_keys_override_as_yaml_says_and_a_key_given_twice_is_still_refused(cfg):
    """A key of the mapping overrides a merged one, the first of several merged mappings wins; only a key the
    mapping itself gives twice is an error."""
    bas = "ar_fran: 2017\nar_till: 2025\n"
    path = cfg / "installningar.yaml"
    path.write_text("x: &a {undertryck_under: 7, malgrupp_andel: 0.1}\ny: &b {undertryck_under: 9}\n"
                    "<<: [*b, *a]\nmalgrupp_andel: 0.2\n" + bas, encoding="utf-8")
    from finsam.config import _yaml
    data = _yaml(cfg, "installningar.yaml")
    assert (data["undertryck_under"], data["malgrupp_andel"]) == (9, 0.2)
    assert (load_settings(cfg).undertryck_under, load_settings(cfg).malgrupp_andel) == (9, 0.2)
    assert data.lines["malgrupp_andel"] == 4
    path.write_text("undertryck_under: 7\n" + bas + "undertryck_under: 9\n", encoding="utf-8")
    assert error(load_settings, cfg) == (f"{path}: line 4, column 1, not valid YAML: key 'undertryck_under' given "
                                         "twice (first on line 1)")


def test_a_settings_file_that_is_a_list_or_not_utf8(cfg):
    path = cfg / "installningar.yaml"
    path.write_text("- ar_fran: 2017\n", encoding="utf-8")
    assert error(load_settings, cfg) == (f"{path}: line 1, found a list, expected a mapping (key: value) at the top "
                                         "level")
    path.write_bytes("ar_fran: 2017\n# s\xe5 h\xe4r\n".encode("cp1252"))
    assert error(load_settings, cfg) == (f"{path}: line 2, byte 0xE5 is not UTF-8, expected a UTF-8 file (save it "
                                         "again as UTF-8)")


def registry(cfg, old: str, new: str):
    path = cfg / "forbund.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_registry(cfg)


def line_of(cfg, text: str) -> int:
    """The line of forbund.yaml that holds `text` (after the edit)."""
    lines = (cfg / "forbund.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize("old, new, at, message", [
    ("  - kod: lekeberg_orebro\n", "  - lekeberg_orebro\n  - kod: lekeberg_orebro\n", "  - lekeberg_orebro",
     "förbund #1 found 'lekeberg_orebro', expected a mapping with the keys kod, namn, sus_namn, region, medlemmar"),
    ("sus_namn: [Samordningsförbundet Sydnärke, Sydnärke]", "sus_namn: Sydnärke", "sus_namn: Sydnärke",
     "förbund 'sydnarke': sus_namn found 'Sydnärke', expected a list of texts ([a, b] or one '- a' per line)"),
    ("namn: Samordningsförbundet Sydnärke", "namn: [Sydnärke]", "namn: [Sydnärke]",
     "förbund 'sydnarke': namn found a list, expected a text"),
    ("sus_namn: [Samordningsförbundet Sydnärke, Sydnärke]", "sus_namn: [Sydnärke, {a: b}]", "sus_namn: [Sydnärke,",
     "förbund 'sydnarke': sus_namn item 2 found a mapping (key: value), expected a text"),
    ("    medlemmar:\n      - {kommun: \"1882\"", "    medlemar:\n      - {kommun: \"1882\"", "medlemar:",
     "förbund #2: key 'medlemar' is not read, expected one of kod, namn, sus_namn, region, medlemmar"),
    ("      - {kommun: \"1882\", namn: Askersund, fran: 2009-01-01, till: null}", "      - 1882 Askersund",
     "1882 Askersund", "förbund 'sydnarke', member #1 found '1882 Askersund', expected a mapping with the keys "
     "kommun, namn, fran, till"),
    ("{kommun: \"1882\", namn: Askersund, fran: 2009-01-01, till: null}",
     "{kommun: \"1882\", namn: Askersund, fran: 2009-01-01, till: null, kommun: \"1883\"}", "namn: Askersund",
     "not valid YAML: key 'kommun' given twice (first on line"),
    ("{kommun: \"1882\", namn: Askersund, fran: 2009-01-01, till: null}",
     "{kommun: \"1882\", namn: Askersund, fran: [2009], till: null}", "namn: Askersund",
     "förbund 'sydnarke', kommun 1882, fran: found [2009], expected a date YYYY-MM-DD"),
])
def test_a_registry_entry_of_the_wrong_shape_names_its_line(cfg, old, new, at, message):
    text = error(registry, cfg, old, new)
    prefix = f"{cfg / 'forbund.yaml'}: line {line_of(cfg, at)}, "
    assert text.startswith(prefix) and message in text, text


def test_a_registry_whose_forbund_is_no_list_names_its_line(cfg):
    (cfg / "forbund.yaml").write_text("# förbund\nforbund:\n  sydnarke: {}\n", encoding="utf-8")
    assert error(load_registry, cfg) == (f"{cfg / 'forbund.yaml'}: line 2, forbund found a mapping (key: value), "
                                         "expected a non-empty list under 'forbund' (one '- kod: ...' per förbund)")


def write_csv(cfg, name: str, text: str):
    (cfg / name).write_text(text, encoding="utf-8")


def test_a_csv_row_with_more_cells_than_the_header_names_its_line(cfg):
    write_csv(cfg, "avslutsorsak.csv",
              "avslutsorsak,kategori,stod\nArbete,arbete,\n\nStudier, heltid,studier,med_stod\n")
    assert error(load_avslutsorsak, cfg) == (
        f"{cfg / 'avslutsorsak.csv'}: line 4, found 4 cells, expected at most 3 (avslutsorsak,kategori,stod): a "
        'text with a comma in it goes in double quotes ("a, b")')


def test_a_csv_line_number_counts_blank_lines_and_quoted_line_breaks(cfg):
    write_csv(cfg, "avslutsorsak.csv", 'avslutsorsak,kategori\n\n"Arbete\npå heltid",arbete\n\nFlytt,flyt\n')
    assert error(load_avslutsorsak, cfg) == (f"{cfg / 'avslutsorsak.csv'}: line 6, kategori found 'flyt', expected "
                                             "one of ('arbete', 'studier', 'arbetssokande', 'studieredo', "
                                             "'annan_insats', 'sjukdom', 'flytt', 'avbrott', 'ovrigt')")


def test_a_csv_file_with_a_repeated_column_or_not_utf8(cfg):
    write_csv(cfg, "avslutsorsak.csv", "avslutsorsak,kategori,Kategori\nArbete,arbete,studier\n")
    assert error(load_avslutsorsak, cfg) == (f"{cfg / 'avslutsorsak.csv'}: line 1, column(s) ['kategori'] appear "
                                             "twice, expected each column once")
    (cfg / "insatser.csv").write_bytes("forbund,insats,typ,kommun,finansiering,giltig_fran,giltig_till\n"
                                       "sofint,Bär,projekt,,,2019-01-01,\n".encode("cp1252"))
    assert error(load_insatser, cfg, load_registry(cfg)) == (
        f"{cfg / 'insatser.csv'}: line 2, byte 0xE4 is not UTF-8, expected a UTF-8 file (save it again as UTF-8)")


def test_a_catastrophic_pattern_matches_a_long_line_in_linear_time(cfg):
    """(a+)+$ tries 2^n ways on 'aaa…a!' in a backtracking engine (Python's re: hours at n = 40); RE2 does not."""
    write_csv(cfg, "kostnadsmappning.csv", MAPPING + "*,(a+)+$,administration,,\n*,(x+x+)+y,administration,,\n")
    mapping = load_kostnadsmappning(cfg, KODER)
    started = time.perf_counter()
    for n in (40, 100_000):
        assert mapping.matches("sofint", 2019, "a" * n + "!") == []
        assert mapping.matches("sofint", 2019, "x" * n) == []
    assert [r.rad for r in mapping.matches("sofint", 2019, "A" * 100_000)] == [2]
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("pattern", [r"(a+)+(?!b)", r"(?<=x)(ab|a)*", r"(?!summa).*.*", r"(\w+\s+){0,3}(?=x)",
                                     r"(.*)\1"])
def test_a_pattern_that_needs_backtracking_and_could_run_long_is_refused(cfg, pattern):
    write_csv(cfg, "kostnadsmappning.csv", MAPPING + f'*,Kansli,administration,,\n*,"{pattern}",administration,,\n')
    text = error(load_kostnadsmappning, cfg, KODER)
    assert text.startswith(f"{cfg / 'kostnadsmappning.csv'}: line 3, post_pattern found {pattern!r}, which RE2 "
                           "cannot run (")
    assert text.endswith("expected a pattern without lookaround or backreference (RE2 runs any of them safely), or "
                         "one with at most one open-ended repetition (*, +, {n,}) and no repetition of a group that "
                         "holds a repetition or alternatives")


def test_a_simple_pattern_with_a_lookahead_or_backreference_still_works(cfg):
    write_csv(cfg, "kostnadsmappning.csv", MAPPING + r"*,(summa|totalt)\b(?! eget kapital).*,exkludera,,"
              + "\n" + r"*,(ab)\1 (?=x).,administration,," + "\n")
    mapping = load_kostnadsmappning(cfg, KODER)
    assert [r.rad for r in mapping.matches("sofint", 2019, "Summa intäkter")] == [2]
    assert mapping.matches("sofint", 2019, "Summa eget kapital") == []
    assert [r.rad for r in mapping.matches("sofint", 2019, "ABab x")] == [3]
    started = time.perf_counter()
    assert mapping.matches("sofint", 2019, "summa" + " " * 100_000 + "!") != []
    assert time.perf_counter() - started < 1


def test_the_shipped_patterns_map_the_sample_lines_as_pythons_engine_did():
    """RE2's \\b, \\w and \\s know ASCII only: on every line text of the sample, each shipped pattern matches where
    Python's re (which the mapping used before) matches, and nowhere else."""
    import csv
    import re
    cfg = PROJECT_ROOT / "config"
    with (cfg / "kostnadsmappning.csv").open(encoding="utf-8") as fh:
        patterns = [row["post_pattern"] for row in csv.DictReader(fh)]
    texts = {post.strip() for path in sorted((PROJECT_ROOT / "data" / "raw" / "ekonomi").iterdir())
             for post in read_table(path, COLUMNS, path.name, "ekonomi").frame["post"].to_list() if post}
    assert len(texts) > 50
    for pattern in patterns:
        ours, python = compile_pattern(pattern, "test"), re.compile(pattern, re.IGNORECASE)
        assert {t for t in texts if ours.fullmatch(t)} == {t for t in texts if python.fullmatch(t)}, pattern
