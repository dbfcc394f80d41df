"""The player view's acknowledgements, in a blank Chromium page with a stand-in model.

The view acknowledges drawn frames cumulatively and at most once every 100 ms (every message to
the kernel costs a shell round, and a kernel status busy/idle that JupyterLab redraws); the
ack owed for frames drawn inside that gap goes
out on a timer, so the last frames of a burst are acknowledged even when no frame follows —
without it the shim's window stays full and the game is held still. Time is Playwright's clock:
nothing here waits on the wall clock.
"""

from __future__ import annotations

import struct
import zlib

import pytest

from codeflow_widget.widget.lesson_view import _STATIC

pytestmark = pytest.mark.browser

MOUNT = """
async ([src, state]) => {
  const handlers = {};
  window.__cfSent = [];
  const model = {
    get: (k) => state[k],
    send: (msg) => window.__cfSent.push(msg),
    on: (name, cb) => { (handlers[name] ||= []).push(cb); },
    off: () => {},
  };
  window.__cfFrame = (msg, bytes) => {
    const buffer = new Uint8Array(bytes).buffer;
    (handlers["msg:custom"] || []).forEach((cb) => cb(msg, [new DataView(buffer)]));
  };
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  const el = document.createElement("div");
  document.body.append(el);
  window.__cfDispose = mod.default.render({ model, el });
}
"""


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (the view decodes it with createImageBitmap)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def mount_player(page) -> None:
    page.goto("about:blank")
    src = (_STATIC / "player.js").read_text(encoding="utf-8")
    state = {"language": "zh", "state": "running", "game_width": 8, "game_height": 8, "fps": 0}
    page.evaluate(MOUNT, [src, state])
    page.locator(".cf-player-canvas").wait_for()


def send_frame(page, seq: int) -> None:
    header = {
        "t": "frame",
        "seq": seq,
        "x": 0,
        "y": 0,
        "w": 8,
        "h": 8,
        "W": 8,
        "H": 8,
        "fmt": "png",
    }
    page.evaluate("([m, b]) => window.__cfFrame(m, b)", [header, list(png(8, 8, (seq * 40, 0, 0)))])
    # Decoding is the browser's own async work, outside the fake clock: wait until it is drawn.
    page.wait_for_function(
        "(n) => document.querySelector('.cf-player').dataset.frames == n", arg=seq
    )


def acks(page) -> list[int]:
    return page.evaluate("() => window.__cfSent.filter((m) => m.t === 'ack').map((m) => m.seq)")


def test_acks_are_cumulative_at_most_every_100_ms_and_the_owed_one_goes_out_on_a_timer(page):
    page.clock.install(time=0)
    page.clock.pause_at(1_000)
    mount_player(page)
    assert page.evaluate("() => window.__cfSent.map((m) => m.t)") == ["attach"]

    send_frame(page, 1)
    assert acks(page) == [1], "the first frame is acknowledged at once"

    # Two more inside the 100 ms gap: nothing yet, one cumulative ack when the gap has passed.
    send_frame(page, 2)
    send_frame(page, 3)
    assert acks(page) == [1]
    page.clock.run_for(99)
    assert acks(page) == [1], "acknowledged before the 100 ms gap was over"
    page.clock.run_for(2)
    assert acks(page) == [1, 3], "the owed ack for frames 2-3 never went out on its timer"

    # Nothing is owed now: time passing sends nothing more.
    page.clock.run_for(5_000)
    assert acks(page) == [1, 3]

    # After a quiet gap the next frame is acknowledged at once again.
    send_frame(page, 4)
    assert acks(page) == [1, 3, 4]
    sent = page.evaluate("() => window.__cfSent.filter((m) => m.t === 'ack')")
    assert all(isinstance(m["busy"], (int, float)) and m["busy"] >= 0 for m in sent), sent
    assert [m["every"] for m in sent] == [100, 100, 100], "each ack says its spacing to the shim"
