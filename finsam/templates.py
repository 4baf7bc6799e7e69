"""Fill-in workbooks for the insatser (`make mallar`, `finsam mallar`): per förbund and year one workbook,
data/marts/mallar/uppfoljning_<forbund>_<ar>.xlsx, that loads with no edit once saved as it comes back into
raw/uppfoljning/ and (a copy, for reported avslut) raw/avslut_rapporterade/.

Its sheets: Uppföljning (one row per insats), Avslut (reported avslut), Instruktioner (Swedish), and a hidden Listor
with the drop-down lists too long to write into a validation (insatser, avslutsorsaker: a list written inline is at
most 255 characters and cannot hold a comma). Each folder's reader takes the first sheet that has its header
(finsam.io.tables): raw/uppfoljning/ the first sheet, Uppföljning; raw/avslut_rapporterade/ the one sheet with its
columns, Avslut. The data sheets have two title rows and a blank row above the header, which the reader skips.

The uppföljning sheet has one row per insats of the förbund valid in the year (config/insatser.csv, giltig_fran ..
giltig_till overlapping the year), förbund, år and insats filled in and grey, and a few empty rows for an insats the
register lacks. The avslut sheet has no rows: a row is one insats x avslutsorsak (x kön), chosen from drop-downs.
Every other cell is left empty: a blank count is "not reported", never 0. Nothing is a formula (a formula saved
by a program that does not compute it has no value, and the reader rejects it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from finsam import config
from finsam.config import Forbund, norm_name
from finsam.config.insatser import Insatsregister, load_insatser
from finsam.io.findings import ConfigError

UPPFOLJNING = "uppfoljning"   # the raw/ folder the workbook goes back to (a copy to raw/avslut_rapporterade/)
INRIKTNING = ("Individinriktad", "Strukturövergripande")
ESF = ("Ja", "Nej")
ENHET = ("kr", "tkr")
KON = ("Kvinna", "Man", "Annat")
HEADER_ROW = 3          # 0-based: two title rows and a blank row above the header
EXTRA_ROWS = 10         # empty rows below the register's insatser on the uppföljning sheet
AVSLUT_ROWS = 500       # rows of the avslut sheet that have the drop-downs
LISTS = "Listor"
MAX = 10 ** 11          # a money cell must be a number; the bound only keeps Excel's validation well-formed


@dataclass(frozen=True)
class Kolumn:
    rubrik: str            # the header, as the contract names the column
    bredd: int
    hjalp: str             # the input message shown when a cell is selected (at most 255 characters)
    kind: str = "text"     # text, count, money, list, name
    lista: tuple[str, ...] = ()


UPPFOLJNING_KOLUMNER = (
    Kolumn("Förbund", 34, "Förifyllt. Ändra inte. På en ny rad: välj förbundet i listan.", "forbund"),
    Kolumn("År", 7, "Förifyllt. Ändra inte. På en ny rad: samma år.", "ar"),
    Kolumn("Insats", 28, "Förifyllt från insatsregistret. En ny insats skrivs på en tom rad längst ned, med namnet "
           "som i SUS."),
    Kolumn("Inriktning", 20, "Välj Individinriktad eller Strukturövergripande.", "list", INRIKTNING),
    Kolumn("Preciserad inriktning", 26, "Fritext, t.ex. arbetslivsinriktad rehabilitering."),
    Kolumn("Målgrupp", 26, "Fritext: vilka insatsen vänder sig till."),
    Kolumn("Uppföljningsmetod", 24, "Fritext, frivillig: hur insatsen följs upp (t.ex. SUS, enkät)."),
    Kolumn("ESF", 7, "Ja om insatsen finansieras av Europeiska socialfonden, annars Nej. Tom = inte angivet.",
           "list", ESF),
    Kolumn("Kvinnor", 10, "Antal kvinnor som deltagit under året. Heltal 0 eller mer. Tom = inte rapporterat.",
           "count"),
    Kolumn("Män", 10, "Antal män som deltagit under året. Heltal 0 eller mer. Tom = inte rapporterat.", "count"),
    Kolumn("Totalt", 10, "Frivilligt: alla deltagare, minst Kvinnor + Män (fler om någon har annat eller okänt kön).",
           "total"),
    Kolumn("Budgeterat antal deltagare", 14, "Frivilligt: hur många deltagare insatsen planerades för. Heltal.",
           "count"),
    Kolumn("Budget", 14, "Insatsens budget för året, i den enhet som står i Enhet (tom Enhet = kr).", "money"),
    Kolumn("Utfall", 14, "Frivilligt: insatsens kostnad för året, i samma enhet som Budget.", "money"),
    Kolumn("Enhet", 8, "kr eller tkr (tusental kronor). Gäller Budget och Utfall på raden. Tom = kr.", "list", ENHET),
)
AVSLUT_KOLUMNER = (
    Kolumn("Förbund", 34, "Välj förbundet i listan (samma på varje rad).", "forbund"),
    Kolumn("År", 7, "Mallens år, samma på varje rad.", "ar"),
    Kolumn("Insats", 28, "Välj insatsen i listan.", "insats"),
    Kolumn("Avslutsorsak", 34, "Välj avslutsorsaken i listan.", "avslutsorsak"),
    Kolumn("Kön", 9, "Frivilligt: Kvinna, Man eller Annat. Tom = alla kön tillsammans.", "list", KON),
    Kolumn("Antal", 9, "Antal avslut med den här orsaken. Heltal 0 eller mer.", "count"),
    Kolumn("Källa", 30, "Fritext: varifrån antalet kommer (t.ex. SUS, egen sammanställning).", "text"),
)


def insatser_for_year(register: Insatsregister, forbund: str, ar: int) -> list[str]:
    """The insatser of `forbund` whose giltig_fran..giltig_till overlaps year `ar`, in the register's order, each
    once (an insats whose row changes during the year has two rows)."""
    first, last = dt.date(ar, 1, 1), dt.date(ar, 12, 31)
    names: dict[str, str] = {}
    for i in register.insatser:
        if i.forbund == forbund and i.giltig_fran <= last and (i.giltig_till is None or i.giltig_till >= first):
            names.setdefault(norm_name(i.insats), i.insats)
    return list(names.values())


def avslutsorsaker(cfg: Path) -> list[str]:
    """The texts of config/avslutsorsak.csv as written there, in its order (config.load_avslutsorsak keeps only
    their normalised keys)."""
    config.load_avslutsorsak(cfg)  # checks the file
    seen: dict[str, str] = {}
    for _, row in config.read_config_csv(cfg, "avslutsorsak.csv", ("avslutsorsak", "kategori")):
        seen.setdefault(norm_name(row["avslutsorsak"]), " ".join(row["avslutsorsak"].split()))
    return list(seen.values())


def file_name(kod: str, ar: int) -> str:
    return f"{UPPFOLJNING}_{kod}_{ar}.xlsx"


def write_templates(out: Path, ar: int, cfg: Path | None = None, forbund: Sequence[str] = ()) -> list[Path]:
    """The workbook of every förbund of the registry (or the kod in `forbund`) for year `ar`, in `out`."""
    cfg = cfg or config.config_dir()
    registry = config.load_registry(cfg)
    register = load_insatser(cfg, registry)
    orsaker = avslutsorsaker(cfg)
    unknown = sorted(set(forbund) - {f.kod for f in registry.forbund})
    if unknown:
        raise ConfigError(f"förbund {', '.join(unknown)}: not in forbund.yaml, expected a kod of "
                          f"{', '.join(f.kod for f in registry.forbund)}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for f in registry.forbund:
        if forbund and f.kod not in forbund:
            continue
        insatser = insatser_for_year(register, f.kod, ar)
        written.append(_save(out / file_name(f.kod, ar), lambda wb, f=f, i=insatser: _workbook(wb, f, ar, i, orsaker)))
    return written


def _save(path: Path, fill) -> Path:
    """Write the workbook beside `path` and move it in place: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})  # an insats named like a URL stays text
    try:
        fill(wb)
    finally:
        wb.close()
    os.replace(tmp, path)
    return path


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        border = {"border": 1, "border_color": "#BFBFBF", "valign": "top"}
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.note = wb.add_format({"italic": True, "font_color": "#595959"})
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top",
                                     "bottom": 2, "border_color": "#7F7F7F"})
        self.grey = wb.add_format({**border, "bg_color": "#E7E6E6", "font_color": "#404040"})
        self.cell = wb.add_format(border)
        self.count = wb.add_format({**border, "num_format": "0"})
        self.heading = wb.add_format({"bold": True, "font_size": 12})
        self.text = wb.add_format({"text_wrap": True, "valign": "top"})


