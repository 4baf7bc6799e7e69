"""The README stays a short front page: the two commands first, at most 15 KB; the reference lives in docs/."""
from finsam.config import PROJECT_ROOT


def test_the_readme_is_short_and_starts_with_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_bytes()
    assert len(readme) <= 15_000, f"README.md is {len(readme)} bytes: move reference material to docs/"
    first = readme.decode("utf-8").splitlines()[:6]
    assert [line.split("#")[0].strip() for line in first if line.startswith("make ")] == ["make run", "make test"]
