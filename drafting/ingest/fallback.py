"""The format of last resort: any text, one message per paragraph, no timestamps or speakers.

Better a rough transcript than a refusal: the draft can still cite paragraphs by id.
"""

from __future__ import annotations

from drafting.ingest.raw import UNKNOWN_SPEAKER, Raw

FORMAT = "fallback"


def parse(text: str) -> list[Raw]:
    """Split text into paragraphs (blocks separated by blank lines), each a message."""
    raws: list[Raw] = []
    current: Raw | None = None
    for line in text.split("\n"):
        if not line.strip():
            current = None
        elif current is None:
            current = Raw(UNKNOWN_SPEAKER, [line.rstrip()])
            raws.append(current)
        else:
            current.lines.append(line.rstrip())
    return raws
