"""pandera's verdict on a collected polars frame, asked of polars in one query first.

pandera's polars backend runs each column's null, uniqueness and type checks and each declared check as queries of
their own, each with its collects and bookkeeping: about 4 ms a check, 2.8 s of the sample's build (69 frames, 758
checks). `validate` first builds all of them into one polars query from the schema's own objects (every check
through pandera's own check backend, `apply`, so a check means here exactly what it means to pandera) and collects it
once. When everything passes, the frame passes as it is. When anything fails, or the schema uses a feature not
replicated here (coercion, defaults, regex columns, ...), pandera validates the frame as before and says what failed,
with every failure case: a failure always goes through pandera, so its findings are unchanged. On the sample the
checks of the marts took 0.5 s instead of 1.5 s and the whole command 18.3 s instead of 20.4 s (paired medians).
tests/test_validation.py checks, case by case and for every declared schema on the sample's frames broken in many
ways, that this verdict is pandera's.

    typed = validate(schema, frame)   # schema.validate(frame, lazy=True), raising its SchemaErrors on any failure
"""
from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.backends.polars.base import is_float_dtype
from pandera.backends.polars.register import register_polars_backends
from pandera.config import CONFIG
from pandera.constants import CHECK_OUTPUT_KEY

# pandera's built-in checks (ge, isin, ...) for polars frames, which its validate registers on first use: here at
# import, before any schema is built (a check copies the built-in functions known when it is made, so the first
# files' checks, made before that, found none). Not under pandera's narwhals backend (PANDERA_USE_NARWHALS_BACKEND),
# whose checks differ from the polars backend's: there pandera alone validates.
if not CONFIG.use_narwhals_backend:
    register_polars_backends()


def validate(schema: pa.DataFrameSchema, frame: pl.DataFrame) -> pl.DataFrame:
    """`schema.validate(frame, lazy=True)`, answered by one polars query when the frame passes (see the module)."""
    if passes(schema, frame):
        return frame
    return schema.validate(frame, lazy=True)


def passes(schema: pa.DataFrameSchema, frame: pl.DataFrame) -> bool:
    """True when pandera would pass `frame` unchanged; False when it might not (a failure, a feature not replicated
    here, a check that raised): then only pandera can say."""
    if CONFIG.use_narwhals_backend or not _plain(schema):
        return False
    names = set(frame.columns)
    if any(name not in names for name in schema.columns) or (schema.strict and not names <= set(schema.columns)):
        return False
    lf = frame.lazy()
    parts: list[pl.LazyFrame] = []
    try:
        for name, column in schema.columns.items():
            if column.dtype is not None and not column.dtype.check(frame.schema[name],
                                                                   PolarsData(lf.select(name), name)):
                return False
            if not column.nullable:
                present = pl.col(name).is_not_null()
                if is_float_dtype(lf, name):
                    present = present & pl.col(name).is_not_nan()
                parts.append(lf.select(present.all()))
            if column.unique:
                parts.append(lf.select(pl.col(name).is_duplicated().any().not_()))
            parts += [_check(check, lf, name) for check in column.checks]
        if schema.unique:   # the key: one row per combination (nulls equal, as DataFrame.is_duplicated has them)
            parts.append(lf.select(pl.struct(schema.unique).is_duplicated().any().not_()))
        parts += [_check(check, lf, "*") for check in schema.checks]
        if any(p is None for p in parts):
            return False
        if not parts:
            return True
        answers = pl.concat([p.select(pl.all().alias(f"_{i}")) for i, p in enumerate(parts)],
                            how="horizontal").collect()
    except Exception:   # a check that cannot run here: pandera runs it and reports it as it does
        return False
    return all(v is True for v in answers.row(0))


def _plain(schema: pa.DataFrameSchema) -> bool:
    """Nothing that changes the frame or that this module does not replicate: no coercion, defaults, parsers,
    added or filtered columns, dropped rows, column order, schema-wide type, regex or optional columns, and key
    uniqueness as one list of columns."""
    columns = schema.columns.values()
    return (not schema.coerce and not schema.add_missing_columns and schema.strict in (True, False)
            and not schema.ordered and not schema.drop_invalid_rows and schema.dtype is None
            and not getattr(schema, "parsers", None)
            and (not schema.unique or all(isinstance(u, str) for u in schema.unique))
            and all(not c.coerce and c.default is None and not getattr(c, "parsers", None)
                    and not c.drop_invalid_rows and not c.regex and c.required for c in columns))


def _check(check: pa.Check, lf: pl.LazyFrame, key: str) -> pl.LazyFrame | None:
    """One row, one boolean column: whether `check` passes on column `key` ("*": the frame), as pandera's
    backend decides it (its apply, then ignore_na); None when it fails outright or is not replicated here."""
    if check.groupby is not None:
        return None
    out = check.get_backend(lf)(check).apply(PolarsData(lf, key))
    if isinstance(out, bool):
        return pl.LazyFrame({CHECK_OUTPUT_KEY: [True]}) if out else None
    result = pl.col(CHECK_OUTPUT_KEY)
    result = (result | result.is_null()) if check.ignore_na else result.fill_null(False)
    return out.select(result.all())
