"""The "Lint a report" page: paste or upload a postmortem, see and download findings (UI only)."""

from __future__ import annotations

import streamlit as st

from drafting import lint
from drafting.anonymise.prepare import digest
from drafting.errors import DraftingError
from drafting.lint.formats import to_json, to_sarif
from drafting.review.findings import highlight
from ui.intake import UPLOAD_TYPES, _take_upload
from ui.state import Keys, Memo

COLUMNS = ("line", "rule", "severity", "message", "match", "suggestion")


def render_lint_page(memo: Memo) -> None:
    """Paste or upload, press Lint, see the findings table and the highlighted text."""
    st.subheader("Lint a report")
    st.caption("Checks an existing postmortem for blaming language, with a suggested rewrite.")
    st.file_uploader("Upload a report", type=UPLOAD_TYPES, key="lint_upload")
    _take_upload("lint_upload", Keys.LINT_TEXT, Keys.LINT_UPLOAD_SEEN)
    st.text_area("Report to lint", key=Keys.LINT_TEXT, height=240)
    if st.button("Lint"):
        text = str(st.session_state.get(Keys.LINT_TEXT, ""))
        if not text.strip():
            st.session_state[Keys.LINT_FINDINGS] = None
            st.error("Paste or upload a report to lint first.")
        else:
            st.session_state[Keys.LINT_FINDINGS] = text
    linted = st.session_state.get(Keys.LINT_FINDINGS)
    if linted:
        _results(memo, linted)


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
