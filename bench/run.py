"""`make bench`: how the pipeline scales, against its fixed cost and a plain-DuckDB floor.

For each scale (1x = SCALE=5, 4x = SCALE=20, 16x = SCALE=80, about one million SUS registrations) on the data set
of scripts/make_synth.py (made when missing), it times
  (a) the pipeline command, `python -m pipelines.run`, from raw files to the published warehouse;
  (b) the same command on the committed sample (the fixed cost: imports, Dagster, every step on tiny data);
  (c) bench/floor.sql: plain DuckDB computing the same deltagare_ar förbund totals from the same SUS csv files,
and prints registrations, seconds, registrations/s, peak memory of the command's process tree and the marginal
ratio (a - b) / c; the table, the CPU count and the date are appended to bench/results.md. Person ids in the data
set are personnummer-shaped, so the pipeline runs with a fixed, non-secret FINSAM_PSEUDONYM_KEY. Otherwise it runs
with the defaults a user gets: where a Chromium is installed the report step prints a PDF per län page and takes a
PNG of every chart (finsam.report.utskrift), and the report step's seconds, with those of its PDFs and pictures,
are printed for each scale.

Run: make bench [BENCH_ARGS="--scales 5,20,80"]   (--scales 800 for ten million registrations)
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.instance import write_settings

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
KEY = "finsam-bench-key-not-a-secret-32-chars"
BASE = 5  # 1x


def _tree_rss_kb(root: int) -> int:
    """The resident memory of process `root` and all its descendants now (kB, from /proc). The tree is walked from
    `root` by each thread's children list where the kernel keeps one (reading every process's status, 10 times a
    second, cost the measured run 2-3 % of a core beside it), else found among all processes."""
    if not os.path.exists(f"/proc/{root}/task/{root}/children"):
        return _tree_rss_kb_alla(root)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
            total += _rss_kb(pid)
        except OSError:  # the process ended meanwhile
            continue
    return total


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)


def _tree_rss_kb_alla(root: int) -> int:
    """_tree_rss_kb from every process's parent (a kernel without the children lists)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(entry))
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds and peak memory (MB) of one command, and what it printed. Peak memory is of the process tree
    (the report's workbook is written by a second process): the larger of the tree's summed resident memory,
    sampled every 0.1 s, and GNU time's maximum resident set of its largest process (exact, but one process)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out, \
            tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-o", out.name, "-f", "%M", *cmd],
                                env={**os.environ, **(env or {})}, cwd=ROOT, stdout=stdout, stderr=stderr, text=True)
        tree_kb = 0
        while proc.poll() is None:
            tree_kb = max(tree_kb, _tree_rss_kb(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        peak_kb = max(tree_kb, int(out.read().split()[-1]))
        stdout.seek(0)
        stderr.seek(0)
        printed, errors = stdout.read(), stderr.read()
    if proc.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{printed}\n{errors}")
    return seconds, peak_kb / 1024, printed


def synth(scale: int) -> Path:
    out = ROOT / "build" / "synth" / f"scale-{scale}"
    if not (out / "expected_deltagare_ar.csv").exists():
        subprocess.run([PYTHON, "scripts/make_synth.py", "--scale", str(scale), "--out", str(out)], cwd=ROOT,
                       check=True)
    return out


def pipeline(data: Path, config: Path, home: Path) -> tuple[float, float, str]:
    write_settings(home)  # the instance settings a user's make run gets
    return timed([PYTHON, "-m", "pipelines.run"], {
        "FINSAM_DATA_DIR": str(data), "FINSAM_CONFIG_DIR": str(config), "DAGSTER_HOME": str(home),
        "FINSAM_PSEUDONYM_KEY": KEY})


def slowest_steps(printed: str, n: int = 8) -> str:
    """The run's n slowest steps, from the progress lines the pipeline command prints ("  step: ..., 1.2 s")."""
    steps = [(float(m[2]), m[1]) for m in re.finditer(r"^  (\w+): .*, ([0-9.]+) s$", printed, re.MULTILINE)]
    return ", ".join(f"{name} {sec:.1f} s" for sec, name in sorted(steps, reverse=True)[:n])


def report_step(printed: str) -> str:
    """The report step's line ("  genomlysning: files 69, pdf 2, png 35, pdf+png s 3.1, 6.2 s") in words."""
    m = re.search(r"^  genomlysning: .*?pdf (\d+), png (\d+), pdf\+png s ([0-9.]+), ([0-9.]+) s$", printed,
                  re.MULTILINE)
    return "report step not found" if m is None else (
        f"report step {float(m[4]):.1f} s, of which {m[1]} PDFs and {m[2]} PNGs {float(m[3]):.1f} s")


def floor(folder: Path) -> tuple[float, float]:
    """The floor's own query time (no interpreter start-up), and the peak memory of its process."""
    _, peak, printed = timed([PYTHON, __file__, "--floor", str(folder)])
    return float(printed.split()[-1]), peak


def run_floor(folder: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("set variable dir = ?", [str(folder.absolute())])
    started = time.perf_counter()
    con.execute((ROOT / "bench" / "floor.sql").read_text(encoding="utf-8"))
    con.execute("select count(*) from floor_deltagare_ar").fetchall()
    print(f"{time.perf_counter() - started:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="5,20,80", help="SCALE values (förbund) to run, comma-separated")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        return run_floor(args.floor)
    scales = [int(s) for s in args.scales.split(",")]

    home = ROOT / ".dagster_home"
    pipeline(ROOT / "data", ROOT / "config", home)  # warm the file cache
    fixed = [pipeline(ROOT / "data", ROOT / "config", home) for _ in range(3)]
    b = statistics.median(s for s, _, _ in fixed)
    b_peak = max(p for _, p, _ in fixed)
    print(f"fixed cost (sample, median of 3): {b:.2f} s, peak {b_peak:.0f} MB; {report_step(fixed[1][2])}",
          flush=True)

    rows, slowest = [], []
    for scale in scales:
        folder = synth(scale)
        registrations = int((folder / "registreringar.txt").read_text())
        a, a_peak, printed = pipeline(folder / "data", folder / "config", folder / "dagster_home")
        slowest.append(f"Slowest steps at SCALE={scale}: {slowest_steps(printed)}; {report_step(printed)}.\n")
        c, c_peak = floor(folder)
        rows.append((scale, registrations, a, a_peak, c, c_peak))
        print(f"SCALE={scale}: {registrations} registrations, pipeline {a:.1f} s ({a_peak:.0f} MB), "
              f"floor {c:.2f} s ({c_peak:.0f} MB); {report_step(printed)}", flush=True)

    head = ("| data | SCALE | registrations | pipeline s | registrations/s | peak MB | floor s | floor peak MB "
            "| marginal ratio (a-b)/c |\n|---|---|---|---|---|---|---|---|---|\n")
    lines = [f"| {scale / BASE:g}x | {scale} | {n:,} | {a:.1f} | {n / a:,.0f} | {peak:.0f} | {c:.2f} | {c_peak:.0f} "
             f"| {(a - b) / c:.1f} |" for scale, n, a, peak, c, c_peak in rows]
    growth = ""
    by_scale = {r[0]: r for r in rows}
    if 20 in by_scale and 80 in by_scale:
        growth = f"\nTime 16x / 4x: {by_scale[80][2] / by_scale[20][2]:.2f} (data 4x).\n"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    # other work on the machine skews every figure: the load average says how much there was
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (f"\n## {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, load {load}, commit {commit}\n\n"
            f"Fixed cost (b, `python -m pipelines.run` on the committed sample, median of 3): {b:.2f} s, "
            f"peak {b_peak:.0f} MB.\n\n{head}" + "\n".join(lines) + "\n" + growth + "\n" + "".join(slowest))
    print(text)
    results = ROOT / "bench" / "results.md"
    if not results.exists():
        results.write_text("# Bench results (`make bench`)\n\nAppended by bench/run.py; see its docstring.\n")
    with results.open("a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
