"""Capture shim: runs the learner's unchanged main.py inside the sandboxed game process.

Only the standard library and pygame are available here (no codeflow imports: the launcher makes
this one file visible read-only inside the sandbox). Before the program starts, the original
stdout becomes the private binary frame channel and fd 1 is pointed at stderr, so the game's own
``print`` calls cannot corrupt frames. ``pygame.display.flip``/``update`` are wrapped: each call
finds what changed (the game's dirty rectangles, or the band of rows that differ from the last
frame), encodes that region and sends it with a sequence number — never more unacknowledged
than the path to the view holds (``Window``: its bandwidth-delay product, 2 to 12 frames); when
the view is behind, frames are dropped (their area is remembered and goes out with the next
frame), never queued. Acks are cumulative. A reader thread turns input messages
from stdin into real pygame events and keeps ``pygame.key.get_pressed()`` and
``pygame.mouse.get_pos()/get_pressed()`` in step with them; typed lines feed ``input()``.
The message framing is a copy of ``codeflow_widget/play/protocol.py`` (kept in step by a test).

Encoding: pygame can save PNG and JPEG to memory; it has no WebP writer (a ``.webp`` namehint
silently writes TGA). Regions under a quarter of the window are always PNG (small, fast, crisp);
for larger ones "auto" encodes the first frames both ways and keeps PNG unless it costs more than
8 ms or 2.5× JPEG's bytes (measured on this machine: space_shooter 480×600 PNG 14.9 ms / 12.0 kB
vs JPEG 1.5 ms / 12.8 kB → JPEG, 61 frames/s instead of 29 with PNG only). The file is one module
on purpose: the launcher makes exactly this one file visible inside the sandbox.
"""

import io
import json
import math
import os
import queue
import runpy
import struct
import sys
import threading
import time
import traceback

PREFIX = struct.Struct(">II")
# The flow-control window: frames sent and not yet acknowledged. It starts at MIN_IN_FLIGHT and
# follows the bandwidth-delay product of the path to the view (see Window), never above
# MAX_IN_FLIGHT: a fixed 2 capped a 60 fps game at 2 / round trip (~10 fps at 180 ms measured).
MIN_IN_FLIGHT = 2


def _window_cap(raw: str | None, default: int = 12) -> int:
    """CODEFLOW_PLAY_MAX_IN_FLIGHT as a whole number from MIN_IN_FLIGHT to 32; else the default."""
    try:
        return min(max(int(raw), MIN_IN_FLIGHT), 32) if raw is not None else default
    except ValueError:
        return default


MAX_IN_FLIGHT = _window_cap(os.environ.get("CODEFLOW_PLAY_MAX_IN_FLIGHT"))
CODEC = os.environ.get("CODEFLOW_PLAY_CODEC", "auto")  # auto | png | jpeg
SAMPLE_FRAMES = 8  # large frames encoded both ways before "auto" picks a codec for the game
PNG_BUDGET_MS = 8.0
EARLY_KEEP = 1000  # input events kept while the game boots (a bound, not a queue to replay)


def pack(header, payload=b""):
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return PREFIX.pack(len(head), len(payload)) + head + payload


