"""Frames out: what the game drew, found, encoded and sent, within the flow-control window.

Each ``flip()``/``update()`` finds what changed (the game's dirty rectangles, or the band of rows
that differ from the last frame), encodes that region and sends it with a sequence number, never
more unacknowledged than the window holds. When the view is behind, the frame is dropped: its
area is remembered and goes out with the next frame, never queued.
"""

import io
import os
import threading
import time

CODEC = os.environ.get("CODEFLOW_PLAY_CODEC", "auto")  # auto | png | jpeg
SAMPLE_FRAMES = 8  # large frames encoded both ways before "auto" picks a codec for the game
PNG_BUDGET_MS = 8.0


class Frames:
    """The picture side of the player: a shadow copy of the screen and what is still unsent."""

    def __init__(self, pg, channel, window):
        self.pg = pg
        self.channel = channel
        self.window = window
        self.lock = threading.RLock()  # shadow, damage and sequence numbers
        self.shadow = None  # a copy of the last drawn picture, encodable from any thread
        self.previous = None  # its bytes, to find the rows a flip() changed
        self.damage = None  # pygame.Rect not yet sent
        self.seq = 0
        self.acked = 0
        self.flips = 0
        self.dropped = 0
        self.codec = CODEC if CODEC in ("png", "jpeg") else None
        self.samples = []
        self.unpaused = threading.Event()
        self.unpaused.set()

    # ---- what the view says

    def ack(self, message):
        with self.lock:
            seq = int(message.get("seq", 0))
            self.acked = max(self.acked, min(seq, self.seq))
            self.window.acked(seq, time.perf_counter(), message.get("busy"), message.get("every"))
        self.send_damage()  # a frame dropped while the view was behind goes out now

    def keyframe(self):
        with self.lock:
            if self.shadow is not None:
                self.damage = self.shadow.get_rect()
                self.acked = self.seq  # a new view: earlier frames will never be acked
                self.window.new_path()
        self.send_damage()

    def pause(self):
        self.unpaused.clear()

    def resume(self):
        self.unpaused.set()

    # ---- what the game draws

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
