"""Synthetic SCB and Statisticon sample inputs for finsam: population and helårsekvivalenter.

Writes data/raw/scb/folkmangd/, data/raw/scb/folkmangd_nov/ and data/raw/scb/helarsekvivalenter/ for every member
kommun in config/forbund.yaml. Invented numbers of a plausible size, with these fixed points:
- population 16-64 on 31 December 2019 gives the genomlysning's target groups (5 %): Lekeberg 4 600 (230),
  Örebro 96 960 (4 848), Sydnärke 31 520 (1 576), Degerfors/Karlskoga 23 140 (1 157), SOFINT 25 940 (1 297);
- population on 1 November 2024 in Sydnärke is seed 002's: Kumla 22 535, Hallsberg 16 300, Askersund 11 503,
  Laxå 5 498 (the split of the 2025 medlemsbidrag);
- Sydnärke's helårsekvivalenter 2023 are seed 002's percentages by kön, and riket 2023 is 11,9 %.
Deterministic (fixed seed): reruns are byte-identical.

Run: uv run python scripts/make_sample_scb.py
"""
from __future__ import annotations

import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCB = ROOT / "data" / "raw" / "scb"
RNG = random.Random(20200826)
YEARS = range(2017, 2026)
AGES = [f"{a} år" for a in range(100)] + ["100+ år"]

# kommun: total population 2019, population 16-64 on 31 Dec 2019, yearly growth, level of outside support
KOMMUNER = {
    "1814": (8_200, 4_600, 0.012, 0.80), "1880": (155_700, 96_960, 0.013, 1.00),
    "1881": (21_600, 12_700, 0.0085, 1.05), "1861": (15_900, 9_240, 0.005, 1.08),
    "1882": (11_400, 6_420, 0.0018, 0.95), "1860": (5_600, 3_160, -0.0037, 1.35),
    "1862": (9_900, 5_380, -0.002, 1.30), "1883": (30_700, 17_760, 0.003, 1.15),
    "1885": (23_700, 13_620, 0.001, 1.10), "1884": (10_700, 5_980, 0.002, 1.00),
    "1863": (6_900, 3_900, -0.006, 1.40), "1864": (4_900, 2_440, -0.005, 1.45),
    "2580": (78_500, 49_000, 0.003, 0.85), "2581": (42_200, 25_500, 0.002, 0.90),
    "2560": (8_200, 4_600, -0.004, 1.05), "2582": (28_100, 17_000, 0.001, 1.00),
}
NOV_2024 = {"1881": 22_535, "1861": 16_300, "1882": 11_503, "1860": 5_498}
SYDNARKE = ["1882", "1861", "1881", "1860"]
# seed 002 (S2:167-170): helårsekvivalenter 2023 in % of the population 20-64, män and kvinnor
SEED_2023 = {"1882": (8.83, 13.12), "1861": (9.78, 15.18), "1881": (10.32, 14.49), "1860": (14.03, 17.37)}
# riket 2023 in % of the population 20-64 (sums to 11.9), and how far women's rates lie above the average
ERSATTNING = {"sjukpenning": (2.6, 0.35), "sjuk- och aktivitetsersättning": (3.4, 0.15),
              "arbetslöshetsersättning": (3.9, -0.05), "ekonomiskt bistånd": (1.6, 0.0),
              "etableringsersättning": (0.4, 0.1)}
YEAR_LEVEL = {2017: 1.22, 2018: 1.15, 2019: 1.10, 2020: 1.16, 2021: 1.08, 2022: 1.02, 2023: 1.0, 2024: 1.01,
              2025: 1.02}
RIKET_20_64 = {y: 5_800_000 + 22_000 * (y - 2017) for y in YEARS}
MALE_20_64 = 0.51


def members() -> dict[str, str]:
    """kommun code -> name for every member kommun of config/forbund.yaml."""
    config = yaml.safe_load((ROOT / "config" / "forbund.yaml").read_text(encoding="utf-8"))
    names = {m["kommun"]: m["namn"] for f in config["forbund"] for m in f["medlemmar"]}
    assert set(names) == set(KOMMUNER), "every member kommun needs sample figures"
    return names