class Channel:
    """The frame channel (a dup of the original stdout); whole messages, one writer at a time."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, header, payload=b""):
        data = memoryview(pack(header, payload))
        with self.lock:
            while data:
                written = os.write(self.fd, data)
                data = data[written:]


class Window:
    """How many frames may be unacknowledged: the path's bandwidth-delay product, plus one.

    ``rtt`` is the smallest send → ack time of the last ``SAMPLES`` frames (the smallest, not the
    mean: frames that waited behind others would otherwise grow the window that made them wait);
    ``every`` is the view's spacing between acks (it says so in each ack): a frame drawn just
    after an ack waits that long for the next one, and the smallest round trip never shows it.
    ``interval`` is the slower of the game's own frame interval and the view's time to decode and
    paint one frame (the view reports it with each ack), so a slow browser gets fewer frames in
    flight rather than a queue. ``size`` = 1 + ceil((rtt + every) / interval), between MIN and
    MAX.
    """

    SAMPLES = 32

    def __init__(self, low=MIN_IN_FLIGHT, high=MAX_IN_FLIGHT):
        self.low, self.high = low, max(low, high)
        self.sent_at = {}  # seq → perf_counter at send
        self.rtts = []
        self.busy_ms = 0.0  # the view's decode + paint time per frame, smoothed
        self.every_ms = 0.0  # the view's spacing between acks
        self.last_present = None
        self.frame_ms = 1000 / 60  # the game's frame interval, smoothed

    def presented(self, now):
        if self.last_present is not None:
            gap = (now - self.last_present) * 1000
            if gap < 1000:  # a pause or a loading screen is not the game's frame rate
                self.frame_ms += (gap - self.frame_ms) * 0.1
        self.last_present = now

    def new_path(self):
        # A new view may sit behind another network: measure its round trip afresh.
        self.sent_at.clear()
        self.rtts.clear()
        self.busy_ms = 0.0

    def sent(self, seq, now):
        self.sent_at[seq] = now
        if len(self.sent_at) > 4 * self.high:  # acks lost with a view that went away
            for old in sorted(self.sent_at)[: -self.high]:
                del self.sent_at[old]

    def acked(self, seq, now, busy_ms=None, every_ms=None):
        # Acks are cumulative (the view sends at most one every ``every_ms``): the oldest frame
        # this one covers waited longest for it, and that wait is what the window must cover.
        covered = [s for s in self.sent_at if s <= seq]
        if covered:
            started = min(self.sent_at[s] for s in covered)
            for s in covered:
                del self.sent_at[s]
            self.rtts.append((now - started) * 1000)
            del self.rtts[: -self.SAMPLES]
        if busy_ms is not None:
            busy = float(busy_ms)
            self.busy_ms = busy if not self.busy_ms else self.busy_ms + (busy - self.busy_ms) * 0.2
        if isinstance(every_ms, (int, float)) and 0 <= every_ms <= 1000:
            self.every_ms = float(every_ms)

    @property
    def rtt_ms(self):
        return min(self.rtts) if self.rtts else 0.0

    @property
    def size(self):
        if not self.rtts:
            return self.low
        interval = max(self.frame_ms, self.busy_ms, 1.0)
        # 0.05 frame of slack: a round trip of exactly three frames needs three, not four.
        path_ms = self.rtt_ms + self.every_ms
        return max(self.low, min(self.high, 1 + math.ceil(path_ms / interval - 0.05)))


class LineFeed(io.TextIOBase):
    """``sys.stdin`` for the game: ``input()`` gets the lines typed into the player."""

    def __init__(self):
        self.lines = queue.Queue()
        self.partial = ""

    def readable(self):
        return True

    def readline(self, size=-1):
        line = self.lines.get()
        return line

    def read(self, size=-1):
        return self.readline()

    def feed_key(self, key):
        # Typing into the canvas also builds a line for input(): Enter sends it.
        if key == "Enter":
            self.lines.put(self.partial + "\n")
            self.partial = ""
        elif key == "Backspace":
            self.partial = self.partial[:-1]
        elif len(key) == 1:
            self.partial += key


def key_table(pg):
    """Browser ``KeyboardEvent.code`` → (pygame key, USB scancode)."""
    table = {}
    for i, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        table["Key" + letter.upper()] = (ord(letter), 4 + i)
    for i, digit in enumerate("1234567890"):
        table["Digit" + digit] = (ord(digit), 30 + i)
    for i in range(10):
        table[f"Numpad{i}"] = (getattr(pg, f"K_KP{i}"), 98 if i == 0 else 88 + i)
    named = {
        "ArrowRight": ("K_RIGHT", 79),
        "ArrowLeft": ("K_LEFT", 80),
        "ArrowDown": ("K_DOWN", 81),
        "ArrowUp": ("K_UP", 82),
        "Space": ("K_SPACE", 44),
        "Enter": ("K_RETURN", 40),
        "NumpadEnter": ("K_KP_ENTER", 88),
        "Escape": ("K_ESCAPE", 41),
        "Backspace": ("K_BACKSPACE", 42),
        "Tab": ("K_TAB", 43),
        "Minus": ("K_MINUS", 45),
        "Equal": ("K_EQUALS", 46),
        "BracketLeft": ("K_LEFTBRACKET", 47),
        "BracketRight": ("K_RIGHTBRACKET", 48),
        "Backslash": ("K_BACKSLASH", 49),
        "Semicolon": ("K_SEMICOLON", 51),
        "Quote": ("K_QUOTE", 52),
        "Backquote": ("K_BACKQUOTE", 53),
        "Comma": ("K_COMMA", 54),
        "Period": ("K_PERIOD", 55),
        "Slash": ("K_SLASH", 56),
        "CapsLock": ("K_CAPSLOCK", 57),
        "Insert": ("K_INSERT", 73),
        "Home": ("K_HOME", 74),
        "PageUp": ("K_PAGEUP", 75),
        "Delete": ("K_DELETE", 76),
        "End": ("K_END", 77),
        "PageDown": ("K_PAGEDOWN", 78),
        "ControlLeft": ("K_LCTRL", 224),
        "ShiftLeft": ("K_LSHIFT", 225),
        "AltLeft": ("K_LALT", 226),
        "MetaLeft": ("K_LMETA", 227),
        "ControlRight": ("K_RCTRL", 228),
        "ShiftRight": ("K_RSHIFT", 229),
        "AltRight": ("K_RALT", 230),
        "MetaRight": ("K_RMETA", 231),
        "NumpadAdd": ("K_KP_PLUS", 87),
        "NumpadSubtract": ("K_KP_MINUS", 86),
        "NumpadMultiply": ("K_KP_MULTIPLY", 85),
        "NumpadDivide": ("K_KP_DIVIDE", 84),
        "NumpadDecimal": ("K_KP_PERIOD", 99),
    }
    for i in range(1, 13):
        named[f"F{i}"] = (f"K_F{i}", 57 + i)
    for code, (name, scancode) in named.items():
        table[code] = (getattr(pg, name), scancode)
    return table


CONTROL_CHARS = {
    "Enter": "\r",
    "Tab": "\t",
    "Backspace": "\x08",
    "Escape": "\x1b",
    "Delete": "\x7f",
}


class Player:
    """Everything the shim keeps between the game's calls: frames out, input in."""

    def __init__(self, pg, channel, stdin_feed):
        self.pg = pg
        self.channel = channel
        self.stdin_feed = stdin_feed
        self.keys = key_table(pg)
        self.lock = threading.RLock()  # shadow, damage and sequence numbers
        self.shadow = None  # a copy of the last drawn picture, encodable from any thread
        self.previous = None  # its bytes, to find the rows a flip() changed
        self.damage = None  # pygame.Rect not yet sent
        self.seq = 0
        self.acked = 0
        self.window = Window()
        self.flips = 0
        self.dropped = 0
        self.codec = CODEC if CODEC in ("png", "jpeg") else None
        self.samples = []
        self.pressed = [False] * 512
        self.mouse_pos = (0, 0)
        self.mouse_buttons = [False, False, False, False, False]
        self.unpaused = threading.Event()
        self.unpaused.set()
        # Input that arrives while the game is still booting (before pygame.init()): kept in
        # order and posted once the event queue exists, so early key presses are not lost.
        self.input_lock = threading.Lock()
        self.early = []
        self.queue_ready = False

    # ---- frames out

    def on_set_mode(self, surface):
        with self.lock:
            w, h = surface.get_size()
            self.shadow = self.pg.Surface((w, h))
            self.previous = None
            self.damage = None
            self.channel.send({"t": "size", "w": w, "h": h})

    def on_present(self, rects):
        """Called after the game's flip()/update(): record what changed, send if allowed."""
        self.unpaused.wait()
        surface = self.pg.display.get_surface()
        if surface is None:
            return
        with self.lock:
            self.flips += 1
            self.window.presented(time.perf_counter())
            if self.shadow is None or self.shadow.get_size() != surface.get_size():
                self.on_set_mode(surface)
            region = self.changed_region(surface, rects)
            if region is None:
                return
            self.shadow.blit(surface, region, region)
            self.damage = region if self.damage is None else self.damage.union(region)
            if self.seq - self.acked >= self.window.size:
                self.dropped += 1  # its area stays in self.damage for the next frame
                return
            self.send_damage()

    def changed_region(self, surface, rects):
        bounds = surface.get_rect()
        if rects:
            self.previous = None  # mixing modes: the next flip() sends the whole picture
            region = None
            for r in rects:
                r = self.pg.Rect(r).clip(bounds)
                if r.w and r.h:
                    region = r if region is None else region.union(r)
            return region
        current = self.pg.image.tobytes(surface, "RGBX")
        previous, self.previous = self.previous, current
        if previous is None or len(previous) != len(current):
            return bounds
        stride = bounds.w * 4
        now, before = memoryview(current), memoryview(previous)
        top, bottom = 0, bounds.h
        while (
            top < bottom
            and now[top * stride : (top + 1) * stride] == before[top * stride : (top + 1) * stride]
        ):
            top += 1
        if top == bottom:
            return None  # nothing changed: no frame at all
        while (
            now[(bottom - 1) * stride : bottom * stride]
            == before[(bottom - 1) * stride : bottom * stride]
        ):
            bottom -= 1
        return self.pg.Rect(0, top, bounds.w, bottom - top)

    def send_damage(self):
        with self.lock:
            if self.damage is None or self.seq - self.acked >= self.window.size:
                return
            region, self.damage = self.damage, None
            crop = self.shadow.subsurface(region).copy()
            started = time.perf_counter()
            fmt, data = self.encode(crop, region)
            self.seq += 1
            W, H = self.shadow.get_size()
            header = {
                "t": "frame",
                "seq": self.seq,
                "x": region.x,
                "y": region.y,
                "w": region.w,
                "h": region.h,
                "W": W,
                "H": H,
                "fmt": fmt,
                "flips": self.flips,
                "dropped": self.dropped,
                "enc_ms": round((time.perf_counter() - started) * 1000, 2),
                "win": self.window.size,
                "rtt_ms": round(self.window.rtt_ms, 1),
                "ts": time.time(),  # wall clock, for the benchmark's per-stage breakdown
            }
            self.window.sent(self.seq, time.perf_counter())
            self.channel.send(header, data)

    def save(self, surface, ext):
        out = io.BytesIO()
        self.pg.image.save(surface, out, "frame." + ext)
        return out.getvalue()

    def encode(self, crop, region):
        W, H = self.shadow.get_size()
        small = region.w * region.h < (W * H) // 4
        if small or self.codec == "png":
            return "png", self.save(crop, "png")
        if self.codec == "jpeg":
            return "jpeg", self.save(crop, "jpg")
        # "auto": measure both on the first large frames, then keep one for the whole game.
        t0 = time.perf_counter()
        png = self.save(crop, "png")
        t1 = time.perf_counter()
        jpeg = self.save(crop, "jpg")
        t2 = time.perf_counter()
        self.samples.append(((t1 - t0) * 1000, len(png), (t2 - t1) * 1000, len(jpeg)))
        if len(self.samples) >= SAMPLE_FRAMES:
            n = len(self.samples)
            png_ms, png_b, jpeg_ms, jpeg_b = (sum(s[i] for s in self.samples) / n for i in range(4))
            # PNG keeps pixel art and text crisp; JPEG only when PNG is too slow or too big.
            self.codec = "png" if png_ms <= PNG_BUDGET_MS and png_b <= 2.5 * jpeg_b else "jpeg"
            self.channel.send(
                {
                    "t": "codec",
                    "choice": self.codec,
                    "png_ms": round(png_ms, 2),
                    "png_bytes": int(png_b),
                    "jpeg_ms": round(jpeg_ms, 2),
                    "jpeg_bytes": int(jpeg_b),
                }
            )
        return "png", png

    # ---- input in

    def handle(self, msg):
        kind = msg.get("t")
        if kind == "ack":
            with self.lock:
                seq = int(msg.get("seq", 0))
                self.acked = max(self.acked, min(seq, self.seq))
                self.window.acked(seq, time.perf_counter(), msg.get("busy"), msg.get("every"))
            self.send_damage()  # a frame dropped while the view was behind goes out now
        elif kind == "keyframe":
            with self.lock:
                if self.shadow is not None:
                    self.damage = self.shadow.get_rect()
                    self.acked = self.seq  # a new view: earlier frames will never be acked
                    self.window.new_path()
            self.send_damage()
        elif kind == "key":
            self.key(msg)
        elif kind == "mouse":
            self.mouse(msg)
        elif kind == "text":
            self.post(self.pg.TEXTINPUT, text=str(msg.get("text", "")))
        elif kind == "line":
            self.stdin_feed.lines.put(str(msg.get("text", "")) + "\n")
        elif kind == "pause":
            self.unpaused.clear()
        elif kind == "resume":
            self.unpaused.set()
        elif kind == "quit":
            self.unpaused.set()
            self.post(self.pg.QUIT)

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

    def read_input(self, fd):
        """The reader thread: messages from the kernel until stdin closes."""
        buffer = b""
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
            while len(buffer) >= PREFIX.size:
                head_len, body_len = PREFIX.unpack_from(buffer)
                end = PREFIX.size + head_len + body_len
                if len(buffer) < end:
                    break
                msg = json.loads(buffer[PREFIX.size : PREFIX.size + head_len].decode("utf-8"))
                buffer = buffer[end:]
                try:
                    self.handle(msg)
                except Exception:  # noqa: BLE001 - a bad message must not kill the game
                    traceback.print_exc()
        # The kernel is gone: ask the game to quit, and make sure it does.
        self.handle({"t": "quit"})
        threading.Timer(2.0, os._exit, args=(0,)).start()


