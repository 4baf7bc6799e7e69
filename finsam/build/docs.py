"""The reference docs, generated from the declarations: docs/marts/<mart>.md per mart (columns, definitions, keys,
disclosure, the loss guard, the blocking checks with their queries, and a worked example where docs/forklaring/<mart>.md
holds one), docs/marts/README.md (the index) and docs/fynd.md (every finding code). `make docs` writes them; a test
fails when they are not current. Run as `python -m finsam.build.docs [--check]`."""
from __future__ import annotations

import sys
from pathlib import Path

from finsam.build import declarations, steps
from finsam.config import PROJECT_ROOT
from finsam.publish import warehouse

HEADER = "<!-- Generated from sql/**/*.yaml by `make docs` (python -m finsam.build.docs): do not edit. -->\n\n"
DISCLOSURE_TEXT = {
    "personer": "antal personer: 1–4 visas som <5",
    "beskriver": "beskriver personerna i {av}: döljs med det antalet",
    "belopp": "belopp",
    "kvot": "kvot{av_text}",
    "antal": "antal (inte personer): visas som det är",
    "text": "visas som det är",
}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _rules(c: declarations.Column) -> str:
    parts = []
    if c.min is not None:
        parts.append(f"≥ {c.min:g}")
    if c.max is not None:
        parts.append(f"≤ {c.max:g}")
    if c.varden is not None:
        parts.append("en av " + ", ".join(f"`{v}`" for v in c.varden))
    if c.monster is not None:
        parts.append(f"matchar `{c.monster}`")
    if c.unik:
        parts.append("unik")
    parts.append("kan vara tom (NULL)" if c.tom else "aldrig tom")
    return "; ".join(parts)


