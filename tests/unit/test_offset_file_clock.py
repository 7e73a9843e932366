"""The clock a test harness moves in processes it runs: the offset in a file, read when it changes,
refused in production."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shared import config
from shared.clock import OffsetFileClock


def test_the_clock_runs_the_files_offset_ahead_and_follows_each_change(tmp_path):
    path = tmp_path / "clock-offset"
    clock = OffsetFileClock(path)
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=1)  # no file: no offset

    OffsetFileClock.write(path, timedelta(days=33))
    assert abs(clock.now() - (datetime.now(timezone.utc) + timedelta(days=33))) < timedelta(seconds=1)
    OffsetFileClock.write(path, timedelta(days=34, hours=3))  # a second process sees the move too
    for reader in (clock, OffsetFileClock(path)):
        ahead = reader.now() - datetime.now(timezone.utc)
        assert abs(ahead - timedelta(days=34, hours=3)) < timedelta(seconds=1)
    assert clock.now().tzinfo is not None

    path.unlink()
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=1)


def test_production_refuses_a_moved_clock(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGZHI_CLOCK_OFFSET_FILE", str(tmp_path / "clock-offset"))
    monkeypatch.setenv("GONGZHI_ENV", "development")
    assert config.clock_offset_file() == tmp_path / "clock-offset"
    monkeypatch.setenv("GONGZHI_ENV", "production")
    with pytest.raises(SystemExit, match="GONGZHI_CLOCK_OFFSET_FILE"):
        config.clock_offset_file()
    monkeypatch.delenv("GONGZHI_CLOCK_OFFSET_FILE")
    assert config.clock_offset_file() is None
