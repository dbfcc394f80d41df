"""What the fake model says, and how it misbehaves.

``Script`` holds the default answer and reasoning for each phase (keyed off the
``[phase:specify]`` / ``[phase:plan]`` / ``[phase:implement]`` marker in the
system prompt). ``Reply`` describes what to do with one request: which wire
format to stream in, which answer to give, and which fault to play. The factory
functions at the bottom build the common faults; ``parse_fault`` turns the
command-line spelling (``status=429,times=1``) into a ``Reply``.

Every default reasoning text contains ``REASONING_MARKER`` so tests can prove it
reached the thinking events and never a written file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

PHASES = ("specify", "plan", "implement")
FORMATS = ("minimax", "deepseek", "vllm", "ollama", "openrouter", "inline_think", "plain")
REASONING_MARKER = "RSN-7Q"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>window.__xss=1</script>"

DEFAULT_THINKING = {
    "specify": f"{REASONING_MARKER}-specify 思考：学习者想要一个弹跳小球。先想清楚目标、操作和验收标准，范围要小。",
    "plan": f"{REASONING_MARKER}-plan 思考：一个 main.py 就够了；用 x, y, dx, dy 四个数表示小球，碰到边就反弹。",
    "implement": f"{REASONING_MARKER}-implement 思考：写 main() 和主循环，跑 30 帧后自动退出，方便自动检查。",
}

SPEC = """## 1. 目标
做一个弹跳小球的小程序，让初学者看到游戏主循环是怎样工作的。

## 2. 功能需求
1. 窗口里有一个黄色小球。
2. 小球碰到窗口边缘会反弹。

## 3. 操作方式
关闭窗口即可退出。

## 4. 非目标
不做计分、不做声音。

## 5. 验收标准
- [ ] 小球会移动
- [ ] 碰到边缘会反弹
- [ ] 关闭窗口能正常退出
"""

PLAN = """## 1. 技术选型
Python + pygame：画图和处理事件都很简单。

## 2. 文件结构
只有一个 `main.py`。

## 3. 数据结构
用 `x, y, dx, dy` 四个整数表示小球的位置和速度。

## 4. 函数划分
- `main()`：初始化窗口，运行主循环（处理输入 → 更新状态 → 绘制画面）。

## 5. 关键算法
碰到左右边缘时 `dx = -dx`，碰到上下边缘时 `dy = -dy`。

## 6. 跨平台注意事项
关闭窗口时调用 `pygame.quit()`。

