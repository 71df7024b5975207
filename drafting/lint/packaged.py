"""The lint's packaged data (``rules/*.yml`` and ``data/lexicon.yml``), read through a JSON copy.

The YAML files are the source. Importing PyYAML and parsing them takes about 30 ms, a fifth of a
`postmortem lint` run on one report, so ``data/packaged.json`` holds the same data as plain JSON
(parsed in about a millisecond) with a checksum of the YAML texts it was made from. The copy is
used only while the checksum matches; after any edit to a rule file the YAML is parsed again, so
a stale copy costs time, never correctness. ``python -m drafting.lint.packaged`` rewrites it, and
a test checks that the committed copy is current.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

# The package's data files sit beside its modules (a regular or editable install). Found from
# __file__ rather than importlib.resources, whose import alone adds ~10 ms to `postmortem lint`.
PACKAGE_DIR = Path(__file__).resolve().parent
COPY_FILE = PACKAGE_DIR / "data" / "packaged.json"
_FORMAT = 1


def load_yaml(text: str) -> Any:
    """Parse trusted packaged YAML (rules, word lists) with the fastest safe loader available.

    PyYAML is imported here, not at module level: most runs read the JSON copy instead.
    """
    import yaml

    # libyaml's parser when PyYAML was built with it: several times faster.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _sources() -> dict[str, str]:
    """Every packaged YAML text by its path under the package, rule files in name order."""
    paths = sorted(p for p in (PACKAGE_DIR / "rules").iterdir() if p.suffix in (".yml", ".yaml"))
    paths.append(PACKAGE_DIR / "data" / "lexicon.yml")
    return {p.relative_to(PACKAGE_DIR).as_posix(): p.read_text(encoding="utf-8") for p in paths}


def _checksum(sources: dict[str, str]) -> int:
    crc = zlib.crc32(str(_FORMAT).encode())
    for name, text in sources.items():
        crc = zlib.crc32(f"\0{name}\0{text}".encode(), crc)
    return crc


@lru_cache(maxsize=1)
def packaged_data() -> dict[str, Any]:
    """``{"rules": {file name: parsed list}, "lexicon": parsed mapping}`` (read once).

    Raw parsed data: rule files are still checked rule by rule where they are loaded. A rule file
    that is not valid YAML is reported by :func:`drafting.lint.loader.parse_rules`, so this keeps
    such a file's text (a string) for it to parse and report.
    """
    sources = _sources()
    checksum = _checksum(sources)
    try:
        copy = json.loads(COPY_FILE.read_text(encoding="utf-8"))
        if copy.get("checksum") == checksum:
            return dict(copy["data"])
    except (OSError, ValueError, AttributeError, KeyError):
        pass  # no copy, or an unreadable one: parse the YAML
    return _parse(sources)


def _parse(sources: dict[str, str]) -> dict[str, Any]:
    import yaml

    rules: dict[str, Any] = {}
    for name, text in sources.items():
        if name.startswith("rules/"):
            try:
                rules[name.removeprefix("rules/")] = load_yaml(text)
            except yaml.YAMLError:
                rules[name.removeprefix("rules/")] = text
    return {"rules": rules, "lexicon": load_yaml(sources["data/lexicon.yml"])}


def write_copy(path: Path = COPY_FILE) -> int:
    """Rewrite the JSON copy from the YAML sources; returns its size in bytes."""
    sources = _sources()
    body = {"format": _FORMAT, "checksum": _checksum(sources), "data": _parse(sources)}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode())


if __name__ == "__main__":
    print(f"{write_copy()} bytes written to {COPY_FILE}")