def mart_page(d: declarations.Declaration, root: Path) -> str:
    step = steps.BY_NAME[d.steg]
    lines = [HEADER + f"# `marts.{d.steg}`: {d.etikett}", "", d.beskrivning, ""]
    if d.beskrivning_en:
        lines += [f"*{d.beskrivning_en}*", ""]
    lines += [f"- SQL: [`{step.path}`](../../{step.path}); declaration: "
              f"[`{d.path.relative_to(root).as_posix()}`](../../{d.path.relative_to(root).as_posix()})",
              f"- En rad per: {', '.join(f'`{k}`' for k in d.nyckel) if d.nyckel else 'anmärkning (ingen nyckel)'}",
              f"- Läser: {', '.join(f'`{t}`' for t in step.reads) or '–'}"]
    if d.komplett:
        lines.append(f"- Komplett: varje förbund och år har en rad där `{d.komplett}`")
    lines.append("- Förlustvakten: " + (f"bevakar inte tabellen ({d.vakt_undantag})" if d.vakt_undantag else
                                        f"bevakar {', '.join(f'`{c}`' for c in d.watched)}"))
    undantag = d.vakt_undantag or d.revision_undantag
    lines.append("- Revideringsvakten (stängda år, marts.revisioner): "
                 + (f"jämför inte tabellen ({undantag})" if undantag else
                    f"jämför {', '.join(f'`{c}`' for c in d.revised)}"))
    lines += ["", "| kolumn | typ | etikett | definition | skydd | regler |", "|---|---|---|---|---|---|"]
    for c in d.kolumner:
        av = ", ".join(f"`{a}`" for a in c.av or ())
        skydd = DISCLOSURE_TEXT[c.skydd].format(av=av, av_text=f": bygger på {av}, döljs när något av dem är dolt"
                                                if av else "")
        name = f"**`{c.namn}`**" if c.nyckel else f"`{c.namn}`"
        definition = _cell(c.definition) + (f"<br>*{_cell(c.definition_en)}*" if c.definition_en else "")
        lines.append(f"| {name} | {c.typ} | {_cell(c.etikett)} | {definition} | {skydd} | {_rules(c)} |")
    lines += ["", "## Kontroller", "", "Blockerande: en kontroll som inte går igenom stoppar publiceringen.", "",
              f"- `{d.steg}_kontrakt`: kolumner, typer, tomma värden och regler enligt tabellen ovan"
              + (f"; en rad per {', '.join(d.nyckel)}" if d.nyckel else "") + "."]
    if d.komplett:
        lines.append(f"- `{d.steg}_alla_forbund_ar`: varje förbund i registret har en rad för varje år.")
    for check in d.kontroller:
        lines += [f"- `{d.steg}_{check.namn}`: {check.beskrivning}", "", "  ```sql",
                  *("  " + line if line else "" for line in check.query.rstrip().split("\n")), "  ```"]
    example = root / "docs" / "forklaring" / f"{d.steg}.md"
    if example.exists():
        lines += ["", "## Förklaring och räkneexempel", "", example.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def index_page(marts: list[declarations.Declaration]) -> str:
    lines = [HEADER + "# Marts", "", "Varje mart är en SQL-fil och en deklaration bredvid den i `sql/marts/`. "
             "Sidorna här skrivs ur deklarationerna.", "", "| mart | innehåll | en rad per |", "|---|---|---|"]
    lines += [f"| [`marts.{d.steg}`]({d.steg}.md) | {_cell(d.etikett)} | {', '.join(d.nyckel) or '–'} |"
              for d in marts]
    return "\n".join(lines) + "\n"


def codes_page(codes: dict[str, declarations.Code]) -> str:
    lines = [HEADER + "# Anmärkningar (`marts.datakvalitet.regel`)", "",
             "Varje kod som bygget kan skriva i `marts.datakvalitet`, ur `sql/findings/koder.yaml`. "
             "allvarlighet: fel = filen avvisades, varning = inläst men behöver uppmärksamhet, info = för kännedom.",
             "", "| regel | allvarlighet | text i rapporten | betydelse |", "|---|---|---|---|"]
    for kod, c in codes.items():
        meaning = _cell(c.beskrivning) + (f"<br>*{_cell(c.beskrivning_en)}*" if c.beskrivning_en else "")
        riktvarde = "" if c.riktvarde is None else (
            f"<br>*riktvärde {c.riktvarde * 100:g} %: en linje i diagrammen, ingen ring*")
        lines.append(f"| `{kod}` | {', '.join(c.allvarlighet)} | {_cell(c.text)}{riktvarde} | {meaning} |")
    return "\n".join(lines) + "\n"


def pages(root: Path = PROJECT_ROOT) -> dict[Path, str]:
    """relative path -> content of every generated page."""
    marts = [s.declaration for s in steps.MARTS]
    out = {Path("docs/marts") / f"{d.steg}.md": mart_page(d, root) for d in marts}
    out[Path("docs/marts/README.md")] = index_page(marts)
    out[Path("docs/fynd.md")] = codes_page(declarations.codes(warehouse.SQL_DIR))
    return out


def stale(root: Path = PROJECT_ROOT) -> list[str]:
    """The generated pages that differ from what is on disk, and pages in docs/marts/ no declaration makes."""
    wanted = pages(root)
    out = [str(p) for p, text in wanted.items()
           if not (root / p).exists() or (root / p).read_text(encoding="utf-8") != text]
    out += [str(p.relative_to(root)) for p in sorted((root / "docs/marts").glob("*.md"))
            if p.relative_to(root) not in wanted]
    return out


def write(root: Path = PROJECT_ROOT) -> None:
    (root / "docs/marts").mkdir(parents=True, exist_ok=True)
    wanted = pages(root)
    for p in (root / "docs/marts").glob("*.md"):
        if p.relative_to(root) not in wanted:
            p.unlink()
    for p, text in wanted.items():
        (root / p).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        if bad := stale():
            sys.exit("not current (run `make docs`): " + ", ".join(bad))
    else:
        write()
