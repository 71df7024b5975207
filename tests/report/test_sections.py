"""The section registry: one list of sections that verify, approval, export, review and drafting
all read, so they agree."""

from __future__ import annotations

import pytest
from factories import sample_postmortem

from drafting.draft.stages import STAGE_NAMES, stage_for
from drafting.export import markdown
from drafting.report import (
    REGENERABLE,
    REQUIRED,
    SECTIONS,
    TITLES,
    Postmortem,
    Section,
    empty_required,
    filled,
)
from drafting.review.findings import approval_blockers
from drafting.review.sections import with_section_text
from drafting.verify import completeness

# DESIGN.md: the level-2 headings every Markdown export has, in this order.
CONTRACT_HEADINGS = [
    "Summary", "Impact", "Timeline", "Root Cause", "Contributing Factors",
    "What Went Well", "What Went Wrong", "Action Items", "Lessons Learned",
]  # fmt: skip


def test_every_section_has_exactly_one_entry() -> None:
    assert [spec.section for spec in SECTIONS] == list(Section)


def test_the_required_sections_are_the_contract_headings() -> None:
    assert [TITLES[s] for s in REQUIRED] == CONTRACT_HEADINGS
    assert list(markdown.REQUIRED_HEADINGS) == CONTRACT_HEADINGS


@pytest.mark.parametrize("name", list(markdown.TEMPLATES))
def test_every_template_has_every_required_heading_in_order(name: str) -> None:
    heads = markdown.TEMPLATES[name].headings()
    assert [h for h in heads if h in CONTRACT_HEADINGS] == CONTRACT_HEADINGS


def test_each_drafted_section_names_a_real_stage_and_the_stage_lookup_agrees() -> None:
    for spec in SECTIONS:
        if spec.stage is None:
            with pytest.raises(KeyError):
                stage_for(spec.section.value)
        else:
            assert spec.stage in STAGE_NAMES
            assert stage_for(spec.section.value) == spec.stage


def test_only_sections_a_stage_writes_and_review_edits_can_be_regenerated() -> None:
    assert Section.DETECTION not in REGENERABLE  # written by no stage
    assert Section.HEADER not in REGENERABLE  # not edited in review
    assert Section.ROOT_CAUSE in REGENERABLE


def test_an_empty_report_has_every_required_section_empty() -> None:
    pm = Postmortem(title="Outage")
    assert empty_required(pm) == list(REQUIRED)
    assert not filled(pm, Section.ROOT_CAUSE)
    assert all(filled(sample_postmortem(), s) for s in REQUIRED)


@pytest.mark.parametrize("section", [Section.SUMMARY, Section.LESSONS, Section.WENT_WELL])
def test_verify_and_the_approval_gate_agree_on_an_empty_required_section(section: Section) -> None:
    pm = with_section_text(sample_postmortem(), section, "")
    assert empty_required(pm) == [section]
    assert [f.section for f in completeness(pm)] == [section]
    blockers = approval_blockers(pm, [], {}, reviewer="Reviewer")
    assert blockers == [f"The {TITLES[section]} section is empty."]


def test_blank_text_does_not_count_as_filled() -> None:
    pm = sample_postmortem().model_copy(update={"summary": "   \n"})
    assert not filled(pm, Section.SUMMARY)
