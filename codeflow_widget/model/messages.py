"""Every learner-facing sentence, in Chinese first and English second.

Messages are looked up by a stable code (``"provider.auth"``) and formatted with
named parameters, so errors and findings can carry a code plus context and be
rendered in whichever language the learner picked — even after the fact, when
the widget's language switch is flipped.
"""

from __future__ import annotations

from typing import Literal

from codeflow_widget.model.catalogue import config as _config_messages
from codeflow_widget.model.catalogue import findings as _finding_messages
from codeflow_widget.model.catalogue import providers as _provider_messages
from codeflow_widget.model.catalogue import view as _view_messages

Language = Literal["zh", "en"]

CATALOGUE: dict[str, tuple[str, str]] = {
    # request / input
    "request.empty": (
        "请输入你想做的程序，例如「帮我写个贪吃蛇」。",
        "Please describe the program you want, e.g. “make me a snake game”.",
    ),
    "request.too_long": (
        "需求太长了：{length} 个字符，最多 1000 个。请精简后再试。",
        "The request is too long: {length} characters, at most 1000. Please shorten it.",
    ),
    "request.control_chars": (
        "需求里有不可见的控制字符，已拒绝。请只输入普通文字。",
        "The request contains invisible control characters. Please type plain text only.",
    ),
    "request.cancelled": ("已取消", "Cancelled"),
    "request.retry_limit": (
        "已经重试了 {max_retries} 次，不能再重试了。请修改需求后重新生成。",
        "Already retried {max_retries} times; no more retries. Edit the request and generate again.",
    ),
    "request.retry_not_failed": (
        "只有失败的请求才能重试。",
        "Only a failed request can be retried.",
    ),
    "transition.illegal": (
        "状态不能从「{source}」变为「{target}」。",
        "Status cannot change from “{source}” to “{target}”.",
    ),
    "phase.out_of_order": (
        "阶段必须按顺序进行：「{phase}」之前的阶段还没有完成。",
        "Phases run in order: the phase before “{phase}” has not completed.",
    ),
    "phase.one_active": (
        "同一时间只能有一个阶段在进行。",
        "Only one phase may be active at a time.",
    ),
    "request.incomplete": (
        "「编写代码」阶段还没有完成，请求不能标记为完成。",
        "The implement phase has not completed, so the request cannot complete.",
    ),
    # offline lessons
    "offline.no_match": (
        "离线示例模式里没有和「{request}」对应的课程。最接近的离线课程：{suggest_zh}，可以试试其中一个，或换个说法。想做任何程序，可以连接一个真正的模型：向老师要一个 API Key，或看 notebooks/03_连接你的模型.ipynb。",
        "Offline lesson mode has no lesson for “{request}”. The closest offline lessons: {suggest_en}; pick one or try other words. To build anything you like, connect a real model: ask your teacher for an API key, or see notebooks/03_连接你的模型.ipynb.",
    ),
    "offline.lessons_refused": (
        "课程文件夹 {path} 里有 {count} 个课程没有加载：",
        "{count} lesson(s) in the folder {path} were not loaded:",
    ),
    "offline.lesson_symlink": (
        "「{name}」是符号链接，已拒绝：课程文件必须是文件夹里真实的文件。",
        "“{name}” is a symbolic link and was refused: lesson files must be real files in the folder.",
    ),
    "offline.lesson_bad_id": (
        "课程 id「{name}」不可用：只能用小写字母、数字和下划线，并以字母开头（如 my_game）。",
        "The lesson id “{name}” is not allowed: use lower-case letters, digits and underscores, starting with a letter (e.g. my_game).",
    ),
    "offline.lesson_id_mismatch": (
        "「{name}/lesson.json」里的 id 必须和文件夹名「{name}」一致。",
        "The id in “{name}/lesson.json” must equal the folder name “{name}”.",
    ),
    "offline.lesson_bad_json": (
        "{name} 不是有效的课程元数据：{detail}",
        "{name} is not valid lesson metadata: {detail}",
    ),
    "offline.lesson_missing_file": (
        "缺少课程文件「{name}」。",
        "The lesson file “{name}” is missing.",
    ),
    "offline.lesson_file_too_big": (
        "课程文件「{name}」太大（超过 256 KB）。",
        "The lesson file “{name}” is too big (over 256 KB).",
    ),
    "offline.lesson_not_utf8": (
        "课程文件「{name}」不是 UTF-8 编码，请用 UTF-8 重新保存。",
        "The lesson file “{name}” is not UTF-8; please save it as UTF-8.",
    ),
    "offline.label": (
        "离线示例模式：以下内容是预先编写的课程示例，不是模型实时生成的。",
        "Offline lesson mode: the following is a pre-written lesson, not live model output.",
    ),
    # validation
    "validate.failed": (
        "生成的代码没有通过检查：{summary}",
        "The generated code failed validation: {summary}",
    ),
    # config
    "config.invalid": (
        "配置文件 {path} 有 {count} 个问题：",
        "The config file {path} has {count} problem(s):",
    ),
    "config.bad_json": (
        "不是合法的 JSON（第 {line} 行第 {col} 列）：{detail}",
        "not valid JSON (line {line}, column {col}): {detail}",
    ),
    "config.not_found": ("找不到配置文件 {path}", "Config file {path} not found"),
    "config.key_in_file": (
        "不要把 API 密钥写进配置文件；请改用环境变量 {env_var}，或用 api_key_file 指向一个只有你能读的文件。",
        "Do not put API keys in the config file; use the environment variable {env_var}, or api_key_file pointing to a private file.",
    ),
    # runner
    "run.ok": ("运行正常：{seconds} 秒内没有报错。", "Ran fine: no errors within {seconds} s."),
    "run.waiting_input": (
        "程序在等待键盘输入，到此为止没有报错。",
        "The program is waiting for keyboard input; no errors so far.",
    ),
    "run.exited": ("程序正常结束（退出码 0）。", "The program finished normally (exit code 0)."),
    "run.crashed": (
        "程序出错退出（退出码 {exit_code}）：{last_line}",
        "The program crashed (exit code {exit_code}): {last_line}",
    ),
    "run.failed": (
        "程序试运行出错，修正后仍然出错：{detail}",
        "The program crashed in its trial run, even after a correction: {detail}",
    ),
    "project.too_large": (
        "生成的项目超过了大小限制（每个文件小于 1 MB，总计不超过 10 MB）：{detail}",
        "The generated project breaks the size limits (each file under 1 MB, 10 MB in all): {detail}",
    ),
    "run.blocked": (
        "代码没有通过运行前的检查（和生成时的规则相同，也包括你自己改过的地方），所以没有运行。"
        "请按下面的提示修改后再试：",
        "The code did not pass the checks before running (the same rules as when it was "
        "generated, including your own edits), so it was not run. Fix what is listed and try "
        "again:",
    ),
    "run.sandbox": ("沙箱：{detail}", "Sandbox: {detail}"),
    "run.window": ("在窗口中运行", "Run in a window"),
    "run.player_below": (
        "这台电脑没有图形界面：游戏在下面的播放器里运行（点击画面开始玩）。",
        "No display here: the game runs in the player below (click the picture to play).",
    ),
    "run.missing_pygame": (
        "运行需要 pygame：请先执行 python -m pip install pygame",
        "pygame is needed: run python -m pip install pygame first",
    ),
    # project
    "project.not_validated": (
        "代码没有通过语法检查，只能查看，不能下载。",
        "The code did not pass the syntax check; it can be viewed but not downloaded.",
    ),
}

