"""``python …/play/capture main.py``: run the learner's main.py with its frames and input relayed.

The original stdout becomes the private binary frame channel and fd 1 is pointed at stderr, so
the game's own ``print`` calls cannot corrupt frames. A reader thread turns the kernel's messages
on stdin into pygame events; typed lines feed ``input()``. The shim's own modules leave
``sys.modules`` and ``sys.path`` before the game starts: a learner's ``keys.py`` or
``window.py`` is the learner's.
"""

import os
import runpy
import sys
import threading
import traceback

import frames
import hooks
import inputs
import keys
import window
import wire

HERE = os.path.dirname(os.path.abspath(__file__))
OWN_MODULES = {n[:-3] for n in os.listdir(HERE) if n.endswith(".py")} - {"__init__", "__main__"}


def forget_own_modules():
    """The game imports its own modules by these names, from its own folder."""
    for name in OWN_MODULES:
        sys.modules.pop(name, None)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != HERE]


def visible_traceback(exc):
    """The game's traceback without the shim's and runpy's frames."""
    tb = traceback.TracebackException.from_exception(exc)
    shown = [
        f for f in tb.stack if os.path.dirname(f.filename) != HERE and "runpy" not in f.filename
    ]
    tb.stack = traceback.StackSummary.from_list(shown)
    return "".join(tb.format())


def main(argv):
    if len(argv) < 2:
        print("usage: python …/play/capture main.py [args…]", file=sys.stderr)
        return 2
    entry = argv[1]
    sys.stdout.flush()
    channel = wire.Channel(os.dup(1))  # the original stdout is ours now…
    os.dup2(2, 1)  # …and the game's prints go to stderr
    sys.stdout.reconfigure(line_buffering=True)  # a pipe now: show prints as they happen
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # muted: the player has no sound
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    feed = keys.LineFeed()
    picture = frames.Frames(pygame, channel, window.Window())
    player = inputs.Inputs(pygame, picture, feed, keys.key_table(pygame))
    hooks.install(pygame, picture, player)
    stdin_fd = os.dup(0)
    sys.stdin = feed

    def read_input():
        wire.read_messages(stdin_fd, player.handle)
        player.kernel_gone()

    threading.Thread(target=read_input, daemon=True).start()
    channel.send({"t": "hello", "pid": os.getpid(), "codec": frames.CODEC})
    forget_own_modules()
    sys.argv = argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(entry)))
    try:
        runpy.run_path(entry, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        channel.send({"t": "bye", "code": code})
        return code
    except BaseException as exc:  # noqa: BLE001 - shown to the learner as their traceback
        sys.stderr.write(visible_traceback(exc))
        sys.stderr.flush()
        channel.send({"t": "bye", "code": 1})
        return 1
    channel.send({"t": "bye", "code": 0})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
