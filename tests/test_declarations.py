"""The declarations (sql/<layer>/<step>.yaml, sql/findings/koder.yaml) are the one place a mart, a column and a
finding code are written: an incomplete one does not load, everything derived from them agrees with them, and the
generated docs are current."""
import re
import shutil
from pathlib import Path

import duckdb
import pandera.errors
import pytest
import yaml

from finsam.build import declarations, docs, runner, steps
from finsam.config import PROJECT_ROOT
from finsam.io.findings import ConfigError
from finsam.publish import guard, warehouse
from finsam.report import disclosure, export, remarks
from finsam.report.measures import matt_for
from finsam.sources.registry import SOURCES

SQL = PROJECT_ROOT / "sql"


def _edit(tmp_path: Path, mart: str, change) -> Path:
    """A copy of sql/ with `change(declaration dict)` applied to sql/marts/<mart>.yaml."""
    sql = tmp_path / "sql"
    shutil.copytree(SQL, sql)
    path = sql / "marts" / f"{mart}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sql


def _column(raw: dict, name: str) -> dict:
    return next(c for c in raw["kolumner"] if c["namn"] == name)


@pytest.mark.parametrize("key", ["skydd", "etikett", "definition"])
def test_a_column_without_its_disclosure_class_label_or_definition_does_not_load(tmp_path, key):
    sql = _edit(tmp_path, "tid_i_insats_ar", lambda raw: _column(raw, "median_dagar").pop(key))
    with pytest.raises(declarations.DeclarationError, match=rf"tid_i_insats_ar.yaml: .*column median_dagar.* {key}"):
        declarations.load(sql)


def test_a_mart_without_its_label_or_a_check_without_its_query_does_not_load(tmp_path):
    with pytest.raises(declarations.DeclarationError, match="the mart has no etikett"):
        declarations.load(_edit(tmp_path / "a", "avslut_ar", lambda raw: raw.pop("etikett")))
    sql = _edit(tmp_path / "b", "avslut_ar", lambda raw: None)
    (sql / "checks" / "avslut_ar.summa.sql").unlink()
    with pytest.raises(declarations.DeclarationError, match="check summa: its query sql/checks/avslut_ar.summa.sql"):
        declarations.load(sql)
    sql = _edit(tmp_path / "c", "avslut_ar", lambda raw: None)
    (sql / "checks" / "avslut_ar.glomd.sql").write_text("select 1", encoding="utf-8")
    with pytest.raises(declarations.DeclarationError, match="avslut_ar.glomd.sql belong"):
        declarations.load(sql)


def test_a_ratio_of_a_mart_that_counts_persons_names_what_it_is_built_on(tmp_path):
    with pytest.raises(declarations.DeclarationError, match="column andel: a kvot column of a mart that counts"):
        declarations.load(_edit(tmp_path / "a", "avslut_ar", lambda raw: _column(raw, "andel").pop("av")))
    with pytest.raises(declarations.DeclarationError, match=r"column andel: av \['stat'\] is no personer column"):
        declarations.load(_edit(tmp_path / "b", "avslut_ar", lambda raw: _column(raw, "andel").update(av=["stat"])))


def test_a_disclosure_class_must_fit_the_column_type(tmp_path):
    # money marked as text would leave the loss guard and the disclosure rule without a word
    with pytest.raises(declarations.DeclarationError, match="column stat: skydd text does not fit typ DOUBLE"):
        declarations.load(_edit(tmp_path, "tilldelning_ar", lambda raw: _column(raw, "stat").update(skydd="text")))


def test_an_unknown_key_or_disclosure_class_does_not_load(tmp_path):
    with pytest.raises(declarations.DeclarationError, match="unknown key.*skyd\\b"):
        declarations.load(_edit(tmp_path / "a", "avslut_ar", lambda raw: _column(raw, "andel").update(skyd="kvot")))
    with pytest.raises(declarations.DeclarationError, match="skydd found 'hemlig'"):
        declarations.load(_edit(tmp_path / "b", "avslut_ar",
                                lambda raw: _column(raw, "andel").update(skydd="hemlig")))


