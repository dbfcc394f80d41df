"""Copied next to every attack program: the targets and three helpers, standard library only.

An attack calls ``attempt(what, fn)``; success prints ATTACK-SUCCEEDED, which the test refuses.
``leak(value)`` prints a value hex-encoded and reversed, so the test sees a stolen secret even
though the launcher's redactor would mask it in its plain form.
"""

from targets import *  # noqa: F403  (written by the test: CANARY, HOME, PROJECT, CALLER, …)


def succeeded(what):
    print("ATTACK-SUCCEEDED:", what, flush=True)


def leak(value):
    data = value if isinstance(value, bytes) else str(value).encode()
    print("LEAK:", data.hex(), data[::-1].decode("latin-1"), flush=True)


def attempt(what, fn):
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001
        print("blocked:", what, type(exc).__name__, exc, flush=True)
        return False
    succeeded(what)
    return True


def observe(what, fn):
    """For effects that may succeed inside the sandbox's own view (a UDP datagram to its own
    loopback, its own parent's environment): the test judges by what it sees outside."""
    try:
        fn()
        print("ran inside the sandbox:", what, flush=True)
    except BaseException as exc:  # noqa: BLE001
        print("blocked:", what, type(exc).__name__, exc, flush=True)
