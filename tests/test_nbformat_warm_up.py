"""nbformat is imported in the background as soon as a lesson runs, never in the event loop.

``import nbformat`` takes seconds (jsonschema builds a grammar at import). When the Implement
phase wrote run.ipynb, that import ran in the event loop: the view froze and a Ctrl-C in the CLI
waited for it (CI once timed out at 30 s with the stack inside that import). A fresh interpreter
runs one offline lesson; the thread that imported nbformat must not be the loop's thread.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import asyncio, json, sys, threading
importer = {}
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "nbformat" and "thread" not in importer:
            importer["thread"] = threading.current_thread().name
        return None
sys.meta_path.insert(0, Watch())
from codeflow_widget.flow.lesson import Lesson

async def main():
    lesson = Lesson.configure(offline_delay=0, smoke_timeout_s=2)
    lesson.wish("帮我写个贪吃蛇")
    async for event in lesson.run():
        pass
    await lesson.aclose()
    return event.type, threading.current_thread().name

last, loop_thread = asyncio.run(main())
print(json.dumps({"last": last, "loop": loop_thread, "importer": importer.get("thread")}))
"""


def test_a_lesson_imports_nbformat_off_the_event_loop_thread(isolated):
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["last"] == "completed"
    assert seen["importer"] is not None, "nbformat was never imported"
    assert seen["importer"] != seen["loop"], f"nbformat was imported in the loop: {seen}"
