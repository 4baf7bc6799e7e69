"""finsam.io.validation: its one-query verdict agrees with pandera's, case by case and for every declared schema on
the sample's own frames and on those frames broken one cell, one column or one row at a time."""
from __future__ import annotations

import datetime as dt
import random
import warnings

import pandera.errors
import pandera.polars as pa
import polars as pl
import pytest

from finsam.io import validation


def pandera_passes(schema: pa.DataFrameSchema, frame: pl.DataFrame) -> bool:
    """pandera's verdict; an error of its own is a failure too (a key column missing makes its uniqueness check
    raise polars' ShapeError)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schema.validate(frame, lazy=True)
    except (pandera.errors.SchemaErrors, pl.exceptions.PolarsError):
        return False
    return True


def _schema(**options) -> pa.DataFrameSchema:
    columns = {"a": pa.Column(pl.Int64, pa.Check.ge(0)),
               "b": pa.Column(pl.String, pa.Check.isin(["x", "y"]), nullable=True),
               "c": pa.Column(pl.Float64)}
    return pa.DataFrameSchema(columns | options.pop("extra", {}), **({"strict": True} | options))


GOOD = pl.DataFrame({"a": [0, 5], "b": ["x", None], "c": [0.5, 1.0]})
A_AT_MOST_3 = pa.Check(lambda d: d.lazyframe.select(pl.col("a") <= 3), name="a_hogst_3")

# (what, schema, frame, pandera's verdict, worked out by hand)
CASES = [
    ("a good frame", _schema(), GOOD, True),
    ("no rows", _schema(), GOOD.clear(), True),
    ("a null in a required column", _schema(), GOOD.with_columns(a=pl.Series([None, 5], dtype=pl.Int64)), False),
    ("NaN in a required float column (pandera counts it as null)", _schema(),
     GOOD.with_columns(c=pl.Series([float("nan"), 1.0])), False),
    ("NaN where nulls are allowed", _schema(extra={"d": pa.Column(pl.Float64, nullable=True)}),
     GOOD.with_columns(d=pl.Series([float("nan"), None])), True),
    ("a value outside isin", _schema(), GOOD.with_columns(b=pl.Series(["x", "z"])), False),
    ("a value below ge", _schema(), GOOD.with_columns(a=pl.Series([-1, 5])), False),
    ("a column of another type", _schema(), GOOD.with_columns(pl.col("a").cast(pl.Int32)), False),
    ("a column missing", _schema(), GOOD.drop("c"), False),
    ("a column more, strict", _schema(), GOOD.with_columns(e=pl.lit(1, pl.Int64)), False),
    ("a column more, not strict", _schema(strict=False), GOOD.with_columns(e=pl.lit(1, pl.Int64)), True),
    ("a frame-level check failing", _schema(checks=[A_AT_MOST_3]), GOOD, False),
    ("a frame-level check passing", _schema(checks=[A_AT_MOST_3]), GOOD.with_columns(a=pl.Series([0, 3])), True),
    ("a unique column repeated", _schema(extra={"u": pa.Column(pl.Int64, unique=True)}),
     GOOD.with_columns(u=pl.lit(7, pl.Int64)), False),
    ("a key repeated with a null in it (nulls are equal)", _schema(unique=["a", "b"]),
     GOOD.with_columns(a=pl.lit(1, pl.Int64), b=pl.lit(None, pl.String)), False),
    ("a key not repeated", _schema(unique=["a", "b"]), GOOD.with_columns(a=pl.lit(1, pl.Int64)), True),
    ("a check that counts nulls as failures (ignore_na=False)",
     _schema(extra={"n": pa.Column(pl.Int64, pa.Check(lambda d: d.lazyframe.select(pl.col(d.key) > 0),
                                                        ignore_na=False), nullable=True)}),
     GOOD.with_columns(n=pl.Series([1, None], dtype=pl.Int64)), False),
    ("an element-wise check", _schema(extra={"w": pa.Column(pl.String, pa.Check(lambda v: v.islower(),
                                                                                  element_wise=True))}),
     GOOD.with_columns(w=pl.Series(["ab", "Cd"])), False),
    ("a check that raises", _schema(extra={"r": pa.Column(pl.Int64, pa.Check(lambda d: 1 / 0))}),
     GOOD.with_columns(r=pl.lit(1, pl.Int64)), False),
]


@pytest.mark.parametrize("what,schema,frame,expected", CASES, ids=[c[0] for c in CASES])
def test_agrees_with_pandera_case_by_case(what, schema, frame, expected):
    assert pandera_passes(schema, frame) is expected
    assert validation.passes(schema, frame) is expected


def test_a_pass_returns_the_frame_and_a_failure_raises_pandera_s_own_errors():
    assert validation.validate(_schema(), GOOD) is GOOD
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        validation.validate(_schema(), GOOD.with_columns(a=pl.Series([-1, None], dtype=pl.Int64)))
    assert sorted(err.value.failure_cases["check"].to_list()) == ["greater_than_or_equal_to(0)", "not_nullable"]


def test_what_is_not_replicated_is_left_to_pandera():
    """Coercion changes the frame, a warning-only check passes while failing: pandera answers both."""
    coerced = _schema(coerce=True)
    frame = GOOD.with_columns(pl.col("a").cast(pl.Int32))
    assert validation.passes(coerced, frame) is False
    assert validation.validate(coerced, frame).schema["a"] == pl.Int64
    warned = _schema(checks=[pa.Check(lambda d: d.lazyframe.select(pl.col("a") < 0), raise_warning=True)])
    assert validation.passes(warned, GOOD) is False
    with pytest.warns(Warning):
        assert validation.validate(warned, GOOD).equals(GOOD)


# -- every declared schema, on the sample's frames --------------------------------------------------------------

def _extreme(dtype: pl.DataType, low: bool):
    if dtype.is_integer():
        return -(10 ** 9) if low else 10 ** 9
    if dtype.is_float():
        return -1e12 if low else 1e12
    if dtype == pl.Date:
        return dt.date(1800, 1, 1) if low else dt.date(2999, 12, 31)
    if dtype == pl.Boolean:
        return not low
    if dtype == pl.String:
        return "" if low else "§ okänt värde §"
    return None


def _set_first(frame: pl.DataFrame, column: str, value) -> pl.DataFrame:
    dtype = frame.schema[column]
    return frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value, dtype=dtype))
                              .otherwise(pl.col(column)).alias(column))


CELLS_PER_SCHEMA = 5    # cells broken per schema, chosen at random (a fixed seed): every one would take 80 s


def broken(frame: pl.DataFrame, schema: pa.DataFrameSchema, rng: random.Random) -> list[tuple[str, pl.DataFrame]]:
    """The frame broken in ways a file or a mart can be: a column of another type, missing or extra; the first row
    twice; and CELLS_PER_SCHEMA cells of its constrained columns blank, too low or too high."""
    out = [("extra column", frame.with_columns(ovantad=pl.lit(1))),
           ("row twice", pl.concat([frame.head(1), frame]))]
    constrained = [c for c, col in schema.columns.items() if c in frame.columns
                   and (col.checks or not col.nullable or col.unique or c in (schema.unique or ()))]
    if constrained:
        gone = rng.choice(constrained)
        out += [(f"{gone} missing", frame.drop(gone)),
                (f"{gone} as text", frame.with_columns(pl.col(gone).cast(pl.String)))]
    cells = [(c, value) for c in constrained if frame.height
             for value in dict.fromkeys((None, _extreme(frame.schema[c], True), _extreme(frame.schema[c], False)))]
    return out + [(f"{c} = {value!r}", _set_first(frame, c, value))
                  for c, value in rng.sample(cells, min(CELLS_PER_SCHEMA, len(cells)))]


@pytest.fixture(scope="module")
def declared(tmp_path_factory, monkeypatch_module):
    """(schema, frame) for every schema the sample's build validates a frame against: each source's files and each
    mart, the first frame of each."""
    from tests.conftest import Project
    seen: dict[int, tuple[pa.DataFrameSchema, pl.DataFrame]] = {}
    validate = validation.validate

    def record(schema, frame):
        seen.setdefault(id(schema), (schema, frame))
        return validate(schema, frame)

    monkeypatch_module.setattr(validation, "validate", record)
    project = Project(tmp_path_factory.mktemp("validering"))
    project.copy_sample()
    project.build()
    return list(seen.values())


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_every_declared_schema_agrees_with_pandera_on_broken_frames(declared):
    assert len(declared) >= 55   # 49 marts and the sources' schemas (one per file layout)
    rng = random.Random(21)
    failing, disagree = 0, []
    for schema, frame in declared:
        assert validation.passes(schema, frame), f"{schema.name}: the sample's own frame"
        for what, case in broken(frame, schema, rng):
            verdict = pandera_passes(schema, case)
            failing += not verdict
            if validation.passes(schema, case) is not verdict:
                disagree.append(f"{schema.name or list(schema.columns)[:3]}: {what} (pandera: {verdict})")
    assert disagree == []
    assert failing >= 250   # the broken frames do break: each kind of failure is compared, not only passes


def test_a_mart_without_its_key_column_is_a_contract_problem_not_a_crash():
    """pandera's key check raises polars' ShapeError when a key column is missing; the contract check names it."""
    import duckdb

    from finsam.build import runner, steps
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.forbund as select * from (values ('Lekeberg', '18', '1814'), "
                "('Sydnärke', '18', '1860')) t(forbundsnamn, lan, medlemskommuner)")
    problems = runner.contract_problems(con, steps.BY_NAME["forbund"])
    assert len(problems) == 1 and problems[0].endswith("missing column(s): forbund")


def test_under_pandera_s_narwhals_backend_pandera_alone_decides(monkeypatch):
    """PANDERA_USE_NARWHALS_BACKEND: that backend's checks differ from the polars backend's the fast path uses."""
    from pandera.config import CONFIG
    monkeypatch.setattr(CONFIG, "use_narwhals_backend", True)
    assert validation.passes(_schema(), GOOD) is False
