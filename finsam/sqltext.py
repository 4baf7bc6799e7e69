"""Text that goes into SQL. A value (a path, a definition) is a `?` parameter wherever DuckDB takes one (ATTACH,
COPY ... TO, a query's values); where it takes none (COMMENT ON) it is a literal, and a name from outside the code
(a database named after its file) an identifier, both quoted here and nowhere else, so that an apostrophe or a
double quote in a data directory's path or in a text is a character, never the end of a string."""
from __future__ import annotations


def literal(text: str) -> str:
    """`text` as an SQL string literal: in single quotes, each single quote doubled."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """`name` as an SQL identifier: in double quotes, each double quote doubled."""
    return '"' + name.replace('"', '""') + '"'