## 7. 测试方法
运行程序，观察小球是否反弹。
"""

PROGRAM = '''"""弹跳小球：一个最小的 pygame 程序。"""
import pygame

WIDTH, HEIGHT = 320, 240


def main():
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    x, y, dx, dy = 40, 40, 4, 3
    for _ in range(30):  # 演示版：跑 30 帧后自动结束，方便自动检查
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                pygame.quit()
                return
        x, y = x + dx, y + dy
        if x < 10 or x > WIDTH - 10:  # 碰到左右边缘就反弹
            dx = -dx
        if y < 10 or y > HEIGHT - 10:  # 碰到上下边缘就反弹
            dy = -dy
        screen.fill((0, 0, 0))
        pygame.draw.circle(screen, (255, 200, 0), (x, y), 10)
        pygame.display.flip()
        clock.tick(60)
    pygame.quit()


if __name__ == "__main__":
    main()
'''

SYNTAX_ERROR_LINE = 5
SYNTAX_ERROR_PROGRAM = '''"""有语法错误的程序。"""
import pygame


def main(:
    pygame.init()


if __name__ == "__main__":
    main()
'''

BAD_IMPORT_LINE = 2
BAD_IMPORT_PROGRAM = '''"""用了不允许的库。"""
import requests


def main():
    print(requests.get("https://example.com").status_code)


if __name__ == "__main__":
    main()
'''


def implement_answer(program: str = PROGRAM) -> str:
    return (
        "下面是完整的 `main.py`：一个会反弹的小球。\n\n"
        f"```python main.py\n{program}```\n\n"
        "运行方法：先执行 `python -m pip install pygame`，然后 `python main.py`。\n"
    )


DEFAULT_ANSWERS = {"specify": SPEC, "plan": PLAN, "implement": implement_answer()}
NO_CODE_ANSWER = "好的，我会写一个弹跳小球的程序。它会在窗口里来回反弹。（这里忘了给出代码块。）\n"
XSS_ANSWERS = {
    "specify": f"## 1. 目标\n{XSS_IMG}\n{XSS_SCRIPT}\n做一个弹跳小球。\n",
    "plan": f"## 1. 技术选型\n{XSS_SCRIPT} pygame {XSS_IMG}\n",
    "implement": f"{XSS_IMG} {XSS_SCRIPT}\n\n"
    + implement_answer().replace('"""弹跳小球', f'"""{XSS_SCRIPT} 弹跳小球', 1),
}
PING_ANSWER = "pong"


@dataclass
class Script:
    """The default answers: per phase, plus the reply to a request with no phase marker."""

    answers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ANSWERS))
    thinking: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_THINKING))
    ping: str = PING_ANSWER

    def answer(self, phase: str | None) -> str:
        return self.answers.get(phase, self.ping) if phase else self.ping

    def reasoning(self, phase: str | None) -> str:
        return (
            self.thinking.get(phase, f"{REASONING_MARKER} ping")
            if phase
            else f"{REASONING_MARKER} ping"
        )


@dataclass
class Reply:
    """What to do with one request. ``None`` fields fall back to the server's defaults."""

    format: str | None = None
    answer: str | None = None  # overrides the script's answer for this phase
    thinking: str | None = None
    # an HTTP error with an OpenAI-style JSON body
    status: int = 200
    error_message: str = ""
    error_type: str = ""
    retry_after: str | None = None  # the Retry-After header, verbatim
    echo_key: bool = False  # put the received Authorization header into the error message
    # MiniMax: an error inside HTTP 200
    base_resp: int | None = None
    base_resp_sse: bool = False
    # mid-stream faults, after K content/reasoning chunks
    error_event_after: int | None = None
    drop_after: int | None = None
    drop_mode: str = "eof"  # "eof": close without the final chunk; "reset": TCP RST
    malformed_after: int | None = None
    end_without_done_after: int | None = None  # a clean end, but no finish_reason / [DONE]
    # timing
    delay_before_headers: float = 0.0
    stall_after: int | None = None
    stall_s: float = 0.0
    delay_s: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # format options (cumulative, open_tag, …)

    def with_(self, **changes: Any) -> Reply:
        return replace(self, **changes)


BASE_RESP_MESSAGES = {
    1000: "unknown error",
    1001: "request timeout",
    1002: "rate limit exceeded",
    1004: "authentication failed",
    1008: "insufficient balance",
    1024: "internal error",
    1033: "system error",
    1039: "token limit exceeded",
    2013: "invalid params",
    2049: "invalid api key",
}
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_denied",
    404: "not_found_error",
    408: "timeout",
    409: "conflict",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


# -- factories ---------------------------------------------------------------------
def ok(**changes: Any) -> Reply:
    return Reply(**changes)


def http_error(
    status: int, message: str = "", retry_after: float | str | None = None, **changes: Any
) -> Reply:
    return Reply(
        status=status,
        error_message=message or f"fake error {status}",
        error_type=ERROR_TYPES.get(status, "server_error"),
        retry_after=None if retry_after is None else str(retry_after),
        **changes,
    )


def base_resp(code: int, sse: bool = False, **changes: Any) -> Reply:
    return Reply(base_resp=code, base_resp_sse=sse, **changes)


def error_event(
    after: int = 2, message: str = "upstream overloaded", code: int | str = 500, **changes: Any
) -> Reply:
    """An ``{"error": {...}}`` SSE event after ``after`` chunks (``code`` may be a MiniMax code)."""
    return Reply(
        error_event_after=after, error_message=message, extra={"error_code": code}, **changes
    )


