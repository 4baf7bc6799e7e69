"""One loop for every source folder: each file parsed on its own, a bad file quarantined, the rest loaded."""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from finsam.ingest.archive import Arkiv, file_sha256
from finsam.io import guard
from finsam.io.findings import FEL, VARNING, ConfigError, FileRejected, Finding
from finsam.privacy.pnr import holds_pnr, mask_name, scrub
from finsam.privacy.pseudonyms import HOW_TO_SET_KEY, key_from_env

FILE_SCHEMA = {"fil": pl.String, "kalla": pl.String, "status": pl.String, "rader": pl.Int64,
               "andrad": pl.Datetime("us"), "sha256": pl.String, "orsak": pl.String}


@dataclass
class Ingested:
    findings: list[Finding]      # rejections and warnings
    files: pl.DataFrame          # one row per file seen: loaded or rejected, and why

    @property
    def rejected(self) -> int:
        """Files whose current version was rejected (an earlier accepted version may be standing in)."""
        return self.files.filter(pl.col("status") != "inlast").height


def raw_files(data_dir: Path, folder: Path) -> list[Path]:
    """Every file of one source folder (`folder`, inside `data_dir`) and of the folders in it: an unsupported type
    is rejected loudly, not skipped. Hidden files and folders and Office lock files (~$x.xlsx) are not inputs, nor
    are pipes, sockets and devices. A link is listed but never followed here, at any depth: finsam.io.tables reads
    a link only when it leads to a file inside the data directory, and rejects one that leads outside it, to a
    folder or nowhere, naming it. A source folder that is a link, or that lies under a folder that is one
    (raw/sus -> /elsewhere, raw/scb -> ...), is not walked at all: it is listed itself, and its parse rejects it
    (linked_folder), so nothing reached through it is read, whether it leads outside the data directory or in."""
    if linked_folder(data_dir, folder) is not None:
        return [folder]
    if not folder.is_dir():
        return []
    found = []  # a folder that cannot be listed is listed itself, so that it is rejected rather than missed
    for root, dirs, files in os.walk(folder, onerror=lambda e: found.append(Path(e.filename))):
        # a linked folder is listed in dirs, and not walked into
        here = Path(root)
        try:
            links = [d for d in dirs if (here / d).is_symlink()]
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in links]
            for name in files + links:
                path = here / name
                if not name.startswith((".", "~$")) and (path.is_symlink() or path.is_file()):
                    found.append(path)
        except OSError:   # a path the system will not look at (longer than PATH_MAX): listed, so it is rejected
            dirs[:] = []
            found.append(here)
    return sorted(found)


def linked_folder(data_dir: Path, folder: Path) -> Path | None:
    """The first folder on the way from the data directory down to `folder` (itself included) that is a symbolic
    link, or None. The data directory itself may be a link (FINSAM_DATA_DIR is the operator's choice); nothing
    below it may."""
    here = data_dir
    for part in folder.relative_to(data_dir).parts:
        here = here / part
        if here.is_symlink():
            return here
    return None


def _reached_through_link(path: Path, data_dir: Path, fil: str, kalla: str) -> FileRejected | None:
    """The rejection of a path whose folder, or a folder above it, is a link (a source folder under a linked
    raw/scb, or a folder replaced by a link while the run read it); None for any other path. A path that is itself
    a link, the source folder included, is finsam.io.tables' to judge."""
    link = linked_folder(data_dir, path.parent)
    if link is None:
        return None
    try:
        target = str(link.resolve(strict=True))
    except (OSError, RuntimeError):  # nothing there, or a loop of links
        target = os.readlink(link)
    where = "outside" if not Path(target).is_relative_to(data_dir.resolve()) else "inside"
    return FileRejected(fil, [Finding(
        "fil_avvisad", FEL, f"reached through {link.relative_to(data_dir).as_posix()}, a link to a folder {where} "
        "the data directory: not read (links to folders are never followed)", kalla=kalla, fil=fil, hittat=target,
        forvantat="a folder inside the data directory (FINSAM_DATA_DIR), not a link to one")])


