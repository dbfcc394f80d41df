"""A circuit breaker per (provider, base URL): stop calling a provider that keeps failing.

After ``threshold`` consecutive failed calls the breaker opens for ``cooldown_s``
seconds; while open, ``before_call()`` raises ``BreakerOpen`` at once with the
seconds remaining. When the cool-down has passed one probe call is let through:
success closes the breaker, failure opens it again for another cool-down.
Breakers are shared process-wide (1–5 learners on one kernel share a provider).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from codeflow_widget.model.errors import BreakerOpen


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        threshold: int = 3,
        cooldown_s: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.name = name
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self.failures = 0
        self.opened_at: float | None = None
        self._probing = False
        self._probe_started = 0.0

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self._clock() - self.opened_at >= self.cooldown_s else "open"

    def before_call(self) -> None:
        with self._lock:
            if self.opened_at is None:
                return
            now = self._clock()
            remaining = self.cooldown_s - (now - self.opened_at)
            # A probe whose caller never reported back (a crash) goes stale after a cool-down.
            probe_alive = self._probing and now - self._probe_started < self.cooldown_s
            if remaining > 0 or probe_alive:
                wait = remaining if remaining > 0 else self.cooldown_s - (now - self._probe_started)
                raise BreakerOpen(
                    provider=self.name, failures=self.failures, remaining=max(1, math.ceil(wait))
                )
            self._probing = True  # exactly one probe after the cool-down
            self._probe_started = now

    def record_success(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self._probing = False

    def release(self) -> None:
        """The call ended without saying anything about the provider's health (cancel, a 401)."""
        with self._lock:
            self._probing = False

    def record_failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self._probing or self.failures >= self.threshold:
                self.opened_at = self._clock()
            self._probing = False


_REGISTRY: dict[tuple[str, str], CircuitBreaker] = {}
_REGISTRY_LOCK = threading.Lock()


def breaker_for(
    provider: str, base_url: str, threshold: int = 3, cooldown_s: float = 120.0
) -> CircuitBreaker:
    with _REGISTRY_LOCK:
        key = (provider, base_url)
        breaker = _REGISTRY.get(key)
        if breaker is None or (breaker.threshold, breaker.cooldown_s) != (threshold, cooldown_s):
            breaker = _REGISTRY[key] = CircuitBreaker(provider, threshold, cooldown_s)
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (tests, and `codeflow doctor` after a fix)."""
    with _REGISTRY_LOCK:
        _REGISTRY.clear()
