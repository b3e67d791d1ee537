import gc

import pytest

from commonground.core.memory import gc_paused


@pytest.fixture
def collector():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_gc_is_paused_inside_and_back_on_after(collector):
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner block must not turn it back on early
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_comes_back_when_the_block_fails(collector):
    gc.enable()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("import refused")
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off(collector):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()
