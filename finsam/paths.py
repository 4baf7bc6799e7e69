"""Where the project's files are: sql/, config/ and dagster.yaml.

In a checkout (finsam/ beside pyproject.toml and sql/) they are the checkout's own top-level folders, the source of
truth. An installed wheel has no checkout: it ships copies of them as package data in finsam/_data
(pyproject.toml, [tool.hatch.build.targets.wheel.force-include])."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def project_root(package: Path = PACKAGE) -> Path:
    """The folder that holds sql/, config/ and dagster.yaml for the `finsam` package at `package`."""
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "sql").is_dir():
        return checkout
    return package / "_data"
