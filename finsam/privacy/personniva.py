"""What marks data about one person: a column holding a person key (a pseudonym, a local participant id, a
personnummer) or a birth year. A table with one is person-level: it lives in the build only and is dropped before
publishing (finsam.build.steps.PERSON_TABLES)."""
import re

# Column names, as code and SQL write them (canonical, without å/ä/ö) or as a person might: person, person_id,
# personnummer, pnr, samordningsnummer, pseudonym, deltagar_id, deltagarid; and fodelsear, födelseår, fodelsedatum
# (not personer, a count, nor personuppgifter, the setting).
PERSON_KEY = r"person(?!er\b|uppgifter)|pnr|samordningsn|pseudonym|deltagar_?id"
PERSON_COLUMN = re.compile(PERSON_KEY + r"|f[oö]delse", re.IGNORECASE)


def is_person_key(name: str) -> bool:
    """A column that holds a person's key (not `personer`, a count of persons)."""
    return re.search(PERSON_KEY, name, re.IGNORECASE) is not None


def is_person_column(name: str) -> bool:
    """A column that names a person or their birth."""
    return PERSON_COLUMN.search(name) is not None
