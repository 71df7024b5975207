"""Postmortem drafting: ingest, anonymise, draft, verify, lint, review and export."""

__version__ = "0.1.0"
