"""The capture shim: runs the learner's unchanged main.py inside the sandboxed game process.

The launcher makes this one folder visible, read-only, inside the sandbox and runs it as a
script (``python …/play/capture main.py``: ``__main__.py`` starts). Only the standard library
and pygame are available there, so no module here imports codeflow, and the modules do not
import each other: ``__main__`` builds the parts and hands each what it needs, which also lets
the kernel's tests import any of them as ``codeflow_widget.play.capture.<part>``.

- ``wire``: the frame channel and the message framing (a copy of ``play/protocol.py``, kept in
  step by a test);
- ``window``: how many frames may be unacknowledged, from the path's bandwidth-delay product;
- ``frames``: what a ``flip()``/``update()`` changed, encoded and sent, or dropped while the view
  is behind (its area goes out with the next frame), never queued;
- ``keys``: browser key codes as pygame keys, and the typed lines that feed ``input()``;
- ``inputs``: the kernel's messages as real pygame events, and the state behind
  ``pygame.key.get_pressed()`` and ``pygame.mouse.get_pos()/get_pressed()``;
- ``hooks``: the pygame functions wrapped to feed and read the two;
- ``__main__``: the game's stdout becomes the channel, the reader thread starts, the game runs.

Encoding: pygame can save PNG and JPEG to memory; it has no WebP writer (a ``.webp`` namehint
silently writes TGA). Regions under a quarter of the window are always PNG (small, fast, crisp);
for larger ones "auto" encodes the first frames both ways and keeps PNG unless it costs more than
8 ms or 2.5× JPEG's bytes (measured on this machine: space_shooter 480×600 PNG 14.9 ms / 12.0 kB
vs JPEG 1.5 ms / 12.8 kB → JPEG, 61 frames/s instead of 29 with PNG only).
"""
