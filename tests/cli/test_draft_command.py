"""`postmortem draft`: the CLI contract (output, progress on stderr, audit, exit codes, resume)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from stage_server import DNS_SAMPLE, StageServer, running

from drafting.cli.main import main

PROGRESS = re.compile(r"\[(\d)/8\] (\w+)  \d+\+\d+ tokens  \d+\.\ds")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StageServer]:
    with running() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("POSTMORTEM_MODEL", "test-model")
        monkeypatch.setenv("POSTMORTEM_MAX_RETRIES", "0")
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        yield fake


def test_draft_prints_markdown_and_one_progress_line_per_stage(
    server: StageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["draft", str(DNS_SAMPLE)]) == 0
    out, err = capsys.readouterr()
    for heading in ("## Summary", "## Timeline", "## Root Cause", "## Action Items"):
        assert heading in out
    stages = [m.group(2) for m in PROGRESS.finditer(err)]
    assert stages == ["timeline", "roles", "impact", "five_whys", "factors", "reflection",
                      "actions", "summary"]  # fmt: skip
    assert "Traceback" not in err


def test_draft_writes_json_to_a_file_and_the_audit_of_every_request(
    server: StageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, audit = tmp_path / "pm.json", tmp_path / "audit.jsonl"
    args = ["draft", str(DNS_SAMPLE), "--format", "json", "-o", str(out), "--audit", str(audit)]
    assert main(args) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text())["title"] == "DNS records deleted by cleanup pipeline"
    sent = [json.loads(line) for line in audit.read_text().splitlines()]
    assert sent == server.requests and len(sent) == 8
    assert "rkovacs" not in audit.read_text() and "jdiaz" not in audit.read_text()


def test_a_failed_stage_exits_2_keeps_the_partial_and_resume_finishes(
    server: StageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pm.md"
    server.fail = {"ActionsStage"}
    assert main(["draft", str(DNS_SAMPLE), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    partial = tmp_path / "pm.partial.json"
    assert f"--resume {partial}" in err and "actions stage" in err
    assert err.count("\n") == len(err.splitlines()) and "Traceback" not in err
    assert partial.exists() and not out.exists()
    server.fail, server.requests = set(), []
    assert main(["draft", str(DNS_SAMPLE), "-o", str(out), "--resume", str(partial)]) == 0
    assert server.stages() == ["ActionsStage", "SummaryStage"]
    assert "## Action Items" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["draft", "/nonexistent/t.log"], "does not exist"),
        (["draft", str(DNS_SAMPLE), "--template", "nope"], "Unknown template"),
        (["draft", str(DNS_SAMPLE), "--resume", str(DNS_SAMPLE)], "not a saved partial draft"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    server: StageServer, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert server.requests == []


def test_notes_are_anonymised_and_sent_after_the_transcript(
    server: StageServer, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("rkovacs restored from the 20:00 backup; call +44 7700 900123 if needed\n")
    assert main(["draft", str(DNS_SAMPLE), "--notes", str(notes), "-o", str(tmp_path / "o")]) == 0
    data = server.requests[0]["messages"][1]["content"]
    assert "Responder A restored from the 20:00 backup" in data
    assert data.index("restored from the 20:00 backup;") > data.index("m8 21:30")
    assert "rkovacs" not in json.dumps(server.requests) and "900123" not in data


def test_draft_takes_the_same_input_options_as_anonymise(
    server: StageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--date, --tz, --input-format, --detect-names and --redact-ips reach the anonymised text."""
    audit = tmp_path / "audit.jsonl"
    inputs = ["--date", "2026-03-01", "--tz", "+02:00", "--no-detect-names", "--redact-ips",
              "--input-format", "irc"]  # fmt: skip
    args = ["draft", str(DNS_SAMPLE), *inputs, "--audit", str(audit), "-o", str(tmp_path / "o.md")]
    assert main(args) == 0
    assert main(["anonymise", str(DNS_SAMPLE), *inputs]) == 0
    lines = capsys.readouterr().out.splitlines()
    sent = audit.read_text()
    # The same anonymised message goes to the model as `anonymise` prints.
    assert lines[1] == "[21:04] Responder A: looking. dig shows the zone lost its A records"
    assert "Responder A: looking. dig shows the zone lost its A records" in sent


@pytest.mark.parametrize("command", ["anonymise", "draft"])
def test_anonymise_and_draft_list_the_same_input_options(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    for option in ("--users", "--roles", "--date", "--tz", "--input-format", "--detect-names",
                   "--redact-ips", "--redact-hosts"):  # fmt: skip
        assert option in out, option


def test_a_transcript_nobody_is_named_in_still_drafts(
    server: StageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found on real input: plain prose has no speakers, which once ended in a KeyError."""
    prose = tmp_path / "notes.txt"
    prose.write_text("Checkout failed from 10:02 to 10:40.\nWe rolled back and errors stopped.\n")
    assert main(["draft", str(prose)]) == 0
    out, err = capsys.readouterr()
    assert "## Summary" in out and "Traceback" not in err
