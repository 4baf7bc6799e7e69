"""The xlsx reader in a child process, so that what it does to itself is one file's rejection, never the run's end.

The xlsx reader (calamine, through fastexcel) is native code that cannot be bounded from Python: on a hostile
workbook it allocates what the sheet asks for (a cell far out: hundreds of GB) and aborts the process when it
cannot, or panics. The limits checked before a workbook is read (finsam.io.limits) stop what a workbook declares;
this stops what it hides (a zip directory or a dimension that lies). Every call into the reader runs in one child
process, started on first use and kept for the next files, with a memory cap (RLIMIT_DATA, the process's
writable memory: lasare_minne_mb) and a time limit per call (lasare_tid_s). A child that dies, runs out of memory
or out of time raises here (LimitExceeded, ReaderFailed), and finsam.io.tables rejects that file; the next call
starts a new child. RLIMIT_AS (address space) would not do: Python with polars and the reader's threads reserve
over a GB of address space before they read anything, and little of it is ever used.

The calls queue for the one child (the xlsx files of a folder are read one at a time; csv files are read
meanwhile, on the ingest's threads), so the run holds at most one reader's memory beside its own.
"""
from __future__ import annotations

import atexit
import importlib
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from finsam.io.limits import MB, InputLimits, LimitExceeded, applied, current

TAIL = 4096  # bytes of the child's stderr kept for the message when it dies
KEEP_BELOW = 400 * MB  # a child left holding more after a call is stopped (it holds about 150 MB after a small one)
IDLE_S = 3.0  # a child no session uses is stopped after this long (a build's next source folder comes sooner)


class ReaderFailed(Exception):
    """The reader stopped on the file (killed, aborted, or a panic in native code); the text says how."""


