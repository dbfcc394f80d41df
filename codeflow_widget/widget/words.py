"""Every word of the lesson view's chrome, in Chinese and English, sent to the view as ``texts``.

The view (``static/src/*.js``) has no string table of its own: the kernel sends both languages in
the ``texts`` trait, so the language switch relabels everything at once — even in a notebook
reopened without its kernel, because the trait is saved with the widget state. Keys are flat
(``generate``), plus a few small groups (``phases``, ``state``, ``request``, ``pace_names``).
Templates use ``{name}`` placeholders, filled in by the view's ``fmt``. What a phase teaches and
the offline notice are not here: they come with the events (one source of the teaching text).
"""

from __future__ import annotations

from typing import Any

# key: (zh, en)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("CodeFlow · 从一句话到一个程序", "CodeFlow · from one sentence to a program"),
    "placeholder": (
        "想做什么程序？例如：帮我写个贪吃蛇（Enter 生成，Shift+Enter 换行）",
        "What should we build? e.g. make me a snake game (Enter to generate, Shift+Enter for a new line)",
    ),
    "requestLabel": ("你的需求", "Your request"),
    "examples": ("试试：", "Try:"),
    "generate": ("生成", "Generate"),
    "stop": ("停止", "Stop"),
    "retry": ("重试", "Retry"),
    "retryAria": ("重试（第 {n} 次，共 {max} 次）", "Retry (attempt {n} of {max})"),
    "retryLimit": (
        "已经重试了 {max} 次，这是上限：请修改需求后点「生成」重新开始。",
        "{max} retries used, which is the limit: edit the wish and press Generate to start afresh.",
    ),
    "continue": ("继续", "Continue"),
    "restart": ("重新开始", "Start over"),
    "stoppedNote": (
        "已停止：没有用掉重试次数。点「继续」接着看，或点「重新开始」。",
        "Stopped: no retry was used. Press Continue to carry on, or Start over.",
    ),
    "offline": ("离线示例模式", "Offline lesson mode"),
    "steps": ("三个步骤", "Three steps"),
    "statusLine": ("状态：{status}", "Status: {status}"),
    "retried": ("已重试 {n}/{max} 次", "retried {n}/{max}"),
    "thinking": ("思考过程", "Thinking"),
    "output": ("输出", "Output"),
    "attempt": ("第 {n} 次尝试", "attempt {n}"),
    "findings": ("代码检查结果", "Code check findings"),
    "line": ("{file} 第 {line} 行", "{file} line {line}"),
    "project": ("生成的项目", "Generated project"),
    "path": ("位置", "Path"),
    "deps": ("依赖", "Dependencies"),
    "noDeps": ("无（只用 Python 自带的库）", "none (standard library only)"),
    "files": ("文件", "Files"),
    "totalFiles": ("{n} 个文件，共 {size}", "{n} files, {size} in all"),
    "runCommand": ("在终端里运行", "Run in a terminal"),
    "smoke": ("试运行", "Trial run"),
    "notValidated": (
        "代码没有通过语法检查，只能查看，不能下载。",
        "The code did not pass the syntax check; it can be viewed but not downloaded.",
    ),
    "kept": (
        "这个项目没有通过检查，保留下来供学习参考。",
        "This project failed its checks and is kept for study only.",
    ),
    "run": ("运行", "Run"),
    "runWindow": ("在窗口中运行", "Run in a window"),
    "playerHere": ("游戏在下面的画面里运行（在沙箱中）", "The game runs in the picture below (in the sandbox)"),
    "download": ("下载", "Download"),
    "insert": ("插入运行单元", "Insert run cells"),
    "running": ("正在运行…", "Running…"),
    "inserted": (
        "已在这个单元格下方插入 {n} 个单元格，依次运行即可。",
        "Inserted {n} cells below this one; run them in order.",
    ),
    "copied": (
        "无法直接插入单元格：代码已复制到剪贴板，粘贴到新的单元格里运行即可。项目里的 run.ipynb 也可以直接打开运行。",
        "Could not insert cells here: the code is on your clipboard, so paste it into a new cell. The project's run.ipynb works too.",
    ),
    "manual": (
        "无法直接插入单元格：把下面的代码复制到新的单元格里运行即可。项目里的 run.ipynb 也可以直接打开运行。",
        "Could not insert cells here: copy the code below into a new cell. The project's run.ipynb works too.",
    ),
    "noKernel": (
        "内核没有响应（可能已经重启或断开）。请重新运行这个单元格。",
        "The kernel is not answering (restarted or disconnected?). Run this cell again.",
    ),
    "kernelLost": (
        "内核已重启或断开：这次生成没有完成就结束了。重新运行这个单元格，再点「生成」。",
        "The kernel restarted or disconnected: this run ended unfinished. Run this cell again, then press Generate.",
    ),
    "reloaded": (
        "这个视图来自保存的笔记本，它的内核已经不在了。项目已经保存在磁盘上：{path}。重新运行这个单元格即可看到最新的项目。",
        "This view comes from the saved notebook; its kernel is gone. The project is on disk: {path}. Run this cell again to see the latest project.",
    ),
    "reloadedNoProject": (
        "这个视图来自保存的笔记本，它的内核已经不在了。重新运行这个单元格，再点「生成」。",
        "This view comes from the saved notebook; its kernel is gone. Run this cell again, then press Generate.",
    ),
    # The output's own text, shown by the front end when the widget's model is gone (a page
    # reloaded after its kernel ended, the notebook saved without widget state): render.py.
    "modelGone": (
        "这里原本是 CodeFlow 课程视图：它没有随笔记本一起保存，它的内核也已经不在了。生成的项目都保存在磁盘上的文件夹 {folder} 里。重新运行这个单元格，就能再次打开视图。",
        "This was the CodeFlow lesson view: it was not saved with the notebook, and its kernel is gone. Every project it made is on disk in the folder {folder}. Run this cell again to open the view again.",
    ),
    "replaced": (
        "这个单元格已经重新运行：这里的生成已停止，请看新的视图。",
        "This cell was run again: this run was stopped, so look at the new view.",
    ),
    "suggestions": ("试试这些离线课程：", "Try one of these offline lessons:"),
    "dismiss": ("关闭", "Dismiss"),
    "language": ("语言", "Language"),
    "pace": ("速度", "Pace"),
    "fastForward": ("快进", "Fast-forward"),
    "skipToResult": ("跳到结果", "Skip to result"),
    "backToStep": ("回到当前步骤", "Back to the current step"),
    "expand": ("展开", "Show all"),
    "collapse": ("收起", "Show less"),
    "progressChecking": ("检查代码…", "Checking the code…"),
    "progressTrial": ("试运行 {n}/{total} 秒…", "Trial run {n}/{total} s…"),
    "progressWriting": ("写入项目…", "Writing the project…"),
    "counter": ("{n}/{max} 字", "{n}/{max} characters"),
    "counterNear": (
        "还能输入 {left} 个字（最多 {max} 个）",
        "{left} characters left (at most {max})",
    ),
    "counterOver": (
        "超出了 {over} 个字：最多 {max} 个，请精简。",
        "{over} characters too many: at most {max}, please shorten it.",
    ),
}

