"""Input in: the kernel's messages as real pygame events, and the state the game reads back.

Keys and mouse buttons keep ``pressed``, ``mouse_pos`` and ``mouse_buttons`` in step, so
``pygame.key.get_pressed()`` and ``pygame.mouse.get_pos()/get_pressed()`` (wrapped in ``hooks``)
reflect them; typed keys also build the line ``input()`` reads. Input that arrives while the game
is still booting, before its event queue exists, is kept in order and posted once it does.
"""

import os
import threading

EARLY_KEEP = 1000  # input events kept while the game boots (a bound, not a queue to replay)
CONTROL_CHARS = {
    "Enter": "\r",
    "Tab": "\t",
    "Backspace": "\x08",
    "Escape": "\x1b",
    "Delete": "\x7f",
}


class Inputs:
    """Everything the shim keeps between the game's calls about keys, the mouse and typing."""

    def __init__(self, pg, frames, stdin_feed, keys):
        self.pg = pg
        self.frames = frames
        self.stdin_feed = stdin_feed
        self.keys = keys  # browser code → (pygame key, scancode)
        self.pressed = [False] * 512
        self.mouse_pos = (0, 0)
        self.mouse_buttons = [False, False, False, False, False]
        self.input_lock = threading.Lock()
        self.early = []
        self.queue_ready = False

    def handle(self, msg):
        kind = msg.get("t")
        if kind == "ack":
            self.frames.ack(msg)
        elif kind == "keyframe":
            self.frames.keyframe()
        elif kind == "key":
            self.key(msg)
        elif kind == "mouse":
            self.mouse(msg)
        elif kind == "text":
            self.post(self.pg.TEXTINPUT, text=str(msg.get("text", "")))
        elif kind == "line":
            self.stdin_feed.lines.put(str(msg.get("text", "")) + "\n")
        elif kind == "pause":
            self.frames.pause()
        elif kind == "resume":
            self.frames.resume()
        elif kind == "quit":
            self.quit()

    def quit(self):
        self.frames.resume()
        self.post(self.pg.QUIT)

    def kernel_gone(self):
        """stdin closed: ask the game to quit, and make sure it does."""
        self.quit()
        threading.Timer(2.0, os._exit, args=(0,)).start()

    def post(self, event_type, **attrs):
        with self.input_lock:
            if not self.queue_ready:
                self.early.append((event_type, attrs))
                del self.early[:-EARLY_KEEP]
                self.flush_early_locked()
                return
            try:
                self.pg.event.post(self.pg.event.Event(event_type, **attrs))
            except self.pg.error:
                pass  # the game has quit pygame

    def flush_early(self):
        """From the game's thread, whenever it touches pygame: post what came before it could."""
        if not self.queue_ready:
            with self.input_lock:
                self.flush_early_locked()

    def flush_early_locked(self):
        while self.early:
            event_type, attrs = self.early[0]
            try:
                self.pg.event.post(self.pg.event.Event(event_type, **attrs))
            except self.pg.error:
                return  # no event queue yet: keep them for later
            self.early.pop(0)
            self.queue_ready = True
        # Nothing was waiting: ready only if the queue exists (video initialised) already.
        self.queue_ready = self.queue_ready or bool(self.pg.display.get_init())

    def mods(self, msg):
        pg, mods = self.pg, msg.get("mods") or {}
        value = 0
        for name, flag in (
            ("shift", "KMOD_LSHIFT"),
            ("ctrl", "KMOD_LCTRL"),
            ("alt", "KMOD_LALT"),
            ("meta", "KMOD_LMETA"),
        ):
            if mods.get(name):
                value |= getattr(pg, flag)
        return value

    def key(self, msg):
        code, key = str(msg.get("code", "")), str(msg.get("key", ""))
        keycode, scancode = self.keys.get(code, (ord(key.lower()) if len(key) == 1 else 0, 0))
        if not keycode:
            return
        down, mod = bool(msg.get("down")), self.mods(msg)
        mods = msg.get("mods") or {}
        if 0 < scancode < 512:
            self.pressed[scancode] = down
        try:
            self.pg.key.set_mods(mod)
        except self.pg.error:
            pass
        if not down:
            self.post(self.pg.KEYUP, key=keycode, mod=mod, unicode="", scancode=scancode)
            return
        typed = len(key) == 1 and not (mods.get("ctrl") or mods.get("meta") or mods.get("alt"))
        unicode = key if typed else CONTROL_CHARS.get(key, "")
        self.post(self.pg.KEYDOWN, key=keycode, mod=mod, unicode=unicode, scancode=scancode)
        if typed:
            self.post(self.pg.TEXTINPUT, text=key)
        self.stdin_feed.feed_key(key)

    def mouse(self, msg):
        x, y = int(msg.get("x", 0)), int(msg.get("y", 0))
        kind, button = msg.get("kind"), int(msg.get("button", 1))
        rel = (x - self.mouse_pos[0], y - self.mouse_pos[1])
        self.mouse_pos = (x, y)
        if kind == "move":
            self.post(
                self.pg.MOUSEMOTION,
                pos=(x, y),
                rel=rel,
                buttons=tuple(self.mouse_buttons[:3]),
                touch=False,
                window=None,
            )
        elif kind in ("down", "up") and 1 <= button <= 5:
            self.mouse_buttons[button - 1] = kind == "down"
            event_type = self.pg.MOUSEBUTTONDOWN if kind == "down" else self.pg.MOUSEBUTTONUP
            self.post(event_type, pos=(x, y), button=button, touch=False, window=None)
        elif kind == "wheel":
            self.post(
                self.pg.MOUSEWHEEL,
                x=0,
                y=int(msg.get("dy", 0)),
                flipped=False,
                precise_x=0.0,
                precise_y=float(msg.get("dy", 0)),
                touch=False,
                window=None,
            )
