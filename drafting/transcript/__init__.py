"""Transcript ingestion: auto-detect the format of what people paste and parse it.

Public API: :func:`parse`, :class:`Transcript`, :class:`Message`, :class:`MessageKind`,
:class:`Person`.
"""

from drafting.transcript.model import Message, MessageKind, Person, Transcript

__all__ = ["Message", "MessageKind", "Person", "Transcript"]
