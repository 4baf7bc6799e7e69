"""The archive of accepted input files: every version of a raw file that a run accepted, kept by content, so that
one broken re-export cannot remove a förbund from the numbers (the last good version stands in for it).

$FINSAM_DATA_DIR/arkiv/ holds one copy per distinct content (<sha256><suffix>, modification time kept) and
godkanda.csv, one line per accepted (file, version): fil, sha256, accepted. raw/ is never written to.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from finsam.io.findings import FileRejected

INDEX = "godkanda.csv"
COLUMNS = ("fil", "sha256", "accepted")


@dataclass(frozen=True)
class Version:
    sha256: str
    accepted: dt.datetime
    path: Path

    @property
    def andrad(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime)


class Arkiv:
    def __init__(self, data_dir: Path):
        self.folder = data_dir / "arkiv"
        self.index = self.folder / INDEX
        self._rows: dict[str, list[dict]] | None = None  # fil -> its lines of the index, read once

    def _lines(self, fil: str) -> list[dict]:
        if self._rows is None:
            self._rows = {}
            if self.index.exists():
                with self.index.open(encoding="utf-8", newline="") as fh:
                    for r in csv.DictReader(fh):
                        self._rows.setdefault(r["fil"], []).append(r)
        return self._rows.setdefault(fil, [])

    def _versions(self, fil: str) -> list[Version]:
        found = {}
        for r in self._lines(fil):
            copy = self.folder / f"{r['sha256']}{Path(fil).suffix.lower()}"  # as keep() names it
            if copy.exists():
                found[r["sha256"]] = Version(r["sha256"], dt.datetime.fromisoformat(r["accepted"]), copy)
        return sorted(found.values(), key=lambda v: v.accepted, reverse=True)

    def keep(self, path: Path, fil: str, sha256: str | None) -> None:
        """Archive an accepted file (once per content) and record that `fil` was accepted in this version."""
        if sha256 is None:
            return
        lines = self._lines(fil)
        if any(v.sha256 == sha256 for v in self._versions(fil)):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        copy = self.folder / f"{sha256}{path.suffix.lower()}"
        if not copy.exists():
            tmp = copy.with_name(copy.name + ".tmp")
            shutil.copy2(path, tmp)
            tmp.replace(copy)
        new = not self.index.exists()
        line = [fil, sha256, dt.datetime.now().isoformat(timespec="seconds")]
        with self.index.open("a", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            if new:
                writer.writerow(COLUMNS)
            writer.writerow(line)
        lines.append(dict(zip(COLUMNS, line)))

    def earlier(self, fil: str, rejected_sha256: str | None, parse: Callable[[Version], tuple]):
        """The newest earlier accepted version of `fil` that still parses: (version, frame, findings), or None."""
        for version in self._versions(fil):
            if version.sha256 == rejected_sha256:
                continue
            try:
                frame, findings = parse(version)
            except FileRejected:  # the rules have tightened since: try an older one
                continue
            return version, frame, findings
        return None
