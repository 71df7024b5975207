"""The packaged first-name list: it matches its dataset, and `postmortem lint` reads it lazily."""

from __future__ import annotations

import subprocess
import sys

from drafting.lint.names import dataset_names, is_person_name, person_names


def test_the_packaged_list_matches_the_dataset():
    # If Faker or wordfreq changed, regenerate with `python -m drafting.lint.names`.
    assert sorted(person_names()) == dataset_names()


def test_the_list_has_names_from_many_cultures_and_no_common_english_words():
    for name in ("thandiwe", "kwabena", "wiremu", "ngozi", "tomasz", "siddharth", "saoirse"):
        assert is_person_name(name), name
    for word in ("will", "baby", "among", "production", "traffic"):
        assert not is_person_name(word), word


def test_linting_loads_neither_faker_nor_wordfreq_and_the_list_only_when_needed():
    code = (
        "import sys\n"
        "from drafting.lint import lint_text\n"
        "from drafting.lint.names import person_names\n"
        "lint_text('The job failed to start.')\n"
        "print(person_names.cache_info().currsize)\n"
        "lint_text('Kwabena failed to page the team.')\n"
        "print(person_names.cache_info().currsize)\n"
        "print(sorted({'faker', 'wordfreq', 'spacy'} & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:3] == ["0", "1", "[]"]
