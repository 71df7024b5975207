"""The ingestion API end to end: real fixture files, detection, ids, errors, NAMES.json honesty."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from drafting.errors import InputError, TranscriptError
from drafting.ingest import (
    FORMATS,
    UNKNOWN_SPEAKER,
    MessageKind,
    Transcript,
    detect_format,
    parse,
    parse_export,
    parse_users,
)
from drafting.textinput import decode_bytes, read_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "transcripts"
SAMPLES = Path(__file__).parents[1] / "fixtures" / "samples"  # copies of ../shared/samples
EXPORT = FIXTURES / "slack-export"
DAY_FILES = sorted((EXPORT / "inc-4471-payments").glob("*.json"))

EXPECTED_FORMATS = {
    "slack-paste-checkout-multiday.txt": "slack-paste",
    "slack-paste-quoted-legacy.txt": "slack-paste",
    "slack-paste-injection-24h.txt": "slack-paste",
    "slack-paste-cp1252.txt": "slack-paste",
    "slack-export-single.json": "slack-export",
    "irc-znc-dated.log": "irc",
    "irc-irssi-daychange.log": "irc",
    "teams-bracket.txt": "teams",
    "teams-classic.txt": "teams",
    "notes-utc-multiday.md": "notes",
    "fallback-email-thread.txt": "fallback",
    "slack-paste-thread-pane.txt": "slack-paste",
    "teams-de-24h.txt": "teams",
    "irc-weechat.log": "irc",
    "notes-gdoc-ampm.txt": "notes",
}


def load(name: str, **kwargs: object) -> Transcript:
    return parse(read_text(FIXTURES / name), **kwargs)  # type: ignore[arg-type]


def export() -> Transcript:
    users = parse_users((EXPORT / "users.json").read_text(encoding="utf-8"))
    return parse_export([p.read_text(encoding="utf-8") for p in DAY_FILES], users=users)


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPECTED_FORMATS.items()))
def test_every_fixture_is_detected_as_its_format(name: str, fmt: str) -> None:
    text = read_text(FIXTURES / name)
    assert detect_format(text) == fmt
    assert parse(text).format == fmt


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMATS))
def test_message_ids_run_m1_m2_in_input_order(name: str) -> None:
    messages = load(name).messages
    assert [m.id for m in messages] == [f"m{i}" for i in range(1, len(messages) + 1)]
    assert all(m.thread is None or int(m.thread[1:]) < int(m.id[1:]) for m in messages)


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMATS))
def test_parsed_timestamps_are_utc_and_text_is_never_empty_for_humans(name: str) -> None:
    for m in load(name, date=date(2024, 3, 4), tz="Europe/Berlin").messages:
        assert m.ts is None or m.ts.tzinfo is UTC
        if m.kind is MessageKind.HUMAN and m.speaker:
            assert m.text.strip()


def test_shared_irc_sample_has_a_monitor_bot_and_two_people() -> None:
    t = parse(read_text(SAMPLES / "dns-irc.log"))
    assert t.format == "irc"
    assert t.speakers() == ["monitor", "rkovacs", "jdiaz"]
    assert [m.kind for m in t.messages if m.speaker == "monitor"] == [MessageKind.BOT] * 2
    assert (t.messages[0].ts.hour, t.messages[0].ts.minute) == (21, 2)  # type: ignore[union-attr]
    assert t.messages[-1].text.startswith("about 22 minutes of failed resolution")


def test_shared_notes_sample_keeps_timed_entries_and_untimed_bullets() -> None:
    t = parse(read_text(SAMPLES / "pipeline-notes.md"), date=date(2024, 5, 6))
    assert t.format == "notes"
    timed = [m for m in t.messages if m.ts is not None]
    assert [m.ts.strftime("%H:%M") for m in timed] == [  # type: ignore[union-attr]
        "06:00",
        "06:12",
        "07:40",
        "07:52",
        "08:05",
        "09:10",
    ]
    assert timed[0].ts == datetime(2024, 5, 6, 6, 0, tzinfo=UTC)
    assert timed[1].text.startswith('warehouse load step hit "disk full"')
    assert [m.text.split(":")[0] for m in t.messages if m.ts is None][-2:] == ["impact", "ideas"]
    assert {m.speaker for m in t.messages} == {UNKNOWN_SPEAKER}


def test_shared_slack_sample_has_ten_messages_by_three_people() -> None:
    t = parse(read_text(SAMPLES / "stale-cache-slack.txt"))
    assert t.format == "slack-paste"
    assert len(t.messages) == 10
    assert t.speakers() == ["Ana Ribeiro", "Tom Becker", "Li Na"]
    assert t.messages[1].text == "@Tom Becker you're on call this week right?"
    assert t.messages[-1].ts.strftime("%H:%M") == "11:20"  # type: ignore[union-attr]
    assert not t.date_known


def test_windows_1252_bytes_decode_to_accented_names_and_smart_quotes() -> None:
    text = decode_bytes((FIXTURES / "slack-paste-cp1252.txt").read_bytes(), "upload")
    t = parse(text)
    assert t.speakers() == ["Renée Dubois", "José Peña"]
    assert "“Export to PDF”" in t.messages[0].text
    assert "€10 000" in t.messages[2].text
    assert "\r" not in "".join(m.text for m in t.messages)


def test_every_name_listed_in_names_json_really_occurs_in_its_fixture() -> None:
    listed = json.loads((FIXTURES / "NAMES.json").read_text(encoding="utf-8"))
    assert set(EXPECTED_FORMATS) <= set(listed)
    parsed = export()
    # Day files name people by user id; users.json supplies the names the transcript then holds.
    rendered = "\n".join(
        [f"{m.speaker}: {m.text}" for m in parsed.messages]
        + [" ".join(p.names()) for p in parsed.people]
    )
    for name, kinds in listed.items():
        raw = read_text(FIXTURES / name)
        haystack = raw + rendered if name.startswith("slack-export/") else raw
        for kind, values in kinds.items():
            assert kind in {"names", "handles", "emails", "phones", "secrets"}
            for value in values:
                assert value in haystack, f"{value!r} ({kind}) not in {name}"


def test_empty_or_whitespace_text_is_a_transcript_error() -> None:
    for text in ("", "   \n\t\n"):
        with pytest.raises(TranscriptError, match="empty"):
            parse(text)


def test_transcript_errors_are_input_errors_for_the_cli_exit_code() -> None:
    assert issubclass(TranscriptError, InputError)


def test_json_that_is_not_a_slack_export_is_refused_in_one_sentence() -> None:
    with pytest.raises(TranscriptError, match="not a Slack channel export"):
        parse('{"incident": "INC-1", "severity": 2}')
    with pytest.raises(TranscriptError, match="not a Slack channel export"):
        parse('[{"name": "alice"}, {"name": "bob"}]')


def test_broken_json_names_the_line_and_column() -> None:
    with pytest.raises(TranscriptError, match=r"not valid JSON \(line 2, column 1\)"):
        parse('[{"ts": "1.0", "text": "hi"},\n')


def test_an_empty_export_has_no_messages() -> None:
    with pytest.raises(TranscriptError, match="no messages"):
        parse("[]")


def test_unknown_format_and_zone_are_refused() -> None:
    with pytest.raises(TranscriptError, match="Unknown transcript format 'pdf'"):
        parse("hello", fmt="pdf")
    with pytest.raises(TranscriptError, match="Unknown time zone 'Mars/Olympus'"):
        parse("[10:00] <a> hi", tz="Mars/Olympus")


def test_format_aliases_and_case_are_accepted() -> None:
    assert parse("Ana  9:00 AM\nhi", fmt="Slack").format == "slack-paste"
    assert parse("anything", fmt="text").format == "fallback"


def test_formats_lists_every_parser_once() -> None:
    assert len(FORMATS) == len(set(FORMATS))
    wanted = {"slack-paste", "slack-export", "irc", "teams", "notes", "fallback", "whatsapp",
              "zoom", "google-meet", "telegram", "telegram-json", "google-chat", "discord",
              "matrix", "mattermost", "rocketchat", "zulip", "pagerduty-csv",
              "opsgenie-json"}  # fmt: skip
    assert wanted <= set(FORMATS)


def test_forcing_a_format_parses_text_it_would_not_detect() -> None:
    t = parse("[21:02] <monitor> ALERT\n[21:04] <rk> looking", fmt="fallback")
    assert [m.text for m in t.messages] == ["[21:02] <monitor> ALERT\n[21:04] <rk> looking"]
    assert t.messages[0].ts is None