# The sentences of the other parts live in model/catalogue/, one table per part: one catalogue.
for _table in (
    _config_messages.MESSAGES,
    _finding_messages.MESSAGES,
    _provider_messages.MESSAGES,
    _view_messages.MESSAGES,
):
    CATALOGUE.update(_table)


def message(code: str, lang: Language = "zh", /, **params: object) -> str:
    """Render the message ``code`` in ``lang``; unknown params are left as written."""
    zh, en = CATALOGUE[code]
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


PHASE_TITLES: dict[str, tuple[str, str]] = {
    "specify": ("明确需求", "Specify"),
    "plan": ("设计方案", "Plan"),
    "implement": ("编写代码", "Implement"),
}


def phase_title(phase: str, lang: Language = "zh") -> str:
    zh, en = PHASE_TITLES[phase]
    return en if lang == "en" else zh


# What a developer does in each phase and why — shown when a phase starts.
# The Chinese text is the data model's educational_message (10–200 characters).
PHASE_MESSAGES: dict[str, tuple[str, str]] = {
    "specify": (
        "第一步：明确需求。开发者先把一句模糊的愿望变成清楚、可检验的需求说明：要做什么、不做什么、怎样算完成。需求写清楚了，后面才不会返工。",
        "Step 1, Specify: a developer first turns a vague wish into a clear, checkable spec: what to build, what not to build, and how we know it is done. A clear spec saves rework later.",
    ),
    "plan": (
        "第二步：设计方案。根据需求说明选择技术、设计数据结构、划分函数，就像盖房子之前先画图纸。好的方案让写代码变成按图施工。",
        "Step 2, Plan: from the spec, choose the technology, design the data structures and split the work into functions, like drawing blueprints before building a house.",
    ),
    "implement": (
        "第三步：编写代码。按照方案一个函数一个函数地实现，然后自动检查语法、导入的库和 Windows 兼容性，最后试运行一次，确认程序真的能跑起来。",
        "Step 3, Implement: write the code function by function following the plan, then check syntax, imports and Windows compatibility automatically, and try a run to make sure it really works.",
    ),
}


def phase_message(phase: str, lang: Language = "zh") -> str:
    zh, en = PHASE_MESSAGES[phase]
    return en if lang == "en" else zh
