"""Synthetic follow-up after avslut and survey indicators for finsam: what two förbund measure besides their counts.

Writes data/raw/uppfoljning_efter_avslut/* and data/raw/indikatorer/*, for Sydnärke and SOFINT only: the other
three förbund report neither, so theirs are missing ("saknas"), not 0. Everything is invented, around the sample's
own counts, read from data/raw/uppfoljning/ and data/raw/avslut_rapporterade/ with finsam's readers (so run
scripts/make_sample_uppfoljning.py first):
- follow-up six months after avslut, avslut years 2023-2025 (ESF used six months; Sydnärke's parties planned to
  order one from the team): Sydnärke for the förbund as a whole (and at twelve months for 2023 and 2024) and for
  Samordningsteam 2025, without Avslutade (the warehouse's avslutade stand in); SOFINT for Kompassen, with
  Avslutade (its reported avslut). About nine in ten avslutade are asked and 55-75 % of them answer, so no
  lag_svarsfrekvens finding;
- SOFINT answers NNS's survey to deltagare at avslut (four indicators, shares with the national value) every
  year and the staff survey in 2024; Sydnärke measures BIP progression (four indicators, mean change on a 1-5
  scale) for the förbund in 2023 and 2024 and for Samordningsteam in 2025. Coverage stays above 30 % of the year's
  deltagare, so no lag_tackningsgrad finding.
Deterministic (fixed seed, fixed xlsx metadata): reruns are byte-identical.

Run: uv run python scripts/make_sample_efter_avslut.py
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
from make_sample_sus import write_csv
from sample_xlsx import save_xlsx, titled_sheet

from finsam.config import load_avslutsorsak_stod, load_registry
from finsam.sources import avslut_rapporterade, uppfoljning

ROOT = Path(__file__).resolve().parents[1]
RAW, CONFIG = ROOT / "data" / "raw", ROOT / "config"
RNG = random.Random(20260630)
TODAY = dt.date(2026, 6, 30)
YEARS = (2023, 2024, 2025)
# Outcome weights at six months (work and studies a little more at twelve), in the contract's column order.
OUTCOMES = ["Arbete", "Studier", "Arbetssökande", "Fortsatt rehabilitering", "Sjukskrivning eller aktivitetsersättning",
            "Försörjningsstöd", "Annat"]
WEIGHTS = {6: (0.24, 0.10, 0.17, 0.20, 0.12, 0.10, 0.07), 12: (0.30, 0.12, 0.14, 0.17, 0.11, 0.09, 0.07)}
HEADER = ["Förbund", "Insats", "Avslutsår", "Månader efter avslut", "Avslutade", "Tillfrågade", "Svarande", *OUTCOMES]
# NNS's survey to deltagare at avslut: code, question, base share and national value.
NNS = [("DA1", "Jag har blivit bemött med respekt", 0.91, 0.92),
       ("DA2", "Jag har fått det stöd jag behövt", 0.80, 0.83),
       ("DA3", "Jag har kommit närmare arbete eller studier", 0.64, 0.61),
       ("DA4", "Jag klarar min vardag bättre än innan", 0.70, 0.68)]
STAFF = [("PE1", "Samverkan mellan parterna fungerar bra (1-5)", 3.9, 3.7)]
BIP = [("BIP1", "Jobbsökning"), ("BIP2", "Sociala kompetenser"), ("BIP3", "Hälsa"),
       ("BIP4", "Tilltro till egen förmåga")]


def counts() -> tuple[pl.DataFrame, pl.DataFrame]:
    """The sample's individinriktade participants per förbund, insats and year, and its reported avslut (Σ Antal),
    as finsam reads them."""
    registry, today = load_registry(CONFIG), TODAY
    files = sorted((RAW / "uppfoljning").iterdir())
    rows = pl.concat([uppfoljning.parse_file(p, p.name, registry, today)[0] for p in files])
    deltagare = rows.filter(pl.col("inriktning") == "individinriktad").select("forbund", "ar", "insats", "totalt")
    mapping = load_avslutsorsak_stod(CONFIG)
    avslut = pl.concat([avslut_rapporterade.parse_file(p, p.name, registry, mapping, today)[0]
                        for p in sorted((RAW / "avslut_rapporterade").iterdir())])
    return deltagare, avslut.group_by("forbund", "ar", "insats").agg(pl.col("antal").sum())


def split(n: int, weights: tuple[float, ...]) -> list[int]:
    """n answers over the outcomes in proportion to jittered weights, whole numbers adding up to n."""
    w = [x * RNG.uniform(0.8, 1.2) for x in weights]
    exact = [n * x / sum(w) for x in w]
    out = [int(e) for e in exact]
    for i in sorted(range(len(w)), key=lambda i: exact[i] - out[i], reverse=True)[:n - sum(out)]:
        out[i] += 1
    return out


def followup(avslutade: int, manader: int) -> tuple[int, int, list[int]]:
    """(tillfrågade, svarande, outcomes) for a year's avslutade: about nine in ten asked, 55-75 % of them answer."""
    tillfragade = max(1, round(avslutade * RNG.uniform(0.86, 0.95)))
    svarande = round(tillfragade * RNG.uniform(0.55, 0.75))
    assert svarande / tillfragade >= 0.5, "the sample has no lag_svarsfrekvens finding"
    return tillfragade, svarande, split(svarande, WEIGHTS[manader])


