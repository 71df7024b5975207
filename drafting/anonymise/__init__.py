"""Anonymise on the machine: who took part, their pseudonyms and roles, redaction, the leak guard.

Pure: no I/O. The real-name mapping lives only in the :class:`Roster`; nothing here sends text.
Modules: ``roster`` (the people and their labels), ``people`` (collecting names from a
transcript), ``names`` (name detection in prose), ``wordlists`` (words that are not names),
``redact`` (emails, phones, secrets), ``scrub`` (applying all of that to a transcript),
``prepare`` (the one parse -> roster -> anonymise -> notes sequence the CLI and the app run) and
``egress`` (the last check before text leaves the machine).
"""

from drafting.anonymise.roster import Roster, RosterEntry
from drafting.anonymise.scrub import (
    Detector,
    anonymise,
    build_roster,
    parse_roles,
    relabel,
    render_lines,
    replace_labels,
    scrub,
    scrubber,
)

__all__ = [
    "Detector",
    "Roster",
    "RosterEntry",
    "anonymise",
    "build_roster",
    "parse_roles",
    "relabel",
    "render_lines",
    "replace_labels",
    "scrub",
    "scrubber",
]
