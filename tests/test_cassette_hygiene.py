"""Cassettes are published with the repository: none may hold a key, a cookie or a real name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASSETTE_DIR = ROOT / "cassettes"
NAMES_FILE = ROOT / "tests" / "fixtures" / "transcripts" / "NAMES.json"

FORBIDDEN = {
    "an Authorization header": re.compile(r"^\s*-?\s*['\"]?authorization['\"]?\s*:", re.I | re.M),
    "a cookie": re.compile(r"^\s*-?\s*['\"]?(set-)?cookie['\"]?\s*:", re.I | re.M),
    "an API key header": re.compile(r"^\s*-?\s*['\"]?(api-key|x-api-key)['\"]?\s*:", re.I | re.M),
    "an OpenAI-style key": re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    "a bearer token": re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{8,}", re.I),
}


def cassettes() -> list[Path]:
    return sorted(CASSETTE_DIR.glob("*.yaml")) + sorted(CASSETTE_DIR.glob("*.json"))


def fixture_names() -> list[str]:
    """Real-looking names the fixtures use; another module owns the file, so it may be absent."""
    if not NAMES_FILE.is_file():
        return []
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    values = data if isinstance(data, list) else [v for vs in data.values() for v in _flat(vs)]
    return sorted({str(v) for v in values if len(str(v)) >= 3})


def _flat(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


def problems(text: str, names: list[str]) -> list[str]:
    """What is wrong with one cassette's text (empty when clean)."""
    found = [label for label, pattern in FORBIDDEN.items() if pattern.search(text)]
    found += [
        f"the fixture name {name!r}"
        for name in names
        if re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text, re.I)
    ]
    return found


def test_there_are_recorded_cassettes() -> None:
    assert cassettes(), "cassettes/ should hold recordings of the real embedded server"


@pytest.mark.parametrize("path", cassettes(), ids=lambda p: p.name)
def test_cassette_holds_no_key_cookie_or_fixture_name(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8"), fixture_names()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("headers:\n  Authorization:\n  - Bearer abc", "an Authorization header"),
        ("    set-cookie:\n    - session=1", "a cookie"),
        ('body: "key is sk-proj-abcdefghijklmnop1234"', "an OpenAI-style key"),
        ("headers:\n  api-key:\n  - x", "an API key header"),
    ],
)
def test_the_check_catches_what_it_must(text: str, expected: str) -> None:
    assert expected in problems(text, [])


def test_the_check_catches_a_fixture_name_and_passes_clean_text() -> None:
    assert problems("the on-call engineer, Priya Raman, restarted it", ["Priya Raman"]) == [
        "the fixture name 'Priya Raman'"
    ]
    assert problems("content-type: application/json\nthe On-call engineer restarted it", []) == []