GROUPS: dict[str, dict[str, tuple[str, str]]] = {
    "phases": {
        "specify": ("明确需求", "Specify"),
        "plan": ("设计方案", "Plan"),
        "implement": ("编写代码", "Implement"),
    },
    "state": {
        "pending": ("等待中", "Pending"),
        "active": ("进行中", "Active"),
        "completed": ("已完成", "Completed"),
        "failed": ("失败", "Failed"),
        "stopped": ("已停止", "Stopped"),
    },
    "request": {
        "idle": ("就绪", "Ready"),
        "pending": ("准备中", "Starting"),
        "processing": ("生成中", "Generating"),
        "retrying": ("重试中", "Retrying"),
        "completed": ("已完成", "Completed"),
        "failed": ("失败", "Failed"),
        "stopped": ("已停止", "Stopped"),
    },
    "pace_names": {
        "slow": ("慢", "Slow"),
        "normal": ("适中", "Normal"),
        "fast": ("快", "Fast"),
        "instant": ("立即", "Instant"),
    },
}


def view_texts() -> dict[str, dict[str, Any]]:
    """``{"zh": {...}, "en": {...}}``: the ``texts`` trait (``phaseSub``: a phase's English name)."""
    out: dict[str, dict[str, Any]] = {}
    for index, lang in enumerate(("zh", "en")):
        texts: dict[str, Any] = {key: pair[index] for key, pair in WORDS.items()}
        for group, entries in GROUPS.items():
            texts[group] = {key: pair[index] for key, pair in entries.items()}
        # The Chinese view names each phase in English too (the words a developer meets); the
        # English view stays English.
        texts["phaseSub"] = {
            key: (pair[1] if lang == "zh" else "") for key, pair in GROUPS["phases"].items()
        }
        out[lang] = texts
    return out
