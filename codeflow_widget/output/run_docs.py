"""How a learner runs a finished project: its README and its ``run.ipynb``, in zh or en.

Both put the sandboxed ways first — the in-cell player (``from codeflow_widget import play``),
which validates the code again and runs it through the launcher, and ``codeflow play DIR`` for a
window — and show plain ``python main.py`` only under a heading that says it runs outside the
sandbox. The run cell is never ``%run``: that would run the program inside the kernel, with the
kernel's files, network and secrets.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat (and jsonschema under it) loads when a notebook is written
    import nbformat

__all__ = ["project_readme", "run_notebook", "warm_up"]


def project_readme(
    title: str,
    user_input: str,
    main_file: str,
    deps: list[str],
    validated: bool,
    language: str = "zh",
) -> str:
    """The project's README: the sandboxed ways to run it first, plain ``python`` labelled."""
    if language == "en":
        return _readme_en(title, user_input, main_file, deps, validated)
    install = "python -m pip install " + " ".join(deps) if deps else "（不需要额外安装）"
    warning = (
        ""
        if validated
        else "\n> ⚠️ 这份代码没有通过自动检查（见 project.json 和课程界面里的检查结果），仅供学习和修改，不能下载运行包。\n"
    )
    return f"""# {title}

这个程序是根据学习者的需求「{user_input}」，经过「明确需求 → 设计方案 → 编写代码」三个阶段生成的。
需求说明在 `spec.md`，技术方案在 `plan.md`，代码在 `{main_file}`。
{warning}
## 如何运行（推荐：在沙箱里运行）

每次运行前，代码都会按生成时的规则重新检查（也包括你自己改过的地方），然后在沙箱里运行：
程序只能写它自己的临时运行文件夹，不能联网，也看不到你的主目录。

- **在 Jupyter 里：** 打开 `run.ipynb`，从上到下运行每个单元，游戏会出现在单元格里的播放器中
  （点击画面开始玩）。也可以在任意单元格里运行：

  ```python
  from codeflow_widget import play
  play("这个文件夹的路径")
  ```

- **在终端里（有图形界面时打开一个游戏窗口）：**

  ```
  codeflow play 这个文件夹的路径
  ```

## 在沙箱之外运行（python {main_file}）

下面的命令**不经过沙箱**：程序可以读写你的文件、联网，也不会再做运行前的检查。
只运行你读过、信得过的代码。先进入这个文件夹，安装依赖，再运行主程序。

### Windows（PowerShell 或命令提示符）

```
cd 这个文件夹的路径
{install.replace("python ", "py ", 1) if deps else install}
py {main_file}
```

### macOS / Linux（终端）

```
cd 这个文件夹的路径
{install.replace("python ", "python3 ", 1) if deps else install}
python3 {main_file}
```

关闭游戏窗口即可退出程序。
"""


def _readme_en(
    title: str, user_input: str, main_file: str, deps: list[str], validated: bool
) -> str:
    install = "python -m pip install " + " ".join(deps) if deps else "(nothing extra to install)"
    warning = (
        ""
        if validated
        else "\n> ⚠️ This code did not pass the automatic checks (see project.json and the lesson "
        "view's findings): it is for study and editing only, and cannot be downloaded.\n"
    )
    return f"""# {title}

This program was generated from the learner's wish "{user_input}" in three phases:
Specify → Plan → Implement. The spec is in `spec.md`, the plan in `plan.md`, the code in
`{main_file}`.
{warning}
## How to run it (recommended: in the sandbox)

Before every run the code is checked again with the rules it was generated under (your own edits
included), then run in the sandbox: the program may write only its own throwaway run folder, has
no network and cannot see your home folder.

- **In Jupyter:** open `run.ipynb` and run the cells from the top; the game appears in a player
  inside the cell (click the picture to play). Or, in any cell:

  ```python
  from codeflow_widget import play
  play("path/to/this/folder", language="en")
  ```

- **In a terminal (opens a game window where there is a display):**

  ```
  codeflow play path/to/this/folder --language en
  ```

## Running outside the sandbox (python {main_file})

These commands do **not** go through the sandbox: the program can read and write your files and
use the network, and nothing is checked before it runs. Run only code you have read and trust.
Go into this folder, install the dependencies, then run the main program.

### Windows (PowerShell or Command Prompt)

```
cd path\\to\\this\\folder
{install.replace("python ", "py ", 1) if deps else install}
py {main_file}
```

### macOS / Linux (terminal)

```
cd path/to/this/folder
{install.replace("python ", "python3 ", 1) if deps else install}
python3 {main_file}
```

Close the game window to quit.
"""


