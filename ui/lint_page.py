"""The "Lint a report" page: paste a postmortem or upload reports (Markdown, text, HTML, .docx),
see and download findings; several uploads also get the library summary (UI only)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from drafting import lint
from drafting.anonymise.prepare import digest
from drafting.errors import DraftingError
from drafting.lint.documents import SUFFIXES, parse_report, source_kind
from drafting.lint.formats import summary_json, to_json, to_sarif
from drafting.lint.library import ReportResult, lint_library, summarise
from drafting.lint.types import Finding
from drafting.review.findings import highlight
from ui.state import Keys, Memo

COLUMNS = ("line", "rule", "severity", "message", "match", "suggestion")
FILE_COLUMNS = ("report", "heading path", "paragraph", *COLUMNS)
LINT_TYPES = [s.lstrip(".") for s in SUFFIXES]
UPLOAD_KEY = "lint_upload"


def render_lint_page(memo: Memo) -> None:
    """Paste or upload, press Lint, see the findings table (and a summary for several files)."""
    st.subheader("Lint a report")
    st.caption(
        "Checks existing postmortems for blaming language, with a suggested rewrite. Upload "
        "Markdown, text, HTML (Confluence, Notion) or Word (.docx) reports, or paste one below."
    )
    st.file_uploader("Upload reports", type=LINT_TYPES, accept_multiple_files=True, key=UPLOAD_KEY)
    st.text_area("Report to lint", key=Keys.LINT_TEXT, height=240)
    if st.button("Lint"):
        _choose_input()
    linted = st.session_state.get(Keys.LINT_FINDINGS)
    if isinstance(linted, tuple):
        _file_results(memo, [u for u in _uploads() if u.file_id in linted])
    elif linted:
        _results(memo, linted)


def _uploads() -> list[Any]:
    return list(st.session_state.get(UPLOAD_KEY) or [])


def _choose_input() -> None:
    """Uploaded files when there are any, else the pasted text; remembered across reruns."""
    uploads = _uploads()
    text = str(st.session_state.get(Keys.LINT_TEXT, ""))
    if uploads:
        st.session_state[Keys.LINT_FINDINGS] = tuple(u.file_id for u in uploads)
    elif text.strip():
        st.session_state[Keys.LINT_FINDINGS] = text
    else:
        st.session_state[Keys.LINT_FINDINGS] = None
        st.error("Paste or upload a report to lint first.")


def _results(memo: Memo, text: str) -> None:
    try:
        findings = memo.get("lint", digest(text), lambda: lint.lint_text(text, path="report.md"))
    except DraftingError as err:
        st.error(str(err))
        return
    if not findings:
        st.success("No findings: the wording reads as blameless.")
        return
    errors = sum(1 for f in findings if f.severity == "error")
    st.markdown(f"**{len(findings)} findings** ({errors} errors)")
    rows = [{c: str(getattr(f, c)) if c != "line" else f.line for c in COLUMNS} for f in findings]
    st.dataframe(rows, hide_index=True, width="stretch")
    with st.expander("The report with findings highlighted", expanded=True):
        st.html(highlight(text, findings))
    _downloads(findings)


def _lint_upload(upload: Any) -> ReportResult:
    report = parse_report(upload.name, upload.getvalue())
    return lint_library([report])[0]


def _file_results(memo: Memo, uploads: list[Any]) -> None:
    """Each upload linted in its format; one error line per unreadable file, the rest go on."""
    results: list[ReportResult] = []
    for upload in uploads:
        try:
            results.append(memo.get("lint-file", upload.file_id, lambda u=upload: _lint_upload(u)))
        except DraftingError as err:
            st.error(str(err))
    if not results:
        return
    if len(uploads) > 1:
        _summary(results)
    findings = [f for r in results for f in r.findings]
    if not findings:
        st.success("No findings: the wording reads as blameless.")
        return
    st.dataframe([_file_row(f) for f in findings], hide_index=True, width="stretch")
    _downloads(findings)


def _file_row(f: Finding) -> dict[str, object]:
    """A findings-table row for an uploaded report: which report, and where in it."""
    row: dict[str, object] = {
        "report": f.path,
        "heading path": " > ".join(f.heading_path),
        "paragraph": f.paragraph,
    }
    # A .docx has no lines: its "line" is the paragraph's number in the whole document.
    row["line"] = f.line if source_kind(f.path) != "docx" else None
    row.update({c: str(getattr(f, c)) for c in COLUMNS if c != "line"})
    return row


def _summary(results: list[ReportResult]) -> None:
    """The library view: totals, a bar chart per category, rules, top reports, 5 Whys."""
    summary = summarise(results)
    st.markdown(f"**{summary.reports} reports, {summary.findings} findings**")
    if summary.categories:
        data = [{"category": c, "findings": n} for c, n in summary.categories.items()]
        st.bar_chart(data, x="category", y="findings")
        rules = [{"rule": r, "findings": n} for r, n in summary.rules.items()]
        st.dataframe(rules, hide_index=True)
        top = [{"report": p, "findings": n} for p, n in summary.top_reports]
        st.dataframe(top, hide_index=True)
    people = summary.ends_at_person
    st.markdown(
        f"Reports whose 5 Whys or root cause ends at a person: **{len(people)} of "
        f"{summary.reports}**" + "".join(f"\n- {p}" for p in people)
    )
    st.download_button(
        "Download summary (JSON)", summary_json(summary), file_name="lint-summary.json",
        mime="application/json", on_click="ignore",
    )  # fmt: skip


def _downloads(findings: list[Finding]) -> None:
    sarif = to_sarif(findings, [c.rule for c in lint.load_rules()])
    left, right = st.columns(2)
    left.download_button(
        "Download findings (JSON)", to_json(findings), file_name="findings.json",
        mime="application/json", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        "Download findings (SARIF)", sarif, file_name="findings.sarif",
        mime="application/sarif+json", on_click="ignore",
    )  # fmt: skip
