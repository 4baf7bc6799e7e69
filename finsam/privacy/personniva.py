"""What marks data about one person: a column holding a person key (a pseudonym, a local participant id, a
personnummer) or a birth year. A table with one is person-level: it lives in the build only and is dropped before
publishing (finsam.build.steps.PERSON_TABLES)."""
import re

# Column names, as code and SQL write them (canonical, without å/ä/ö) or as a person might: person, person_id,
# personnummer, pnr, samordningsnummer, pseudonym, deltagar_id, deltagarid, fodelsear, födelseår, fodelsedatum.
PERSON_COLUMN = re.compile(r"person(?!er\b)|pnr|samordningsn|pseudonym|deltagar_?id|f[oö]delse", re.IGNORECASE)


def is_person_column(name: str) -> bool:
    """A column that names a person or their birth (not `personer`, a count of persons)."""
    return PERSON_COLUMN.search(name) is not None
