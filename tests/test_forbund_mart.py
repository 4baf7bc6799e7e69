"""marts.forbund: the registry as a mart, added as a mart is added (its SQL and its declaration)."""


def test_every_registered_forbund_with_name_lan_and_members(sample):
    rows = sample.query("select * from marts.forbund order by forbund")
    assert rows == [
        ("degerfors_karlskoga", "Finsam Degerfors/Karlskoga", "18", "1862, 1883"),
        ("lekeberg_orebro", "Finsam Lekeberg och Örebro", "18", "1814, 1880"),
        ("sodra_norrbotten", "Samordningsförbundet Södra Norrbotten", "25", "2560, 2580, 2581, 2582"),
        ("sofint", "Samordningsförbundet i Norra Örebro län (SOFINT)", "18", "1863, 1864, 1884, 1885"),
        ("sydnarke", "Samordningsförbundet Sydnärke", "18", "1860, 1861, 1881, 1882"),
    ]
