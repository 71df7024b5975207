"""Word documents (``.docx`` from Word or Google Docs) as paragraphs, read with python-docx. Pure.

Imported only when a ``.docx`` is linted: ``docx`` (and lxml under it) are not loaded by
``postmortem lint`` on Markdown. A document has no lines, so each paragraph's ``line`` is its
1-based number among the document's non-empty paragraphs and table rows, in reading order.

Styles carry the structure: "Title" and "Heading N" are headings, list styles or Word
numbering make list items (so a numbered 5 Whys is still a chain), "Quote" and code styles
are skipped like Markdown quotes and code.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from drafting.errors import InputError
from drafting.lint.documents import Kind, Para
from drafting.textinput import max_input_bytes

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

_HEADING = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def docx_paragraphs(data: bytes, name: str = "the document") -> list[Para]:
    """The paragraphs of a ``.docx``, in reading order (body paragraphs and table rows).

    Raises:
        InputError: not a Word document, damaged, or too large once unpacked.
    """
    _check_package(data, name)
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        items = list(document.iter_inner_content())
    except Exception as err:  # python-docx raises many types for a damaged package
        raise InputError(f"{name} is not a readable Word (.docx) document ({_why(err)}).") from None
    shift = 1 if any(_style(p) == "title" for p in items if not isinstance(p, Table)) else 0
    out: list[Para] = []
    for item in items:
        rows = _rows(item) if isinstance(item, Table) else _paragraph(item, shift)
        for kind, text, level in rows:
            out.append(Para(kind, text, len(out) + 1, level))
    return out


def _check_package(data: bytes, name: str) -> None:
    """A zip whose unpacked size is within the input limit (python-docx unpacks every part)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{name} is not a readable Word (.docx) document (not a zip).") from None
    if unpacked > max_input_bytes():
        raise InputError(f"{name} is over the {max_input_bytes() / 1e6:.0f} MB input limit.")


def _why(err: Exception) -> str:
    text = " ".join(str(err).split())[:80]
    return text or type(err).__name__


def _style(p: Paragraph) -> str:
    try:
        return (p.style.name or "").strip().lower() if p.style is not None else ""
    except (KeyError, AttributeError):  # a style id the styles part does not define
        return ""


def _kind(p: Paragraph, shift: int) -> tuple[Kind, int]:
    style = _style(p)
    heading = _HEADING.match(style)
    if heading:
        return "heading", min(int(heading.group(1)) + shift, 6)
    if style == "title":
        return "heading", 1
    if "quote" in style:
        return "quote", 0
    if "code" in style or "source" in style or "preformatted" in style:
        return "code", 0
    numbered = p._p.pPr is not None and p._p.pPr.numPr is not None
    return ("list" if numbered or style.startswith("list") else "paragraph"), 0


def _paragraph(p: Paragraph, shift: int) -> Iterator[tuple[Kind, str, int]]:
    kind, level = _kind(p, shift)
    text = p.text.strip() if kind == "code" else _SPACE.sub(" ", p.text).strip()
    if text:
        yield kind, text, level


def _rows(table: Table) -> Iterator[tuple[Kind, str, int]]:
    """Each row as one paragraph, cells joined by `` | `` (merged cells once)."""
    for row in table.rows:
        seen: list[object] = []
        texts = []
        for cell in row.cells:
            if any(cell._tc is s for s in seen):
                continue
            seen.append(cell._tc)
            texts.append(_SPACE.sub(" ", cell.text).strip())
        text = " | ".join(t for t in texts if t)
        if text:
            yield "table", text, 0
