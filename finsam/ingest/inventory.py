"""What raw/ holds right now, by content: the sensor starts a build when this changes, not when a file is merely
touched. Only the files a build reads count: those raw_files lists in the registered source folders
(finsam.sources.registry), so a note beside them (raw/README.md, raw/notes/), a hidden file or an Office lock file
starts nothing, while a file of a type the build rejects does (the build reports it). Checksums are reused while a
file's size and modification time are unchanged, so a scan of a large tree every minute reads only what changed."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from finsam.ingest.archive import file_sha256
from finsam.ingest.folder import raw_files, readable
from finsam.sources.registry import SOURCES


def input_files(raw: Path) -> list[Path]:
    """Every file a build reads (or rejects, naming it): raw_files of each source's folder under `raw`."""
    return sorted({path for k in SOURCES for path in raw_files(raw.parent, raw / k.folder)})


def fingerprint(path: Path, data_dir: Path, old: list | None) -> list:
    """[mtime_ns, size, sha256] of the file a build would read at `path` (`old` when its size and time are
    unchanged). What a build rejects unopened (a link leading outside the data directory, to a folder or nowhere;
    a folder it cannot list; a file it cannot open) is [None, None, what it is], so a change to that counts too."""
    try:
        target = readable(path, data_dir)
        if target is None:
            return [None, None, f"link to {os.readlink(path)}" if path.is_symlink() else "not a file"]
        stat = target.stat()
        if old and old[0] == stat.st_mtime_ns and old[1] == stat.st_size:
            return old
        return [stat.st_mtime_ns, stat.st_size, file_sha256(target)]
    except (OSError, RuntimeError) as e:  # RuntimeError: a loop of links
        return [None, None, f"unreadable: {getattr(e, 'strerror', None) or e}"]


def scan(raw: Path, known: dict[str, list]) -> tuple[dict[str, list], str]:
    """({relative path: [mtime_ns, size, sha256]}, one digest of every path and content). `known` is the previous
    scan's first value."""
    files = {}
    for path in input_files(raw):
        rel = path.relative_to(raw).as_posix()
        files[rel] = fingerprint(path, raw.parent, known.get(rel))
    digest = hashlib.sha256("\n".join(f"{rel} {v[2]}" for rel, v in sorted(files.items()))
                            .encode("utf-8", "surrogateescape")).hexdigest()   # a name as its bytes
    return files, digest
