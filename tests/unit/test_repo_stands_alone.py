"""A user's clone has no ../shared: no shipped file (code, docs, data, build files) may point there.
Only tests may read it, and they say so (the `shared_reference` fixture skips without it)."""

import re
import subprocess

from tests.conftest import REPO

OUTSIDE = re.compile(r"\.\./shared\b|/work/shared\b")


def shipped_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [path for path in listed.splitlines() if not path.startswith("tests/")]


def test_no_shipped_file_points_outside_the_repository():
    pointing = []
    for path in shipped_files():
        try:
            text = (REPO / path).read_text()
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary files; a file deleted in the working tree
        pointing += [f"{path}:{n}" for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]
    assert len(shipped_files()) > 100 and pointing == []


def test_the_architecture_the_code_cites_is_in_the_repository():
    assert (REPO / "docs" / "ARCHITECTURE.md").is_file()
    assert "docs/ARCHITECTURE.md" in (REPO / "ingestion" / "core" / "footprint.py").read_text()
    assert "docs/ARCHITECTURE.md" in (REPO / "README.md").read_text()
