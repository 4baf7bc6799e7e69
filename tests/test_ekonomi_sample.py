"""The committed sample årsredovisningar and medelstilldelning load whole, and 2019 shows the genomlysning's
figures."""


def test_every_money_file_loads_and_each_forbund_year_has_its_lines(sample):
    assert sample.query("select count(*) from marts.inlasta_filer where kalla in ('ekonomi', 'tilldelning') "
                        "and status = 'avvisad'") == [(0,)]
    # Södra Norrbotten has no årsredovisning lines
    assert sample.query("select count(*) from marts.ekonomi_ar where kostnader_totalt is null") == [(9,)]
    assert sample.query("select count(*) from marts.datakvalitet where regel = 'saknar_ekonomi'") == [(9,)]


def test_2019_as_published(sample):
    rows = sample.query("select forbund, admin_andel_medelstilldelning, admin_andel_intakter, andel_individ, "
                        "andel_struktur, admin_andel_kostnader from marts.jamforelse_ar where ar = 2019 "
                        "and forbund <> 'sodra_norrbotten'")
    assert {f: tuple(round(x * 100) for x in rest) for f, *rest in rows} == {
        "lekeberg_orebro": (19, 19, 75, 6, 19), "sydnarke": (25, 22, 74, 2, 23),
        "degerfors_karlskoga": (22, 20, 82, 1, 17), "sofint": (34, 34, 54, 3, 43)}
    assert sample.query("select forbund, kostnad_admin from marts.ekonomi_ar where ar = 2019 and forbund <> "
                        "'sodra_norrbotten' order by 1") == [
        ("degerfors_karlskoga", 1_238_000.0), ("lekeberg_orebro", 1_552_000.0), ("sofint", 1_373_000.0),
        ("sydnarke", 1_342_000.0)]
    assert sample.query("select forbund, ar, externa_bidrag from marts.ekonomi_ar where externa_bidrag > 0 "
                        "and ar <= 2019 order by 1, 2") == [
        ("degerfors_karlskoga", 2017, 600_000.0), ("degerfors_karlskoga", 2018, 750_000.0),
        ("degerfors_karlskoga", 2019, 527_000.0), ("sydnarke", 2018, 166_000.0), ("sydnarke", 2019, 783_000.0)]


def test_seed_figures_in_later_years(sample):
    assert sample.query("select belopp from staging.ekonomi_rader where forbund = 'sydnarke' and ar = 2025 and "
                        "kategori = 'medlemsbidrag_kommun' order by kommun") == [
        (115_305.0,), (341_846.0,), (472_607.0,), (241_242.0,)]  # Laxå, Hallsberg, Kumla, Askersund (S2:475-478)
    assert sample.query("select eget_kapital, round(eget_kapital_andel, 3) from marts.ekonomi_ar join "
                        "marts.jamforelse_ar using (forbund, ar) where forbund = 'sydnarke' and ar = 2024") == [
        (1_023_433.0, 0.194)]  # "1 023 433 kr = 19,4%" (S2:464)
    assert sample.query("select ar, round(varde, 2) from marts.datakvalitet where regel = 'ansokt_andel_stat' "
                        "and ar = 2021") == [(2021, 0.58)]
    assert sample.query("select forbund, ar, kolumn from marts.datakvalitet where regel = 'finansieringsmodell' "
                        "order by kolumn") == [("sofint", 2017, "Kommuner"), ("sofint", 2017, "Region")]
