"""Where a block sits in a report: its heading path and its paragraph number. Pure.

Readable locations for findings in formats without useful lines (a Word document) and a
second, human way to find one in any format: "Root Cause > Why it spread, paragraph 2".
"""

from __future__ import annotations

from collections.abc import Iterable

from drafting.lint.scope import Block

# Headings that are not ATX ("**Root cause**", "Follow-ups:") nest below every '#' heading.
_OTHER_HEADING = 7

Location = tuple[tuple[str, ...], int | None]


def heading_level(block: Block) -> int:
    """1-6 for a Markdown ``#`` heading, 7 for a bold or colon heading line."""
    raw = block.raw.lstrip()
    hashes = len(raw) - len(raw.lstrip("#"))
    return hashes if 1 <= hashes <= 6 else _OTHER_HEADING


def locations(blocks: Iterable[Block]) -> dict[int, Location]:
    """Each block's (heading path, paragraph number), keyed by ``id(block)``.

    A heading ends its own path and has no paragraph number; every other block is numbered
    from 1 under the nearest heading above it (the first blocks of a report that has text before
    any heading are numbered with an empty path).
    """
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()
    count = 0
    out: dict[int, Location] = {}
    for block in blocks:
        if block.kind == "heading":
            level = heading_level(block)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, block.section or ""))
            path, count = tuple(title for _, title in stack), 0
            out[id(block)] = (path, None)
        else:
            count += 1
            out[id(block)] = (path, count)
    return out
