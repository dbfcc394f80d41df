"""The circuit breaker: stop calling a provider that keeps failing, then probe once."""

from __future__ import annotations

import threading

import pytest

from codeflow_widget.flow.breaker import CircuitBreaker, breaker_for, reset_breakers
from codeflow_widget.model.errors import BreakerOpen, ProviderError


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock) -> CircuitBreaker:
    return CircuitBreaker("MiniMax", threshold=3, cooldown_s=120, clock=clock)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.before_call()
        breaker.record_failure()


def open_breaker(breaker: CircuitBreaker) -> None:
    fail(breaker, breaker.threshold)
    assert breaker.state == "open"


# -- closed ------------------------------------------------------------------------
def test_a_new_breaker_is_closed_and_lets_calls_through(breaker):
    assert breaker.state == "closed"
    for _ in range(10):
        breaker.before_call()


def test_the_breaker_stays_closed_below_the_threshold(breaker):
    fail(breaker, 2)
    assert breaker.state == "closed"
    breaker.before_call()


def test_the_breaker_opens_after_threshold_consecutive_failures(breaker):
    fail(breaker, 3)
    assert breaker.state == "open"
    with pytest.raises(BreakerOpen):
        breaker.before_call()


@pytest.mark.parametrize("threshold", [1, 5])
def test_the_threshold_is_configurable(clock, threshold):
    breaker = CircuitBreaker("x", threshold=threshold, cooldown_s=120, clock=clock)
    fail(breaker, threshold - 1)
    assert breaker.state == "closed"
    fail(breaker, 1)
    assert breaker.state == "open"


def test_a_success_resets_the_failure_count(breaker):
    fail(breaker, 2)
    breaker.before_call()
    breaker.record_success()
    assert breaker.failures == 0
    fail(breaker, 2)
    assert breaker.state == "closed"
    fail(breaker, 1)
    assert breaker.state == "open"


# -- open --------------------------------------------------------------------------
def test_while_open_before_call_raises_breaker_open_at_once(breaker, clock):
    open_breaker(breaker)
    clock.advance(119.9)
    with pytest.raises(BreakerOpen) as info:
        breaker.before_call()
    assert isinstance(info.value, ProviderError)
    assert not info.value.retryable


@pytest.mark.parametrize(
    ("elapsed", "remaining"), [(0, 120), (0.5, 120), (1, 119), (60.2, 60), (119, 1), (119.9, 1)]
)
def test_the_open_message_gives_the_remaining_seconds_rounded_up(
    breaker, clock, elapsed, remaining
):
    open_breaker(breaker)
    clock.advance(elapsed)
    with pytest.raises(BreakerOpen) as info:
        breaker.before_call()
    assert info.value.params["remaining"] == remaining
    text = info.value.message("zh")
    assert f"{remaining} 秒" in text
    assert "MiniMax" in text and "3 次" in text


def test_while_open_no_call_gets_through_however_often_it_is_tried(breaker, clock):
    open_breaker(breaker)
    for _ in range(50):
        clock.advance(2)
        with pytest.raises(BreakerOpen):
            breaker.before_call()


# -- half open: the probe ------------------------------------------------------------
def test_after_the_cool_down_exactly_one_probe_is_let_through(breaker, clock):
    open_breaker(breaker)
    clock.advance(120)
    assert breaker.state == "half_open"
    breaker.before_call()  # the probe
    with pytest.raises(BreakerOpen):
        breaker.before_call()  # a second call while the probe is out


def test_only_one_of_many_concurrent_callers_becomes_the_probe(breaker, clock):
    open_breaker(breaker)
    clock.advance(121)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def call() -> None:
        barrier.wait()
        try:
            breaker.before_call()
            result = "through"
        except BreakerOpen:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["through"]


def test_a_successful_probe_closes_the_breaker(breaker, clock):
    open_breaker(breaker)
    clock.advance(120)
    breaker.before_call()
    breaker.record_success()
    assert breaker.state == "closed"
    assert breaker.failures == 0
    for _ in range(5):
        breaker.before_call()


def test_after_a_successful_probe_it_takes_threshold_failures_to_open_again(breaker, clock):
    open_breaker(breaker)
    clock.advance(120)
    breaker.before_call()
    breaker.record_success()
    fail(breaker, 2)
    assert breaker.state == "closed"


def test_a_failed_probe_reopens_the_breaker_for_a_full_cool_down(breaker, clock):
    open_breaker(breaker)
    clock.advance(130)
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == "open"
    with pytest.raises(BreakerOpen) as info:
        breaker.before_call()
    assert info.value.params["remaining"] == 120
    clock.advance(119.5)
    with pytest.raises(BreakerOpen):
        breaker.before_call()
    clock.advance(0.5)
    breaker.before_call()  # the next probe


def test_a_probe_that_never_reports_back_does_not_block_the_provider_forever(breaker, clock):
    # The probe's caller was cancelled (Stop button) or hit a non-retryable error, so neither
    # record_success nor record_failure ran. After another full cool-down a new probe goes out.
    open_breaker(breaker)
    clock.advance(120)
    breaker.before_call()  # the probe, abandoned
    clock.advance(120)
    breaker.before_call()


# -- the registry --------------------------------------------------------------------
def test_breaker_for_returns_the_same_breaker_for_the_same_provider_and_base_url():
    assert breaker_for("minimax", "https://api.minimax.io/v1") is breaker_for(
        "minimax", "https://api.minimax.io/v1"
    )


def test_breaker_for_returns_a_different_breaker_for_another_base_url():
    assert breaker_for("minimax", "https://api.minimax.io/v1") is not breaker_for(
        "minimax", "https://api.minimaxi.com/v1"
    )


def test_breaker_for_returns_a_different_breaker_for_another_provider():
    assert breaker_for("ollama", "http://localhost:8000/v1") is not breaker_for(
        "vllm", "http://localhost:8000/v1"
    )


def test_a_shared_breaker_remembers_failures_across_requests():
    fail(breaker_for("minimax", "https://api.minimax.io/v1"), 3)
    with pytest.raises(BreakerOpen):
        breaker_for("minimax", "https://api.minimax.io/v1").before_call()
    breaker_for("minimax", "https://api.minimaxi.com/v1").before_call()


def test_breaker_for_uses_the_default_threshold_and_cool_down():
    breaker = breaker_for("deepseek", "https://api.deepseek.com")
    assert (breaker.threshold, breaker.cooldown_s) == (3, 120)


def test_reset_breakers_forgets_every_breaker():
    first = breaker_for("minimax", "https://api.minimax.io/v1")
    reset_breakers()
    assert breaker_for("minimax", "https://api.minimax.io/v1") is not first
