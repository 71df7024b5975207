"""`postmortem anonymise`: clean output, the local mapping, and one clear line for bad input."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from drafting.anonymise import names
from drafting.cli.main import main

SLACK = """\
Ana Ribeiro  8:31 AM
customers in #support are reporting old prices on product pages, anyone else?
Ana Ribeiro  8:34 AM
@Tom Becker you're on call this week right?
Tom Becker  9:30 AM
ack, product_data_freshness_check just paged me. ProductService is stale in eu-west
Li Na  11:00 AM
found it: the topic is an empty string. mail me at li.na@example.com
Ana Ribeiro  11:20 AM
thanks both! my number if they need me: 020 7946 0321
"""
REAL = ["Ana", "Ribeiro", "Tom", "Becker", "Li Na", "li.na", "020 7946", "example.com"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["anonymise", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def slack(tmp_path: Path) -> Path:
    path = tmp_path / "incident.txt"
    path.write_text(SLACK, encoding="utf-8")
    return path


def test_anonymise_prints_one_clean_line_per_message(
    capsys: pytest.CaptureFixture[str], slack: Path
) -> None:
    code, out, _ = run(capsys, str(slack), "--no-detect-names")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("[08:31] Responder A: customers in #support")
    assert lines[1] == "[08:34] Responder A: Responder B you're on call this week right?"
    assert lines[3].endswith("mail me at [EMAIL]")
    assert lines[4].endswith("my number if they need me: [PHONE]")
    assert not [r for r in REAL if r in out]


def test_roles_file_turns_pseudonyms_into_roles(
    capsys: pytest.CaptureFixture[str], slack: Path, tmp_path: Path
) -> None:
    roles = tmp_path / "roles.json"
    roles.write_text(json.dumps({"Tom Becker": "On-call SRE", "Responder C": "Developer"}))
    code, out, _ = run(capsys, str(slack), "--roles", str(roles), "--no-detect-names")
    assert code == 0
    assert "[09:30] On-call SRE: ack" in out
    assert "[11:00] Developer: found it" in out


def test_mapping_is_written_only_when_asked_and_only_for_the_owner(
    capsys: pytest.CaptureFixture[str], slack: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.json"
    code, out, err = run(capsys, str(slack), "--mapping-out", str(mapping), "--no-detect-names")
    assert code == 0
    data = json.loads(mapping.read_text(encoding="utf-8"))
    assert [(p["label"], p["names"]) for p in data["people"]] == [
        ("Responder A", ["Ana Ribeiro"]),
        ("Responder B", ["Tom Becker"]),
        ("Responder C", ["Li Na"]),
    ]
    assert stat.S_IMODE(mapping.stat().st_mode) == 0o600
    assert "Ribeiro" not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incident.txt", "mapping.json"]


def test_mapping_never_goes_to_stdout(capsys: pytest.CaptureFixture[str], slack: Path) -> None:
    code, out, err = run(capsys, str(slack), "--mapping-out", "-")
    assert (code, out) == (2, "")
    assert "--mapping-out needs a file path" in err


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (None, [], "does not exist"),
        (b"", [], "is empty"),
        (b"  \n\t\n", [], "is empty"),
        (b"\x00\x01\x02binary\x00", [], "binary"),
        (b'{"not": "an export"', ["--format", "slack-export"], "JSON"),
        (SLACK.encode(), ["--date", "yesterday"], "is not a date"),
        (SLACK.encode(), ["--format", "fax"], "Unknown transcript format"),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes | None,
    extra: list[str],
    message: str,
) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, str(path), "--no-detect-names", *extra)
    assert (code, out) == (2, "")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("--roles", "[1, 2]", "roles file must be a JSON object"),
        ("--roles", "{oops", "roles file is not valid JSON"),
        ("--users", "{oops", "users"),
    ],
)
def test_bad_roles_or_users_file_gives_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    slack: Path,
    tmp_path: Path,
    option: str,
    content: str,
    message: str,
) -> None:
    extra = tmp_path / "extra.json"
    extra.write_text(content)
    code, _, err = run(capsys, str(slack), option, str(extra), "--no-detect-names")
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_users_json_names_are_replaced_even_when_they_never_speak(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    users = tmp_path / "users.json"
    users.write_text(
        json.dumps([{"id": "U1", "name": "dana.s", "real_name": "Dana Scully", "profile": {}}])
    )
    log = tmp_path / "irc.log"
    log.write_text("[21:04] <rkovacs> asked Dana and dana.s, Scully agrees\n")
    code, out, _ = run(capsys, str(log), "--users", str(users), "--no-detect-names")
    assert code == 0
    assert out == "[21:04] Responder A: asked Responder B and Responder B, Responder B agrees\n"


def test_explicit_name_detection_without_the_extra_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], slack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names, "available", lambda: False)
    names._batch_analyzer.cache_clear()
    try:
        code, out, err = run(capsys, str(slack), "--detect-names")
    finally:
        names._batch_analyzer.cache_clear()
    assert (code, out) == (2, "")
    assert "'ner' extra" in err


def test_default_detection_degrades_to_the_roster_with_a_note(
    capsys: pytest.CaptureFixture[str], slack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names, "available", lambda: False)
    code, out, err = run(capsys, str(slack))
    assert code == 0
    assert "name detection is off" in err
    assert "Responder B" in out


@pytest.mark.skipif(not names.available(), reason="the 'ner' extra is not installed")
def test_by_default_names_of_people_who_never_speak_are_found_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "Incident notes\n\n- 07:40 analyst (Mei) noticed numbers missing, pinged #data\n"
        "- 07:52 I picked it up; thanks Lisa from support for the heads-up\n"
    )
    code, out, _ = run(capsys, str(notes))
    assert code == 0
    assert "Mei" not in out and "Lisa" not in out
    assert "analyst (Responder A) noticed" in out
    assert "thanks Responder B from support" in out


def test_a_line_addressed_to_the_model_is_withheld_and_said_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"
    code, out, err = run(capsys, str(path / "slack-paste-injection-24h.txt"))
    assert code == 0
    assert "previous instructions" not in out and "[line addressed to the model withheld]" in out
    assert "full scan on orders.created_at" in out  # the rest of that message stays
    assert "withheld from m9" in err


def test_turning_name_detection_off_says_it_is_weaker(
    slack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, str(slack), "--no-detect-names")
    assert code == 0 and "weaker anonymisation" in err


EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts" / "slack-export"


def test_a_slack_export_folder_or_zip_is_read_with_its_users(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in EXPORT.rglob("*.json"):
            z.write(path, path.relative_to(EXPORT).as_posix())
    code, from_folder, _ = run(capsys, str(EXPORT))
    assert code == 0 and "PagerDuty: Triggered" in from_folder
    code, from_zip, _ = run(capsys, str(archive), "--channel", "inc-4471-payments")
    assert code == 0 and from_zip == from_folder


def test_channel_on_a_plain_file_or_a_missing_channel_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], slack: Path
) -> None:
    code, _, err = run(capsys, str(slack), "--channel", "general")
    assert code == 2 and err.count("\n") == 1 and "only applies to a Slack export" in err
    code, _, err = run(capsys, str(EXPORT), "--channel", "general")
    assert code == 2 and "has no channel 'general'" in err
