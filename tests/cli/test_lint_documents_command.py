"""`postmortem lint` on HTML and .docx reports, and `--summary` over a library of reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from drafting.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lint"
FORMATS = FIXTURES / "formats"
SARIF_SCHEMA = FIXTURES / "sarif-schema-2.1.0.json"
CERT = "## Root Cause\n\nThe on-call engineer forgot to renew the certificate.\n"
CONTRACT_KEYS = [
    *("path", "line", "column", "end_column", "rule"),
    *("severity", "message", "match", "suggestion"),
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no repository pyproject configures the lint


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Three reports: Notion HTML (3 findings, 5 Whys ends at a person), Word (1 finding, root
    cause ends at a system), Markdown (1 finding, root cause ends at a person)."""
    folder = tmp_path / "postmortems"
    (folder / "2026").mkdir(parents=True)
    shutil.copy(FORMATS / "notion-export.html", folder / "search.html")
    shutil.copy(FORMATS / "incident-report.docx", folder / "2026" / "payments.docx")
    (folder / "cert.md").write_text(CERT)
    (folder / "notes.png").write_bytes(b"\x89PNG not linted")
    return folder


def _sarif(capsys: pytest.CaptureFixture[str]) -> dict:
    log = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    return log


def test_a_folder_is_searched_for_html_and_docx_too(library, capsys):
    assert main(["lint", "--format", "json", str(library)]) == 1
    paths = [f["path"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert sorted(set(paths)) == sorted(
        str(library / p) for p in ("search.html", "2026/payments.docx", "cert.md")
    )


def test_docx_json_keeps_the_old_fields_and_adds_heading_path_and_paragraph(capsys):
    assert main(["lint", "--format", "json", str(FORMATS / "incident-report.docx")]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert list(finding)[:9] == CONTRACT_KEYS
    assert list(finding)[9:] == ["end_line", "category", "section", "heading_path", "paragraph"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (8, 22, 31)
    assert (finding["rule"], finding["severity"], finding["match"]) == (
        "BL-D02",
        "error",
        "forgot to",
    )
    assert finding["section"] == "Why the retry storm grew"
    assert finding["heading_path"] == [
        "INC-3107 Payment retries", "Analysis", "Root Cause", "Why the retry storm grew",
    ]  # fmt: skip
    assert finding["paragraph"] == 2


def test_markdown_json_keeps_its_fields_and_values(tmp_path, capsys):
    path = tmp_path / "pm.md"
    path.write_text(CERT)
    main(["lint", "--format", "json", str(path)])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert list(finding)[:9] == CONTRACT_KEYS
    assert (finding["line"], finding["column"], finding["end_column"]) == (3, 22, 31)
    assert finding["section"] == "Root Cause" and finding["end_line"] == 3
    assert finding["heading_path"] == ["Root Cause"] and finding["paragraph"] == 1


def test_text_output_names_the_heading_path_for_html(capsys):
    main(["lint", str(FORMATS / "confluence-export.html")])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{FORMATS / 'confluence-export.html'}:35:22: error BL-D02 ")
    assert lines[1] == (
        "    in: Postmortems : INC-2041 Checkout outage > Root Cause > "
        "Why the change reached production, paragraph 2"
    )
    assert lines[2].startswith("    suggestion: ")


def test_sarif_for_html_has_lines_and_for_docx_a_logical_location(capsys):
    html, word = FORMATS / "confluence-export.html", FORMATS / "incident-report.docx"
    main(["lint", "--format", "sarif", str(html), str(word)])
    first, second = _sarif(capsys)["runs"][0]["results"]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 35, "endLine": 35, "snippet": {"text": "forgot to"}}
    assert "region" not in second["locations"][0]["physicalLocation"]
    (logical,) = second["locations"][0]["logicalLocations"]
    assert logical["fullyQualifiedName"] == (
        "INC-3107 Payment retries > Analysis > Root Cause > Why the retry storm grew > paragraph 2"
    )


def test_sarif_over_a_mixed_folder_validates(library, capsys):
    main(["lint", "--format", "sarif", "--fail-on", "info", str(library)])
    assert len(_sarif(capsys)["runs"][0]["results"]) == 5


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"PK\x03\x04\x14\x00 this zip was cut short", "not a readable Word (.docx) document"),
        (b"just some text", "not a readable Word (.docx) document"),
    ],
)
def test_a_corrupt_docx_exits_two_with_one_line(tmp_path, capsys, content, fragment):
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    assert main(["lint", str(path)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0] and str(path) in err[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_html_with_no_text_exits_two_with_one_line(tmp_path, capsys):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>t</title></head><body><div></div></body></html>")
    assert main(["lint", str(path)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == f"postmortem: {path} has no text to lint."


def test_summary_counts_a_three_report_folder_exactly(library, capsys):
    assert main(["lint", str(library), "--summary"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "3 report(s), 5 finding(s): 3 error, 2 warning"
    assert "  omission            2\n" in out and "  BL-D02      2\n" in out
    top = out.split("Reports with the most findings (top 3):\n")[1].split("\n\n")[0]
    assert top.splitlines() == [
        f"      3  {library / 'search.html'}",
        f"      1  {library / '2026' / 'payments.docx'}",
        f"      1  {library / 'cert.md'}",
    ]
    assert out.endswith(
        "Reports whose 5 Whys or root cause ends at a person: 2 of 3\n"
        f"  {library / 'cert.md'}\n  {library / 'search.html'}\n"
    )


def test_summary_json_has_the_documented_shape(library, capsys):
    assert main(["lint", "--format", "json", "--summary", str(library)]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary == {
        "reports": 3,
        "findings": 5,
        "severities": {"error": 3, "warning": 2, "info": 0},
        "categories": {"omission": 2, "counterfactual": 1, "framing": 1, "hindsight": 1},
        "rules": {"BL-D02": 2, "BL-C01": 1, "BL-F01": 1, "BL-H02": 1},
        "top_reports": [
            {"path": str(library / "search.html"), "findings": 3},
            {"path": str(library / "2026" / "payments.docx"), "findings": 1},
            {"path": str(library / "cert.md"), "findings": 1},
        ],
        "ends_at_person": {
            "count": 2,
            "paths": [str(library / "cert.md"), str(library / "search.html")],
        },
    }


def test_summary_takes_several_files_and_keeps_the_exit_codes(tmp_path, capsys):
    clean = tmp_path / "clean.md"
    clean.write_text("## Root Cause\n\nThe renewal job had no alert.\n")
    warn = tmp_path / "warn.md"
    warn.write_text("## Notes\n\nObviously the cache was stale.\n")
    assert main(["lint", "--summary", str(clean), str(warn)]) == 0
    assert main(["lint", "--summary", "--fail-on", "warning", str(clean), str(warn)]) == 1
    out = capsys.readouterr().out
    assert "2 report(s), 1 finding(s): 1 warning" in out
    assert "ends at a person: 0 of 2" in out


def test_summary_with_sarif_is_a_usage_error(library, capsys):
    assert main(["lint", "--summary", "--format", "sarif", str(library)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == (
        "postmortem: --summary prints text or json, not sarif."
    )


def test_html_and_docx_parsers_are_loaded_only_for_such_files(tmp_path):
    md = tmp_path / "pm.md"
    md.write_text(CERT)
    code = (
        "import sys; from drafting.cli.main import main\n"
        "main(['lint', sys.argv[1]]); print(sorted({'bs4', 'docx', 'lxml'} & set(sys.modules)))\n"
        "main(['lint', sys.argv[2]]); print(sorted({'bs4', 'docx'} & set(sys.modules)))\n"
    )
    html = str(FORMATS / "confluence-export.html")
    run = subprocess.run(
        [sys.executable, "-c", code, str(md), html], capture_output=True, text=True, check=True
    )
    loaded = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert loaded == ["[]", "['bs4']"], run.stdout
