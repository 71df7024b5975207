"""Render a :class:`~drafting.report.Postmortem` as Markdown through a named template.

Templates are ``string.Template`` files in ``drafting/export/templates/`` (``$summary``,
``$timeline``...; the available blocks are the keys of :func:`blocks`). Every template holds the
level-2 headings in :data:`REQUIRED_HEADINGS`; a section with no content says
``_None recorded._`` instead of disappearing. Rendering is deterministic and does no I/O
(templates are read once at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from string import Template

from drafting.errors import InputError
from drafting.export import TEMPLATE_DESCRIPTIONS
from drafting.export.blocks import (
    action_items,
    appendix,
    contributing_factors,
    detection,
    header,
    header_brief,
    impact,
    impact_brief,
    lessons,
    lessons_brief,
    participants,
    review_notes,
    root_cause,
    timeline,
)
from drafting.export.escape import (
    NONE_RECORDED,
    bullets,
    inline,
    parse_markdown,
    parse_table,
    prose,
)
from drafting.report import REQUIRED, TITLES, Postmortem

__all__ = [
    "REQUIRED_HEADINGS",
    "TEMPLATES",
    "MarkdownTemplate",
    "blocks",
    "parse_markdown",
    "parse_table",
    "render",
]

# DESIGN.md's contract: these level-2 headings are in every export, in this order. They are the
# titles of the required sections in the section registry.
REQUIRED_HEADINGS: tuple[str, ...] = tuple(TITLES[s] for s in REQUIRED)


@dataclass(frozen=True)
class MarkdownTemplate:
    """A named export template."""

    name: str
    description: str
    text: str

    def headings(self) -> list[str]:
        """The template's level-2 headings, in order."""
        return [h for h in parse_markdown(self.text) if h]


def _load() -> dict[str, MarkdownTemplate]:
    folder = resources.files("drafting.export") / "templates"
    loaded = {
        name: MarkdownTemplate(name, desc, (folder / f"{name}.md.tmpl").read_text("utf-8"))
        for name, desc in TEMPLATE_DESCRIPTIONS.items()
    }
    for tmpl in loaded.values():
        heads = tmpl.headings()
        # A template missing a required heading is a packaging bug, caught at import.
        missing = [h for h in REQUIRED_HEADINGS if h not in heads]
        if missing:
            raise RuntimeError(f"template {tmpl.name} lacks required headings {missing}")
    return loaded


TEMPLATES: dict[str, MarkdownTemplate] = _load()


def render(pm: Postmortem, template: str = "comprehensive") -> str:
    """Render a postmortem as Markdown.

    Args:
        pm: The report.
        template: A key of :data:`TEMPLATES`.

    Returns:
        The Markdown document, ending with one newline.

    Raises:
        InputError: The template name is unknown.
    """
    chosen = TEMPLATES.get(template)
    if chosen is None:
        names = ", ".join(TEMPLATES)
        raise InputError(f"Unknown template '{template}'; choose one of: {names}.")
    text = Template(chosen.text).substitute(blocks(pm))
    return text.rstrip("\n") + "\n"


def blocks(pm: Postmortem) -> dict[str, str]:
    """Every block a template can use, by placeholder name."""
    return {
        "title": inline(pm.title),
        "header": header(pm),
        "header_brief": header_brief(pm),
        "summary": prose(pm.summary) or NONE_RECORDED,
        "impact": impact(pm.impact),
        "impact_brief": impact_brief(pm.impact),
        "timeline": timeline(pm.timeline),
        "detection": detection(pm),
        "root_cause": root_cause(pm.root_cause),
        "contributing_factors": contributing_factors(pm.contributing_factors),
        "went_well": bullets(pm.went_well),
        "went_wrong": bullets(pm.went_wrong),
        "lucky": bullets(pm.lucky),
        "action_items": action_items(pm.action_items),
        "lessons": lessons(pm.lessons),
        "lessons_brief": lessons_brief(pm.lessons),
        "follow_up": bullets(pm.follow_up),
        "open_questions": bullets(pm.open_questions),
        "review_notes": review_notes(pm),
        "participants": participants(pm.participants),
        "appendix": appendix(pm),
    }
