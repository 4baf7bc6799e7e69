"""Typed columns from text cells, and every problem as a Finding with file, row, column, found and expected."""
from __future__ import annotations

from collections.abc import Callable

import pandera.errors
import pandera.polars as pa
import polars as pl

from finsam.io import validation
from finsam.io.findings import FEL, FileRejected, Finding
from finsam.io.tables import ROW, RawTable
from finsam.privacy.pnr import MAYBE_PNR, MIN_DIGITS, scrub

MAX_FINDINGS_PER_FILE = 200
EXCEL_EPOCH = pl.date(1899, 12, 30)


def text(col: str) -> pl.Expr:
    """Trimmed text, blank = NULL. `convert` masks the personnummer in it (kind `text`), or leaves that to
    finsam.privacy.pseudonyms (kind `key`, the person id)."""
    c = pl.col(col).str.strip_chars()
    return pl.when(c == "").then(None).otherwise(c)


MAX_MAGNITUDE = 1e12  # kr, heads or helårsekvivalenter: anything larger is a typing or export error


def number(col: str) -> pl.Expr:
    """Decimal comma or point; thousands separated by space, non-breaking space or nothing. Only plain digits:
    'inf', 'NaN', exponents and magnitudes of 10^12 or more do not parse (they would poison every sum)."""
    cleaned = (pl.col(col).str.replace_all(r"[\s\u00a0\u202f]", "").str.replace("\u2212", "-")
               .str.replace(",", "."))
    value = cleaned.cast(pl.Float64, strict=False)
    plain = cleaned.str.contains(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
    return pl.when(plain & (value.abs() < MAX_MAGNITUDE)).then(value)


def integer(col: str) -> pl.Expr:
    n = number(col)
    return pl.when(n == n.round(0)).then(n).otherwise(None).cast(pl.Int64, strict=False)


def date(col: str) -> pl.Expr:
    """ISO date (optionally with a time), ISO basic YYYYMMDD, or an Excel serial day number."""
    c = pl.col(col).str.strip_chars()
    iso = c.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", 1)
    basic = c.str.extract(r"^(\d{8})$", 1)
    serial = c.str.extract(r"^(\d{5})(?:\.0+)?$", 1).cast(pl.Int64, strict=False)
    return pl.coalesce(
        iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        basic.str.strptime(pl.Date, "%Y%m%d", strict=False),
        pl.when(serial.is_not_null()).then(EXCEL_EPOCH + pl.duration(days=serial)),
    )


def blank(beskrivning: str, forvantat: str) -> pa.Check:
    """A required column: a blank cell fails with these words (the column itself is declared nullable, so the
    message lives on this check rather than on pandera's built-in not_nullable)."""
    return pa.Check(lambda d: d.lazyframe.select(pl.col(d.key).is_not_null()), ignore_na=False,
                    name="not_blank", error=beskrivning, description=forvantat)


UNKNOWN_FORBUND = blank("unknown förbund", "a förbund listed in forbund.yaml (kod, namn or sus_namn)")


def year(first: int, last: int) -> list[pa.Check]:
    return [blank("year is blank", "a year"),
            pa.Check.in_range(first, last, error="year out of range", description=f"a year from {first} to {last}")]


def map_distinct(values: pl.Series, fn: Callable, dtype: pl.DataType = pl.String) -> pl.Series:
    """`fn` applied once per distinct non-null value, mapped back onto every row (NULL stays NULL): a Python
    call per row is what made a million rows slow. A row finds its value by the rank of its own among the sorted
    distinct values, and the results are built in slices: for a million personnummer that is 400 MB less than
    one Python list and a hash table."""
    distinct = values.drop_nulls().unique().sort()
    if distinct.is_empty():
        return pl.repeat(None, len(values), dtype=dtype, eager=True).alias(values.name)
    mapped = pl.concat([pl.Series([fn(v) for v in distinct.slice(i, MAP_SLICE)], dtype=dtype)
                        for i in range(0, len(distinct), MAP_SLICE)])
    return mapped.gather(values.rank("dense").cast(pl.Int64) - 1).alias(values.name)


MAP_SLICE = 100_000


def scrub_column(values: pl.Series) -> pl.Series:
    """finsam.privacy.pnr.scrub on every cell of a text column that may hold a personnummer (ten digits, or
    characters that may become digits), once per distinct text; the column as it is when none does."""
    maybe = values.str.count_matches(MAYBE_PNR) >= MIN_DIGITS
    if not maybe.any():
        return values
    frame = pl.DataFrame({"text": values, "maybe": maybe})
    scrubbed = map_distinct(frame.select(pl.when("maybe").then("text")).to_series(), scrub)
    return frame.select(pl.coalesce(scrubbed, "text").alias(values.name)).to_series()


def forbund_codes(names: pl.Series, registry) -> pl.Series:
    """Förbund names as written -> registry codes; an unknown name becomes NULL, which the schema reports."""
    return map_distinct(names, registry.kod_for).alias("forbund")


def forbund_of(frame: pl.DataFrame) -> frozenset[str] | None:
    """The förbund codes a file's rows name (None: the source has no förbund column, or no row names a known
    förbund), the förbund part of a file's identity."""
    if "forbund" not in frame.columns:
        return None
    codes = frozenset(frame["forbund"].drop_nulls().unique().to_list())
    return codes or None


def no_duplicates(key: list[str], column: str, beskrivning: str, forvantat: str) -> pa.Check:
    """A dataframe check that fails every row whose key occurs more than once; findings name `column`."""
    return pa.Check(lambda d: d.lazyframe.select(~pl.struct(key).is_duplicated()), name=column, error=beskrivning,
                    description=forvantat)


KIND_TEXT = {"number": "a number (decimal comma or point)", "integer": "a whole number",
             "date": "a date (YYYY-MM-DD or an Excel date)"}
KIND_EXPR: dict[str, Callable[[str], pl.Expr]] = {"number": number, "integer": integer, "date": date, "text": text,
                                                 "key": text}


def convert(table: RawTable, kinds: dict[str, str], totals: list[str] = (), mask: Callable[[str], str] | None = None,
            masked: tuple[str, ...] = ()) -> tuple[pl.DataFrame, list[Finding]]:
    """Type each column present; a non-blank cell that does not parse is a finding, and so is a Totalt/Summa row
    that does not equal the sum of the `totals` columns."""
    raw = table.frame
    present = {c: k for c, k in kinds.items() if c in raw.columns}
    # lazily, so that the parts an expression repeats (number's cleaned text, integer's number) are computed once
    typed = raw.lazy().select(ROW, *(KIND_EXPR[k](c).alias(c) for c, k in present.items())).collect()
    typed = typed.with_columns(pl.lit(None, dtype=_dtype(k)).alias(c) for c, k in kinds.items() if c not in present)
    # Free text reaches the warehouse as written: mask every personnummer in it, in the columns that may hold one.
    typed = typed.with_columns(scrub_column(typed[c]) for c, k in present.items() if k == "text")
    findings = []
    for col, kind in present.items():
        if kind in ("text", "key"):
            continue
        bad = raw.filter(typed[col].is_null() & (raw[col].str.strip_chars() != ""))
        for rad, value in bad.select(ROW, col).iter_rows():
            findings.append(cell_finding(table, rad, col, value, KIND_TEXT[kind], f"unreadable {kind}",
                                         mask if col in masked else None))
    return typed, findings + check_total(table, typed, [c for c in totals if c in raw.columns])


def _dtype(kind: str) -> pl.DataType:
    return {"number": pl.Float64, "integer": pl.Int64, "date": pl.Date, "text": pl.String, "key": pl.String}[kind]


def cell_finding(table: RawTable, rad: int | None, col: str | None, value, forvantat: str, beskrivning: str,
                 mask: Callable[[str], str] | None = None, **kw) -> Finding:
    hittat = None if value is None or not str(value).strip() else str(value)  # a blank cell is NULL
    if mask is not None and hittat is not None:
        hittat = mask(hittat)
    return Finding("fil_avvisad", FEL, beskrivning, kalla=table.kalla, fil=table.fil, rad=rad,
                   kolumn=table.label(col) if col else None, hittat=hittat, forvantat=forvantat, **kw)


def check_total(table: RawTable, typed: pl.DataFrame, columns: list[str]) -> list[Finding]:
    """A trailing Totalt/Summa row must equal the column sums where it carries numbers."""
    if table.total is None:
        return []
    findings = []
    for col in columns:
        value = table.total.get(col, "")
        if not value.strip():
            continue
        stated = pl.DataFrame({col: [value]}).select(number(col)).item()
        actual = typed[col].sum()
        if stated is None:
            findings.append(cell_finding(table, table.total_rad, col, value, "a number", "total row is not a number"))
        elif abs(stated - actual) > 0.005 * max(1.0, abs(actual)) and abs(stated - actual) >= 0.5:
            findings.append(cell_finding(table, table.total_rad, col, value, f"the column sum {actual:g}",
                                         "total row does not equal the sum of the rows"))
    return findings


def _failed_check(schema: pa.DataFrameSchema, case: dict) -> pa.Check | None:
    """The Check object behind one pandera failure case (its words are on it), or None for a built-in."""
    n = case["check_number"]
    if n is None:
        return None
    if case["schema_context"] == "Column" and case["column"] in schema.columns:
        return schema.columns[case["column"]].checks[n]
    if case["schema_context"] == "DataFrameSchema":
        return schema.checks[n]
    return None


def schema_findings(table: RawTable, typed: pl.DataFrame, schema: pa.DataFrameSchema,
                    err: pandera.errors.SchemaErrors, mask: Callable[[str], str] | None = None,
                    masked: tuple[str, ...] = ()) -> list[Finding]:
    """Map pandera's failure cases back to file rows and the text as written. Each check carries its own words:
    `error` is what went wrong (beskrivning), `description` what was expected (forvantat); a dataframe-wide check
    is named after the column its findings name."""
    findings = []
    for case in err.failure_cases.iter_rows(named=True):
        check = _failed_check(schema, case)
        col = case["column"] if case["column"] in typed.columns else (check.name if check is not None else None)
        if check is not None and check.error and check.description:
            beskrivning, forvantat = check.error, check.description
        else:  # a built-in check (a missing column, a wrong type): say what pandera says
            beskrivning, forvantat = f"failed {case['check']}", str(case["check"])
        if case["index"] is None:  # a schema-level failure: the whole file
            findings.append(cell_finding(table, None, col, case["failure_case"], forvantat, beskrivning))
            continue
        idx = case["index"]
        rad = typed[ROW][idx]
        value = table.frame[col][idx] if col in table.frame.columns else case["failure_case"]
        findings.append(cell_finding(table, rad, col, value, forvantat, beskrivning,
                                     mask if col in masked else None))
    return findings


def validated(table: RawTable, typed: pl.DataFrame, schema: pa.DataFrameSchema, findings: list[Finding],
              mask=None, masked: tuple[str, ...] = ()) -> pl.DataFrame:
    """Validate the collected frame with pandera (lazily: every failure) and reject the file on any finding."""
    try:
        typed = validation.validate(schema, typed)
    except pandera.errors.SchemaErrors as err:
        findings = findings + schema_findings(table, typed, schema, err, mask, masked)
    if findings:
        # one finding per cell: a value that did not parse also fails not_nullable; keep the first word on it
        seen, unique = set(), []
        for f in findings:
            if f.rad is None or (f.rad, f.kolumn) not in seen:
                unique.append(f)
                seen.add((f.rad, f.kolumn))
        findings = sorted(unique, key=lambda f: (f.rad or 0, f.kolumn or ""))
        if len(findings) > MAX_FINDINGS_PER_FILE:
            extra = len(findings) - MAX_FINDINGS_PER_FILE
            findings = findings[:MAX_FINDINGS_PER_FILE] + [Finding(
                "fil_avvisad", FEL, f"{extra} more problems in this file not listed", kalla=table.kalla,
                fil=table.fil, varde=float(extra))]
        raise FileRejected(table.fil, findings, forbund_of(typed))
    return typed
