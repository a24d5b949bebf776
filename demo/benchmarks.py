"""Recording benchmark figures in docs/benchmarks.md, one marked section per benchmark."""

from __future__ import annotations

from pathlib import Path


def record_section(path: Path, key: str, heading: str, lines: list[str]) -> None:
    """Replaces the section between ``<!-- key:start -->`` and ``<!-- key:end -->``,
    or appends it under ``heading`` the first time."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    block = "\n".join([start, *lines, end])
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + block + "\n"
    path.write_text(text)
