"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

Paste a sample transcript, anonymise, generate (against the local replay of recorded embedded-
model responses), edit a section, approve, download the Markdown and check the file. A
screenshot of each step goes to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from replay_server import ReplayServer

from drafting.export.markdown import REQUIRED_HEADINGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "stale-cache-slack.txt"
CASSETTE = ROOT / "cassettes" / "app_stale_cache.yaml"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)
REAL_NAMES = ("Ana Ribeiro", "Tom Becker", "Li Na", "Ana", "Tom")
EDIT = "Reviewed summary: a deploy manifest shipped without the cache invalidation topic."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `streamlit run` on 127.0.0.1, talking to the replay server."""
    if not CHROMIUM.exists():
        # `make test` installs it, so in CI a missing browser is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; `make chromium` installs it")
        pytest.skip("Debian's chromium is not installed (make chromium)")
    port = _free_port()
    with ReplayServer([CASSETTE]) as base_url:
        env = {
            **os.environ,
            "OPENAI_BASE_URL": base_url,
            "OPENAI_API_KEY": "local",
            "POSTMORTEM_MODEL": "qwen2.5-coder-0.5b-instruct",
            "POSTMORTEM_SCHEMA_DIALECT": "json_object",
            "POSTMORTEM_MAX_RETRIES": "0",
            "POSTMORTEM_DB": str(tmp_path_factory.mktemp("e2e") / "pm.sqlite3"),
        }
        command = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        proc = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            _wait_for_banner(proc)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _wait_for_banner(proc: subprocess.Popen[str]) -> None:
    """Block until Streamlit says it is serving (an event, not a timed sleep)."""
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "URL:" in line:
            return
    pytest.fail("streamlit exited before serving:\n" + "".join(seen))


def test_paste_anonymise_generate_edit_approve_download(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1800}
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        step = _stepper(page)

        page.goto(app_url)
        step("loaded")
        page.get_by_label("Incident transcript").fill(SAMPLE.read_text(encoding="utf-8"))
        page.get_by_label("Incident transcript").press("Control+Enter")
        expect(page.get_by_text("Detected format:")).to_be_visible()
        step("pasted")

        page.get_by_role("button", name="Anonymise").click()
        expect(page.get_by_role("button", name="Generate draft")).to_be_visible()
        step("anonymised", page.get_by_text("Participants"))

        page.get_by_role("button", name="Generate draft").click()
        expect(page.get_by_text("4. Review and edit")).to_be_visible(timeout=45_000)
        step("generated", page.get_by_text("4. Review and edit"))

        summary = page.get_by_role("textbox", name="Summary", exact=True)
        summary.fill(EDIT)
        summary.press("Control+Enter")
        expect(page.get_by_text("human-edited").first).to_be_visible()
        step("edited", summary)

        _acknowledge_errors(page, step)
        page.get_by_label("Reviewer").fill("Reviewer One")
        page.get_by_label("Reviewer").press("Enter")
        page.locator(IDLE).wait_for()
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_text("Approved by Reviewer One")).to_be_visible()
        step("approved", page.get_by_text("Approved by Reviewer One"))

        with page.expect_download() as download:
            page.get_by_role("button", name="Download Markdown").click()
        target = tmp_path / "postmortem.md"
        download.value.save_as(target)
        step("downloaded", page.get_by_role("button", name="Download Markdown"))
        browser.close()

    _check_markdown(target.read_text(encoding="utf-8"))


def _stepper(page):  # type: ignore[no-untyped-def]
    count = {"n": 0}

    def step(name: str, focus=None) -> None:  # type: ignore[no-untyped-def]
        page.locator(IDLE).wait_for()
        if focus is not None:  # the app scrolls inside its own container: bring the step in view
            focus.scroll_into_view_if_needed()
        count["n"] += 1
        page.screenshot(path=str(ARTIFACTS / f"e2e-{count['n']:02d}-{name}.png"), full_page=True)

    return step


def _acknowledge_errors(page, step) -> None:  # type: ignore[no-untyped-def]
    """Acknowledge, with a reason, every error-level lint finding the draft still has."""
    for _ in range(20):
        page.locator(IDLE).wait_for()
        reasons = page.get_by_placeholder("Reason to keep this wording")
        if reasons.count() == 0:
            return
        reasons.first.fill("kept on purpose: reviewed in the meeting")
        reasons.first.press("Enter")
        page.locator(IDLE).wait_for()
        page.get_by_role("button", name="Acknowledge").first.click()
    step("acknowledged")


def _check_markdown(text: str) -> None:
    headings = {line[3:].strip() for line in text.splitlines() if line.startswith("## ")}
    for heading in REQUIRED_HEADINGS:
        assert any(h.startswith(heading) for h in headings), f"missing ## {heading}"
    assert EDIT in text
    for name in REAL_NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", text), f"real name {name!r} in the export"
    assert "Reviewer One" in text


def test_lint_a_report_tab_shows_findings_and_highlights(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.set_default_timeout(30_000)
        page.goto(app_url)
        page.locator(IDLE).wait_for()
        page.get_by_role("tab", name="Lint a report").click()
        report = page.get_by_label("Report to lint")
        report.fill("## Summary\nThe engineer forgot to run the migration and was careless.\n")
        report.press("Control+Enter")
        page.locator(IDLE).wait_for()
        page.get_by_role("button", name="Lint").click()
        expect(page.get_by_text("findings (")).to_be_visible()
        expect(page.locator("mark").first).to_be_visible()
        page.locator(IDLE).wait_for()
        page.screenshot(path=str(ARTIFACTS / "e2e-lint-page.png"), full_page=True)
        browser.close()
