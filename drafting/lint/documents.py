"""Reports in the formats they live in: Markdown or text, HTML, and Word ``.docx``. Pure.

HTML (a Confluence or Notion export) and ``.docx`` (a Word or Google Docs export) are read by
maintained parsers (``html_reader``, ``docx_reader``, imported only when such a file is linted)
into paragraphs, which are written out as Markdown for the one lint engine: headings stay
headings (so sections, escalation and the 5 Whys check work), code and quotes stay skipped.
Each Markdown line remembers where it came from, so findings point back into the original:
for HTML the element's line in the file, for ``.docx`` the paragraph's number in the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Literal

from drafting.errors import InputError
from drafting.lint.config import LintConfig
from drafting.lint.engine import lint_text
from drafting.lint.types import Finding
from drafting.textinput import decode_bytes

Kind = Literal["heading", "paragraph", "list", "table", "quote", "code", "directive"]
SourceKind = Literal["text", "html", "docx"]
TEXT_SUFFIXES = (".md", ".markdown", ".mdown", ".txt", ".rst")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES

# A line the Markdown splitter would read as something other than plain prose.
_SPECIAL_START = re.compile(r"(?:[>|#]|`{3}|~{3}|<!--)")
_FENCE_LINE = re.compile(r"^\s{0,3}(?:[-*+]\s+|\d+[.)]\s+)?(?:`{3,}|~{3,})")


@dataclass(frozen=True)
class Para:
    """One paragraph of a document: a heading (with its level), prose, a list item, a table row
    (cells joined by `` | ``), a quote, a code block (lines kept) or a lint directive comment.

    ``line`` is where it starts in the source: a line of the file, or for ``.docx`` the
    paragraph's 1-based number in the document.
    """

    kind: Kind
    text: str
    line: int
    level: int = 0


@dataclass(frozen=True)
class Report:
    """A report ready for the lint: Markdown text, and for converted formats the source of each
    Markdown line as ``(source line, characters added in front of the paragraph's text)``."""

    path: str
    markdown: str
    source: tuple[tuple[int, int], ...] | None = None


def source_kind(path: str) -> SourceKind:
    """What a path's locations mean: text lines, HTML element lines, or docx paragraphs."""
    suffix = PurePath(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    return "text"


def parse_report(path: str, data: bytes) -> Report:
    """Read a report's bytes by its file name: HTML, ``.docx``, else Markdown or text.

    Raises:
        InputError: empty, binary, too large, corrupt, or with no text to lint.
    """
    kind = source_kind(path)
    if kind == "text":
        return Report(path, decode_bytes(data, path))
    if kind == "html":
        from drafting.lint.html_reader import html_paragraphs

        paras = html_paragraphs(decode_bytes(data, path))
    else:
        from drafting.lint.docx_reader import docx_paragraphs

        paras = docx_paragraphs(data, path)
    if not any(p.text.strip() for p in paras if p.kind != "directive"):
        raise InputError(f"{path} has no text to lint.")
    return to_report(path, paras)


def _safe(text: str) -> tuple[str, int]:
    """Prose the Markdown splitter reads as prose, and how many characters were put in front."""
    text = text.replace("<!--", "‹!--")  # same length: never opens a comment
    return ("\\" + text, 1) if _SPECIAL_START.match(text) else (text, 0)


def _lines(p: Para) -> list[tuple[str, int, int]]:
    """The Markdown lines of one paragraph: (line, source line, characters added in front)."""
    if p.kind == "code":
        body = [("\\" + t if _FENCE_LINE.match(t) else t) for t in p.text.split("\n")]
        inner = [(t, p.line + i, int(t.startswith("\\"))) for i, t in enumerate(body)]
        return [("~~~", p.line, 0), *inner, ("~~~", p.line + len(body) - 1, 0)]
    if p.kind == "directive":
        return [(p.text, p.line, 0)]
    lead = {"heading": "#" * p.level + " ", "list": "- ", "table": "| ", "quote": "> "}
    head = lead.get(p.kind, "")
    text, extra = _safe(p.text) if p.kind != "heading" else (p.text.replace("<!--", "‹!--"), 0)
    tail = " |" if p.kind == "table" else ""
    return [(head + text + tail, p.line, len(head) + extra)]


def to_report(path: str, paras: Sequence[Para]) -> Report:
    """Markdown for the engine, one block per paragraph, with the source of every line."""
    lines: list[str] = []
    source: list[tuple[int, int]] = []
    for p in paras:
        for text, line, shift in _lines(p):
            lines.append(text)
            source.append((line, shift))
        lines.append("")
        source.append((p.line, 0))
    return Report(path, "\n".join(lines), tuple(source))


def _relocate(f: Finding, source: tuple[tuple[int, int], ...]) -> Finding:
    line, shift = source[f.line - 1]
    end_line, end_shift = source[f.end_line - 1]
    return replace(
        f,
        line=line,
        column=max(1, f.column - shift),
        end_line=end_line,
        end_column=max(1, f.end_column - end_shift),
    )


def lint_report(report: Report, config: LintConfig | None = None) -> list[Finding]:
    """Lint a report; findings of a converted report point into the original file."""
    findings = lint_text(report.markdown, path=report.path, config=config)
    if report.source is None:
        return findings
    return [_relocate(f, report.source) for f in findings]