def ingest(data_dir: Path, subdir: str, kalla: str,
           parse: Callable[[Path, str], tuple[pl.DataFrame, list[Finding]]],
           keep: Callable[[pl.DataFrame], None],
           log: Callable[[str], None] = lambda _: None) -> Ingested:
    """Parse every file of raw/<subdir> and hand each accepted file's rows to `keep` as soon as they are read (so
    no source is held whole here). A file with a data error is rejected (FileRejected) and, when an earlier
    version of it was accepted before, that version is used instead; every accepted file is kept in the archive.
    A ConfigError, and any other exception (a bug, not a bad file), stops the run."""
    findings, files = [], []
    archive = Arkiv(data_dir)
    for path, fil, fingerprint, parsed in _read_ahead(data_dir, raw_files(data_dir, data_dir / "raw" / subdir), parse,
                                                         kalla):
        stat_row = {"fil": fil, "kalla": kalla, **fingerprint.result()}
        try:
            frame, file_findings = parsed.result()
        except FileRejected as e:
            log(str(e))
            findings += e.findings
            earlier, passed_over = archive.earlier(fil, kalla, stat_row["sha256"], e.forbund,
                                                   lambda old, fil=fil: parse(old.path, fil))
            findings += passed_over
            if earlier is None:
                files.append({**stat_row, "status": "avvisad", "rader": None, "orsak": e.findings[0].message()})
                continue
            version, frame, file_findings = earlier
            findings.append(Finding(
                "anvander_tidigare_version", VARNING,
                f"the file was rejected, so the version accepted on {version.shown()} (the newest intact one) is "
                "used instead; replace the file with a corrected export (or remove it to drop its data)",
                kalla=kalla, fil=fil, hittat=f"sha256 {str(stat_row['sha256'])[:12]} (rejected)",
                forvantat=f"sha256 {version.sha256[:12]} (used, archived as {version.path.name})"))
            stat_row = {**stat_row, "sha256": version.sha256, "andrad": version.andrad}
            files.append({**stat_row, "status": "tidigare_version", "rader": frame.height,
                          "orsak": e.findings[0].message()})
        else:
            archive.keep(path, fil, stat_row["sha256"])
            files.append({**stat_row, "status": "inlast", "rader": frame.height, "orsak": None})
        keep(frame)
        findings += file_findings
    return Ingested(findings, pl.DataFrame(files, schema=FILE_SCHEMA))


PARSERS = 3  # files read at once: polars and hashing release the GIL, so one file's Python work overlaps another's
# ...but only small ones: the files read ahead hold together at most this many bytes, so a large export (a 150 MB
# file peaks at about 1.2 GB while it is parsed) is parsed alone and the memory bound of one file holds.
READ_AHEAD_BYTES = 32_000_000


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # a dangling link: its parse rejects it
        return 0


def _read_ahead(data_dir: Path, paths: list[Path], parse, kalla: str) -> Iterator[tuple[Path, str, Future, Future]]:
    """(path, fil, its fingerprint, its parse) for every path in order, each computed on a worker thread a few files
    ahead of the caller (at most PARSERS + 1 files, and READ_AHEAD_BYTES, unless one file alone is larger). An
    exception is raised where the caller asks for the result, so a rejected file and a bug behave as when the
    files are read one by one."""
    pending: deque[tuple[tuple[Path, str, Future, Future], int]] = deque()
    held = 0
    pool = ThreadPoolExecutor(PARSERS, thread_name_prefix="finsam-ingest")
    # the xlsx reader's child process (finsam.io.guard) lives while the folder is read, the caller's use of each
    # file included (an archived version parsed instead); it starts now when there is a workbook to read
    with guard.session(prestart=any(p.suffix.lower() == ".xlsx" for p in paths)):
        try:
            for path in paths:
                size = _size(path)
                while pending and (len(pending) > PARSERS or held + size > READ_AHEAD_BYTES):
                    item, item_size = pending.popleft()
                    held -= item_size
                    yield item
                fil = label(path, data_dir)
                pending.append(((path, fil, pool.submit(_fingerprint, path, data_dir),
                                 pool.submit(_parse_one, parse, path, data_dir, fil, kalla)), size))
                held += size
            while pending:
                yield pending.popleft()[0]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def label(path: Path, data_dir: Path) -> str:
    """How a file is named everywhere (fil): its path relative to the data directory, with a personnummer in it
    masked and a keyed hash of the name added (finsam.privacy.pnr.mask_name), so that two names never become one.
    Without a pseudonym key such a name stops the run, as a personnummer in a file's rows does."""
    rel = _text(path.relative_to(data_dir).as_posix())
    if not holds_pnr(rel):
        return rel
    key = key_from_env()
    if key is None:
        raise ConfigError(f"{scrub(rel)}: a personnummer in the file name, but no pseudonym key is set; rename the "
                          f"file, or {HOW_TO_SET_KEY}")
    return mask_name(rel, key)