def split(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights that add up to total exactly (largest remainder)."""
    raw = [total * w / sum(weights) for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[: total - sum(out)]:
        out[i] += 1
    return out


def age_weight(age: int) -> float:
    if age < 16:
        return 1.05
    if age < 65:
        return 1.0 + 0.15 * ((age - 40) / 25) ** 2
    return max(0.02, 1.1 * 0.93 ** (age - 65))


def population(kod: str, year: int) -> list[tuple[int, int]]:
    """(män, kvinnor) per age 0..99 and 100+ on 31 December."""
    total, working, growth, _ = KOMMUNER[kod]
    t = round(total * (1 + growth) ** (year - 2019))
    w = round(working * (1 + growth - 0.002) ** (year - 2019))
    jitter = [age_weight(a) * RNG.uniform(0.93, 1.07) for a in range(101)]
    inside = split(w, jitter[16:65])
    outside = split(t - w, jitter[:16] + jitter[65:])
    counts = outside[:16] + inside + outside[16:]
    return [(round(n * (0.515 if a < 65 else 0.515 - 0.004 * (a - 65))), n) for a, n in enumerate(counts)]


def men_women(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(m, n - m) for m, n in pairs]


def write(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode(encoding))


def q(text: str) -> str:
    return f'"{text}"'


def main() -> None:
    names = members()
    pop = {(k, y): men_women(population(k, y)) for k in sorted(KOMMUNER) for y in YEARS}

    # folkmangd: Örebro län, wide, cp1252, a title line, män and kvinnor only, `..` where SCB withholds a value
    orebro = [k for k in sorted(KOMMUNER) if k.startswith("18")]
    lines = [q("Folkmängden efter region, ålder, kön och år"), "",
             ",".join(q(h) for h in ("region", "ålder", "kön", *map(str, YEARS)))]
    for k in orebro:
        for i, age in enumerate(AGES):
            for s, kon in enumerate(("män", "kvinnor")):
                withheld = age == "100+ år" and k in ("1863", "1864")  # small numbers, 2025 not released
                cells = [".." if withheld and y == 2025 else str(pop[k, y][i][s]) for y in YEARS]
                lines.append(",".join([q(f"{k} {names[k]}"), q(age), q(kon), *cells]))
    write(SCB / "folkmangd" / "orebro_lan_folkmangd_2017_2025.csv", lines, "cp1252", "\r\n")

    # folkmangd: Norrbotten, wide, UTF-8 with BOM, no title, totalt besides män and kvinnor
    lines = ["\ufeff" + ",".join(q(h) for h in ("region", "ålder", "kön", *map(str, YEARS)))]
    for k in [k for k in sorted(KOMMUNER) if k.startswith("25")]:
        for i, age in enumerate(AGES):
            for kon, value in (("män", lambda p: p[0]), ("kvinnor", lambda p: p[1]), ("totalt", sum)):
                lines.append(",".join([q(f"{k} {names[k]}"), q(age), q(kon),
                                       *(str(value(pop[k, y][i])) for y in YEARS)]))
    write(SCB / "folkmangd" / "norrbotten_folkmangd_2017_2025.csv", lines)

    # folkmangd_nov: long layout, all ages, 1 November 2016-2025
    lines = ["region;ålder;kön;år;antal"]
    for k in sorted(KOMMUNER):
        total, _, growth, _ = KOMMUNER[k]
        for y in range(2016, 2026):
            dec = [total * (1 + growth) ** (x - 2019) for x in (y - 1, y)]
            value = NOV_2024[k] if y == 2024 and k in NOV_2024 else round(dec[0] + (dec[1] - dec[0]) * 10 / 12)
            lines.append(f"{k} {names[k]};totalt ålder;totalt;{y};{value}")
    write(SCB / "folkmangd_nov" / "folkmangd_1_november_2016_2025.csv", lines)

    # helårsekvivalenter with counts: every member kommun but Sydnärke's, and riket
    def rates(level: float, year: int) -> dict[str, tuple[float, float]]:
        """% of the population 20-64 per ersättning: (män, kvinnor)."""
        out = {}
        for e, (r, lift) in ERSATTNING.items():
            r *= level * YEAR_LEVEL[year] * (1.25 if e.startswith("arbetslöshet") and year in (2020, 2021) else 1)
            out[e] = (r * (1 - lift * (1 - MALE_20_64) / MALE_20_64), r * (1 + lift))
        return out

    def num(x: float, decimals: int) -> str:
        return f"{x:.{decimals}f}".replace(".", ",")

    lines = ["Helårsekvivalenter 20-64 år efter region, kön, ersättning och år", "",
             "region;kön;ersättning;år;helårsekvivalenter;andel (%)"]
    regions = [(k, f"{k} {names[k]}") for k in sorted(KOMMUNER) if k not in SYDNARKE] + [("00", "00 Riket")]
    for k, label in regions:
        for y in YEARS:
            if k == "00":
                base = (round(RIKET_20_64[y] * MALE_20_64), RIKET_20_64[y] - round(RIKET_20_64[y] * MALE_20_64))
            else:
                base = tuple(sum(p[s] for p in pop[k, y][20:65]) for s in (0, 1))
            level = 1.0 if k == "00" else KOMMUNER[k][3]
            counts = {e: tuple(round(r[s] / 100 * base[s]) for s in (0, 1)) for e, r in rates(level, y).items()}
            counts["totalt"] = tuple(sum(c[s] for c in counts.values()) for s in (0, 1))
            for e, (m, f) in counts.items():
                for kon, c, p in (("män", m, base[0]), ("kvinnor", f, base[1]), ("totalt", m + f, sum(base))):
                    lines.append(f"{label};{kon};{e};{y};{c};{num(100 * c / p, 1)}")
    riket_2023 = next(x for x in lines if x.startswith("00 Riket;totalt;totalt;2023;"))
    assert riket_2023.endswith(";11,9"), riket_2023
    write(SCB / "helarsekvivalenter" / "statisticon_helarsekvivalenter_2017_2025.csv", lines)

    # helårsekvivalenter as shares only: Sydnärke, wide, män and kvinnor (as seed 002 prints them)
    lines = [",".join(q(h) for h in ("region", "kön", "ersättning", *(f"andel {y}" for y in YEARS)))]
    for k in SYDNARKE:
        seed = SEED_2023[k]
        for e in [*ERSATTNING, "totalt"]:
            for s, kon in enumerate(("män", "kvinnor")):
                cells = []
                for y in YEARS:
                    per = rates(1.0, y)
                    total = sum(r[s] for r in per.values())
                    scale = seed[s] / sum(r[s] for r in rates(1.0, 2023).values())
                    value = scale * (total if e == "totalt" else per[e][s])
                    cells.append(f"{seed[s]:.2f}" if (y, e) == (2023, "totalt") else f"{value:.2f}")
                lines.append(",".join([q(f"{k} {names[k]}"), q(kon), q(e), *cells]))
    write(SCB / "helarsekvivalenter" / "sydnarke_andel_2017_2025.csv", lines)


if __name__ == "__main__":
    main()
