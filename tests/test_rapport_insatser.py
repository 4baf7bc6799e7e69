"""The report's sections per kommun and on who takes part, who returns, how long and at what cost: the review's
2019 Lekeberg/Örebro figures end to end, and the disclosure rule on a hand-made warehouse."""
import openpyxl
import pytest

from finsam.report import avsnitt, export, insatser, kommuner
from finsam.report.data import grund, lage
from finsam.report.format import NBSP
from tests.test_kostnad_insats_ar import built  # noqa: F401  (the 2019 fixture build: ekonomi, SUS, population)
from tests.test_rapport_enhet import lager


def sektioner(con) -> dict[str, list]:
    """The first län's report sections by heading."""
    las = lage(con)
    return dict(avsnitt(con, las, las.lan[0]))


def rader(del_, forsta: str):
    return [r for r in del_.tabell.rader if r[0] == forsta or (len(r) > 1 and r[1] == forsta)]


def test_lekeberg_and_orebro_2019_in_the_report(built):  # noqa: F811
    con = built.connect()
    try:
        delar = sektioner(con)
    finally:
        con.close()
    tabell = delar[kommuner.RUBRIK][0]
    malgrupp = next(d for d in delar["Målgrupp och omvärld"] if d.id == "malgrupp")
    kostnad = next(d for d in delar[insatser.RUBRIK] if d.id == "kostnad_insats")
    # Bilaga 1: 18,3 % and 2,5 %; andel avslutade 50 % and 22 %; MT + CT per deltagare ≈21 800 and ≈40 100 kr
    assert rader(tabell, "Lekeberg")[0][2:] == ["42", "21", f"50,0{NBSP}%", "230", f"18,3{NBSP}%",
                                                f"21{NBSP}787{NBSP}kr", f"915{NBSP}059{NBSP}kr"]
    assert rader(tabell, "Örebro")[0][2:] == ["121", "27", f"22,3{NBSP}%", f"4{NBSP}848", f"2,5{NBSP}%",
                                              f"40{NBSP}111{NBSP}kr", f"4{NBSP}853{NBSP}434{NBSP}kr"]
    assert rader(tabell, "Totalt länet")[0][2] == "saknas"   # the other förbund have no registrations
    assert [r[3:] for r in malgrupp.tabell.rader if r[0].strip() in ("varav Lekeberg", "varav Örebro")] == [
        ["42", f"18,3{NBSP}%"], ["121", f"2,5{NBSP}%"]]
    assert "kommer" not in malgrupp.definition
    irma = rader(kostnad, "IRMA")[0]
    assert irma[2:] == ["Coachingteam", "1880", f"3{NBSP}208{NBSP}366{NBSP}kr", "121", f"26{NBSP}515{NBSP}kr",
                        "27", f"118{NBSP}828{NBSP}kr"]
    assert rader(kostnad, "alla, mottagningsteam")[0][4] == f"2{NBSP}315{NBSP}061{NBSP}kr"


@pytest.fixture
def con(tmp_path):
    """test_rapport_enhet's warehouse (förbund a and b in one län, 2023 the latest complete year) with the
    issue-12 marts: small counts in förbund a."""
    c = lager(tmp_path / "litet.duckdb")
    c.execute("alter table marts.deltagare_ar add column aterkommande bigint")
    c.execute("update marts.deltagare_ar set aterkommande = case forbund when 'a' then 3 else 12 end "
              "where ar = 2023 and insats = '*'")
    c.execute("create table marts.jamforelse_kommun_ar (forbund varchar, kommun varchar, kommun_namn varchar, "
              "ar integer, deltagare bigint, avslutade bigint, andel_avslutade double, malgrupp double, "
              "tackningsgrad double, kostnad_insatser double, kostnad_per_deltagare double)")
    c.execute("""insert into marts.jamforelse_kommun_ar values
        ('a', 'A1', 'Aby', 2022, 20, 5, 0.25, 100.0, 0.2, null, null),
        ('a', 'A2', 'Aberga', 2022, 10, 5, 0.5, 100.0, 0.1, null, null),
        ('b', 'B1', 'Bby', 2022, 40, 10, 0.25, 200.0, 0.2, null, null),
        ('a', 'A1', 'Aby', 2023, 30, 10, 1 / 3, 150.0, 0.2, 300000.0, 10000.0),
        ('a', 'A2', 'Aberga', 2023, 3, 1, 1 / 3, 50.0, 0.06, null, null),
        ('b', 'B1', 'Bby', 2023, 60, 30, 0.5, 300.0, 0.2, 600000.0, 10000.0)""")
    grupper = [("kvinna", 20, 30), ("man", 17, 30), ("okant", 3, 0), ("16-19", 2, 6), ("20-24", 10, 10),
               ("25-29", 5, 10), ("30-39", 10, 14), ("40-49", 5, 10), ("50-64", 8, 10), ("65+", 0, 0),
               ("okand", 0, 0)]
    c.execute("create table marts.deltagare_grupp_ar (forbund varchar, ar integer, dimension varchar, "
              "grupp varchar, deltagare bigint)")
    for grupp, a, b in grupper:
        dim = "kon" if grupp in ("kvinna", "man", "okant") else "alder"
        c.execute("insert into marts.deltagare_grupp_ar values ('a', 2023, ?, ?, ?), ('b', 2023, ?, ?, ?)",
                  [dim, grupp, a, dim, grupp, b])
    c.execute("create table marts.tid_i_insats_ar (forbund varchar, insats varchar, ar integer, avslutade bigint, "
              "median_dagar double, p25_dagar double, p75_dagar double, pagaende_over_365 bigint)")
    c.execute("insert into marts.tid_i_insats_ar values ('a', '*', 2023, 3, 100, 90, 110, 0), "
              "('b', '*', 2023, 20, 150, 100, 200, 2)")
    c.execute("create table marts.kostnad_insats_ar (forbund varchar, insats varchar, typ varchar, kommun varchar, "
              "ar integer, kostnad double, deltagare bigint, kostnad_per_deltagare double, avslutade bigint, "
              "kostnad_per_avslut double)")
    c.execute("insert into marts.kostnad_insats_ar values ('a', 'Team A', 'coachingteam', 'A1', 2023, 300000, 30, "
              "10000, 3, 100000)")
    yield c
    c.close()


