"""Markdown escaping and reading, so untrusted text can never change a document's structure.

Report text comes from a model that read an untrusted transcript. Before it goes into Markdown:

- prose keeps its formatting, but a line that would start a heading (``#``, a setext underline),
  a code fence or raw HTML is escaped, so the level-2 headings are exactly the template's;
- table cells are escaped reversibly (backslash, pipe, newline, ``<``, entity-like ``&``), so a
  cell never breaks its row and :func:`parse_table` gives back the original text.

:func:`parse_markdown` and :func:`parse_table` read a rendered report back (tests, imports).
"""

from __future__ import annotations

import re

_ENTITY_AMP = r"&(?=#?[A-Za-z0-9]+;)"
_CELL_ESCAPE = re.compile(r"\\|\||<|\n|" + _ENTITY_AMP)
_CELL_TOKENS = {"\\": "\\\\", "|": "\\|", "<": "&lt;", "\n": "<br>", "&": "&amp;"}
_CELL_UNESCAPE = re.compile(r"\\\\|\\\||&lt;|<br>|&amp;(?=#?[A-Za-z0-9]+;)")
_CELL_PLAIN = {v: k for k, v in _CELL_TOKENS.items()}
_PROSE_ESCAPE = re.compile(r"<|" + _ENTITY_AMP)
# Line starts that would open a heading, a fence or an HTML block (after up to 3 spaces).
_BLOCK_START = re.compile(r"^( {0,3})(#|`{3}|~{3}|=+\s*$|-+\s*$)")
# CommonMark's line endings; other Unicode separators do not end a Markdown line.
_LINE_BREAKS = re.compile(r"\r\n?")
NONE_RECORDED = "_None recorded._"


def _normalise(text: str) -> str:
    return _LINE_BREAKS.sub("\n", text)


def _escape_html(text: str) -> str:
    return _PROSE_ESCAPE.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)


def _escape_line_start(line: str) -> str:
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    indent = match.group(1)
    return f"{indent}\\{line[len(indent) :]}"


def prose(text: str) -> str:
    """Escape multi-line prose so it cannot open headings, fences or HTML blocks.

    Args:
        text: Untrusted text; Markdown emphasis and links are kept.

    Returns:
        The text, safe to place between two headings.
    """
    lines = _escape_html(_normalise(text)).strip().split("\n")
    return "\n".join(_escape_line_start(line.rstrip()) for line in lines)


def inline(text: str) -> str:
    """Escape text for one line (a list item): whitespace collapsed, line starts made inert."""
    flat = " ".join(_escape_html(_normalise(text)).split())
    return _escape_line_start(flat)


def cell(text: str) -> str:
    """Escape text for one table cell, reversibly up to stripping and CR/CRLF -> LF."""
    return _CELL_ESCAPE.sub(lambda m: _CELL_TOKENS[m.group()[0]], _normalise(text).strip())


def unescape_cell(raw: str) -> str:
    """Invert :func:`cell`."""
    return _CELL_UNESCAPE.sub(lambda m: _CELL_PLAIN[m.group()], raw)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table; every cell is escaped with :func:`cell`."""
    lines = [_row([cell(h) for h in headers]), _row(["---"] * len(headers))]
    lines += [_row([cell(value) for value in row]) for row in rows]
    return "\n".join(lines)


def bullets(items: list[str]) -> str:
    """A bullet list, or the explicit empty marker."""
    kept = [inline(i) for i in items if i.strip()]
    return "\n".join(f"- {i}" for i in kept) if kept else NONE_RECORDED


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def parse_markdown(md: str) -> dict[str, str]:
    """Split a document into its level-2 sections.

    Args:
        md: A Markdown document.

    Returns:
        Heading text -> body (stripped); the text before the first level-2 heading is under ``""``.
    """
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in _normalise(md).split("\n"):
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        else:
            sections[current].append(line)
    return {name: "\n".join(body).strip() for name, body in sections.items()}


def split_row(line: str) -> list[str]:
    """Split one table row on its unescaped pipes; cells stay escaped."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    cells: list[str] = []
    current: list[str] = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            current.append(ch + next(chars, ""))
        elif ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        cells.append("".join(current).strip())
    return cells


def parse_table(body: str) -> list[dict[str, str]]:
    """Read the first table of a section back into rows keyed by header, cells unescaped."""
    lines = [line for line in _normalise(body).split("\n")]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("|")), None)
    if start is None:
        return []
    headers = [unescape_cell(c) for c in split_row(lines[start])]
    rows: list[dict[str, str]] = []
    for line in lines[start + 2 :]:
        if not line.lstrip().startswith("|"):
            break
        rows.append(dict(zip(headers, (unescape_cell(c) for c in split_row(line)), strict=False)))
    return rows
