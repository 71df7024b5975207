"""Postmortem drafting, one package per pipeline stage, in this order:

    ingest/     text, files, exports -> Transcript
    anonymise/  people -> pseudonyms and roles, secrets redacted; prepare(); the egress guard
    condense    drop noise, fit the token budget, chunk
    draft/      the staged, structured conversation with the model -> Postmortem
    verify      citations, numbers, the 5 Whys ending, completeness
    review/     edit sections, relabel roles, lint findings, the approval gate
    export/     Markdown, JSON, CSV

Beside the stages: report/ (the Postmortem and the one section registry), model/ (the only
code that talks to a model endpoint), lint/ (the blamelessness lint), store/ (SQLite), cli/ (the
`postmortem` command), and errors, settings, textinput, metrics. See docs/internal-api.md.
"""

__version__ = "0.1.0"
