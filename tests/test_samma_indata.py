"""The same input gives the same marts: two builds of the sample agree in every value of every mart (run ids and
times aside). A sum of doubles in an order that is not fixed made finansiering_ar.andel differ in its last digits
from one run to the next; a figure that moves without a cause is a revision to explain."""
import datetime as dt

import duckdb

from finsam.build.runner import build_all
from finsam.publish.warehouse import DUCKDB_CONFIG
from tests.conftest import TODAY, Project

# what a build records about itself rather than about the data
OM_BYGGET = ("run_id", "byggd", "startad", "andrad", "sekunder", "lopnummer")


def _marts(project: Project, fil: str) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(project.root / fil), config=DUCKDB_CONFIG)
    try:
        build_all(con, project.data, project.config, dt.date.fromisoformat(TODAY))
        out = {}
        for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall():
            columns = [f'"{c}"' for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ? "
                "and data_type not like 'TIMESTAMP%'", [table]).fetchall() if c not in OM_BYGGET]
            out[table] = con.execute(f"select {', '.join(columns)} from marts.{table} order by all").fetchall()
        return out
    finally:
        con.close()


def test_two_builds_of_the_same_input_agree_in_every_value(tmp_path):
    project = Project(tmp_path)
    project.copy_sample()
    first, second = _marts(project, "a.duckdb"), _marts(project, "b.duckdb")
    assert len(first) > 30 and first["finansiering_ar"]
    assert {t for t in first if first[t] != second.get(t)} == set()