def _list_refs(lists: dict[str, list[str]]) -> dict[str, str | None]:
    """name -> the range of the hidden sheet a validation refers to (None for an empty list)."""
    return {name: f"={LISTS}!${(c := xl_col_to_name(col))}$2:${c}${len(values) + 1}" if values else None
            for col, (name, values) in enumerate(lists.items())}


def _write_lists(wb: xlsxwriter.Workbook, lists: dict[str, list[str]]) -> None:
    """The hidden last sheet: one list per column under its name, where _list_refs says."""
    ws = wb.add_worksheet(LISTS)
    for col, (name, values) in enumerate(lists.items()):
        ws.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            ws.write_string(row, col, value)
    ws.hide()


def _validate(ws, first: int, last: int, col: int, k: Kolumn, refs: dict[str, str | None], ar: int) -> None:
    """The column's drop-down or number check, with its help text, on rows first..last."""
    help_text = {"input_title": k.rubrik[:32], "input_message": k.hjalp[:255]}
    stop = {"error_type": "stop", "error_title": k.rubrik[:32]}
    if k.kind == "list":
        v = {"validate": "list", "source": list(k.lista), **stop,
             "error_message": f"Välj ett värde i listan: {', '.join(k.lista)} (eller lämna tomt)."}
    elif k.kind in ("forbund", "insats", "avslutsorsak"):
        if refs.get(k.kind) is None:  # a förbund without insatser in the register: free text
            ws.data_validation(first, col, last, col, {"validate": "any", **help_text})
            return
        v = {"validate": "list", "source": refs[k.kind], **stop, "error_message": "Välj ett värde i listan."}
        if k.kind == "insats":  # an insats the register lacks may still be reported
            v.update(error_type="warning", error_message="Insatsen finns inte i listan. Stämmer namnet?")
    elif k.kind == "ar":
        v = {"validate": "integer", "criteria": "==", "value": ar, **stop,
             "error_message": f"Mallen gäller år {ar}."}
    elif k.kind == "count":
        v = {"validate": "integer", "criteria": ">=", "value": 0, **stop,
             "error_message": "Ett heltal 0 eller mer. Lämna cellen tom om antalet inte är känt."}
    elif k.kind == "total":
        top = xl_col_to_name(col) + str(first + 1)
        women, men = xl_col_to_name(col - 2) + str(first + 1), xl_col_to_name(col - 1) + str(first + 1)
        v = {"validate": "custom", "value": f"=AND({top}=INT({top}),{top}>=N({women})+N({men}))", **stop,
             "error_message": "Ett heltal, minst Kvinnor + Män."}
    elif k.kind == "money":
        v = {"validate": "decimal", "criteria": "between", "minimum": -MAX, "maximum": MAX, **stop,
             "error_message": "Ett belopp: bara siffror (decimaler går bra), utan 'kr' eller mellanslag."}
    else:
        v = {"validate": "any"}
    ws.data_validation(first, col, last, col, {**v, **help_text, "ignore_blank": True})


