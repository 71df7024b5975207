"""Re-record ``cassettes/app_stale_cache.yaml``: the app's own requests, answered by the real model.

Drives the app headless (AppTest) through paste -> Anonymise -> Generate draft, with the replay
server in record mode as a proxy in front of the embedded 0.5B server, so the cassette holds
exactly the requests the app sends. Re-record whenever a prompt or stage schema changes:

    .venv/bin/python tests/record_app_cassette.py            # about 10-20 minutes on 2 cores

Needs the embedded model prepared (``make model-small``); reuses a running server.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from replay_server import ReplayServer  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from drafting.model import server as local_model  # noqa: E402
from ui.state import Keys  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "stale-cache-slack.txt"
TARGET = ROOT / "cassettes" / "app_stale_cache.yaml"


def main() -> None:
    """Record the cassette; the old one is kept unless the run finishes without an error."""
    server = local_model.running_server("0.5b") or local_model.ensure_server("0.5b")
    staging = Path(tempfile.mkdtemp(prefix="record-")) / TARGET.name
    proxy = ReplayServer([], mode="record", upstream=server.base_url, record_to=staging)
    with proxy as url:
        os.environ.update(
            OPENAI_BASE_URL=url, OPENAI_API_KEY="local", POSTMORTEM_MODEL=server.model,
            POSTMORTEM_SCHEMA_DIALECT="json_object", POSTMORTEM_MAX_RETRIES="0",
            POSTMORTEM_DB=str(staging.with_suffix(".sqlite3")),
        )  # fmt: skip
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
        at.run()
        at.text_area(key=Keys.TRANSCRIPT).set_value(SAMPLE.read_text(encoding="utf-8")).run()
        next(b for b in at.button if b.label == "Anonymise").click().run()
        start = time.perf_counter()
        next(b for b in at.button if b.label == "Generate draft").click().run()
        errors = [e.value for e in at.error]
    if errors or Keys.DRAFT not in at.session_state:
        sys.exit(f"not recorded: {errors}")
    staging.replace(TARGET)
    print(f"recorded {len(proxy.recorded)} requests in {time.perf_counter() - start:.0f} s")
    print("\n".join(at.session_state[Keys.STAGES]))


if __name__ == "__main__":
    main()
