"""Swedish for readers: the visible text of every län page of the sample (tags, scripts and styles stripped), up to
the technical appendix, holds no SQL name, no "NULL", no finding code and none of the English phrases the findings'
details are written in; the appendix holds them. And the helpers the pages write with (plural forms, the reader's
names of sources, a finding's Swedish text, an empty section as one sentence)."""
import html
import re

import pytest

from finsam.build import declarations
from finsam.publish import warehouse
from finsam.report import FORSTA_DIAGRAM, _tomt_avsnitt, bilaga, diagram
from finsam.report.charts import Diagram, Ruta, Tabell
from finsam.report.data import Lage, Lan
from finsam.report.definitions import kallor_text
from finsam.report.format import NBSP, antal_ord
from finsam.report.remarks import regeltext, underlag_text

# ("per person" is Swedish too: "ett värde per person och år")
ENGELSKA = ("at most", "at least", "missing", "not ", "should", "found", "expected", "the ", " is ",
            "cell(s)", "rows", "file ")
KODER = tuple(declarations.codes(warehouse.SQL_DIR))


def synlig_text(sida: str) -> tuple[str, str]:
    """The page's visible text before the technical appendix, and the appendix's."""
    sida = re.sub(r"<(script|style)\b.*?</\1>", " ", sida, flags=re.S | re.I)
    fore, _, bilagan = sida.partition(f">{bilaga.RUBRIK}</h2>")
    text = [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", t))) for t in (fore, bilagan)]
    return text[0], text[1]


@pytest.mark.slow
def test_visible_text_of_every_lan_page_is_swedish(prov):
    sidor = sorted((prov.marts / "genomlysning").glob("[0-9][0-9]_*.html"))
    assert len(sidor) == 2
    for sida in sidor:
        text, bilagan = synlig_text(sida.read_text(encoding="utf-8"))
        assert bilagan, f"{sida.name}: no {bilaga.RUBRIK}"
        assert "NULL" not in text, (sida.name, text[text.index("NULL") - 200:][:300])
        assert "marts." not in text, (sida.name, text[text.index("marts.") - 200:][:300])
        for fras in ENGELSKA:
            assert fras not in text.lower(), (sida.name, fras, text[text.lower().index(fras) - 200:][:300])
        for kod in KODER:
            assert not re.search(rf"\b{kod}\b", text), (sida.name, kod)
    orebro = synlig_text((prov.marts / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8"))
    # the appendix names the tables, the rule codes and the warehouse's own detail
    assert "marts.deltagare_ar" in orebro[1] and "stock_flow" in orebro[1] and "forsta_registreringsar" in orebro[1]
    # sources as readers know them, and the first year of registrations of Lekeberg/Örebro marked in its charts
    assert "Källa: SUS-registreringar, SUS-rapporter och Uppföljning Finsam" in orebro[0]
    assert "Första året med registreringar (Finsam Degerfors/Karlskoga 2020, Finsam Lekeberg och Örebro 2020)" \
        in orebro[0]


@pytest.mark.slow
def test_norrbotten_empty_sections_are_one_sentence(prov):
    sida = (prov.marts / "genomlysning" / "25_norrbottens_lan.html").read_text(encoding="utf-8")
    text, _ = synlig_text(sida)
    for rubrik in ("avslutsorsaker", "kostnader och resultat", "vilka deltar, hur länge och vad insatserna kostar"):
        assert f"Inga uppgifter att visa om {rubrik} för Norrbottens län 2017–2025: underlaget saknas eller är för " \
               "litet för att visas." in text
    assert text.count("Inget att rita") == 10   # 25 before: the boxes left are in sections with something drawn


def test_plural_forms():
    assert antal_ord(1, "anmärkning") == f"1{NBSP}anmärkning"
    assert antal_ord(2, "anmärkning") == f"2{NBSP}anmärkningar"
    assert antal_ord(0, "fil") == f"0{NBSP}filer"
    assert antal_ord(1, "fil") == f"1{NBSP}fil"
    assert antal_ord(1, "deltagare") == f"1{NBSP}deltagare" and antal_ord(3, "förbund") == f"3{NBSP}förbund"
    assert antal_ord(1234, "insats") == f"1{NBSP}234{NBSP}insatser"
    assert antal_ord(2, "rad") == f"2{NBSP}rader"
    assert antal_ord(None, "rad") == "saknas"


def test_sources_as_readers_know_them():
    assert kallor_text(("marts.ekonomi_ar",)) == "Årsredovisningar"
    assert kallor_text(("marts.deltagare_ar", "marts.ekonomi_ar")) == \
        "SUS-registreringar, SUS-rapporter, Uppföljning Finsam och Årsredovisningar"
    assert kallor_text(("marts.malgrupp_ar", "marts.helarsekvivalenter_ar")) == "SCB"
    # every mart declares its sources for readers
    for namn, d in declarations.load(warehouse.SQL_DIR).items():
        if d.is_mart:
            assert d.kalla_visas, namn


def test_finding_texts_are_swedish():
    assert regeltext("okand_avslutsorsak", 3.0) == "okänd avslutsorsak, inskrivningar: 3"
    assert regeltext("forsta_registreringsar") == "första året med registreringar"
    assert underlag_text("stock_flow×1 (−5), eget_kapital_over_20×2 (−0)") == \
        f"{regeltext('stock_flow')} ×1 (−5), {regeltext('eget_kapital_over_20')} ×2 (−0)"
    assert underlag_text("inga fel eller varningar") == "inga fel eller varningar"
    koder = declarations.codes(warehouse.SQL_DIR)
    assert koder["forsta_registreringsar"].allvarlighet == ("info",)


def test_a_section_with_nothing_to_draw_is_one_sentence():
    import datetime as dt
    lage = Lage(5, dt.datetime(2026, 1, 1), 2017, 2025, None, {}, ())
    lan = Lan("25", "Norrbottens län", ("x",))
    tomma = [Diagram("a", "A", "", ("marts.deltagare_ar",), Tabell([], []), None) for _ in range(3)]
    (ruta,) = _tomt_avsnitt("Insatser", tomma, lage, lan)
    assert isinstance(ruta, Ruta) and ruta.tabell is None
    assert ruta.text == ("Inga uppgifter att visa om insatser för Norrbottens län 2017–2025: underlaget saknas "
                         "eller är för litet för att visas.")
    blandat = [*tomma, Ruta("R", "text")]
    assert _tomt_avsnitt("Insatser", blandat, lage, lan) is blandat


@pytest.mark.slow
def test_first_year_of_registrations_is_marked_in_its_charts(prov):
    con = prov.connect()
    try:
        d = diagram(con, "18")
    finally:
        con.close()
    for id_ in ("tid_i_insats", "aterkommande"):
        etiketter = {a.hovertext.split("<br>")[0] for a in d[id_].figur.layout.annotations if a.text == "första året"}
        assert etiketter == {"Finsam Degerfors/Karlskoga 2020: första året med registreringar, räknas inte",
                             "Finsam Lekeberg och Örebro 2020: första året med registreringar, räknas inte"}, id_
    for id_ in FORSTA_DIAGRAM:
        assert any(n.startswith("Första året med registreringar (Finsam Degerfors/Karlskoga 2020, Finsam Lekeberg "
                                "och Örebro 2020): nyinskrivna, återkommande och tid i insats räknas inte")
                   for n in d[id_].noter), id_
    assert not any(n.startswith("Första året") for n in d["kostnad_per"].noter)
