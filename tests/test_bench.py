"""make bench's own measuring (bench/run.py): the memory of the measured command's whole process tree."""
import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tree_s_memory_counts_every_descendant_as_every_process_s_parent_says(bench):
    """A parent holding 60 MB and its child 40 MB: the walk down the tree's children lists finds what the scan of
    every process's parent finds, both processes."""
    child = "import time; y = b'y' * 40_000_000; time.sleep(20)"
    parent = (f"import subprocess, sys, time; x = b'x' * 60_000_000; c = subprocess.Popen([sys.executable, '-c', "
              f"{child!r}]); time.sleep(20)")
    proc = subprocess.Popen([sys.executable, "-c", parent], start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while bench._tree_rss_kb(proc.pid) < 100_000 and time.monotonic() < deadline:
            time.sleep(0.1)
        walked, scanned = bench._tree_rss_kb(proc.pid), bench._tree_rss_kb_alla(proc.pid)
        assert walked >= 100_000
        assert abs(walked - scanned) < 2_000   # kB: the two reads are moments apart
        assert bench._tree_rss_kb(proc.pid) > bench._rss_kb(proc.pid) + 39_000   # the child is counted
    finally:
        os.killpg(proc.pid, signal.SIGKILL)   # the child too
        proc.wait()
