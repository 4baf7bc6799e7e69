"""marts.tilldelning_ar: the decided medelstilldelning on the full förbund × year grid, with ansökt ÷ möjlig stat.

Fixture (raw/tilldelning, 2021-2022): Södra Norrbotten 2021 in tkr as seed 003 gives it (state 2 500, region 1 250,
kommuner 1 250; applied for 2 500 of the 4 310 the state would give: 58 %), Sydnärke 2021 in kr without
requested or possible state money, and Södra Norrbotten 2022 with Möjlig stat 0 (no ratio, never an error).

Every test reads this one fixture with the shipped config and writes nothing, so the module builds it once
(built); the tests that read the whole mart or every finding of a rule read the same build they read alone before.
"""
import pytest

from tests.conftest import built_once

TILLDELNING = ("Förbund;År;Stat;Region;Kommuner;Ansökt stat;Möjlig stat;Enhet\n"
               "Södra Norrbotten;2021;2 500;1 250;1 250;2 500;4 310;tkr\n"
               "Sydnärke;2021;2 617 000;1 308 500;1 308 500;;;kr\n"
               "Södra Norrbotten;2022;3 250;1 625;1 625;4 750;0;tkr\n")
KOLUMNER = "stat, region, kommuner, totalt, ansokt_stat, mojlig_stat, ansokt_andel_stat, fil, rad"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "tilldelning_ar", (2021, 2022), {"tilldelning/t.csv": TILLDELNING})


def test_decisions_with_their_totals_and_requested_share(built):
    rows = {(f, a): r for f, a, *r in built.query(f"select forbund, ar, {KOLUMNER} from marts.tilldelning_ar")}
    assert rows[("sodra_norrbotten", 2021)] == [2_500_000.0, 1_250_000.0, 1_250_000.0, 5_000_000.0, 2_500_000.0,
                                                4_310_000.0, pytest.approx(2_500 / 4_310), "raw/tilldelning/t.csv", 2]
    assert rows[("sydnarke", 2021)] == [2_617_000.0, 1_308_500.0, 1_308_500.0, 5_234_000.0, None, None, None,
                                        "raw/tilldelning/t.csv", 3]
    assert rows[("sodra_norrbotten", 2022)][5:7] == [0.0, None]


def test_every_forbund_year_has_a_row_null_without_a_decision(built):
    assert built.query("select count(*), count(totalt) from marts.tilldelning_ar") == [(10, 3)]
    assert built.query("select stat, totalt from marts.tilldelning_ar where forbund = 'sofint' and ar = 2021") == [
        (None, None)]


def test_the_requested_share_finding_reads_the_mart(built):
    assert built.query("select forbund, ar, varde from marts.datakvalitet where regel = 'ansokt_andel_stat'") == [
        ("sodra_norrbotten", 2021, pytest.approx(2_500 / 4_310))]
