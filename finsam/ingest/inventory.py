"""What raw/ holds right now, by content: the sensor starts a build when this changes, not when a file is merely
touched. Checksums are reused while a file's size and modification time are unchanged, so a scan of a large
tree every minute reads only what changed."""
from __future__ import annotations

import hashlib
from pathlib import Path


def scan(raw: Path, known: dict[str, list]) -> tuple[dict[str, list], str]:
    """({relative path: [mtime_ns, size, sha256]}, one digest of every path and content). `known` is the previous
    scan's first value."""
    files = {}
    if raw.is_dir():
        for path in sorted(p for p in raw.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))):
            rel = path.relative_to(raw).as_posix()
            stat = path.stat()
            old = known.get(rel)
            if old and old[0] == stat.st_mtime_ns and old[1] == stat.st_size:
                files[rel] = old
            else:
                files[rel] = [stat.st_mtime_ns, stat.st_size, hashlib.sha256(path.read_bytes()).hexdigest()]
    digest = hashlib.sha256("\n".join(f"{rel} {v[2]}" for rel, v in sorted(files.items())).encode()).hexdigest()
    return files, digest
