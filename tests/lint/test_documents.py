"""HTML and .docx reports: paragraphs, heading paths, paragraph numbers, skipped quotes and code."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from drafting.errors import InputError
from drafting.lint import LintConfig, lint_text
from drafting.lint.documents import Para, lint_report, parse_report, source_kind
from drafting.lint.docx_reader import docx_paragraphs
from drafting.lint.html_reader import html_paragraphs

FORMATS = Path(__file__).parents[1] / "fixtures" / "lint" / "formats"
CONFLUENCE = ("Postmortems : INC-2041 Checkout outage", "Root Cause")
DOCX_PATH = ("INC-3107 Payment retries", "Analysis", "Root Cause", "Why the retry storm grew")


def _lint(name: str, *, quoted: bool = False) -> list[tuple[object, ...]]:
    report = parse_report(name, (FORMATS / name).read_bytes())
    findings = lint_report(report, LintConfig(include_quoted=quoted))
    return [(f.line, f.column, f.rule, f.match, f.heading_path, f.paragraph) for f in findings]


def _docx(*paragraphs: tuple[str, str | None]) -> bytes:
    document = docx.Document()
    for text, style in paragraphs:
        if style and style.startswith("Heading "):
            document.add_heading(text, int(style.split()[1]))
        else:
            document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_confluence_export_finds_the_blameful_sentence_under_its_nested_heading() -> None:
    assert _lint("confluence-export.html") == [
        (35, 22, "BL-D02", "forgot to", (*CONFLUENCE, "Why the change reached production"), 2)
    ]


def test_confluence_code_macro_and_quoted_chat_are_skipped_unless_asked_for() -> None:
    quoted = _lint("confluence-export.html", quoted=True)
    # The second line of the code macro, and the pasted chat in the blockquote.
    assert [(line, column, rule) for line, column, rule, *_ in quoted] == [
        (35, 22, "BL-D02"), (38, 16, "BL-D02"), (40, 59, "BL-C01"), (40, 96, "BL-E01"),
    ]  # fmt: skip


def test_notion_export_keeps_its_5_whys_chain_and_skips_code_and_quotes() -> None:
    assert _lint("notion-export.html") == [
        (11, 37, "BL-H02", "the on-call engineer decided to skip the maintenance window.",
         ("Postmortem: search latency", "5 Whys"), 3),
        (17, 1, "BL-F01", "Obviously",
         ("Postmortem: search latency", "Contributing Factors", "Tooling"), 2),
        (17, 24, "BL-C01", "should have caught",
         ("Postmortem: search latency", "Contributing Factors", "Tooling"), 2),
    ]  # fmt: skip


def test_docx_finding_has_the_heading_path_and_paragraph_numbers() -> None:
    # Line 8 is the eighth non-empty paragraph of the document (make_docx.py numbers them).
    assert _lint("incident-report.docx") == [(8, 22, "BL-D02", "forgot to", DOCX_PATH, 2)]


def test_docx_quote_style_is_skipped_like_pasted_chat() -> None:
    quoted = _lint("incident-report.docx", quoted=True)
    assert [(line, rule, paragraph) for line, _, rule, _, _, paragraph in quoted] == [
        (8, "BL-D02", 2), (9, "BL-E01", 3), (9, "BL-C01", 3),
    ]  # fmt: skip


def test_docx_paragraphs_number_headings_rows_and_text_but_not_empty_lines() -> None:
    paras = docx_paragraphs((FORMATS / "incident-report.docx").read_bytes())
    assert [(p.line, p.kind, p.level) for p in paras][:7] == [
        (1, "heading", 1), (2, "heading", 2), (3, "paragraph", 0), (4, "heading", 2),
        (5, "heading", 3), (6, "heading", 4), (7, "paragraph", 0),
    ]  # fmt: skip
    assert [p.text for p in paras if p.kind == "table"] == [
        "Time | Event",
        "09:02 | Retry rate alert fired.",
    ]
    assert paras[-1] == Para("list", "Add a retry budget to the client library.", 13)


def test_docx_without_a_title_keeps_heading_levels() -> None:
    data = _docx(("Root Cause", "Heading 1"), ("Detail", "Heading 2"), ("Bob was careless.", None))
    (finding,) = lint_report(parse_report("r.docx", data))
    assert finding.heading_path == ("Root Cause", "Detail") and finding.paragraph == 1
    assert (finding.line, finding.column) == (3, 9)


def test_a_numbered_docx_5_whys_is_still_a_chain() -> None:
    whys = [
        "Why did checkout fail? Because the certificate expired.",
        "Why did it expire? Because renewal was manual.",
        "Why was it manual? Because the engineer forgot to renew it.",
    ]
    data = _docx(("5 Whys", "Heading 1"), *((w, "List Number") for w in whys))
    rules = {f.rule for f in lint_report(parse_report("r.docx", data))}
    assert "BL-H02" in rules


def test_html_table_rows_and_list_items_are_paragraphs() -> None:
    html = (
        "<h2>Timeline</h2><table><tr><th>Time</th><th>Event</th></tr>"
        "<tr><td>10:02</td><td>Alert <b>fired</b></td></tr></table>"
        "<ul><li>first<ul><li>nested</li></ul></li></ul><div>loose <i>text</i></div>"
    )
    assert [(p.kind, p.text) for p in html_paragraphs(html)] == [
        ("heading", "Timeline"), ("table", "Time | Event"), ("table", "10:02 | Alert fired"),
        ("list", "first"), ("list", "nested"), ("paragraph", "loose text"),
    ]  # fmt: skip


def test_html_text_that_looks_like_markdown_stays_prose() -> None:
    html = (
        "<h2>Root Cause</h2><p>&gt; quoted? no: the engineer forgot to renew it.</p>"
        "<p>```</p><p>An &lt;!-- aside: Bob was careless.</p><p>Obviously it was stale.</p>"
    )
    findings = lint_report(parse_report("r.html", html.encode()))
    assert [(f.rule, f.paragraph, f.column) for f in findings] == [
        ("BL-D02", 1, 28), ("BL-E01", 3, 24), ("BL-F01", 4, 1),
    ]  # fmt: skip


def test_html_inline_code_is_blanked_and_lint_directives_work() -> None:
    html = (
        "<h2>Root Cause</h2><p>We ran <code>the engineer forgot to</code> there.</p>"
        "<!-- blameless-lint ignore --><p>Bob was careless.</p><p>Alice was careless.</p>"
    )
    findings = lint_report(parse_report("r.html", html.encode()))
    assert [(f.match, f.paragraph) for f in findings] == [("careless", 3)]


def test_markdown_findings_carry_heading_path_and_paragraph_too() -> None:
    text = "# INC 9\n\nIntro.\n\n## Root Cause\n\nFine.\n\n- The engineer forgot to check.\n"
    (finding,) = lint_text(text)
    assert finding.heading_path == ("INC 9", "Root Cause") and finding.paragraph == 2
    assert (finding.line, finding.section) == (9, "Root Cause")


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("x.docx", b"PK\x03\x04 truncated", "not a readable Word (.docx) document"),
        ("x.docx", b"plain text, not a zip", "not a readable Word (.docx) document"),
        ("x.html", b"<html><body><script>var a;</script></body></html>", "has no text to lint"),
        ("x.html", b"\x00\x01\x02" * 50, "binary"),
        ("x.html", b"", "empty"),
    ],
)
def test_unreadable_documents_raise_one_sentence(name: str, data: bytes, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_report(name, data)


def test_a_zip_that_is_not_a_word_document_is_reported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable Word"):
        parse_report("x.docx", buffer.getvalue())


def test_source_kind_follows_the_suffix() -> None:
    kinds = [source_kind(p) for p in ("a.md", "-", "b.HTML", "c.htm", "d.docx", "e.txt")]
    assert kinds == ["text", "text", "html", "html", "docx", "text"]
