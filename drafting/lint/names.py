"""People's first names from a maintained dataset, for the lint's subject checks.

The list is Faker's person data for every locale (about 31,000 first names, MIT), as the
anonymiser's name detection reads it (:func:`drafting.anonymise.names.first_names`), kept to
single words that are not common English words (wordfreq's Zipf scale below 4: "Oluwaseun",
"Thandiwe" and "Kwabena" stay; "Will", "Adam" and "Baby" go, and the common names among them
are in the curated ``first_names`` of ``data/lexicon.yml``).

It is packaged as ``data/person-names.json`` (package data, parsed in a few milliseconds)
because importing Faker's locales and wordfreq takes about a second, far longer than a lint
run. The file is read on first use, only when a blame pattern's subject is a capitalised word
that no shorter list knows. ``python -m drafting.lint.names`` rewrites it, and a test checks
that it matches the dataset.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from drafting.lint.packaged import PACKAGE_DIR

NAMES_FILE = PACKAGE_DIR / "data" / "person-names.json"
# One word of letters, a hyphenated part allowed (Mei-Ling), at least three letters.
_ONE_WORD = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]+)?")


@lru_cache(maxsize=1)
def person_names() -> frozenset[str]:
    """The packaged first names, lower case (read once, on first use)."""
    return frozenset(json.loads(NAMES_FILE.read_text(encoding="utf-8")))


def is_person_name(word: str) -> bool:
    """True when the lower-case ``word`` is a first name in the dataset."""
    return word in person_names()


def dataset_names() -> list[str]:
    """The list as the dataset gives it today, sorted (slow: imports Faker and wordfreq)."""
    from drafting.anonymise.names import english_word, first_names

    return sorted(w for w in first_names() if _ONE_WORD.fullmatch(w) and not english_word(w))


def write_names(path: Path = NAMES_FILE) -> int:
    """Rewrite the packaged list from the dataset; returns the number of names."""
    names = dataset_names()
    path.write_text(json.dumps(names, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return len(names)


if __name__ == "__main__":
    print(f"{write_names()} names written to {NAMES_FILE}")
