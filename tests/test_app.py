"""The Streamlit app's wiring, headless through ``streamlit.testing.v1.AppTest``.

The model endpoint is the only thing replaced: a local replay server (tests/replay_server.py)
answers with responses recorded from the real embedded model, or fails on purpose.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from replay_server import ReplayServer
from stage_server import running
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from drafting.anonymise import names
from drafting.anonymise.roster import pseudonym
from drafting.report import ReviewFlag, Section
from drafting.store import Store, VersionKind
from ui.state import Keys

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "stale-cache-slack.txt"
CASSETTE = ROOT / "cassettes" / "app_stale_cache.yaml"
REAL_NAMES = ("Ana Ribeiro", "Tom Becker", "Li Na")
BLAMEFUL_REPORT = "## Summary\nBob forgot to run the migration and was careless.\n"


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("POSTMORTEM_DB", str(path))
    monkeypatch.setenv("POSTMORTEM_MAX_RETRIES", "0")
    monkeypatch.setenv("POSTMORTEM_MAX_REASKS", "0")
    monkeypatch.setenv("POSTMORTEM_MODEL", "qwen2.5-coder-0.5b-instruct")
    monkeypatch.setenv("POSTMORTEM_SCHEMA_DIALECT", "json_object")
    monkeypatch.setenv("OPENAI_API_KEY", "local")
    return path


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def _anonymised(sample_text: str) -> AppTest:
    at = _app()
    at.text_area(key=Keys.TRANSCRIPT).set_value(sample_text).run()
    _button(at, "Anonymise").click().run()
    assert not at.exception
    return at


def _uploader(at: AppTest) -> FileUploader:
    found = at.get("file_uploader")[0]
    assert isinstance(found, FileUploader)
    return found


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.code, *at.error, *at.warning, *at.info, *at.success]
    return "\n".join(str(p.value) for p in parts)


# Lint page -------------------------------------------------------------------------------------


def test_lint_page_lists_findings_with_line_rule_and_suggestion(db: Path) -> None:
    at = _app()
    at.text_area(key=Keys.LINT_TEXT).set_value(BLAMEFUL_REPORT).run()
    _button(at, "Lint").click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["line", "rule", "severity", "message", "match", "suggestion"]
    assert set(table["line"]) == {2}
    assert "error" in set(table["severity"])
    labels = [d.label for d in at.download_button]
    assert "Download findings (JSON)" in labels and "Download findings (SARIF)" in labels


def test_lint_page_with_nothing_pasted_says_so(db: Path) -> None:
    at = _app()
    _button(at, "Lint").click().run()
    assert [e.value for e in at.error] == ["Paste or upload a report to lint first."]
    assert not at.dataframe


def test_lint_page_on_blameless_text_reports_no_findings(db: Path) -> None:
    at = _app()
    at.text_area(key=Keys.LINT_TEXT).set_value("## Summary\nThe deploy pipeline lacked a check.\n")
    _button(at, "Lint").click().run()
    assert "No findings" in _texts(at)


def _lint_uploads(at: AppTest, *files: tuple[str, bytes, str]) -> AppTest:
    found = at.get("file_uploader")
    uploader = next(u for u in found if isinstance(u, FileUploader) and u.label == "Upload reports")
    uploader.set_value(list(files)).run()
    _button(at, "Lint").click().run()
    assert not at.exception
    return at


LINT_FORMATS = ROOT / "tests" / "fixtures" / "lint" / "formats"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fixture(name: str, mime: str) -> tuple[str, bytes, str]:
    return name, (LINT_FORMATS / name).read_bytes(), mime


def test_lint_page_lints_an_uploaded_docx_with_its_heading_path(db: Path) -> None:
    at = _lint_uploads(_app(), _fixture("incident-report.docx", DOCX))
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == ["report", "heading path", "paragraph"]
    assert list(table["heading path"]) == [
        "INC-3107 Payment retries > Analysis > Root Cause > Why the retry storm grew"
    ]
    assert list(table["paragraph"]) == [2] and list(table["match"]) == ["forgot to"]
    assert not at.get("vega_lite_chart"), "one report: no library summary"


def test_lint_page_upload_of_html_skips_code_and_quotes(db: Path) -> None:
    at = _lint_uploads(_app(), _fixture("confluence-export.html", "text/html"))
    table = at.dataframe[0].value
    assert list(table["rule"]) == ["BL-D02"] and list(table["line"]) == [35]


def test_lint_page_several_uploads_show_the_library_summary_and_chart(db: Path) -> None:
    md = (
        "cert.md",
        b"## Root Cause\n\nThe on-call engineer forgot to renew it.\n",
        "text/markdown",
    )
    at = _lint_uploads(
        _app(),
        _fixture("notion-export.html", "text/html"),
        _fixture("incident-report.docx", DOCX),
        md,
    )
    texts = _texts(at)
    assert "3 reports, 5 findings" in texts
    assert "ends at a person: **2 of 3**" in texts
    (chart,) = at.get("vega_lite_chart")
    assert "findings" in str(chart.proto.spec)
    rules, top, findings = (d.value for d in at.dataframe)
    assert dict(zip(rules["rule"], rules["findings"], strict=True)) == {
        "BL-D02": 2, "BL-C01": 1, "BL-F01": 1, "BL-H02": 1,
    }  # fmt: skip
    assert list(top["report"]) == ["notion-export.html", "cert.md", "incident-report.docx"]
    assert len(findings) == 5
    assert "Download summary (JSON)" in [d.label for d in at.download_button]


def test_lint_page_reports_a_corrupt_upload_and_lints_the_rest(db: Path) -> None:
    at = _lint_uploads(
        _app(),
        ("broken.docx", b"PK\x03\x04 cut short", DOCX),
        _fixture("incident-report.docx", DOCX),
    )
    (error,) = at.error
    assert error.value.startswith("broken.docx is not a readable Word (.docx) document")
    assert "1 reports, 1 findings" in _texts(at)


# Paste, upload, anonymise ----------------------------------------------------------------------


def test_paste_shows_format_and_message_count_before_anything_else(
    db: Path, sample_text: str
) -> None:
    at = _app()
    at.text_area(key=Keys.TRANSCRIPT).set_value(sample_text).run()
    assert "Detected format: **slack-paste** · 10 messages" in _texts(at)
    assert "Generate draft" not in [b.label for b in at.button]


def test_anonymise_with_an_empty_paste_is_one_sentence_and_stores_nothing(db: Path) -> None:
    at = _app()
    _button(at, "Anonymise").click().run()
    assert [e.value for e in at.error] == ["Paste or upload a transcript first."]
    assert Store(db).list_incidents() == []


def test_an_unreadable_upload_is_reported_not_raised(db: Path) -> None:
    at = _app()
    _uploader(at).upload("dump.log", b"\x00\x01\x02binary\x00" * 50).run()
    assert not at.exception
    assert any("binary" in e.value for e in at.error)


def test_an_uploaded_transcript_fills_the_text_area(db: Path, sample_text: str) -> None:
    at = _app()
    _uploader(at).upload("incident.txt", sample_text.encode(), "text/plain").run()
    assert at.text_area(key=Keys.TRANSCRIPT).value == sample_text.replace("\r\n", "\n")


def test_anonymise_stores_the_incident_and_previews_text_without_names(
    db: Path, sample_text: str
) -> None:
    at = _anonymised(sample_text)
    incident = at.session_state[Keys.INCIDENT]
    assert Store(db).get_incident(incident).transcript == sample_text
    preview = at.code[0].value
    assert f"{pseudonym(0)}:" in preview
    for name in REAL_NAMES:
        assert name not in preview
    assert "020 7946 0321" not in preview
    assert "Generate draft" in [b.label for b in at.button]
    mapping = Store(db).load_roster(incident).mapping
    assert mapping["Tom Becker"] == pseudonym(1)


def test_a_confirmed_role_replaces_the_pseudonym_in_what_is_sent_and_is_stored(
    db: Path, sample_text: str
) -> None:
    at = _anonymised(sample_text)
    edits = {"edited_rows": {0: {"role": "Support lead"}}, "added_rows": [], "deleted_rows": []}
    at.session_state["participants_editor"] = edits
    at.run()
    assert not at.exception
    preview = at.code[0].value
    assert "Support lead: thanks both!" in preview
    assert f"{pseudonym(0)}:" not in preview
    stored = Store(db).load_roster(at.session_state[Keys.INCIDENT])
    assert stored.roles == {pseudonym(0): "Support lead"}
    assert stored.mapping["Ana Ribeiro"] == pseudonym(0)  # the local mapping, never sent


DETECTABLE = (
    "[21:02] <rkovacs> looking. Dana Whitfield from the DNS team said the zone lost records\n"
    "[21:04] <jdiaz> ok, restoring from backup now\n"
    "[21:09] <rkovacs> thanks Dana, records are back\n"
)


@pytest.mark.skipif(not names.available(), reason="the 'ner' extra is not installed")
def test_names_found_in_text_can_be_confirmed_or_dismissed(db: Path) -> None:
    at = _app()
    at.text_area(key=Keys.TRANSCRIPT).set_value(DETECTABLE).run()
    assert at.checkbox(key=Keys.DETECT_NAMES).value  # on by default
    _button(at, "Anonymise").click().run()
    assert "Dana" not in at.code[0].value
    dana = next(c for c in at.checkbox if c.label.startswith("Dana Whitfield ("))
    assert dana.value  # detected names are kept anonymised unless the user dismisses them
    dana.uncheck().run()
    assert not at.exception
    stored = Store(db).load_roster(at.session_state[Keys.INCIDENT])
    assert stored.decisions["Dana Whitfield"] == "dismissed"
    assert "thanks Dana, records are back" in at.code[0].value  # the user said: not a person


@pytest.mark.skipif(not names.available(), reason="the 'ner' extra is not installed")
def test_turning_name_detection_off_is_marked_as_weaker(db: Path) -> None:
    at = _app()
    at.text_area(key=Keys.TRANSCRIPT).set_value(DETECTABLE).run()
    assert not any("Weaker anonymisation" in w.value for w in at.warning)
    at.checkbox(key=Keys.DETECT_NAMES).uncheck().run()
    assert any("Weaker anonymisation" in w.value for w in at.warning)
    _button(at, "Anonymise").click().run()
    assert "thanks Dana" in at.code[0].value  # exactly what the warning says can happen


def test_a_line_addressed_to_the_model_is_withheld_in_the_preview_and_said_so(db: Path) -> None:
    injected = ROOT / "tests" / "fixtures" / "transcripts" / "slack-paste-injection-24h.txt"
    at = _app()
    at.text_area(key=Keys.TRANSCRIPT).set_value(injected.read_text()).run()
    _button(at, "Anonymise").click().run()
    assert "previous instructions" not in at.code[0].value
    assert any("Withheld from the model" in w.value and "m9" in w.value for w in at.warning)


# Generate: error paths -------------------------------------------------------------------------


def test_model_down_shows_one_sentence_and_keeps_the_incident(
    db: Path, sample_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    at = _anonymised(sample_text)
    _button(at, "Generate draft").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "timeline" in errors[0]
    assert "Traceback" not in errors[0]
    assert at.session_state[Keys.INCIDENT] in [i.id for i in Store(db).list_incidents()]
    assert at.text_area(key=Keys.TRANSCRIPT).value == sample_text


def test_schema_invalid_output_is_reported_and_nothing_half_baked_is_shown(
    db: Path, sample_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplayServer([], mode="invalid") as url:
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        at = _anonymised(sample_text)
        _button(at, "Generate draft").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.session_state[Keys.DRAFT] is None if Keys.DRAFT in at.session_state else True
    assert "4. Review and edit" not in [s.value for s in at.subheader]


# Generate, edit, approve, export (replayed recordings of the real embedded model) ------------


@pytest.fixture
def replay(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    # Missing, the cassette is a failure, not a skip: record it with tests/record_app_cassette.py.
    assert CASSETTE.exists(), (
        f"{CASSETTE.name} is missing; record it (tests/record_app_cassette.py)"
    )
    server = ReplayServer([CASSETTE])
    with server as url:
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        yield server


def _drafted(sample_text: str) -> AppTest:
    at = _anonymised(sample_text)
    _button(at, "Generate draft").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_generate_shows_every_section_marked_model_written(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    assert "4. Review and edit" in [s.value for s in at.subheader]
    text = _texts(at)
    for title in ("Summary", "Impact", "Timeline", "Root Cause", "Action Items"):
        assert f"**{title}** :gray-badge[model-written]" in text
    versions = Store(db).versions(at.session_state[Keys.INCIDENT])
    assert [v.kind for v in versions] == [VersionKind.GENERATION]
    assert replay.requests, "the app never reached the model endpoint"
    for body in replay.requests:
        for name in REAL_NAMES:
            assert name not in str(body)


def test_a_flagged_section_shows_its_cited_messages_one_click_away(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    draft = at.session_state[Keys.DRAFT]
    first = draft.timeline[0].evidence[0]
    flag = ReviewFlag(section=Section.TIMELINE, message=f"Check the phase of {first}.")
    at.session_state[Keys.DRAFT] = draft.model_copy(update={"flags": [flag]})
    at.run()
    assert not at.exception
    assert f"Needs review: Check the phase of {first}." in [w.value for w in at.warning]
    cited = [e for e in at.expander if e.label.startswith("Cited messages")]
    assert len(cited) == 1  # only the flagged section has one
    shown = " ".join(t.value for t in cited[0].text)
    said = [line for line in sample_text.splitlines() if line.strip()]
    assert any(part in shown for part in (line.split(": ", 1)[-1][:30] for line in said))
    assert f"`{first}`" in " ".join(m.value for m in cited[0].markdown)


def test_the_models_role_suggestions_can_be_accepted_in_one_click(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    suggested = at.session_state[Keys.SUGGESTED]
    assert suggested, "the recorded roles stage proposed no roles"
    table = at.dataframe[0].value
    assert list(table["suggested role"]) == [suggested.get(p, "") for p in table["pseudonym"]]
    _button(at, "Use the suggested roles for the empty ones").click().run()
    assert at.session_state[Keys.ROLES] == suggested
    first_role = next(iter(suggested.values()))
    assert f"{first_role}:" in at.code[0].value  # the egress text now uses the confirmed roles


def test_editing_a_section_stores_a_human_version(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    summary = next(t for t in at.text_area if t.key and t.key.startswith("text-summary-"))
    summary.set_value("Edited summary: the deploy manifest lacked a variable.").run()
    assert not at.exception
    assert "**Summary** :violet-badge[human-edited]" in _texts(at)
    latest = Store(db).latest_version(at.session_state[Keys.INCIDENT])
    assert latest is not None and latest.kind is VersionKind.EDIT
    assert "Edited summary" in latest.postmortem_json


def test_regenerating_one_section_keeps_the_human_edit_of_another(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    impact = next(t for t in at.text_area if t.key and t.key.startswith("text-impact-"))
    impact.set_value("Users: every EU shopper").run()
    next(b for b in at.button if b.key == "regen-summary").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    versions = Store(db).versions(at.session_state[Keys.INCIDENT])
    assert [v.kind for v in versions][-2:] == [VersionKind.EDIT, VersionKind.REGENERATION]
    draft = at.session_state[Keys.DRAFT]
    assert draft.impact.users == "every EU shopper"
    assert "**Impact** :violet-badge[human-edited]" in _texts(at)
    assert "**Summary** :gray-badge[model-written]" in _texts(at)


def test_export_only_after_approval_by_a_named_reviewer(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    assert "Download Markdown" not in [d.label for d in at.download_button]
    assert "Approve the draft to export it." in _texts(at)
    _button(at, "Approve").click().run()
    assert any("reviewer's name" in e.value for e in at.error)
    at.text_input(key=Keys.REVIEWER).set_value("Reviewer One").run()
    _acknowledge_all(at)
    _button(at, "Approve").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Download Markdown" in [d.label for d in at.download_button]
    record = Store(db).latest_approval(at.session_state[Keys.INCIDENT])
    assert record is not None and record.reviewer == "Reviewer One"


def test_a_blameful_edit_blocks_approval_until_acknowledged_with_a_reason(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    _acknowledge_all(at)
    summary = next(t for t in at.text_area if t.key and t.key.startswith("text-summary-"))
    summary.set_value("The on-call engineer should have caught the empty variable.").run()
    at.text_input(key=Keys.REVIEWER).set_value("Reviewer One").run()
    _button(at, "Approve").click().run()
    assert any("lint error in Summary" in e.value for e in at.error)
    ack = next(b for b in at.button if b.key and b.key.startswith("ack-summary-"))
    ack.click().run()  # no reason given
    assert any("Give a reason" in e.value for e in at.error)
    _acknowledge_all(at)
    _button(at, "Approve").click().run()
    assert not at.error, [e.value for e in at.error]
    incident = at.session_state[Keys.INCIDENT]
    assert any(k.startswith("summary:") for k in Store(db).acknowledgements(incident))
    assert Store(db).latest_approval(incident) is not None


def _acknowledge_all(at: AppTest) -> None:
    """Acknowledge every error-level finding the replayed draft has, with a reason."""
    for _ in range(20):
        reasons = [t for t in at.text_input if t.key and t.key.startswith("reason-")]
        if not reasons:
            return
        reasons[0].set_value("kept on purpose for the review").run()
        key = str(reasons[0].key).removeprefix("reason-")
        ack = next(b for b in at.button if b.key == f"ack-{key}")
        ack.click().run()


def test_a_new_session_resumes_the_draft_from_the_sidebar(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    first = _drafted(sample_text)
    incident = first.session_state[Keys.INCIDENT]
    title = first.session_state[Keys.DRAFT].title
    second = _app()  # a browser reload or an app restart: a fresh session on the same database
    resume = next(b for b in second.sidebar.button if b.key == f"resume-{incident}")
    resume.click().run()
    assert second.session_state[Keys.DRAFT].title == title
    assert second.text_area(key=Keys.TRANSCRIPT).value == sample_text


def test_a_browser_reload_comes_back_to_the_incident_in_the_url(db: Path, sample_text: str) -> None:
    first = _anonymised(sample_text)
    incident = first.session_state[Keys.INCIDENT]
    assert first.query_params["incident"] == str(incident)
    reloaded = AppTest.from_file(APP, default_timeout=60)
    reloaded.query_params["incident"] = str(incident)
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.session_state[Keys.INCIDENT] == incident
    assert reloaded.text_area(key=Keys.TRANSCRIPT).value == sample_text
    assert "Generate draft" in [b.label for b in reloaded.button]


def test_the_raw_transcript_stays_in_the_local_store_only(db: Path, sample_text: str) -> None:
    _anonymised(sample_text)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT raw_text FROM transcripts").fetchone()[0]
    assert stored == sample_text


def test_a_role_set_after_drafting_reaches_the_draft_and_the_markdown(
    replay: ReplayServer, db: Path, sample_text: str
) -> None:
    at = _drafted(sample_text)
    incident = at.session_state[Keys.INCIDENT]
    before = at.session_state[Keys.DRAFT]
    assert pseudonym(0) in before.model_dump_json(), "the recorded draft never names Responder A"
    edits = {"edited_rows": {0: {"role": "Support lead"}}, "added_rows": [], "deleted_rows": []}
    at.session_state["participants_editor"] = edits
    at.run()
    assert not at.exception
    draft = at.session_state[Keys.DRAFT]
    assert pseudonym(0) not in draft.model_dump_json()
    assert "Support lead" in draft.model_dump_json()
    assert draft.origins == before.origins
    latest = Store(db).latest_version(incident)
    assert latest is not None and latest.kind is VersionKind.RELABEL
    assert latest.roles == {pseudonym(0): "Support lead"}
    resumed = _app()  # a fresh session: the draft's labels come from the store, no second version
    next(b for b in resumed.sidebar.button if b.key == f"resume-{incident}").click().run()
    assert len(Store(db).versions(incident)) == 2
    resumed.text_input(key=Keys.REVIEWER).set_value("Reviewer One").run()
    _acknowledge_all(resumed)
    _button(resumed, "Approve").click().run()
    markdown = next(d for d in resumed.download_button if d.label == "Download Markdown")
    assert markdown.proto.url.endswith(".md")
    # The download's bytes sit in Streamlit's media store, which AppTest mocks; the app's memo
    # holds the very text it handed to the button, keyed by the version and the template.
    state = resumed.session_state
    key = (state[Keys.VERSION], state[Keys.TEMPLATE])
    text = state[Keys.MEMO].get("markdown", key, lambda: pytest.fail("no Markdown was rendered"))
    assert "Support lead" in text and pseudonym(0) not in text


def test_a_flagged_sentence_can_be_rewritten_by_the_model_and_used_in_one_click(
    replay: ReplayServer, db: Path, sample_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _drafted(sample_text)
    summary = next(t for t in at.text_area if t.key and t.key.startswith("text-summary-"))
    summary.set_value("The on-call engineer forgot to check the manifest.").run()
    rewrite = "The manifest was deployed without a check for empty variables."
    with running() as fake:
        fake.answers["SentenceRewrite"] = {"rewrite": rewrite}
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        button = next(b for b in at.button if b.key and b.key.startswith("rewrite-summary-"))
        button.click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert any(rewrite in i.value for i in at.info)  # shown first, never applied unasked
        assert "forgot" in at.session_state[Keys.DRAFT].summary
        next(b for b in at.button if b.key and b.key.startswith("use-rewrite-")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state[Keys.DRAFT].summary == rewrite
    latest = Store(db).latest_version(at.session_state[Keys.INCIDENT])
    assert latest is not None and latest.kind is VersionKind.LINT_FIX


def test_an_uploaded_slack_export_zip_fills_the_transcript_and_the_users(db: Path) -> None:
    folder = ROOT / "tests" / "fixtures" / "transcripts" / "slack-export"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.json"):
            archive.write(path, path.relative_to(folder).as_posix())
    at = _app()
    _uploader(at).upload("export.zip", buffer.getvalue(), "application/zip").run()
    assert not at.error
    assert '"ts"' in at.text_area(key=Keys.TRANSCRIPT).value  # the channel's messages
    assert at.session_state[Keys.USERS]  # and its users.json, for real names
    _button(at, "Anonymise").click().run()
    assert "Detected format: **slack-export**" in _texts(at)


POSSIBLE_NAME = (
    "Ana Ribeiro  8:31 AM\n"
    "checkout is down, looping in Hinemoa from the network team\n"
    "Tom Becker  8:34 AM\n"
    "on it\n"
)


def test_a_word_that_could_be_a_name_is_anonymised_with_one_click(db: Path) -> None:
    at = _app()
    at.text_area(key=Keys.TRANSCRIPT).set_value(POSSIBLE_NAME).run()
    at.checkbox(key=Keys.DETECT_NAMES).uncheck().run()  # so only the preview can catch her
    _button(at, "Anonymise").click().run()
    assert "Hinemoa" in at.code[0].value
    at.checkbox(key="person-Hinemoa").check().run()
    assert not at.exception
    assert "Hinemoa" not in at.code[0].value
    stored = Store(db).load_roster(at.session_state[Keys.INCIDENT])
    assert stored.decisions["Hinemoa"] == "confirmed"


def test_a_slack_export_with_several_channels_asks_which_one(db: Path) -> None:
    folder = ROOT / "tests" / "fixtures" / "transcripts" / "slack-export"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.json"):
            archive.write(path, path.relative_to(folder).as_posix())
        archive.writestr("general/2024-03-04.json", '[{"ts": "1709596800.0", "text": "hi"}]')
    at = _app()
    _uploader(at).upload("export.zip", buffer.getvalue(), "application/zip").run()
    assert not at.error and not at.text_area(key=Keys.TRANSCRIPT).value
    at.selectbox(key="archive_channel").select("inc-4471-payments").run()
    _button(at, "Use this channel").click().run()
    assert "payment" in at.text_area(key=Keys.TRANSCRIPT).value
    assert at.session_state[Keys.USERS]
