"""The garbage collector is held off while offline batches are merged (``sync.collector_paused``), and
handed back as it was: enabled again when the last overlapping batch ends, also after an error, and
left disabled when it was disabled before (the negative control: the pause does not just enable it)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tixmo.checkin.sync import collector_paused


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_overlapping_batches_share_the_pause_and_the_last_one_ends_it(collector_enabled: None) -> None:
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()  # a second batch of the process, begun while the first runs
    first.__exit__(None, None, None)  # the first ends first: the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_an_error_in_a_batch_hands_the_collector_back(collector_enabled: None) -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("the merge failed")
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled(collector_enabled: None) -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
