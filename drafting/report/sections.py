"""The one registry of a postmortem's sections: everything else reads it.

For each section it says the title (also the Markdown heading), the report fields it owns, whether
it is required (empty, it is flagged by verify and blocks approval, and every export template
must have its heading), which drafting stage writes it, and how the review screen edits it.
Verify, the approval gate, the exporters, the review screen and the drafting stages all take
these facts from here, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from drafting.report.postmortem import Postmortem


class Section(StrEnum):
    """Editable sections; keys of :attr:`Postmortem.origins` and :attr:`ReviewFlag.section`."""

    HEADER = "header"
    SUMMARY = "summary"
    IMPACT = "impact"
    TIMELINE = "timeline"
    DETECTION = "detection"
    ROOT_CAUSE = "root_cause"
    CONTRIBUTING_FACTORS = "contributing_factors"
    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"
    ACTION_ITEMS = "action_items"
    LESSONS = "lessons"
    FOLLOW_UP = "follow_up"
    OPEN_QUESTIONS = "open_questions"
    APPENDIX = "appendix"


Editor = Literal["text", "table"]


@dataclass(frozen=True)
class SectionSpec:
    """What the product knows about one section.

    Attributes:
        section: the section.
        title: its name in review, and its level-2 heading in a Markdown export.
        fields: the report fields it owns (what regenerating another section must not touch).
        required: it must have content before approval, and every export template has it.
        stage: the drafting stage that writes it, or ``None`` when only a human writes it.
        editor: how review edits it (a text area or a table), or ``None`` when it is not edited
            there.
    """

    section: Section
    title: str
    fields: tuple[str, ...]
    required: bool = False
    stage: str | None = None
    editor: Editor | None = "text"

    @property
    def regenerable(self) -> bool:
        """A reviewer can ask the model to write this section again from the review screen."""
        return self.stage is not None and self.editor is not None


S = Section
# In review and export order.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(S.HEADER, "Header", ("title",), stage="summary", editor=None),
    SectionSpec(S.SUMMARY, "Summary", ("summary",), required=True, stage="summary"),
    SectionSpec(S.IMPACT, "Impact", ("impact",), required=True, stage="impact"),
    SectionSpec(S.TIMELINE, "Timeline", ("timeline",), True, "timeline", "table"),
    SectionSpec(S.DETECTION, "Detection & Response", ("how_detected",)),
    SectionSpec(S.ROOT_CAUSE, "Root Cause", ("root_cause",), True, "five_whys"),
    SectionSpec(
        S.CONTRIBUTING_FACTORS, "Contributing Factors", ("contributing_factors",), True, "factors"
    ),
    SectionSpec(S.WENT_WELL, "What Went Well", ("went_well",), True, "reflection"),
    SectionSpec(S.WENT_WRONG, "What Went Wrong", ("went_wrong",), True, "reflection"),
    SectionSpec(S.LUCKY, "Where We Got Lucky", ("lucky",), stage="reflection"),
    SectionSpec(S.ACTION_ITEMS, "Action Items", ("action_items",), True, "actions", "table"),
    SectionSpec(S.LESSONS, "Lessons Learned", ("lessons",), True, "reflection"),
    SectionSpec(S.FOLLOW_UP, "Follow-up", ("follow_up",)),
    SectionSpec(S.OPEN_QUESTIONS, "Open Questions", ("open_questions",)),
    SectionSpec(S.APPENDIX, "Appendix", (), editor=None),
)
del S

SPECS: dict[Section, SectionSpec] = {spec.section: spec for spec in SECTIONS}
TITLES: dict[Section, str] = {spec.section: spec.title for spec in SECTIONS}
REQUIRED: tuple[Section, ...] = tuple(spec.section for spec in SECTIONS if spec.required)
EDITABLE: tuple[Section, ...] = tuple(spec.section for spec in SECTIONS if spec.editor)
TABLE_SECTIONS: tuple[Section, ...] = tuple(s for s in EDITABLE if SPECS[s].editor == "table")
TEXT_SECTIONS: tuple[Section, ...] = tuple(s for s in EDITABLE if SPECS[s].editor == "text")
REGENERABLE: frozenset[Section] = frozenset(spec.section for spec in SECTIONS if spec.regenerable)


def stage_of(section: Section) -> str | None:
    """The drafting stage that writes ``section``, or ``None`` when no stage does."""
    return SPECS[section].stage


def filled(pm: Postmortem, section: Section) -> bool:
    """True when any field ``section`` owns has content (blank text and empty lists do not)."""
    for name in SPECS[section].fields:
        value = getattr(pm, name)
        if isinstance(value, str):
            if value.strip():
                return True
        elif hasattr(value, "is_empty"):
            if not value.is_empty():
                return True
        elif value:
            return True
    return False


def empty_required(pm: Postmortem) -> list[Section]:
    """The required sections of ``pm`` that have no content, in registry order."""
    return [s for s in REQUIRED if not filled(pm, s)]
