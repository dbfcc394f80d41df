"""The sandbox's learner-facing sentences, Chinese first and English second.

``text("none", reason=…)`` never shows an empty reason: the launcher passes the probes' reasons
joined, which is empty when no isolation was asked for (``CODEFLOW_SANDBOX_MECHANISM=none`` or
``mechanism="none"``); then the sentence says that, naming the setting when it is the variable.
"""

from __future__ import annotations

import os

FORCE_ENV = "CODEFLOW_SANDBOX_MECHANISM"  # the launcher's variable (it imports this module)

TEXTS: dict[str, tuple[str, str]] = {
    "bubblewrap": (
        "已隔离：bubblewrap（没有网络，只能写自己的运行文件夹，看不到主目录）",
        "Isolated: bubblewrap (no network, writes only its own run folder, no home folder)",
    ),
    "landlock+seccomp": (
        "已隔离：Landlock + seccomp（没有网络，只能写自己的运行文件夹，看不到主目录）",
        "Isolated: Landlock + seccomp (no network, writes only its own run folder, no home folder)",
    ),
    "sandbox-exec": (
        "已隔离：macOS sandbox-exec（没有网络，只能写自己的运行文件夹）",
        "Isolated: macOS sandbox-exec (no network, writes only its own run folder)",
    ),
    "job-object": (
        "未隔离：原因：Windows 上只有作业对象（限制进程数和内存，结束时终止所有进程），"
        "文件和网络没有被隔离",
        "Not isolated: on Windows only a Job Object is used (caps processes and memory, ends "
        "every process at the end); files and network are not contained",
    ),
    "none": ("未隔离：原因：{reason}", "Not isolated: {reason}"),
    "none_forced_env": (
        "设置 {name}={value} 关闭了沙箱",
        "the setting {name}={value} turned the sandbox off",
    ),
    "none_forced_call": (
        '这次运行指定了不使用沙箱（mechanism="none"）',
        'this run asked for no sandbox (mechanism="none")',
    ),
    "none_nothing_works": (
        "这台机器上没有能用的隔离机制（{reasons}）",
        "no isolating mechanism works on this machine ({reasons})",
    ),
    "unavailable": (
        '没有可用的沙箱，已拒绝运行（设置要求 "sandbox": "required"）。原因：{reason}',
        'No sandbox is available, so the run was refused ("sandbox": "required" is set). '
        "Reason: {reason}",
    ),
    "forced_unavailable": (
        "指定的沙箱机制「{name}」在这台机器上不可用：{reason}",
        "The requested sandbox mechanism “{name}” does not work on this machine: {reason}",
    ),
    "unknown_mechanism": (
        "未知的沙箱机制「{name}」。可选：{names}",
        "Unknown sandbox mechanism “{name}”. Choose one of: {names}",
    ),
    "bad_entry": (
        "要运行的文件「{entry}」必须是项目文件夹里的一个 .py 文件。",
        "The file to run, “{entry}”, must be a .py file inside the project folder.",
    ),
    "bad_source": (
        "项目文件夹「{path}」不存在或无法复制：{reason}",
        "The project folder “{path}” does not exist or cannot be copied: {reason}",
    ),
    "disk_full": (
        "程序写入的文件超过了上限（{megabytes} MB 或 {entries} 个文件），已被停止。",
        "The program wrote more than its limit ({megabytes} MB or {entries} files) and was stopped.",
    ),
}


def text(code: str, language: str = "zh", **params: object) -> str:
    if code == "none":
        params = {**params, "reason": _why_not_isolated(str(params.get("reason") or ""), language)}
    zh, en = TEXTS[code]
    return (en if language == "en" else zh).format(**params)


def _why_not_isolated(reasons: str, language: str) -> str:
    if reasons:
        return text("none_nothing_works", language, reasons=reasons)
    forced = os.environ.get(FORCE_ENV, "")
    if forced.strip().lower() == "none":
        return text("none_forced_env", language, name=FORCE_ENV, value=forced)
    return text("none_forced_call", language)