def _sheet(wb, f: _Formats, name: str, title: str, note: str, columns: tuple[Kolumn, ...], rows: list[list],
           last: int, refs: dict[str, str | None], ar: int, freeze_cols: int):
    """The data sheet: title rows, header, the pre-filled rows (grey: `rows`' values fill their first cells),
    empty rows with validations down to row index `last`."""
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, f.title)
    ws.write_string(1, 0, note, f.note)
    ws.set_row(HEADER_ROW, 32)
    first = HEADER_ROW + 1
    for col, k in enumerate(columns):
        ws.write_string(HEADER_ROW, col, k.rubrik, f.header)
        ws.set_column(col, col, k.bredd, f.count if k.kind in ("count", "total") else None)
        _validate(ws, first, last, col, k, refs, ar)
    for r, values in enumerate(rows, start=first):
        for col, value in enumerate(values):
            (ws.write_number if isinstance(value, int) else ws.write_string)(r, col, value, f.grey)
        for col in range(len(values), len(columns)):
            ws.write_blank(r, col, None, f.count if columns[col].kind in ("count", "total") else f.cell)
    ws.freeze_panes(first, freeze_cols)
    ws.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
    ws.set_selection(first, freeze_cols, first, freeze_cols)
    return ws


def _workbook(wb, forbund: Forbund, ar: int, insatser: list[str], orsaker: list[str]) -> None:
    f = _Formats(wb)
    title = f"Uppföljning av insatser {ar}: {forbund.namn}"
    wb.set_properties({"title": title, "language": "sv-SE"})
    lists = {"forbund": [forbund.namn], "insats": insatser, "avslutsorsak": orsaker}
    refs = _list_refs(lists)
    rows = [[forbund.namn, ar, insats] for insats in insatser]
    ws = _sheet(wb, f, "Uppföljning", title, "Fyll i de vita cellerna. Grå celler är förifyllda. Tom cell = inte "
                "rapporterat. Läs fliken Instruktioner.", UPPFOLJNING_KOLUMNER, rows,
                HEADER_ROW + len(rows) + EXTRA_ROWS, refs, ar, 3)
    _sheet(wb, f, "Avslut", f"Rapporterade avslut {ar}: {forbund.namn}", "En rad per insats och avslutsorsak (och "
           "kön). Välj i listorna. Läs fliken Instruktioner.", AVSLUT_KOLUMNER, [], HEADER_ROW + AVSLUT_ROWS, refs,
           ar, 0)
    _instructions(wb, f, forbund, ar, file_name(forbund.kod, ar))
    _write_lists(wb, lists)
    ws.activate()