class _Child:
    """One reader process and the socket to it. It reads (function, arguments, limits) and answers ("ok", result),
    ("raised", exception) for an exception the caller handles as it would in process, or ("failed", text) for a
    panic; it ends when the socket closes."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        ours, theirs = socket.socketpair()
        self.stderr = tempfile.TemporaryFile()
        package_root = Path(__file__).resolve().parents[2]  # finsam importable from a checkout, as from a wheel
        env = {**os.environ, "RUST_BACKTRACE": "0",  # the reason a native reader stops is then its last line
               "PYTHONPATH": os.pathsep.join(filter(None, (str(package_root), os.environ.get("PYTHONPATH"))))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "finsam.io.guard", str(theirs.fileno()), str(memory_mb)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr,
            env=env)
        theirs.close()
        self.connection = Connection(ours.detach())

    def call(self, function, args: tuple, limits: InputLimits):
        """(status, value) of one call: "ok", "raised" and "failed" as the child answers, or "died" with (exit
        status, the child's last line on stderr). Raises LimitExceeded when the time runs out (the child killed)."""
        try:
            self.connection.send((function.__module__, function.__qualname__, args, limits))
            if not self.connection.poll(limits.lasare_tid_s):
                self.stop()
                raise LimitExceeded("lasare_tid_s", "the xlsx reader took too long on the file",
                                    f"more than {limits.lasare_tid_s} s", f"{limits.lasare_tid_s} s")
            return self.connection.recv()
        except (EOFError, OSError):  # the child died: its exit status and last words say how
            return "died", self.stop()

    def resident(self) -> int:
        """The child's resident memory now, in bytes (0 where /proc does not tell)."""
        try:
            with open(f"/proc/{self.process.pid}/statm") as fh:
                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def stop(self) -> tuple[int, str]:
        """End the child (killed if it still runs); its exit status and its last line on stderr."""
        self.connection.close()
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self.stderr.seek(max(0, self.stderr.seek(0, os.SEEK_END) - TAIL))
        lines = [line for line in self.stderr.read().decode("utf-8", "replace").splitlines() if line.strip()]
        self.stderr.close()
        return code, next((line for line in reversed(lines) if not line.startswith("note: ")), "")[:300]


_lock = threading.Lock()
_child: _Child | None = None
_sessions = 0
_idle: threading.Timer | None = None


def run(function, *args):
    """function(*args) in the reader's child process, under the current limits (finsam.io.limits), and its result
    or the exception it raised. `function` is a module-level function; its arguments and result are pickled. Raises
    LimitExceeded when the child runs out of memory or time, ReaderFailed when it stops otherwise."""
    global _child
    limits = current()
    with _lock:
        _start(limits)
        try:
            status, value = _child.call(function, args, limits)
        except LimitExceeded:
            _child = None
            raise
        if status == "died":
            _child = None
        elif _child.resident() > KEEP_BELOW:  # memory a large workbook left behind is not kept for the next
            _child.stop()
            _child = None
    if status == "ok":
        return value
    if status == "raised":
        if isinstance(value, MemoryError):
            raise _out_of_memory(limits, "MemoryError") from None
        raise value
    if status == "died":
        code, last = value
        if "memory allocation" in last or "MemoryError" in last:
            raise _out_of_memory(limits, last)
        how = f"killed by signal {_signal_name(-code)}" if code < 0 else f"exit status {code}"
        raise ReaderFailed(f"the xlsx reader stopped on the file ({how}{': ' + last if last else ''})")
    raise ReaderFailed(f"the xlsx reader failed on the file ({value})")


@contextmanager
def session(prestart: bool) -> Iterator[None]:
    """The child for the calls within: started now when `prestart` (it loads the reader, about a second, while the
    caller reads other files), kept while any session uses it, and stopped IDLE_S seconds after the last one ends
    unless another begins: one child serves the source folders a build reads one after another, and none (nor
    the memory a large workbook left it) lingers through the rest of the run. Calls outside a session start the
    child when needed."""
    global _sessions, _idle
    with _lock:
        _sessions += 1
        if _idle is not None:
            _idle.cancel()
            _idle = None
        if prestart:
            _start(current())
    try:
        yield
    finally:
        with _lock:
            _sessions -= 1
            if _sessions == 0 and _child is not None:
                _idle = threading.Timer(IDLE_S, _stop_unused)
                _idle.daemon = True
                _idle.start()


def _stop_unused() -> None:
    global _child
    with _lock:
        if _sessions == 0 and _child is not None:
            _child.stop()
            _child = None


def _start(limits: InputLimits) -> None:
    """A live child with the memory cap of `limits`. Called under _lock."""
    global _child
    if _child is not None and (_child.memory_mb != limits.lasare_minne_mb or _child.process.poll() is not None):
        _child.stop()  # another cap, or a child that died between calls (killed from outside)
        _child = None
    if _child is None:
        _child = _Child(limits.lasare_minne_mb)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _out_of_memory(limits: InputLimits, detail: str) -> LimitExceeded:
    return LimitExceeded("lasare_minne_mb", f"the xlsx reader ran out of memory on the file ({detail[:200]})",
                         f"more than {limits.lasare_minne_mb} MB", f"{limits.lasare_minne_mb} MB")


@atexit.register
def _stop() -> None:
    global _child
    if _child is not None:
        _child.stop()
        _child = None


def _serve(fd: int, memory_mb: int) -> None:
    """The child: the memory cap, then one call after another until the parent closes the socket."""
    resource.setrlimit(resource.RLIMIT_DATA, (memory_mb * MB, memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file of up to that size behind
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it closes the socket
    connection = Connection(fd)
    importlib.import_module("finsam.io.xlsx")  # the reader, loaded before the first call asks for it
    while True:
        try:
            module, name, args, limits = connection.recv()
        except (EOFError, OSError):
            return
        try:
            with applied(limits):
                answer = ("ok", getattr(importlib.import_module(module), name)(*args))
        except Exception as e:  # noqa: BLE001 - handed to the caller, who decides as in process
            e.add_note(f"(in the xlsx reader's process)\n{traceback.format_exc()}")
            answer = ("raised", e)
        except BaseException as e:  # a panic in native code (pyo3's PanicException is a BaseException)
            answer = ("failed", f"{type(e).__name__}: {str(e)[:300]}")
        del args
        try:
            connection.send(answer)
        except Exception as e:  # noqa: BLE001 - an exception that cannot be pickled: its text instead
            connection.send(("raised", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({e})")))


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