def test_a_mart_cannot_be_person_level_and_personniva_is_true_or_false(tmp_path):
    """A mart is published; person-level rows belong in a step of sql/staging/, which publishing leaves out."""
    with pytest.raises(declarations.DeclarationError, match="a mart is published, so it cannot be personniva"):
        declarations.load(_edit(tmp_path / "a", "avslut_ar", lambda raw: raw.update(personniva=True)))
    with pytest.raises(declarations.DeclarationError, match="personniva found 'ja', expected true or false"):
        declarations.load(_edit(tmp_path / "b", "avslut_ar", lambda raw: raw.update(personniva="ja")))


def test_a_bad_celler_declaration_does_not_load(tmp_path):
    """The cells of secondary suppression are declared with the mart (celler, celler_som), checked when they load."""
    bad = [
        ("avslut_ar", lambda raw: raw["celler"].update(nivå="insats"), r"celler: unknown key\(s\) nivå"),
        ("avslut_ar", lambda raw: raw["celler"].update({"del": "kategorin"}), "celler: del found 'kategorin'"),
        ("avslut_ar", lambda raw: raw["celler"]["namn"].update(andel="andel:{}"), "celler: namn 'andel' is no pers"),
        ("deltagare_ar", lambda raw: raw["celler"].update(namn={"deltagare": "d:{}"}), "celler: namn deltagare: found"),
        ("kostnad_insats_ar", lambda raw: raw.update(celler_som="ekonomi_ar"),
         "celler_som found 'ekonomi_ar', expected a mart that declares celler"),
    ]
    for i, (mart, change, message) in enumerate(bad):
        with pytest.raises(declarations.DeclarationError, match=rf"{mart}.yaml: {message}"):
            declarations.load(_edit(tmp_path / str(i), mart, change))


def test_every_mart_is_a_declared_sql_step_and_nothing_else_lists_them():
    marts = {p.stem for p in (SQL / "marts").glob("*.sql")}
    assert {s.name for s in steps.MARTS} == marts == {p.stem for p in (SQL / "marts").glob("*.yaml")}
    # every SQL file of every layer has its declaration, and each declaration its SQL
    for layer in declarations.LAYERS:
        assert {p.stem for p in (SQL / layer).glob("*.sql")} == \
            {p.stem for p in (SQL / layer).glob("*.yaml")} - {"koder"}, layer
    # no Python module names a mart in a hand-kept list: the only mart names in code are in queries and reports
    for path in (PROJECT_ROOT / "finsam").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\{\s*\"(deltagare_ar|ekonomi_ar|jamforelse_ar)\"\s*:", text), path


def test_the_pandera_schema_comes_from_the_declaration():
    d = steps.BY_NAME["avslut_ar"].declaration
    schema = d.schema()
    assert list(schema.columns) == [c.namn for c in d.kolumner]
    assert schema.unique == ["forbund", "insats", "ar", "kategori"] and schema.strict is True
    kategori = schema.columns["kategori"]
    assert [c.statistics["allowed_values"] for c in kategori.checks] == [declarations.VALUE_LISTS["avslut_kategorier"]]
    andel = schema.columns["andel"]
    assert andel.nullable and {c.name: c.statistics for c in andel.checks} == {
        "greater_than_or_equal_to": {"min_value": 0}, "less_than_or_equal_to": {"max_value": 1}}


