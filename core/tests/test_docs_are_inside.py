"""Docs that are true: every domain rule is written up inside the repository.

Comments, docstrings and docs point at ``docs/domain/<page>.md``, never at a file
outside the repository that a reader of the code cannot open; and every bounded
context with rules has its page there.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", ".git", "static", ".ruff_cache", ".hypothesis", "__pycache__"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".cfg", ".ini", ".mjs", ".js", ".csv"}
CONTEXTS = {
    "organisation": "organisation.md",
    "accounts": "accounts.md",
    "audit": "audit.md",
    "people": "people.md",
    "sentences": "sentences.md",
    "risk": "risk.md",
    "supervision": "supervision.md",
    "unpaid_work": "unpaid-work.md",
    "commissioning": "commissioning.md",
    "programmes": "programmes.md",
    "referrals": "referrals.md",
}
# A path on the machine the code was written on, or a bare "domain.md" / "seed 004"
# that names a document kept outside the repository.
OUTSIDE = re.compile(r"/work/|\.\./shared|shared/(domain|seeds)|(?<![\w/-])domain\.md|\bseeds? ?0\d\d\b")


def _text_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.intersection(relative.parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES and path != Path(__file__).resolve():
            found.append(path)
    return found


def test_no_comment_or_doc_points_outside_the_repository() -> None:
    """Proved able to fail: putting "(docs: /work/shared/domain.md)" back into
    risk/tiering.py's docstring turns it red."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _text_files()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_every_context_has_its_domain_page_listed_in_the_index() -> None:
    index = (ROOT / "docs" / "domain" / "README.md").read_text(encoding="utf-8")
    for app, page in CONTEXTS.items():
        assert (ROOT / app).is_dir(), app
        assert (ROOT / "docs" / "domain" / page).is_file(), page
        assert f"({page})" in index, page
