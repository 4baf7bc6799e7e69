"""The archive of accepted input files: every version of a raw file that a run accepted, kept by content, so that
one broken re-export cannot remove a förbund from the numbers (the last good version stands in for it).

$FINSAM_DATA_DIR/arkiv/ holds one copy per distinct content (<sha256><suffix>, modification time kept) and
godkanda.csv, one line per acceptance of a (file, version): fil, sha256, accepted (UTC, ISO 8601 with its offset).
raw/ is never written to.

What the archive holds is trusted only as far as it checks out:
- the order of the index is the order of acceptance: lines are only ever appended (and kept in order when the
  archive is pruned), and a version accepted again after another is appended again, so the newest accepted
  version is the last line of a file whatever the clock or the machine's time zone said when each was written;
- every copy is checked against its checksum before it stands in for a rejected file: a copy changed after it was
  archived (arkiv_andrad) or gone (arkiv_saknas) is a finding and never used, and the next older good one is;
- a version stands in only for a file of the same förbund: a name reused by another förbund does not bring the
  old förbund's data back (arkiv_annat_forbund);
- it holds raw inputs, personnummer included: the folder is readable by the service's user alone (0700, files
  0600), and it is pruned after each publish to the versions in use plus the last `arkiv_behall` of each file.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from finsam.io.convert import forbund_of
from finsam.io.findings import FEL, VARNING, FileRejected, Finding

INDEX = "godkanda.csv"
COLUMNS = ("fil", "sha256", "accepted")
FOLDER_MODE, FILE_MODE = 0o700, 0o600
COPY = re.compile(r"[0-9a-f]{64}(\.[^/]*)?")  # what keep() names a copy: its sha256 and the file's suffix
CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read a megabyte at a time (an archived or raw file can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(text: str) -> dt.datetime:
    """A time of the index as UTC. A line written before times were stored in UTC holds the machine's local time
    without an offset: read as local time, as it was written."""
    moment = dt.datetime.fromisoformat(text)
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class Version:
    sha256: str
    accepted: dt.datetime   # UTC
    path: Path

    @property
    def andrad(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime)

    def shown(self) -> str:
        return f"{self.accepted:%Y-%m-%d %H:%M} UTC"


class Arkiv:
    def __init__(self, data_dir: Path):
        self.folder = data_dir / "arkiv"
        self.index = self.folder / INDEX
        self._rows: dict[str, list[dict]] | None = None  # fil -> its lines of the index in order, read once
        self._lines: list[dict] = []

    def _all(self) -> dict[str, list[dict]]:
        """fil -> its lines of the index, in order; self._lines holds every line in order."""
        if self._rows is None:
            self._rows, self._lines = {}, []
            if self.index.exists():
                with self.index.open(encoding="utf-8", newline="") as fh:
                    for r in csv.DictReader(fh):
                        self._lines.append(r)
                        self._rows.setdefault(r["fil"], []).append(r)
        return self._rows

    def _copy(self, sha256: str, fil: str) -> Path:
        return self.folder / f"{sha256}{Path(fil).suffix.lower()}"

    def versions(self, fil: str) -> list[Version]:
        """The accepted versions of `fil`, newest first: by the order of the index (the order they were accepted
        in), each version once, where it was last accepted. Whether the copy exists or is intact is not checked
        here (earlier() does, before a copy is used)."""
        seen, out = set(), []
        for r in reversed(self._all().get(fil, [])):
            if r["sha256"] not in seen:
                seen.add(r["sha256"])
                out.append(Version(r["sha256"], _utc(r["accepted"]), self._copy(r["sha256"], fil)))
        return out

    def _secure(self) -> None:
        """The archive folder, created or tightened to the service's user alone."""
        self.folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        os.chmod(self.folder, FOLDER_MODE)

    def keep(self, path: Path, fil: str, sha256: str | None) -> None:
        """Archive an accepted file (once per content) and record that `fil` was accepted in this version, unless
        it is already the newest version recorded for `fil`. A copy already there that does not match its checksum
        (changed after it was archived) is written again from the accepted file."""
        if sha256 is None:
            return
        newest = self.versions(fil)[:1]
        copy = self._copy(sha256, fil)
        if newest and newest[0].sha256 == sha256 and copy.exists():
            return
        self._secure()
        if not copy.exists() or file_sha256(copy) != sha256:
            tmp = copy.with_name(copy.name + ".tmp")
            tmp.unlink(missing_ok=True)
            with path.open("rb") as src, os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE),
                                                   "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
            shutil.copystat(path, tmp)  # the modification time of the accepted file
            os.chmod(tmp, FILE_MODE)
            tmp.replace(copy)
        line = dict(zip(COLUMNS, [fil, sha256, utc_now().isoformat(timespec="seconds")]))
        new = not self.index.exists()
        with os.fdopen(os.open(self.index, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE), "a",
                       encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, COLUMNS)
            if new:
                writer.writeheader()
            writer.writerow(line)
        self._all().setdefault(fil, []).append(line)
        self._lines.append(line)

    def earlier(self, fil: str, kalla: str, rejected_sha256: str | None, forbund: frozenset[str] | None,
                parse: Callable[[Version], tuple]) -> tuple[tuple | None, list[Finding]]:
        """((version, frame, findings) of the newest earlier accepted version of `fil` that is intact, still parses
        and holds only förbund the rejected file holds (`forbund`; None = not known, any), or None; and the
        findings on the versions passed over: a copy missing or changed since it was archived, or one of another
        förbund."""
        problems = []
        for version in self.versions(fil):
            if version.sha256 == rejected_sha256:
                continue
            where = f"the copy {version.path.name} in arkiv/ of the version accepted on {version.shown()}"
            expected = f"sha256 {version.sha256}"
            if version.path.is_symlink():  # a copy is a file keep() wrote: a link put there is not read
                problems.append(Finding("arkiv_andrad", FEL, f"{where} is a link, not the file archived, so it is "
                                        "not used", kalla=kalla, fil=fil, hittat="a link", forvantat=expected))
                continue
            if not version.path.is_file():
                problems.append(Finding("arkiv_saknas", VARNING, f"{where} is missing, so it cannot stand in for "
                                        "the rejected file", kalla=kalla, fil=fil, hittat="saknas",
                                        forvantat=expected))
                continue
            actual = file_sha256(version.path)
            if actual != version.sha256:
                problems.append(Finding("arkiv_andrad", FEL, f"{where} does not match its checksum: it was changed "
                                        "after it was archived, so it is not used", kalla=kalla, fil=fil,
                                        hittat=f"sha256 {actual}", forvantat=expected))
                continue
            try:
                frame, findings = parse(version)
            except FileRejected:  # the rules have tightened since: try an older one
                continue
            held = forbund_of(frame)
            if forbund is not None and held is not None and not held <= forbund:
                problems.append(Finding(
                    "arkiv_annat_forbund", VARNING,
                    f"the version accepted on {version.shown()} holds another förbund's data than the rejected "
                    "file, so it does not stand in for it (a file name reused by another förbund)", kalla=kalla,
                    fil=fil, hittat=f"förbund {', '.join(sorted(held))} (archived, sha256 {version.sha256[:12]})",
                    forvantat=f"förbund {', '.join(sorted(forbund))} (the rejected file)"))
                continue
            return (version, frame, findings), problems
        return None, problems

    def prune(self, in_use: set[tuple[str, str]], behall: int) -> int:
        """Keep the versions in use ((fil, sha256) of the published build) and the last `behall` versions of each
        file; drop every other line of the index (a version accepted more than once keeps its last line; the
        index keeps its order) and every copy no kept line names, and any copy left half-written. The index is
        replaced whole (a crash leaves the old one or the new one; a copy it no longer names goes at the next
        prune). Returns the number of copies removed."""
        if not self.folder.is_dir():
            return 0
        self._secure()
        rows = self._all()
        keep = {(fil, sha) for fil in rows for sha in [v.sha256 for v in self.versions(fil)][:behall]} | in_use
        last = {(r["fil"], r["sha256"]): i for i, r in enumerate(self._lines)}
        kept = [r for i, r in enumerate(self._lines) if last[r["fil"], r["sha256"]] == i and (r["fil"], r["sha256"])
                in keep]
        if len(kept) != len(self._lines):
            tmp = self.index.with_name(self.index.name + ".tmp")
            tmp.unlink(missing_ok=True)
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "w", encoding="utf-8",
                           newline="") as fh:
                writer = csv.DictWriter(fh, COLUMNS, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(kept)
            tmp.replace(self.index)
            self._rows = None
        if self.index.exists():
            os.chmod(self.index, FILE_MODE)
        named = {self._copy(r["sha256"], r["fil"]).name for r in kept}
        removed = 0
        for path in self.folder.iterdir():
            if path.name == INDEX or not path.is_file() or path.is_symlink():
                continue
            if path.name.endswith(".tmp"):
                path.unlink()
            elif COPY.fullmatch(path.name) and path.name not in named:
                path.unlink()
                removed += 1
            else:
                os.chmod(path, FILE_MODE)
        return removed