def install(pg, player):
    """Wrap the pygame functions the game calls so they feed or read the player."""
    flip, update, set_mode = pg.display.flip, pg.display.update, pg.display.set_mode

    def wrapped_set_mode(*args, **kwargs):
        surface = set_mode(*args, **kwargs)
        player.on_set_mode(surface)
        player.flush_early()
        return surface

    def flushing(read):
        # The game reads its events: anything typed while it booted goes in first.
        def wrapped(*args, **kwargs):
            player.flush_early()
            return read(*args, **kwargs)

        return wrapped

    for name in ("get", "poll", "wait", "peek", "pump"):
        setattr(pg.event, name, flushing(getattr(pg.event, name)))

    def wrapped_flip():
        result = flip()
        player.on_present(None)
        return result

    def wrapped_update(*args):
        result = update(*args)
        rects = None
        if args and args[0] is not None:
            first = args[0]
            looks_like_rect = len(args) == 4 or (
                hasattr(first, "__len__")
                and len(first) in (2, 4)
                and not hasattr(first[0], "__len__")
            )
            rects = [args] if len(args) == 4 else [first] if looks_like_rect else list(first)
            rects = [r for r in rects if r is not None] or None
        player.on_present(rects)
        return result

    def get_pressed():
        return pg.key.ScancodeWrapper(player.pressed)

    def get_pos():
        return player.mouse_pos

    def mouse_pressed(num_buttons=3):
        return tuple(player.mouse_buttons[: 5 if num_buttons == 5 else 3])

    pg.display.flip, pg.display.update, pg.display.set_mode = (
        wrapped_flip,
        wrapped_update,
        wrapped_set_mode,
    )
    pg.key.get_pressed = get_pressed
    pg.mouse.get_pos = get_pos
    pg.mouse.get_pressed = mouse_pressed


