"""The stock-flow identity holds by construction on registrations, for any spells: many random ones here."""
import random


def random_spells(seed: int, persons: int = 120) -> str:
    rng = random.Random(seed)
    lines = ["Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"]
    reasons = ["Arbete", "Studier", "Jobbredo", "Studieredo", "Avbrott", "Sjukdom", "Flytt", "Okänd text", ""]
    for p in range(persons):
        anonymous = rng.random() < 0.1
        for _ in range(rng.randint(1, 3)):  # re-entries and parallel insatser
            start = rng.randint(0, 9 * 365)
            y, d = divmod(start, 365)
            begin = f"{2016 + y}-{1 + d // 31 % 12:02d}-{1 + d % 28:02d}"
            end = ""
            if rng.random() < 0.8:
                stop = start + rng.randint(0, 700)
                y2, d2 = divmod(stop, 365)
                end = max(begin, f"{2016 + y2}-{1 + d2 // 31 % 12:02d}-{1 + d2 % 28:02d}")
            reason = rng.choice(reasons) if end else ""
            lines.append(f"SOFINT;{rng.choice(['Navet', 'Bron', 'Steget'])};{'' if anonymous else f'P{p}'};"
                         f"{'Ja' if anonymous else 'Nej'};{begin};{end};{reason}")
    return "\n".join(lines) + "\n"


def test_identity_holds_for_every_level_and_year_of_random_registrations(project):
    project.settings(2017, 2025)
    for seed in range(3):
        project.raw(f"sus/random_{seed}.csv", random_spells(seed))
    project.build()
    rows = project.query("""
        select cur.insats, cur.ar, coalesce(prev.pagaende_vid_arets_slut, 0), cur.nyinskrivna, cur.anonyma,
               cur.avslutade, cur.pagaende_vid_arets_slut, cur.deltagare, cur.avslut_arbete_studier,
               cur.avslut_jobb_studieredo
        from marts.deltagare_ar cur
        left join marts.deltagare_ar prev on prev.forbund = cur.forbund and prev.insats = cur.insats
             and prev.ar = cur.ar - 1
        where cur.forbund = 'sofint' and cur.ar > 2017 and cur.kalla = 'sus'""")
    assert len(rows) >= 4 * 8
    for insats, ar, start, ny, anon, avsl, end, deltagare, arbete, redo in rows:
        assert start + (ny - anon) - avsl == end, (insats, ar)
        assert deltagare == start + ny and arbete + redo <= avsl, (insats, ar)
