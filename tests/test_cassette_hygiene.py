"""Cassettes are published with the repository: none may hold a key, a cookie or a real name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
import yaml

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
    """Names, handles, contacts and secrets from the fixtures; absent file means none known."""
    if not NAMES_FILE.is_file():
        return []
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    # Keys are file names and categories ("names", "phones"), not names: only values count.
    return sorted({value for value in _strings(data, keys=False) if len(value) >= 3})


def _strings(value: object, *, keys: bool = True) -> Iterator[str]:
    """Every string in a nested structure; strings holding JSON (request bodies) are opened too."""
    if isinstance(value, dict):
        for key, item in value.items():
            if keys:
                yield str(key)
            yield from _strings(item, keys=keys)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, keys=keys)
    elif isinstance(value, str):
        yield value
        if value.startswith(("{", "[")):
            with suppress(ValueError):
                yield from _strings(json.loads(value))


def cassette_text(path: Path) -> str:
    """The raw YAML plus every string in it unwrapped and JSON-decoded, so that neither YAML line
    folding nor JSON unicode escapes can hide a name."""
    raw = path.read_text(encoding="utf-8")
    return raw + "\n" + "\n".join(_strings(yaml.safe_load(raw)))


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
    assert problems(cassette_text(path), fixture_names()) == []


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


def test_fixture_names_are_read_from_every_category() -> None:
    names = fixture_names()
    if NAMES_FILE.is_file():
        assert names, "NAMES.json exists but no names were read from it"


def test_a_name_hidden_by_line_folding_or_escapes_is_still_found(tmp_path: Path) -> None:
    body = json.dumps({"messages": [{"content": "Björn Eriksen restarted it"}]})
    cassette = tmp_path / "c.yaml"
    cassette.write_text(yaml.safe_dump({"interactions": [{"request": {"body": body}}]}, width=20))
    assert "Björn Eriksen" not in cassette.read_text()
    found = problems(cassette_text(cassette), ["Björn Eriksen"])
    assert found == ["the fixture name 'Björn Eriksen'"]


def test_the_check_catches_a_fixture_name_and_passes_clean_text() -> None:
    assert problems("the on-call engineer, Priya Raman, restarted it", ["Priya Raman"]) == [
        "the fixture name 'Priya Raman'"
    ]
    assert problems("content-type: application/json\nthe On-call engineer restarted it", []) == []