def visible_traceback(exc, shim_file):
    """The game's traceback without the shim's and runpy's frames."""
    tb = traceback.TracebackException.from_exception(exc)
    frames = [f for f in tb.stack if f.filename != shim_file and "runpy" not in f.filename]
    tb.stack = traceback.StackSummary.from_list(frames)
    return "".join(tb.format())


def main(argv):
    if len(argv) < 2:
        print("usage: shim.py main.py [args…]", file=sys.stderr)
        return 2
    entry = argv[1]
    sys.stdout.flush()
    channel = Channel(os.dup(1))  # the original stdout is ours now…
    os.dup2(2, 1)  # …and the game's prints go to stderr
    sys.stdout.reconfigure(line_buffering=True)  # a pipe now: show prints as they happen
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # muted: the player has no sound
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    feed = LineFeed()
    player = Player(pygame, channel, feed)
    install(pygame, player)
    stdin_fd = os.dup(0)
    sys.stdin = feed
    threading.Thread(target=player.read_input, args=(stdin_fd,), daemon=True).start()
    channel.send({"t": "hello", "pid": os.getpid(), "codec": CODEC})
    sys.argv = argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(entry)))
    try:
        runpy.run_path(entry, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        channel.send({"t": "bye", "code": code})
        return code
    except BaseException as exc:  # noqa: BLE001 - shown to the learner as their traceback
        sys.stderr.write(visible_traceback(exc, os.path.abspath(__file__)))
        sys.stderr.flush()
        channel.send({"t": "bye", "code": 1})
        return 1
    channel.send({"t": "bye", "code": 0})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