_warming: threading.Thread | None = None


def warm_up() -> threading.Thread:
    """Start importing nbformat in the background, once per process; returns that thread.

    ``import nbformat`` pulls in jsonschema, whose format checkers build a grammar at import:
    1.5-4.5 s measured here. Done in the event loop when run.ipynb is written, it froze the view
    and kept a Ctrl-C waiting for seconds (30 s once, under load); a lesson starts this with its
    first phase, so the import is done long before Implement delivers.
    """
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=importlib.import_module, args=("nbformat",), daemon=True)
        _warming.start()
    return _warming


def run_notebook(
    title: str, main_file: str, deps: list[str], language: str = "zh"
) -> nbformat.NotebookNode:
    """Cells that install the dependency if missing, play the game in the sandbox, show the code.

    The run cell is the player (``play``): the launcher, the gate and the sandbox, never
    ``%run`` in the kernel. Plain ``python main.py`` is shown in a markdown cell, labelled as
    running outside the sandbox.
    """
    import nbformat

    en = language == "en"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    intro = (
        "Run the cells below in order: install the dependencies → play the game in the sandbox "
        "→ look at the code."
        if en
        else "依次运行下面的单元：安装依赖 → 在沙箱里玩游戏 → 查看代码。"
    )
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}")]
    if deps:
        installed = "is installed" if en else "已安装"
        checks = "\n".join(
            f'if importlib.util.find_spec("{dep}") is None:\n    %pip install {dep}\nelse:\n    print("{dep} {installed}")'
            for dep in deps
        )
        head = "# 1. install the dependencies if missing" if en else "# 1. 如果缺少依赖就安装"
        cells.append(nbformat.v4.new_code_cell(f"{head}\nimport importlib.util\n\n" + checks))
    head = (
        "# 2. play it in the sandbox: the code is checked again, then the game appears below\n"
        "#    (click the picture to play, click outside to leave)"
        if en
        else "# 2. 在沙箱里运行：先重新检查代码，游戏画面出现在下面（点击画面开始玩 · 点击外面退出）"
    )
    call = 'play(".", language="en")' if en else 'play(".")'
    cells.append(nbformat.v4.new_code_cell(f"{head}\nfrom codeflow_widget import play\n\n{call}"))
    outside = (
        f"### Running outside the sandbox\n\nIn a terminal, in this folder: `python {main_file}`. "
        "This does **not** go through the sandbox: the program can read and write your files and "
        "use the network, and nothing is checked first. Run only code you have read and trust."
        if en
        else f"### 在沙箱之外运行\n\n在终端里进入这个文件夹，运行 `python {main_file}`。"
        "这样**不经过沙箱**：程序可以读写你的文件、联网，运行前也不再检查。只运行你读过、信得过的代码。"
    )
    cells.append(nbformat.v4.new_markdown_cell(outside))
    look = "# 3. look at the code" if en else "# 3. 查看代码"
    cells.append(
        nbformat.v4.new_code_cell(
            f'{look}\nfrom IPython.display import Code\n\nCode(filename="{main_file}", language="python")'
        )
    )
    nb.cells = cells
    return nb