TEXT = """\
# Vad mallen är
Uppföljning av förbundets insatser under {ar} för {namn}, i två flikar: Uppföljning (deltagare, budget och utfall \
per insats) och Avslut (hur många deltagare som avslutades, och av vilken orsak). Fliken Uppföljning har en rad \
per insats som insatsregistret har för förbundet {ar}. Förbund, År och Insats är förifyllda (grå): ändra dem inte.
# Fliken Uppföljning
Inriktning: välj Individinriktad eller Strukturövergripande i listan.
Preciserad inriktning och Målgrupp: fritext. Uppföljningsmetod: fritext, frivillig.
ESF: Ja om insatsen finansieras av Europeiska socialfonden, annars Nej.
Kvinnor och Män: antal deltagare under året, heltal.
Totalt (frivilligt): alla deltagare, minst Kvinnor + Män (fler om någon har annat eller okänt kön).
Budgeterat antal deltagare (frivilligt): hur många deltagare insatsen planerades för.
Budget och Utfall (Utfall är frivilligt): belopp för året. Skriv bara siffror, utan "kr" och utan mellanslag.
Enhet gäller Budget och Utfall på samma rad. Tom Enhet eller kr = kronor. Välj tkr om du skriver beloppen i \
tusental kronor (1 250 tkr = 1 250 000 kr).
En insats som saknas skrivs på en av de tomma raderna under de förifyllda: välj förbundet i listan, skriv året och \
insatsens namn som i SUS. Be den som sköter insatsregistret (config/insatser.csv) att lägga till insatsen.
# Fliken Avslut
Fliken är tom: skriv en rad per insats och avslutsorsak (och kön, om du delar upp på kön).
Förbund: välj i listan. År: {ar}. Samma på varje rad: kopiera gärna nedåt.
Insats: välj i listan över förbundets insatser {ar}.
Avslutsorsak: välj i listan. Bara texterna i listan kan räknas till rätt kategori (arbete, studier och så vidare).
Kön (frivilligt): Kvinna, Man eller Annat. Tom = alla kön tillsammans. Skriv inte både en rad utan kön och rader \
med kön för samma insats och orsak.
Antal: antal avslut, heltal 0 eller mer. Källa: fritext, varifrån antalet kommer (t.ex. egen sammanställning).
# Tom cell betyder inte rapporterat
Lämna en cell tom när du inte vet värdet. Tom är inte 0: skriv 0 bara när antalet verkligen är noll. En insats \
som inte har något att rapportera får stå kvar med bara de grå cellerna ifyllda, och en avslutsorsak utan rad är \
inte rapporterad.
# Spara och lämna in
Ändra inte rubrikerna och flytta inte flikarna: Uppföljning ska vara den första. Spara som Excel-arbetsbok (.xlsx), \
gärna med samma filnamn ({fil}), och lägg filen i mappen raw/uppfoljning/. Har insatserna rapporterat avslut: lägg \
en kopia av samma fil i mappen raw/avslut_rapporterade/. Den första mappen läser fliken Uppföljning, den andra \
fliken Avslut. Filerna läses in vid nästa körning utan att något behöver ändras.
"""


def _instructions(wb, f: _Formats, forbund: Forbund, ar: int, fil: str) -> None:
    ws = wb.add_worksheet("Instruktioner")
    ws.set_column(0, 0, 110, f.text)
    ws.hide_gridlines(2)
    row = 0
    for line in TEXT.format(ar=ar, namn=forbund.namn, fil=fil).splitlines():
        if line.startswith("# "):
            row += 1 if row else 0
            ws.write_string(row, 0, line[2:], f.heading)
        else:
            ws.write_string(row, 0, line, f.text)
        row += 1


PARSER = argparse.ArgumentParser(
    prog="finsam mallar",
    description="Write the fill-in workbook (uppföljning and rapporterade avslut) of each förbund for one year.")
PARSER.add_argument("--ar", type=int, default=None, help="the year (default: the current year)")
PARSER.add_argument("--ut", type=Path, default=None, help="the folder to write (default: <data dir>/marts/mallar)")
PARSER.add_argument("--forbund", action="append", default=[], metavar="KOD",
                    help="only this förbund (kod in config/forbund.yaml); may be repeated")


def main(argv: list[str] | None = None) -> int:
    args = PARSER.parse_args(argv)
    ar = args.ar if args.ar is not None else dt.date.today().year
    if not 2000 <= ar <= 2100:
        PARSER.error(f"--ar {ar}: expected a year such as {dt.date.today().year}")
    out = args.ut or config.data_dir() / "marts" / "mallar"
    try:
        written = write_templates(out, ar, forbund=args.forbund)
    except ConfigError as e:
        print(f"finsam mallar: {e}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
