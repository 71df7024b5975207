"""Crash reports: one sentence for the user, a local file with code locations and no input text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from drafting import crash
from drafting.cli.main import EXIT_INTERNAL, main

SECRET_TEXT = "Ana Ribeiro pasted sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"


def _fail_deep() -> None:
    try:
        {}["roles"]
    except KeyError as err:
        raise RuntimeError(SECRET_TEXT) from err


def test_a_report_names_types_and_code_locations_but_no_message_or_value() -> None:
    with pytest.raises(RuntimeError) as info:
        _fail_deep()
    text = crash.describe(info.value, "postmortem draft")
    assert "builtins.RuntimeError" in text and "builtins.KeyError" in text
    assert "_fail_deep" in text and "test_crash.py" in text
    assert "Ana" not in text and "sk-live" not in text and "roles" not in text


def test_the_report_file_is_private_to_its_owner() -> None:
    with pytest.raises(RuntimeError) as info:
        _fail_deep()
    path = crash.write_report(info.value, "test")
    assert path is not None and path.parent == Path(os.environ[crash.CRASH_DIR_ENV])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_unexpected_error_in_a_command_is_one_line_and_a_report_never_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(args: object) -> int:
        _fail_deep()
        return 0

    report = tmp_path / "r.md"
    report.write_text("All good.\n")
    monkeypatch.setattr("drafting.cli.commands.lint.run", broken)
    code = main(["lint", str(report)])
    err = capsys.readouterr().err
    assert code == EXIT_INTERNAL
    assert err.count("\n") == 1 and "Traceback" not in err and "Ana" not in err
    assert "RuntimeError" in err and "crash report" in err
    reports = list(Path(os.environ[crash.CRASH_DIR_ENV]).glob("crash-*.txt"))
    assert reports and "postmortem lint" in reports[0].read_text()
