"""The PostgreSQL test harness itself: it fails, never skips, when PostgreSQL is missing."""

from __future__ import annotations

import pg
import pytest


def test_without_postgresql_installed_the_cluster_fails_with_one_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pg, "find_bindir", lambda: None)
    with pytest.raises(pytest.fail.Exception, match=r"install Debian's postgresql \(make test"):
        pg.start_cluster()


def test_the_binaries_are_found_where_make_postgres_looks() -> None:
    bindir = pg.find_bindir()
    assert bindir is not None and (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()
