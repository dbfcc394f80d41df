"""A tiny stand-in for codeflow_widget.sandbox.launch, used only until the real launcher lands.

Same shape as the contract in notes/sandbox_api.md (Running: stdin/stdout/stderr, wait, stop,
redact), without any isolation.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path


class Running:
    mechanism = None

    def __init__(self, process, folder):
        self.process = process
        self.stdin, self.stdout, self.stderr = process.stdin, process.stdout, process.stderr
        self.folder = folder

    def redact(self, text):
        return text.replace(str(self.folder), "<run>")

    async def wait(self):
        code = await self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        return code

    async def stop(self):
        if self.process.returncode is None:
            self.process.kill()
        await self.wait()


async def launch(project_dir, entry, language, extra_env, wrapper):
    folder = Path(tempfile.mkdtemp(prefix="play-standin-"))
    shutil.copytree(project_dir, folder, dirs_exist_ok=True)
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", **extra_env}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(wrapper),
        entry,
        cwd=folder,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    return Running(process, folder)
