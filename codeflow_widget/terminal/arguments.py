"""The ``codeflow`` command line: its sub-commands, their options, and the settings they set.

``build_parser`` declares every sub-command (run, doctor, init, lessons, stats, eval, plus
play and history from their own modules), with help in Chinese and English side by side.
``settings_overrides`` turns the options a learner gave into Settings fields (explicit
arguments win over the environment and codeflow.json), and ``OPTION_NAMES`` names the option
behind a field, so a configuration error says ``--timeout`` rather than ``timeout_s``.
"""

from __future__ import annotations

import argparse
from typing import Any

from codeflow_widget import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codeflow", description="codeflow_widget：明确需求 → 设计方案 → 编写代码"
    )
    parser.add_argument("--version", action="version", version=f"codeflow {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def provider_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--provider",
            help="offline | minimax | minimax-cn | deepseek | openai | ollama | vllm | custom",
        )
        p.add_argument("--model", help="模型名 / model name")
        p.add_argument(
            "--base-url", dest="base_url", help="OpenAI 兼容接口地址 / OpenAI-compatible base URL"
        )
        p.add_argument("--config", help="codeflow.json 的路径 / path to codeflow.json")
        p.add_argument("--language", choices=["zh", "en"], help="界面语言 / language")

    run = sub.add_parser("run", help="把一个需求变成程序 / turn a wish into a program")
    run.add_argument("text", help='例如 / e.g. "帮我写个贪吃蛇"')
    run.add_argument(
        "--json", action="store_true", help="每个事件输出一行 JSON / one JSON event per line"
    )
    run.add_argument("--projects-dir", dest="projects_dir", help="项目输出目录 / where projects go")
    run.add_argument(
        "--pace",
        dest="offline_pace",
        type=float,
        help="离线示例的速度，0 = 立即 / offline pace, 0 = instant",
    )
    run.add_argument(
        "--timeout", dest="timeout_s", type=float, help="API 超时秒数 / API timeout in seconds"
    )
    run.add_argument(
        "--project",
        help=(
            "改进这个已有的项目：路径、文件夹名、项目类型或课程名（如 贪吃蛇） / a follow-up on "
            "this existing project: a path, a folder name, a project type or a lesson title"
        ),
    )
    run.add_argument(
        "--step",
        action="store_true",
        help="每步暂停，可以编辑或重做 / pause after Specify and Plan",
    )
    provider_options(run)

    doctor = sub.add_parser("doctor", help="检查环境 / check this machine")
    provider_options(doctor)

    init = sub.add_parser("init", help="写一个示例 codeflow.json / write an example codeflow.json")
    init.add_argument("--path", default="codeflow.json")

    lessons = sub.add_parser("lessons", help="列出离线课程 / list the offline lessons")
    lessons.add_argument("--language", choices=["zh", "en"], help="界面语言 / language")
    lessons.add_argument("--config", help="codeflow.json 的路径 / path to codeflow.json")

    stats = sub.add_parser("stats", help="统计运行日志 / summarise the trace log")
    stats.add_argument(
        "--since", help="只统计这之后的记录，例如 2026-11-01 或 24h / only after this time"
    )
    stats.add_argument("--json", action="store_true")
    stats.add_argument(
        "--log",
        action="append",
        help=(
            "日志文件或文件夹，可重复 / log file or folder, repeatable "
            "(default logs/system_trace.jsonl)"
        ),
    )
    stats.add_argument("--config", help="codeflow.json 的路径 / path to codeflow.json")
    stats.add_argument("--language", choices=["zh", "en"], help="界面语言 / language")

    from codeflow_widget.terminal import play_command

    play_command.add_parser(sub)
    from codeflow_widget.terminal import history_command

    history_command.add_parsers(sub)

    ev = sub.add_parser("eval", help="批量评测生成的代码能否运行 / evaluate a prompt set")
    ev.add_argument("--prompts", help="提示词文件（JSON 列表）/ prompts file (JSON list)")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--limit", type=int)
    ev.add_argument("--projects-dir", dest="projects_dir")
    ev.add_argument("--pace", dest="offline_pace", type=float, default=0.0)
    provider_options(ev)
    return parser


# settings field → the option that sets it, to name it in configuration errors
OPTION_NAMES = {
    "provider": "--provider",
    "model": "--model",
    "base_url": "--base-url",
    "language": "--language",
    "projects_dir": "--projects-dir",
    "offline_pace": "--pace",
    "timeout_s": "--timeout",
}


def settings_overrides(args: argparse.Namespace) -> dict[str, Any]:
    names = (
        "provider",
        "model",
        "base_url",
        "language",
        "projects_dir",
        "offline_pace",
        "timeout_s",
    )
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
