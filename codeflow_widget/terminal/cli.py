"""The terminal front end: ``codeflow run | doctor | init | lessons | stats | eval``.

``codeflow run "帮我写个贪吃蛇"`` consumes the same event stream as the widget and
shows it live: the three phases, elapsed time, thinking in dim text, and a
summary with the project path. ``--json`` prints each event as one JSON line
instead. Exit codes: 0 success, 1 generation failed (Chinese message on stderr),
2 usage or configuration error. The options themselves are declared in ``arguments``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from rich.console import Console

from codeflow_widget.config import write_example
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.model.errors import (
    CodeflowError,
    ConfigError,
    MissingApiKey,
    RequestInputError,
)
from codeflow_widget.model.events import Completed, Failed
from codeflow_widget.model.messages import message
from codeflow_widget.output.folders import FolderProblem, folder_problem
from codeflow_widget.terminal.arguments import OPTION_NAMES, build_parser, settings_overrides
from codeflow_widget.terminal.live_view import JsonLines, LiveView, show_run

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _utf8_streams() -> None:
    # Windows consoles default to a legacy code page; Chinese must not crash the CLI.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler = {
        "run": cmd_run,
        "doctor": cmd_doctor,
        "init": cmd_init,
        "lessons": cmd_lessons,
        "stats": cmd_stats,
        "eval": cmd_eval,
        "play": cmd_play,
        "history": cmd_history,
        "restore": cmd_restore,
    }[args.command]
    return handler(args)


# -- run ---------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False)
    lang = args.language or "zh"
    try:
        lesson = Lesson.configure(args.config, **settings_overrides(args))
        lang = lesson.language
        _refuse_ignored_base_url(args, lesson.settings)
        _wish_or_follow_up(lesson, args)  # a bad wish is refused before anything touches disk
        # Checked now, as `doctor` does, not after the whole lesson has been shown.
        problem = folder_problem(lesson.settings.projects_dir, "projects")
        if problem is not None:
            raise problem
    except (ConfigError, MissingApiKey, RequestInputError, FolderProblem, _Unchanged) as exc:
        if isinstance(exc, ConfigError):
            exc.from_command_line(OPTION_NAMES)
        if args.json:
            print(
                json.dumps(
                    {
                        "type": "failed",
                        "request_id": "",
                        "error_message": exc.message(lang),
                        "error_code": exc.code,
                    },
                    ensure_ascii=False,
                )
            )
        err.print(f"[bold red]✗[/] {exc.message(lang)}", markup=True)
        return EXIT_FAILED if getattr(exc, "code", "") == "followup.no_match" else EXIT_USAGE
    view = JsonLines() if args.json else LiveView(Console(highlight=False), lang)
    outcome = asyncio.run(show_run(lesson, view))
    if isinstance(outcome, Failed):
        err.print(f"✗ {outcome.error_message}", markup=False, style="bold red")
        for line in suggestion_lines(outcome.suggestions, lang):
            err.print(line, markup=False, highlight=False)
        return EXIT_FAILED
    return EXIT_OK if isinstance(outcome, Completed) else EXIT_FAILED


class _Unchanged(CodeflowError):
    """A follow-up refused before it ran (not a project, no such change): nothing was touched."""

    def __init__(self, err: CodeflowError) -> None:
        self.inner = err
        self.code = err.code
        super().__init__(err.code, **err.params)

    def message(self, lang="zh") -> str:
        return self.inner.message(lang)


def _wish_or_follow_up(lesson: Lesson, args: argparse.Namespace) -> None:
    """``--project DIR`` makes the wish a follow-up; ``--step`` pauses on this terminal."""
    if args.step or lesson.settings.step_mode:
        from codeflow_widget.terminal.step_prompt import TerminalStep

        lesson.checkpoint = TerminalStep(Console(stderr=True, highlight=False), lesson.language)
    if not args.project:
        lesson.wish(args.text)
        return
    try:
        lesson.follow_up(args.project, args.text)
    except RequestInputError:
        raise
    except CodeflowError as err:
        raise _Unchanged(err) from None


def _refuse_ignored_base_url(args: argparse.Namespace, settings) -> None:
    """``--base-url`` with no provider would run offline and ignore it: say so instead.

    Refusing rather than implying ``custom``: a URL alone names no model, and a learner
    who typed it expects a model to answer, not the offline lessons.
    """
    if getattr(args, "base_url", None) and settings.is_offline:
        raise ConfigError(
            "--base-url",
            [
                (
                    "base_url",
                    "离线示例模式不会访问任何接口：请同时指定 --provider（例如 --provider custom "
                    "--model 模型名），或去掉 --base-url"
                    if settings.language != "en"
                    else "offline lesson mode calls no endpoint: add --provider (e.g. --provider "
                    "custom --model NAME), or drop --base-url",
                )
            ],
            settings.language,
            ["args"],
        )


def suggestion_lines(suggestions, lang: str) -> list[str]:
    """The closest lessons of a wish that named none, each with a command that starts it."""
    if not suggestions:
        return []
    lines = ["试试这些离线课程：" if lang != "en" else "Try one of these offline lessons:"]
    for s in suggestions:
        lines.append(f'  • {s.name} ({s.id}): codeflow run "{s.example}"')
    return lines


def cmd_doctor(args: argparse.Namespace) -> int:
    from codeflow_widget.terminal.doctor import run_checks

    return run_checks(args, Console(highlight=False))


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.path)
    problem = folder_problem(target.parent, "config", create=False)
    if problem is not None:
        print(f"✗ {problem.message('zh')}\n  {problem.message('en')}", file=sys.stderr)
        return EXIT_USAGE
    try:
        path = write_example(target)
    except FileExistsError:
        print(f"✗ {args.path} 已存在，不会覆盖 / already exists, not overwritten", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # e.g. a folder at the file's path, or a full disk
        print(f"✗ 无法写入 {args.path}（{exc.strerror}）/ cannot write it", file=sys.stderr)
        return EXIT_USAGE
    print(f"✓ 已写入 / wrote {path}")
    print(
        "  API 密钥请放在环境变量里，不要写进这个文件 / keep API keys in environment variables, not in this file"
    )
    return EXIT_OK


def _checked_settings(args: argparse.Namespace):
    """The validated configuration, for commands that run nothing (``lessons``, ``stats``).

    A bad config is refused here as ``run`` refuses it (exit 2, field by field), not
    silently replaced by defaults: a teacher's typo would otherwise look like "no lessons".
    """
    from codeflow_widget.config import load_settings

    overrides = {"language": args.language} if args.language else {}
    return load_settings(args.config, **overrides)


def _refused(exc: CodeflowError, lang: str) -> int:
    Console(stderr=True, highlight=False).print(
        f"✗ {exc.message(lang)}", markup=False, style="bold red"
    )
    return EXIT_USAGE


def cmd_lessons(args: argparse.Namespace) -> int:
    from codeflow_widget.providers.offline import Catalogue, default_catalogue

    lang = args.language or "zh"
    try:
        settings = _checked_settings(args)
        lang = settings.language
        # The teacher's lessons (lessons_dir) are listed with the built-in ones, as they match.
        catalogue = Catalogue.load(settings.lessons_dir) if settings.lessons_dir else None
    except ConfigError as exc:  # LessonRefused (a broken teacher lesson) is one too
        return _refused(exc, lang)
    console = Console(highlight=False)
    console.print(message("offline.label", lang), style="yellow", markup=False)
    for lesson in (catalogue or default_catalogue()).lessons:
        examples = " / ".join(lesson.examples.get(lang, [])[:2])
        console.print(f"  • {lesson.name(lang)} ({lesson.id})  {examples}", markup=False)
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from codeflow_widget.terminal.history_command import run_history

    return run_history(args)


def cmd_restore(args: argparse.Namespace) -> int:
    from codeflow_widget.terminal.history_command import run_restore

    return run_restore(args)


def cmd_play(args: argparse.Namespace) -> int:
    from codeflow_widget.terminal.play_command import run as play_run

    return play_run(args)


def cmd_stats(args: argparse.Namespace) -> int:
    from codeflow_widget.terminal.classroom_stats import main as stats_main

    try:
        settings = _checked_settings(args)
    except ConfigError as exc:
        return _refused(exc, args.language or "zh")
    if not args.log:
        args.log = str(settings.log_file)  # the configured log_dir, not a guess
    return stats_main(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from codeflow_widget.terminal.evaluate import main as eval_main

    try:
        return eval_main(args)
    except CodeflowError as exc:
        print(f"✗ {exc.message(args.language or 'zh')}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