def disconnect(after: int = 3, mode: str = "eof", **changes: Any) -> Reply:
    return Reply(drop_after=after, drop_mode=mode, **changes)


def malformed(after: int = 1, **changes: Any) -> Reply:
    return Reply(malformed_after=after, **changes)


def no_done(after: int = 3, **changes: Any) -> Reply:
    return Reply(end_without_done_after=after, **changes)


def json_instead_of_sse(**changes: Any) -> Reply:
    """A server that ignores ``stream: true`` and answers with one JSON completion."""
    return Reply(extra={"ignore_stream": True}, **changes)


def empty_answer(**changes: Any) -> Reply:
    return Reply(answer="", **changes)


def no_code(**changes: Any) -> Reply:
    return Reply(answer=NO_CODE_ANSWER, **changes)


def syntax_error(**changes: Any) -> Reply:
    return Reply(answer=implement_answer(SYNTAX_ERROR_PROGRAM), **changes)


def bad_import(**changes: Any) -> Reply:
    return Reply(answer=implement_answer(BAD_IMPORT_PROGRAM), **changes)


def slow_headers(seconds: float, **changes: Any) -> Reply:
    return Reply(delay_before_headers=seconds, **changes)


def stall(after: int = 2, seconds: float = 5.0, **changes: Any) -> Reply:
    return Reply(stall_after=after, stall_s=seconds, **changes)


def xss(phase: str = "specify", **changes: Any) -> Reply:
    return Reply(answer=XSS_ANSWERS[phase], **changes)


FAULTS = {
    "ok": lambda arg: ok(),
    "status": lambda arg: http_error(int(arg or 500)),
    "base_resp": lambda arg: base_resp(int(arg or 1008)),
    "base_resp_sse": lambda arg: base_resp(int(arg or 1008), sse=True),
    "error_event": lambda arg: error_event(int(arg or 2)),
    "disconnect": lambda arg: disconnect(int(arg or 3)),
    "reset": lambda arg: disconnect(int(arg or 3), mode="reset"),
    "malformed": lambda arg: malformed(int(arg or 1)),
    "no_done": lambda arg: no_done(int(arg or 3)),
    "empty": lambda arg: empty_answer(),
    "json": lambda arg: json_instead_of_sse(),
    "no_code": lambda arg: no_code(),
    "syntax_error": lambda arg: syntax_error(),
    "bad_import": lambda arg: bad_import(),
    "slow": lambda arg: slow_headers(float(arg or 5)),
    "stall": lambda arg: stall(2, float(arg or 5)),
    "xss": lambda arg: xss(arg or "specify"),
}


def parse_fault(spec: str) -> tuple[Reply, int | None, str | None]:
    """``NAME[=ARG][,times=N|always][,phase=P][,retry_after=S]`` → (reply, times, phase).

    Examples: ``status=429,times=1,retry_after=1``; ``base_resp=1008``;
    ``disconnect=3,times=1``; ``syntax_error,phase=implement,times=always``.
    """
    head, *options = [part.strip() for part in spec.split(",") if part.strip()]
    name, _, arg = head.partition("=")
    if name not in FAULTS:
        raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
    reply = FAULTS[name](arg)
    times: int | None = 1
    phase = None
    for option in options:
        key, _, value = option.partition("=")
        if key == "times":
            times = None if value == "always" else int(value)
        elif key == "phase":
            phase = value
        elif key == "retry_after":
            reply = reply.with_(retry_after=value)
        elif key == "after":
            reply = _set_after(reply, int(value))
        else:
            raise ValueError(f"unknown fault option {key!r}")
    return reply, times, phase


def _set_after(reply: Reply, after: int) -> Reply:
    for name in (
        "error_event_after",
        "drop_after",
        "malformed_after",
        "end_without_done_after",
        "stall_after",
    ):
        if getattr(reply, name) is not None:
            return replace(reply, **{name: after})
    return reply