def test_disclosure_classes_are_derived_and_one_name_is_one_class():
    # the counts of individuals the report suppresses are exactly the columns declared personer
    declared = {(d.steg, c.namn) for s in steps.MARTS for d in [s.declaration] for c in d.kolumner
                if c.skydd == "personer"}
    assert {(m, c) for m in {m for m, _ in declared} for c in disclosure.personer(m)} == declared
    assert {"deltagare", "avslutade", "med_stod", "pagaende_over_365"} <= disclosure.INDIVIDRAKNINGAR
    assert "befolkning_16_64" not in disclosure.INDIVIDRAKNINGAR and "poang" not in disclosure.INDIVIDRAKNINGAR
    assert disclosure.bygger_pa("tid_i_insats_ar") == {"median_dagar": ("avslutade",), "p25_dagar": ("avslutade",),
                                                       "p75_dagar": ("avslutade",)}
    # the workbook hides a ratio with the counts the declaration says it is built on; the report's measures (their
    # Totalt länet terms) agree with it wherever a measure is a column of the mart: the mart whose declaration the
    # measure takes its definition from (another mart may use the name for its own ratio, as
    # uppfoljning_efter_avslut_ar's tackningsgrad, tillfrågade ÷ avslutade, and jamforelse_ar's, deltagare ÷ målgrupp)
    for s in steps.MARTS:
        names = {c.namn for c in s.declaration.kolumner}
        for column, av in disclosure.bygger_pa(s.name).items():
            m = matt_for(column)
            if m is not None and m.namnare and m.kolumn in names \
                    and m.definition == s.declaration.column(m.kolumn).definition:
                assert set(av) == {t for t in m.antal_termer if t in names}, (s.name, column)
    # measures and the workbook look counts up by column name: a name that counts individuals anywhere does so
    # everywhere it appears
    for s in steps.MARTS:
        for c in s.declaration.kolumner:
            if c.namn in disclosure.INDIVIDRAKNINGAR:
                assert c.skydd == "personer", (s.name, c.namn, c.skydd)


