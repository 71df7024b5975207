"""Markdown export: required headings, the action items round trip, hostile text."""

from __future__ import annotations

import re

import pytest
from factories import postmortems, sample_postmortem
from hypothesis import given, settings
from markdown_it import MarkdownIt

from drafting.errors import InputError
from drafting.export.escape import cell, unescape_cell
from drafting.export.markdown import (
    REQUIRED_HEADINGS,
    TEMPLATES,
    parse_markdown,
    parse_table,
    render,
)
from drafting.lint import lint_text
from drafting.report import Postmortem

GFM = MarkdownIt("commonmark").enable("table")


def _h2(md: str) -> list[str]:
    """Level-2 headings as a real CommonMark parser sees them."""
    tokens = GFM.parse(md)
    return [
        tokens[i + 1].content
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag == "h2"
    ]


def _lf(text: str) -> str:
    """What a table cell keeps of a text: line endings normalised, ends stripped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _table_cell_counts(md: str) -> list[list[int]]:
    """Per table, the number of cells in each row, as a real GFM table parser sees them."""
    tables: list[list[int]] = []
    count = 0
    for tok in GFM.parse(md):
        if tok.type == "table_open":
            tables.append([])
        elif tok.type == "tr_open":
            count = 0
        elif tok.type in ("th_open", "td_open"):
            count += 1
        elif tok.type == "tr_close":
            tables[-1].append(count)
    return tables


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_required_headings_in_order(name: str) -> None:
    heads = _h2(render(sample_postmortem(), name))
    assert [h for h in heads if h in REQUIRED_HEADINGS] == list(REQUIRED_HEADINGS)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_empty_report_keeps_every_heading_and_says_none_recorded(name: str) -> None:
    sections = parse_markdown(render(Postmortem(title="Outage"), name))
    for heading in REQUIRED_HEADINGS:
        assert sections[heading] == "_None recorded._", heading


def test_comprehensive_adds_the_seed_sections() -> None:
    heads = _h2(render(sample_postmortem(), "comprehensive"))
    for extra in ("Detection & Response", "Where We Got Lucky", "Open Questions", "Review Notes"):
        assert extra in heads
    assert heads[-2:] == ["Participants", "Appendix"]


def test_header_block_shows_id_severity_scale_status_and_duration() -> None:
    preamble = parse_markdown(render(sample_postmortem()))[""]
    assert preamble.startswith("# Postmortem: Stale product prices in the EU")
    assert "**Incident ID:** INC-2026-031" in preamble
    assert "SEV-2 (scale: SEV-1 (critical) to SEV-4 (minor))" in preamble
    assert "**Status:** in review" in preamble
    assert "**Duration:** 2 h 44 min" in preamble
    assert "not yet approved" in preamble


def test_root_cause_holds_the_numbered_five_whys_and_systemic_cause() -> None:
    body = parse_markdown(render(sample_postmortem()))["Root Cause"]
    numbers = re.findall(r"^(\d)\. \*\*Why", body, flags=re.M)
    assert numbers == ["1", "2", "3", "4", "5"]
    assert "**Systemic cause:** Deployment manifests are not validated" in body
    assert "_(evidence: m7)_" in body


def test_action_items_round_trip_through_the_table() -> None:
    pm = sample_postmortem()
    for name in TEMPLATES:
        rows = parse_table(parse_markdown(render(pm, name))["Action Items"])
        assert [r["Action"] for r in rows] == [a.action for a in pm.action_items]
        assert [r["Owner role"] for r in rows] == [a.owner_role for a in pm.action_items]
        assert rows[0]["Due date"] == "2026-03-20" and rows[2]["Due date"] == "not set"
        assert [r["Priority"] for r in rows] == ["P0", "P1", "P2"]


def test_detection_section_shows_computed_metrics() -> None:
    body = parse_markdown(render(sample_postmortem()))["Detection & Response"]
    assert "**Time to detect:** 59 min" in body
    assert "**Time to resolve:** 1 h 45 min" in body


def test_review_notes_show_flags_and_origins() -> None:
    body = parse_markdown(render(sample_postmortem()))["Review Notes"]
    assert "**warning** (impact): The figure '15%' is not in the transcript." in body
    rows = parse_table(body)
    assert {r["Section"]: r["Origin"] for r in rows} == {
        "summary": "model-written",
        "action_items": "human-edited",
    }


def test_lessons_grouped_in_comprehensive_flat_in_concise() -> None:
    pm = sample_postmortem()
    assert "### Technical" in parse_markdown(render(pm))["Lessons Learned"]
    assert "###" not in parse_markdown(render(pm, "concise"))["Lessons Learned"]


def test_appendix_lists_cited_ids_in_natural_order() -> None:
    body = parse_markdown(render(sample_postmortem()))["Appendix"]
    assert "Cited transcript messages: m1, m3, m4, m5, m6, m7, m8, m9, m10" in body


def test_impact_evidence_is_its_own_line() -> None:
    body = parse_markdown(render(sample_postmortem(), "concise"))["Impact"]
    assert body.endswith("\n\n_Evidence: m9._")
    assert "- **Users affected:** ~15% of EU users" in body


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_wording_passes_the_blameless_lint(name: str) -> None:
    # Only the templates' own words are in an empty report; they must never trip the lint.
    assert lint_text(render(Postmortem(title="Checkout outage"), name)) == []


def test_unknown_template_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="Unknown template 'wiki'; choose one of: "):
        render(sample_postmortem(), "wiki")


def test_text_cannot_forge_headings_fences_or_html() -> None:
    pm = sample_postmortem()
    pm.summary = "Fine.\n## Root Cause\nIt was Bob.\nHeading?\n---\n```\n<script>x()</script>"
    pm.went_well = ["# Top heading", "<img src=x onerror=y>"]
    md = render(pm)
    heads = _h2(md)
    assert heads.count("Root Cause") == 1
    assert heads == TEMPLATES["comprehensive"].headings()
    assert "<script>" not in md and "<img" not in md
    assert GFM.render(md).count("<h1>") == 1


def test_pipes_and_newlines_stay_inside_their_cell() -> None:
    pm = sample_postmortem()
    pm.action_items[0].action = "Fix a | b\nand c \\| d"
    md = render(pm)
    assert all(set(counts) == {7} for counts in _table_cell_counts(md)[1:2])
    rows = parse_table(parse_markdown(md)["Action Items"])
    assert rows[0]["Action"] == "Fix a | b\nand c \\| d"


@pytest.mark.parametrize("text", ["a|b", "\\", "x\\|y", "<br>", "&lt;", "&amp;lt;", "a\nb", "&x"])
def test_cell_escaping_is_reversible(text: str) -> None:
    assert unescape_cell(cell(text)) == text


@settings(max_examples=60, deadline=None)
@given(postmortems())
def test_any_report_renders_with_intact_structure(pm: Postmortem) -> None:
    for name, template in TEMPLATES.items():
        md = render(pm, name)
        assert _h2(md) == template.headings()
        for rows in _table_cell_counts(md):
            assert len(set(rows)) == 1  # header and every row: same number of cells
        items = parse_table(parse_markdown(md)["Action Items"])
        assert [r["Action"] for r in items] == [_lf(a.action) for a in pm.action_items]
        assert [r["Owner role"] for r in items] == [_lf(a.owner_role) for a in pm.action_items]