# Control characters in a file name (C0, DEL, C1): an ESC sequence would colour or clear an operator's terminal
# from the run's summary, a newline would split a log line.
_STYRTECKEN = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(name: str) -> str:
    """A name as text: one whose bytes are not UTF-8 (a Windows-1252 name from a share or a zip: Python keeps each
    such byte as a lone surrogate, which no text file, table or log can hold) with each such byte as \\xNN, and
    each control character as \\xNN too."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return _STYRTECKEN.sub(lambda m: f"\\x{ord(m[0]):02x}", name)


def _odd_name(path: Path, data_dir: Path, fil: str, kalla: str) -> FileRejected | None:
    """The rejection of a file whose name is not UTF-8 or holds a control character (label writes those as \\xNN);
    None for any other."""
    rel = path.relative_to(data_dir).as_posix()
    if _text(rel) == rel:
        return None
    return FileRejected(fil, [Finding(
        "fil_avvisad", FEL, "the file name is not UTF-8 text, or holds a control character (shown as \\xNN): not "
        "read; rename the file, e.g. with the letters å, ä and ö typed again (a name in UTF-8 without control "
        "characters, as names typed on this machine are)", kalla=kalla, fil=fil)])


def readable(path: Path, data_dir: Path) -> Path | None:
    """The regular file inside the data directory that `path` is or leads to: the only kind of file opened here
    and by the raw-file sensor (finsam.ingest.inventory). A link leading elsewhere (even to /dev/zero), to a
    folder or nowhere is None: the reader rejects it without opening it."""
    target = path.resolve()
    return target if target.is_file() and target.is_relative_to(data_dir.resolve()) else None


def _fingerprint(path: Path, data_dir: Path) -> dict:
    """Modification time and checksum, so a number can be traced to one version of one file. Only a regular file
    inside the data directory is read (readable)."""
    if readable(path, data_dir) is None:
        return {"andrad": None, "sha256": None}
    try:
        return {"andrad": dt.datetime.fromtimestamp(path.stat().st_mtime),
                "sha256": file_sha256(path)}
    except OSError:  # unreadable: _parse_one rejects it with the reason
        return {"andrad": None, "sha256": None}


def _parse_one(parse, path: Path, data_dir: Path, fil: str, kalla: str):
    """One file's parse. A data error in the file (FileRejected, raised by the readers and validators for every
    decoding, parsing, shape and validation problem they know) rejects that file only, and so does a file the
    operating system will not let us read, or one reached through a link to a folder. Anything else is a bug in
    this program: it stops the run, with its traceback, rather than quietly rejecting every file."""
    try:
        if (rejected := _reached_through_link(path, data_dir, fil, kalla) or _odd_name(path, data_dir, fil, kalla)):
            raise rejected
        return parse(path, fil)
    except OSError as e:
        raise FileRejected(fil, [Finding("fil_avvisad", FEL, f"the file could not be opened ({e.strerror})",
                                         kalla=kalla, fil=fil)]) from e
