"""HTML reports (Confluence and Notion exports) as paragraphs, read with Beautiful Soup. Pure.

Imported only when an HTML file is linted: ``bs4`` is not loaded by ``postmortem lint`` on
Markdown. The stdlib ``html.parser`` tree builder is used because it records each element's
source line (and needs nothing compiled).

Block elements become paragraphs; inline elements (links, emphasis, spans) are part of the
text around them. ``pre`` becomes a code block and ``blockquote`` a quote, so the lint skips them
as it skips Markdown code and pasted chat; inline ``code`` is blanked. ``<!-- blameless-lint
... -->`` comments keep working as in Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from drafting.lint.documents import Kind, Para

if TYPE_CHECKING:
    from bs4 import Tag

HEADINGS = {f"h{n}": n for n in range(1, 7)}
SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "svg", "button", "nav"})
# Elements that are part of the text around them; every other element starts a paragraph.
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "img", "input", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})  # fmt: skip
_SPACE = re.compile(r"\s+")
_DIRECTIVE = re.compile(r"^\s*blameless-lint\s", re.IGNORECASE)


def html_paragraphs(text: str) -> list[Para]:
    """The paragraphs of an HTML document, in order, each with its source line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    root = soup.body or soup
    return list(_blocks(root, "paragraph"))


def _line(tag: Tag) -> int:
    return int(tag.sourceline or 1)


def _inline_text(node: object) -> str:
    """The visible text of inline content; inline code is blanked (same length) as in Markdown."""
    from bs4 import Comment, NavigableString, Tag

    if isinstance(node, Comment):
        return ""
    if isinstance(node, NavigableString):
        return str(node)
    if not isinstance(node, Tag) or node.name in SKIPPED:
        return ""
    if node.name == "br":
        return " "
    inner = "".join(_inline_text(child) for child in node.children)
    if node.name == "code":
        return " " * len(_SPACE.sub(" ", inner))
    return inner


def _is_block(node: object) -> bool:
    from bs4 import Comment, Tag

    if isinstance(node, Comment):
        return bool(_DIRECTIVE.match(str(node)))
    return isinstance(node, Tag) and node.name not in INLINE


def _blocks(element: Tag, kind: Kind) -> Iterator[Para]:
    """Paragraphs of a container: runs of inline content, and each block child in turn."""
    from bs4 import Tag

    run: list[object] = []
    line = _line(element)
    for child in element.children:
        if not _is_block(child):
            if not run and isinstance(child, Tag):
                line = _line(child)
            run.append(child)
            continue
        yield from _run(run, kind, line)
        run, line = [], _line(element)
        yield from _block(child, kind)
    yield from _run(run, kind, line)


def _run(run: list[object], kind: Kind, line: int, level: int = 0) -> Iterator[Para]:
    text = _SPACE.sub(" ", "".join(_inline_text(n) for n in run)).strip()
    if text:
        yield Para(kind, text, line, level)


def _block(node: object, kind: Kind) -> Iterator[Para]:
    """One block child: a heading, code, a quote, a table row, a list item, or a container."""
    from bs4 import Comment, Tag

    if isinstance(node, Comment):
        yield Para("directive", f"<!--{node}-->", 1)
        return
    if not isinstance(node, Tag) or node.name in SKIPPED:
        return
    name = node.name
    if name in HEADINGS and kind == "paragraph":
        yield from _run(list(node.children), "heading", _line(node), HEADINGS[name])
    elif name == "pre":
        yield Para("code", node.get_text().strip("\n") or " ", _line(node))
    elif name == "blockquote":
        yield from _blocks(node, "quote")
    elif name == "tr":
        yield from _row(node, kind)
    elif name == "li" and kind == "paragraph":
        yield from _blocks(node, "list")
    else:
        yield from _blocks(node, kind)


def _row(node: Tag, kind: Kind) -> Iterator[Para]:
    """A table row as one paragraph, its cells joined by `` | ``."""
    cells = node.find_all(["td", "th"], recursive=False)
    texts = [
        _SPACE.sub(" ", "".join(_inline_text(c) for c in cell.children)).strip() for cell in cells
    ]
    text = " | ".join(t for t in texts if t)
    if text:
        yield Para("quote" if kind in ("quote", "code") else "table", text, _line(node))
