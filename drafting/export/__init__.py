"""Export: the approved report as Markdown (templates), JSON and action items as CSV.

This package module stays import-light (the CLI lists the template names in ``--help``).
"""

# The Markdown templates in drafting/export/templates/, by name (``NAME.md.tmpl``).
TEMPLATE_DESCRIPTIONS: dict[str, str] = {
    "comprehensive": "Header, summary through appendix: metrics, lucky breaks, open questions, "
    "review notes, participants.",
    "concise": "The required sections only, for a quick share.",
}