def test_kommun_split_totals_and_disclosure(con):
    tabell, tack, _ = sektioner(con)[kommuner.RUBRIK]
    assert rader(tabell, "Aberga")[0][2:7] == ["<5", "<5", "dold", "50", "dold"]
    assert rader(tabell, "Totalt länet")[0][2:] == ["dold", "dold", "dold", "500", "dold", "dold", "saknas"]
    tack_rader = {r[0]: r[1:] for r in tack.tabell.rader}
    assert tack_rader["Totalt länet"] == [f"17,5{NBSP}%", "dold"]   # 2022: (20 + 10 + 40) / 400; 2023 hides A2


def test_kon_alder_aterkommande_tid_and_kostnad_hide_small_counts(con):
    delar = {d.id: d for d in sektioner(con)[insatser.RUBRIK]}
    kon = {r[0]: r[1:] for r in delar["kon_alder"].tabell.rader}
    # okänt kön 3 and 16-19 år 2 are small; the groups add up to A's 40 deltagare, so the smallest shown group of
    # at least 5 in each dimension is hidden too: män 17, and 25-29 år 5 (before 40-49 år 5 by name)
    assert kon["Förbund A"] == ["20", "dold", "<5", "<5", "10", "dold", "10", "5", "8", "0", "0", "dold"]
    assert kon["Förbund B"][-1] == f"43,3{NBSP}%"                      # (6 + 10 + 10) / 60
    assert kon["Totalt länet"][:7] == ["50", "dold", "<5", "dold", "20", "dold", "24"]
    assert kon["Totalt länet"][-1] == "dold"
    dolt = next(t for t in delar["kon_alder"].figur.data if t.name == "Dolt")   # A: 16-19 år 2 + 25-29 år 5
    assert list(dolt.y) == [7, None] and dolt.marker.color == "#888888"
    ater = {(r[0], r[1]): r[2:] for r in delar["aterkommande"].tabell.rader}
    assert ater[("Återkommande", "Förbund A")][-1] == "<5"
    assert ater[("Återkommande, andel av nyinskrivna", "Förbund A")][-1] == "dold"
    assert ater[("Återkommande, andel av nyinskrivna", "Förbund B")][-1] == f"20,0{NBSP}%"   # 12 / 60
    tid = delar["tid_i_insats"].tabell.rader
    assert tid == [["Förbund A", "hela förbundet", "<5", "dold", "dold", "0"],
                   ["Förbund B", "hela förbundet", "20", "150", "100–200", "<5"]]
    kostnad = rader(delar["kostnad_insats"], "Team A")[0]
    assert kostnad[4:] == [f"300{NBSP}000{NBSP}kr", "30", f"10{NBSP}000{NBSP}kr", "<5", "dold"]
    assert grund(con, lage(con), ("a", "b"))["aterkommande"].to_list()[1] == 3


def test_excel_hides_a_median_of_fewer_than_five(con, tmp_path):
    parquet = export.parquet(con, tmp_path / "parquet")
    wb = openpyxl.load_workbook(export.excel(parquet, export.definitioner(con), tmp_path / "g.xlsx", 5), read_only=True)
    tid = list(wb["tid_i_insats_ar"].iter_rows(values_only=True))
    assert tid[1][:8] == ("a", "*", 2023, "<5", None, None, None, 0)   # the mart's columns; helt_ar and the
    assert tid[2][:8] == ("b", "*", 2023, 20, 150.0, 100.0, 200.0, "<5")  # names added for readers follow