def test_every_finding_code_written_in_the_code_is_declared():
    codes = declarations.codes(warehouse.SQL_DIR)
    found = set()
    for path in (PROJECT_ROOT / "finsam").rglob("*.py"):
        found |= set(re.findall(r"Finding\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    for path in (SQL / "findings").glob("*.sql"):
        found |= set(re.findall(r"select '(\w+)'", path.read_text(encoding="utf-8")))
        found |= set(re.findall(r"'(\w+)' as regel", path.read_text(encoding="utf-8")))
    assert "stock_flow" in found and "fil_avvisad" in found and "anvander_tidigare_version" in found
    # a code in a conditional or a list: each source declares the codes it can emit
    for kalla in SOURCES:
        found |= set(kalla.findings)
    for path in (PROJECT_ROOT / "finsam").rglob("*.py"):
        found |= set(re.findall(r"\(\s*\"(\w+)\",\s*(?:FEL|VARNING|INFO)\b", path.read_text(encoding="utf-8")))
    assert "aldersband_straddlar" in found
    assert found <= set(codes), sorted(found - set(codes))
    # the report's texts are the declarations'
    assert remarks.REGLER["stock_flow"] == (codes["stock_flow"].text, "deltagare", "tecken")


def test_a_weight_for_a_finding_code_nobody_declared_stops_the_build(project):
    with (project.config / "datakvalitet_vikter.csv").open("a", encoding="utf-8") as fh:
        fh.write("stock_flw,3\n")
    with pytest.raises(ConfigError, match=r"datakvalitet_vikter.csv: regel 'stock_flw' is no finding code"):
        project.build()


def test_a_finding_code_the_declarations_do_not_know_fails_the_datakvalitet_contract(sample):
    con = sample.connect()
    try:
        step = steps.BY_NAME["datakvalitet"]
        assert runner.contract_problems(con, step) == []
        con.execute("create temp table marts_datakvalitet as select * from marts.datakvalitet")
        con.execute("update marts_datakvalitet set regel = 'ny_okand_kod' where rowid = 0")
        frame = con.sql("select * from marts_datakvalitet").pl()
    finally:
        con.close()
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        step.declaration.schema().validate(frame, lazy=True)
    cases = err.value.failure_cases
    assert cases.select("column", "check", "failure_case").rows() == [("regel", "isin(" + str(sorted(
        declarations.codes(warehouse.SQL_DIR))) + ")", "ny_okand_kod")]


def test_the_loss_guard_watches_every_value_column_of_every_mart(sample, tmp_path):
    """The default: every count and amount of every mart that is not exempt. Null one value of each in a copy of
    the sample warehouse: the guard names it."""
    unwatched = {(s.name, c.namn) for s in steps.MARTS for c in s.declaration.kolumner
                 if not c.nyckel and c.skydd in ("personer", "belopp", "antal") and not s.declaration.vakt_undantag
                 and c.namn not in s.declaration.watched}
    assert unwatched == set()
    assert "kostnad_per_avslut" not in steps.BY_NAME["jamforelse_ar"].declaration.watched  # a ratio: see below
    exempt = {s.name for s in steps.MARTS if s.declaration.vakt_undantag}
    # uppfoljning_efter_avslut_ar is keyed by avslutsår (the contract's name), not ar: the guard compares on ar;
    # samhallsekonomi_ar: a scenario whose rows follow config/samhallsekonomi.csv (its inputs are watched elsewhere);
    # the goals come from config (a goal removed is a decision); their outcomes are watched in the marts they come from;
    # jamforelse_referens_ar is a reference over förbund, built from marts the guard watches
    assert exempt == {"datakvalitet", "inlasta_filer", "korningar", "forbund", "uppfoljning_efter_avslut_ar",
                      "samhallsekonomi_ar", "maluppfyllelse_ar", "maluppfyllelse_forbund_ar", "revisioner",
                      "jamforelse_referens_ar"}
    build = tmp_path / "build.duckdb"
    shutil.copy(sample.warehouse, build)
    con = duckdb.connect(str(build))
    try:
        assert guard.losses(con, sample.warehouse) == []
        nulled = []
        for s in steps.MARTS:
            key = s.declaration.nyckel
            for column in s.declaration.watched:
                row = con.execute(f"select {', '.join(key)} from marts.{s.name} where {column} is not null "
                                  "order by all limit 1").fetchall()
                if row:
                    con.execute(f"update marts.{s.name} set {column} = null where "
                                + " and ".join(f"{k} = ?" for k in key), list(row[0]))
                    nulled.append((s.name, column))
        assert len(nulled) > 75
        lost = guard.losses(con, sample.warehouse)
        missed = [(m, c) for m, c in nulled
                  if not any(line.startswith(f"{m} ") and re.search(rf"\b{c}\b", line) for line in lost)]
        assert missed == []
        # a förbund-year that disappears from a mart is a loss too
        con.execute("delete from marts.tilldelning_ar where forbund = 'sydnarke' and ar = 2019")
        assert "tilldelning_ar sydnarke 2019: the förbund-year would disappear" in guard.losses(con, sample.warehouse)
    finally:
        con.close()


def test_a_nightly_run_that_only_adds_data_publishes(project):
    """The one person who ended in 2019 enrols again before the year is out: avslutade goes from 1 to 0, so the
    share of avslutade by kategori becomes NULL (0 / 0). New data, not a loss: the guard lets it through."""
    header = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
    project.settings(2019, 2019)
    project.raw("sus/a.csv", header + "Sydnärke;Steget;G1;Nej;K;2019-02-01;2019-05-31;Arbete\n")
    project.build()
    assert project.query("select andel from marts.avslut_ar where forbund = 'sydnarke' and insats = '*' "
                         "and kategori = 'arbete'") == [(1.0,)]
    project.raw("sus/b.csv", header + "Sydnärke;Trappan;G1;Nej;K;2019-10-01;;\n")
    # raises DataLoss if the guard took the ratio's NULL for a loss; 2019 is closed on TODAY, so the changed figures
    # are revisions, confirmed as the operator would
    project.build(tillat_revision=True)
    assert project.query("select avslutade, andel from marts.avslut_ar where forbund = 'sydnarke' and insats = '*' "
                         "and kategori = 'arbete'") == [(0, None)]


def test_comments_workbook_and_docs_say_what_the_declarations_say(prov):
    con = prov.connect()
    try:
        comments = {(t, c): k for t, c, k in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'").fetchall()}
        sheet = {(m, k): (typ, etikett, definition) for m, k, typ, etikett, definition in export.definitioner(con)}
    finally:
        con.close()
    pages = docs.pages()
    for s in steps.MARTS:
        page = pages[Path("docs/marts") / f"{s.name}.md"]
        for c in s.declaration.kolumner:
            assert comments[(s.name, c.namn)] == c.definition
            assert sheet[(s.name, c.namn)] == (c.typ, c.etikett, c.definition)
            assert docs._cell(c.definition) in page
    assert len(sheet) == len(comments)


def test_the_generated_docs_are_current():
    assert docs.stale() == [], "run `make docs`"
