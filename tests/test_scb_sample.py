"""The committed SCB sample (data/raw/scb/, scripts/make_sample_scb.py) loads without rejections and holds the
figures it was built to hold."""


def test_every_scb_sample_file_loads(sample):
    assert sample.query("select fil, status from marts.inlasta_filer where kalla like 'scb%' order by fil") == [
        ("raw/scb/folkmangd/norrbotten_folkmangd_2017_2025.csv", "inlast"),
        ("raw/scb/folkmangd/orebro_lan_folkmangd_2017_2025.csv", "inlast"),
        ("raw/scb/folkmangd_nov/folkmangd_1_november_2016_2025.csv", "inlast"),
        ("raw/scb/helarsekvivalenter/statisticon_helarsekvivalenter_2017_2025.csv", "inlast"),
        ("raw/scb/helarsekvivalenter/sydnarke_andel_2017_2025.csv", "inlast")]


def test_sample_gives_the_genomlysnings_2019_target_groups(sample):
    assert sample.query("select forbund, malgrupp from marts.malgrupp_ar where ar = 2019 and forbund <> "
                        "'sodra_norrbotten' order by forbund") == [
        ("degerfors_karlskoga", 1_157.0), ("lekeberg_orebro", 5_078.0), ("sofint", 1_297.0), ("sydnarke", 1_576.0)]
    assert sample.query("select kommun_namn, malgrupp from marts.malgrupp_kommun where forbund = 'lekeberg_orebro' "
                        "and ar = 2019 order by kommun") == [("Lekeberg", 230.0), ("Örebro", 4_848.0)]


def test_every_forbund_year_of_the_sample_has_a_target_group_and_a_share(sample):
    assert sample.query("select count(*) from marts.malgrupp_ar where malgrupp is null") == [(0,)]
    assert sample.query("select count(*) from marts.helarsekvivalenter_ar where kon = 'totalt' "
                        "and ersattning = 'totalt' and (andel is null or andel_riket is null)") == [(0,)]


def test_sample_holds_seed_002s_november_2024_populations_and_riket_2023(sample):
    assert sample.query("select kommun, befolkning_totalt from staging.befolkning_nov where ar = 2024 "
                        "and kommun in ('1860', '1861', '1881', '1882') order by kommun") == [
        ("1860", 5_498), ("1861", 16_300), ("1881", 22_535), ("1882", 11_503)]
    assert sample.query("select distinct andel_riket from marts.helarsekvivalenter_ar where ar = 2023 "
                        "and kon = 'totalt' and ersattning = 'totalt'") == [(0.119,)]
    assert sample.query("select kon, andel_angiven from marts.helarsekvivalenter_kommun where kommun = '1882' "
                        "and ar = 2023 and ersattning = 'totalt' and kon <> 'totalt' order by kon") == [
        ("kvinna", 0.1312), ("man", 0.0883)]