def write_followup(avslut: pl.DataFrame) -> int:
    out = RAW / "uppfoljning_efter_avslut"
    out.mkdir(parents=True, exist_ok=True)
    per_year = {(f, a): n for f, a, n in avslut.group_by("forbund", "ar").agg(pl.col("antal").sum()).iter_rows()}
    per_insats = {(f, a, i): n for f, a, i, n in avslut.select("forbund", "ar", "insats", "antal").iter_rows()}
    # Sydnärke: the förbund at six months (and twelve for 2023, 2024), Samordningsteam 2025; no Avslutade column
    # values, so the warehouse's avslutade are the base; Windows-1252, a title line, semicolons.
    syd = []
    for ar in YEARS:
        for manader in (6, 12) if ar < 2025 else (6,):
            t, s, o = followup(per_year[("sydnarke", ar)], manader)
            syd.append(["Sydnärke", "", ar, manader, "", t, s, *o])
    t, s, o = followup(per_insats[("sydnarke", 2025, "Samordningsteam")], 6)
    syd.append(["Sydnärke", "Samordningsteam", 2025, 6, "", t, s, *o])
    write_csv(out / "sydnarke_uppfoljning_efter_avslut_2023_2025.csv",
              [["Uppföljning efter avslut – Samordningsförbundet Sydnärke"], HEADER, *syd], ";", "cp1252", "\r\n")
    # SOFINT: Kompassen with its Avslutade, a workbook with title rows and header aliases.
    wb, ws = titled_sheet("Uppföljning", ["Uppföljning sex månader efter avslut, Kompassen"], [],
                          ["Samordningsförbund", "Insatsens namn", "År för avslut", "Månader", "Antal avslutade",
                           "Antal tillfrågade", "Antal svarande", "I arbete", "I studier", "Arbetssökande",
                           "Fortsatt rehabilitering", "Sjukskrivning eller aktivitetsersättning", "Försörjningsstöd",
                           "Övrigt"])
    for ar in YEARS:
        avslutade = per_insats[("sofint", ar, "Kompassen")]
        t, s, o = followup(avslutade, 6)
        ws.append(["SOFINT", "Kompassen", ar, 6, avslutade, t, s, *o])
    save_xlsx(wb, out / "sofint_kompassen_uppfoljning_efter_avslut.xlsx", dt.datetime(2026, 3, 2, 9, 0))
    return len(syd) + len(YEARS)


def share(base: float) -> float:
    return round(min(0.99, max(0.0, base + RNG.uniform(-0.06, 0.06))), 2)


def write_indicators(deltagare: pl.DataFrame, avslut: pl.DataFrame) -> int:
    out = RAW / "indikatorer"
    out.mkdir(parents=True, exist_ok=True)
    totals = {(f, a): n for f, a, n in deltagare.group_by("forbund", "ar").agg(pl.col("totalt").sum()).iter_rows()}
    per_insats = {(f, a, i): n for f, a, i, n in deltagare.iter_rows()}
    ended = {(f, a): n for f, a, n in avslut.group_by("forbund", "ar").agg(pl.col("antal").sum()).iter_rows()}
    # SOFINT: NNS's export, no Insats column (the förbund), shares with the national value; the staff survey 2024.
    sof = [["Förbund", "År", "Enkät", "Indikator", "Fråga", "Antal svar", "Värde", "Skala", "Riket"]]
    for ar in YEARS:
        svar = round(ended[("sofint", ar)] * RNG.uniform(0.75, 0.85))
        assert svar / totals[("sofint", ar)] >= 0.33, "the sample has no lag_tackningsgrad finding"
        for kod, fraga, bas, riket in NNS:
            sof.append(["SOFINT", ar, "Deltagare avslut", kod, fraga, svar - RNG.choice([0, 0, 1]), share(bas),
                        "andel", riket])
    for kod, fraga, bas, riket in STAFF:
        sof.append(["SOFINT", 2024, "Personal", kod, fraga, 14, bas, "medel", riket])
    write_csv(out / "sofint_nns_indikatorer_2023_2025.csv", sof, ";", "utf-8")
    # Sydnärke: BIP progression, mean change between the first and the last measurement on a 1-5 scale; the förbund
    # in 2023 and 2024, Samordningsteam (the former teams) in 2025.
    syd = [["Förbund", "Insats", "År", "Enkät", "Indikator", "Fråga", "Antal svar", "Värde", "Skala"]]
    for ar, insats in ((2023, ""), (2024, ""), (2025, "Samordningsteam")):
        base = per_insats[("sydnarke", ar, insats)] if insats else totals[("sydnarke", ar)]
        svar = round(base * RNG.uniform(0.6, 0.75))
        for kod, fraga in BIP:
            syd.append(["Sydnärke", insats, ar, "BIP", kod, fraga, svar, f"{RNG.uniform(0.2, 0.6):.2f}".replace(
                ".", ","), "medel"])
    write_csv(out / "sydnarke_bip_2023_2025.csv", syd, ";", "utf-8-sig")
    return len(sof) + len(syd) - 2


def main() -> None:
    deltagare, avslut = counts()
    n_follow = write_followup(avslut)
    n_ind = write_indicators(deltagare, avslut)
    print(f"wrote {n_follow} follow-up rows, {n_ind} indicator rows")


if __name__ == "__main__":
    main()
