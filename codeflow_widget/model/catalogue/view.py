"""What the kernel says in the lesson view besides events (codes ``view.*`` and ``cells.*``).

``view.*`` are the refusals and notes of the lesson view (``widget/lesson_commands.py`` and
``widget/project_actions.py``: a command that cannot
run now, an unexpected error, a headless trial run); ``cells.*`` are the comments of the
code cells that 插入运行单元 inserts. The view's own chrome (buttons, labels) is
``widget/words.py``, sent once as the ``texts`` trait.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "view.busy": (
        "正在生成中：请先点「停止」，或等它完成。",
        "A run is in progress: press Stop first, or wait for it to finish.",
    ),
    "view.nothing_to_retry": ("还没有失败的请求可以重试。", "There is no failed request to retry."),
    "view.no_project": ("还没有生成好的项目。", "There is no finished project yet."),
    "view.run_busy": ("程序正在运行中。", "The program is already running."),
    "view.unexpected": (
        "出现了意外错误（{kind}）：{detail}",
        "Something unexpected went wrong ({kind}): {detail}",
    ),
    "view.unknown_command": (
        "视图发来了未知的命令：{kind}",
        "The view sent an unknown command: {kind}",
    ),
    "view.headless": (
        "这台电脑没有图形界面，所以在无窗口模式下试运行 {seconds} 秒。",
        "No display here, so the program ran headless for {seconds} s.",
    ),
    "cells.install": ("# 如果缺少依赖就安装", "# install the dependencies if missing"),
    "cells.run": (
        "# 运行程序：会打开一个窗口，关闭窗口即可结束",
        "# run the program: it opens a window; close it to finish",
    ),
    "cells.look": ("# 查看代码", "# look at the code"),
}
