"""The JSON copy of the packaged rules and word lists: current, equal to the YAML, and what a
`postmortem lint` run reads (so it imports neither PyYAML nor, without a config table, tomllib)."""

from __future__ import annotations

import json
import subprocess
import sys

from drafting.lint.packaged import COPY_FILE, _checksum, _parse, _sources, packaged_data


def test_the_committed_copy_is_current():
    # After editing a rule file or the lexicon: python -m drafting.lint.packaged
    copy = json.loads(COPY_FILE.read_text(encoding="utf-8"))
    assert copy["checksum"] == _checksum(_sources())
    assert copy["data"] == _parse(_sources())


def test_a_stale_copy_is_ignored_and_the_yaml_is_read(tmp_path, monkeypatch):
    stale = tmp_path / "packaged.json"
    stale.write_text(json.dumps({"checksum": 0, "data": {"rules": {}, "lexicon": {}}}))
    monkeypatch.setattr("drafting.lint.packaged.COPY_FILE", stale)
    packaged_data.cache_clear()
    try:
        assert packaged_data() == _parse(_sources())
    finally:
        packaged_data.cache_clear()


def test_a_lint_run_imports_neither_yaml_nor_tomllib(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    report = tmp_path / "r.md"
    report.write_text("The engineer forgot to renew the certificate.\n")
    code = (
        "import sys\n"
        "from drafting.cli.main import main\n"
        f"main(['lint', {str(report)!r}])\n"
        "print(sorted({'yaml', 'tomllib', 'drafting.crash'} & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert out.stdout.strip().split("\n")[-1] == "[]"
