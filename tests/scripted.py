"""An in-memory provider for flow tests (like llm's MockModel): enqueue what each call does.

Real HTTP is tested against the loopback server in tests/fakes/; this double is for
pinning the flow's own rules without a network.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import ClassVar

from codeflow_widget.providers.base import ContentChunk, PhaseCall, ThinkingChunk

GOOD_CODE = """```python main.py
# 一个会一直运行的小程序（冒烟测试会在超时时结束它）
import time


def main():
    while True:
        time.sleep(0.05)


if __name__ == "__main__":
    main()
```"""


def answer_for(phase: str) -> str:
    return {
        "specify": "# 小游戏\n\n## 目标\n做一个小游戏。",
        "plan": "## 技术选型\n只用标准库。",
        "implement": "下面是代码：\n\n" + GOOD_CODE,
    }[phase]


@dataclass
class Step:
    """What one provider call does: stream `thinking` then `content`, or raise `error` after `fail_after` chunks."""

    content: str | None = None
    thinking: str = "先想一想……"
    error: Exception | None = None
    fail_after: int = 0
    delay_s: float = 0.0


@dataclass
class ScriptedProvider:
    name: str = "scripted"
    model: str = "script-1"
    base_url: str = "memory://"
    offline: ClassVar[bool] = False
    steps: list[Step] = field(default_factory=list)
    calls: list[PhaseCall] = field(default_factory=list)
    closed_streams: int = 0

    def enqueue(self, *steps: Step) -> ScriptedProvider:
        self.steps.extend(steps)
        return self

    def educational_message(self, phase, user_input, language):
        return None

    async def stream(self, call: PhaseCall) -> AsyncIterator:
        self.calls.append(call)
        step = self.steps.pop(0) if self.steps else Step()
        content = step.content if step.content is not None else answer_for(call.phase)
        chunks = [ThinkingChunk(step.thinking)] + [
            ContentChunk(content[i : i + 8]) for i in range(0, len(content), 8)
        ]
        try:
            for index, chunk in enumerate(chunks):
                if step.error is not None and index >= step.fail_after:
                    raise step.error
                await asyncio.sleep(step.delay_s)
                yield chunk
            if step.error is not None:
                raise step.error
        finally:
            self.closed_streams += 1

    async def aclose(self) -> None:
        return None
