"""Reading user-supplied text (files, stdin, uploads) safely.

One place decides what counts as unreadable: missing, a directory, empty or whitespace-only,
binary, over the size limit, or undecodable. Each becomes an :class:`InputError` with one sentence.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from drafting.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_BYTES_ENV = "POSTMORTEM_MAX_INPUT_BYTES"


def max_input_bytes() -> int:
    """The configured input size limit in bytes (``POSTMORTEM_MAX_INPUT_BYTES``, default 20 MB)."""
    raw = os.environ.get(MAX_BYTES_ENV, "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULT_MAX_BYTES


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode bytes as UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252.

    Raises:
        InputError: the data is empty, whitespace only, binary, or over the size limit.
    """
    limit = max_input_bytes()
    if len(data) > limit:
        raise InputError(
            f"{name} is {len(data) / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit "
            f"(set {MAX_BYTES_ENV} to raise it)."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file, not text.")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if _looks_binary(text):
        raise InputError(f"{name} looks like a binary file, not text.")
    if not text.strip():
        raise InputError(f"{name} is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v\x1b")
    return control / len(sample) > 0.05


def read_text(path: str | Path) -> str:
    """Read a text file, or standard input when ``path`` is ``-``.

    Raises:
        InputError: the file is missing, a directory, unreadable, empty, binary or too large.
    """
    name = str(path)
    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "standard input")
    return decode_bytes(read_file_bytes(path), name)


def read_file_bytes(path: str | Path) -> bytes:
    """A file's bytes, checked as all input is (text, or a binary report such as ``.docx``).

    Raises:
        InputError: the file is missing, a directory, unreadable or too large.
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{name} does not exist.")
    if p.is_dir():
        raise InputError(f"{name} is a directory, not a file.")
    try:
        size = p.stat().st_size
        if size > max_input_bytes():
            raise InputError(
                f"{name} is {size / 1e6:.1f} MB, over the {max_input_bytes() / 1e6:.0f} MB limit "
                f"(set {MAX_BYTES_ENV} to raise it)."
            )
        return p.read_bytes()
    except OSError as err:
        raise InputError(f"{name} could not be read: {err.strerror or err}.") from err


ARCHIVE_MAX_FILES = 20_000


def is_archive(path: str | Path) -> bool:
    """True for what holds a whole export: a folder, or a ``.zip`` file."""
    p = Path(path)
    return str(path) != "-" and (p.is_dir() or p.suffix.lower() == ".zip")


def read_archive(path: str | Path) -> dict[str, bytes]:
    """The JSON files of a zip or a folder, by their path inside it (``general/2024-03-04.json``).

    Raises:
        InputError: missing, not a zip, too many files, or over the size limit in total.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path} does not exist.")
    limit = max_input_bytes()
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.json") if f.is_file())
        if len(files) > ARCHIVE_MAX_FILES:
            raise InputError(f"{path} holds over {ARCHIVE_MAX_FILES} files; is it an export?")
        if sum(f.stat().st_size for f in files) > limit:
            raise InputError(f"{path} is over the {limit / 1e6:.0f} MB input limit.")
        return {f.relative_to(p).as_posix(): f.read_bytes() for f in files}
    return unzip(p.read_bytes(), str(path))


def unzip(data: bytes, name: str = "the upload") -> dict[str, bytes]:
    """The JSON files inside zip ``data`` (an upload, or a file read by :func:`read_archive`).

    Raises:
        InputError: not a zip, too many files, or over the size limit once unpacked.
    """
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"{name} is not a zip file.") from None
    entries = [i for i in archive.infolist() if i.filename.endswith(".json") and not i.is_dir()]
    limit = max_input_bytes()
    if len(entries) > ARCHIVE_MAX_FILES or sum(i.file_size for i in entries) > limit:
        raise InputError(f"{name} is over the {limit / 1e6:.0f} MB input limit once unpacked.")
    return {i.filename: archive.read(i) for i in entries}
