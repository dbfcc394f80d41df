"""Everything we check about model-written code before it touches disk.

``extract_files`` pulls the files out of the model's markdown answer (fenced blocks
named by their info string, a first-line comment or a heading just above them);
``validate_files`` then decides which files are safe to write (paths, file types,
binary content, encodings, sizes) and whether the project is good to run: every
``.py`` file must parse, import only the standard library or approved packages
(pygame), avoid calls that run commands or delete files, and work on Windows
(no POSIX-only modules, signals or paths, ``encoding=`` on every text ``open``).
Each problem becomes a ``Finding`` with a code, a line and a beginner-friendly
message in Chinese and English; the AST checks themselves live in ``lints.py``.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from .events import Finding
from .lints import STDLIB, has_main_guard, lint_python, top_name
from .models import MAX_FILE_BYTES, MAX_PROJECT_BYTES

__all__ = [
    "STDLIB",
    "SourceFile",
    "ValidationResult",
    "extract_files",
    "validate_answer",
    "validate_files",
]

MAX_FILES = 50
MAX_PATH_CHARS = 100
MAX_DEPTH = 4  # path segments, file name included: "a/b/c/main.py" is the deepest allowed
ALLOWED_SUFFIXES = (".py", ".md", ".txt", ".json", ".csv")
LANGUAGES = {".py": "python", ".md": "markdown", ".txt": "text", ".json": "json", ".csv": "csv",
             ".js": "javascript", ".html": "html", ".css": "css", ".toml": "toml", ".yaml": "yaml",
             ".yml": "yaml", ".ini": "ini", ".cfg": "ini", ".sh": "shell", ".bat": "batch"}  # fmt: skip
WARNING_CODES = frozenset({"unnamed_block", "duplicate_file", "ansi_escape", "shadowed_module"})
SAFETY_CODES = frozenset({"unsafe_path", "file_type", "too_many_files", "binary_content",
                          "invalid_utf8", "file_too_large", "project_too_large"})  # fmt: skip
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]
}
_ILLEGAL_CHARS = re.compile(r'[<>:"|?*\x00-\x1f]')
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# key → (what is wrong, how to fix it) in Chinese, then English. The finding code is the
# part of the key before the first dot. The "fix" halves take no parameters.
MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "no_code": ("回答里没有找到代码文件", "请让模型把每个文件放进代码块，并写上文件名，例如 ```python main.py。",
                "No code file was found in the answer", "Ask for every file in a fenced block with its name, e.g. ```python main.py."),
    "unnamed_block": ("第 {index} 个没有文件名的 Python 代码块（回答第 {at} 行）被忽略了", "如果它是单独的文件，请在代码块第一行写上文件名，例如 # utils.py。",
                      "Unnamed Python block #{index} (answer line {at}) was ignored", "If it is a separate file, put its name on its first line, e.g. # utils.py."),
    "duplicate_file": ("文件 {path} 在回答里出现了 {count} 次，只保留了最后一次的内容", "请确认最后那一版是完整的代码。",
                       "File {path} appears {count} times in the answer; only the last one was kept", "Check that the last version is the complete one."),
    "unsafe_path.empty": ("文件名是空的", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                          "The file name is empty", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.parent": ("路径 {path} 含有 ..，会写到项目文件夹外面", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                           "The path {path} contains .., which escapes the project folder", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.absolute": ("路径 {path} 是绝对路径（以 / 或 \\ 开头，或带盘符）", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                             "The path {path} is absolute (starts with / or \\, or has a drive letter)", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.segment": ("路径 {path} 里有空的或只有一个点的部分", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                            "The path {path} has an empty or '.' part", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.tilde": ("路径 {path} 以 ~ 开头，会被当成用户主目录", "请只用项目文件夹里的简单相对路径，例如 main.py 或 assets/level.txt。",
                          "The path {path} starts with ~, which means a home folder", "Use a simple relative path inside the project, e.g. main.py or assets/level.txt."),
    "unsafe_path.reserved": ("{name} 是 Windows 的保留设备名，不能用作文件或文件夹名", "请换一个名字，例如 config.txt 或 game_data.json。",
                             "{name} is a reserved device name on Windows and cannot name a file or folder", "Pick another name, e.g. config.txt or game_data.json."),
    "unsafe_path.chars": ("路径 {path} 含有 Windows 不允许的字符 {chars}", "文件名只用字母、数字、下划线、短横线和点。",
                          "The path {path} contains characters Windows forbids: {chars}", "Use only letters, digits, underscores, hyphens and dots in file names."),
    "unsafe_path.trailing": ("路径 {path} 有以点或空格结尾的部分，Windows 会出错", "请去掉末尾的点或空格。",
                             "The path {path} has a part ending in a dot or space, which breaks on Windows", "Remove the trailing dot or space."),
    "unsafe_path.too_long": ("路径 {path} 太长（{length} 个字符，最多 100 个）", "请用更短的文件名和更少的文件夹。",
                             "The path {path} is too long ({length} characters, at most 100)", "Use shorter names and fewer folders."),
    "unsafe_path.too_deep": ("路径 {path} 的文件夹层级太深（{depth} 层，最多 4 层）", "请用更短的文件名和更少的文件夹。",
                             "The path {path} is nested too deeply ({depth} levels, at most 4)", "Use shorter names and fewer folders."),
    "unsafe_path.collision": ("{path} 和 {other} 只有大小写不同，在 Windows 上是同一个文件", "请给两个文件起明显不同的名字。",
                              "{path} and {other} differ only in letter case, which is the same file on Windows", "Give the two files clearly different names."),
    "too_many_files": ("文件太多：{count} 个，最多 50 个", "小项目用几个文件就够了；请把代码合并到更少的文件里。",
                       "Too many files: {count}, at most 50", "A small project needs only a few files; merge the code into fewer files."),
    "file_type": ("不支持的文件类型 {suffix}", "只能生成 .py、.md、.txt、.json、.csv 文件；图片和声音请用代码画出来或生成。",
                  "Unsupported file type {suffix}", "Only .py, .md, .txt, .json and .csv files are allowed; draw or synthesise images and sounds in code."),
    "binary_content": ("含有不可见的二进制控制字符 {char}", "代码文件只能包含普通文本；请重新生成，或删掉这个字符。",
                       "Contains an invisible binary control character {char}", "Code files may only hold plain text; regenerate or delete that character."),
    "invalid_utf8": ("内容不是合法的 UTF-8 文本（有无法编码的字符）", "请重新生成这个文件。",
                     "The content is not valid UTF-8 text (it has unencodable characters)", "Regenerate this file."),
    "file_too_large": ("文件太大：{size} 字节，每个文件必须小于 1 MB", "请把代码拆小，或删掉嵌在代码里的大段数据。",
                       "File too large: {size} bytes; each file must be under 1 MB", "Split the code or remove large embedded data."),
    "project_too_large": ("项目太大：共 {size} 字节，整个项目最多 10 MB", "请减少文件或删掉嵌在代码里的大段数据。",
                          "Project too large: {size} bytes in all, at most 10 MB", "Use fewer files or remove large embedded data."),
    "syntax_error": ("语法错误：{detail}", "请检查这一行和上一行的括号、引号、冒号和缩进是否配对。",
                     "Syntax error: {detail}", "Check the brackets, quotes, colons and indentation on this line and the one before."),
    "disallowed_import": ("不能导入 {module}：只能用 Python 标准库和 {allowed}", "这个模块需要额外安装，学习环境里可能没有；请改用标准库或已批准的库实现。",
                          "Cannot import {module}: only the standard library and {allowed} are allowed", "That module needs an extra install the learning environment may lack; use the standard library or an approved package."),
    "disallowed_import.stdlib_only": ("不能导入 {module}：只能用 Python 标准库", "这个模块需要额外安装，学习环境里可能没有；请改用标准库实现。",
                                      "Cannot import {module}: only the standard library is allowed", "That module needs an extra install the learning environment may lack; use the standard library."),
    "disallowed_import.dangerous": ("不能导入 {module}：它能运行系统命令、联网或删除文件，小游戏用不到", "请删掉这个导入，用普通的 Python 代码或 pygame 实现同样的功能。",
                                    "Cannot import {module}: it can run commands, use the network or delete files, which a small game does not need", "Remove the import and do the same with plain Python or pygame."),
    "dangerous_call.command": ("不能调用 {name}()：它会运行系统命令或结束其他程序", "小游戏用不到它；请删掉这一行，用普通的 Python 代码实现。",
                               "Cannot call {name}(): it runs system commands or kills programs", "A small game does not need it; remove the line and use plain Python."),
    "dangerous_call.delete": ("不能调用 {name}()：它会删除电脑上的文件或文件夹", "游戏只需要读写自己的存档文件；请删掉这一行。",
                              "Cannot call {name}(): it deletes files or folders", "A game only needs to read and write its own save file; remove the line."),
    "dangerous_call.dynamic": ("不能调用 {name}()：它会把文字当作代码执行，既危险又难以调试", "请直接写出要执行的代码；要把文字变成数字，用 int() 或 float()。",
                               "Cannot call {name}(): it runs text as code, which is unsafe and hard to debug", "Write the code out directly; to turn text into numbers use int() or float()."),
    "clear_screen": ("用 {name}(\"cls\"/\"clear\") 清屏不可移植：cls 只在 Windows、clear 只在 macOS/Linux 有效，而且它会运行系统命令", "终端程序可以用 print(\"\\n\" * 40) 代替；pygame 游戏用 screen.fill() 清屏。",
                     "Clearing the screen with {name}(\"cls\"/\"clear\") is not portable: cls works only on Windows, clear only on macOS/Linux, and it runs a system command", "In a terminal program use print(\"\\n\" * 40); in pygame use screen.fill()."),
    "posix_only": ("{name}() 在 Windows 上不存在", "请删掉它，换成在所有系统上都能用的写法。",
                   "{name}() does not exist on Windows", "Remove it and use something that works on every system."),
    "posix_only.module": ("模块 {module} 在 Windows 上不存在", "键盘输入请用 input() 或 pygame 的事件；请删掉这个导入。",
                          "The module {module} does not exist on Windows", "Read keys with input() or pygame events; remove the import."),
    "posix_signal": ("{name} 在 Windows 上不存在", "计时请用 time 模块或 pygame.time；请删掉这个信号。",
                     "{name} does not exist on Windows", "Use the time module or pygame.time for timing; remove the signal."),
    "posix_path": ("路径 {name} 只存在于 macOS/Linux", "请用项目文件夹里的相对路径，例如 Path(__file__).parent / \"data.txt\"。",
                   "The path {name} exists only on macOS/Linux", "Use a path inside the project folder, e.g. Path(__file__).parent / \"data.txt\"."),
    "path_escape": ("路径 {name} 指向项目文件夹以外", "程序只能读写自己文件夹里的文件；请用 Path(__file__).parent / \"文件名\" 这样的路径。",
                    "The path {name} points outside the project folder", "A program may only use files in its own folder; use a path like Path(__file__).parent / \"name\"."),
    "missing_encoding": ("{name} 读写文本时没有写 encoding=\"utf-8\"", "Windows 默认用 GBK 等编码，中文会乱码或报错；请加上 encoding=\"utf-8\"。",
                         "{name} reads or writes text without encoding=\"utf-8\"", "Windows defaults to a legacy encoding such as GBK, so Chinese text breaks; add encoding=\"utf-8\"."),
    "ansi_escape": ("使用了 ANSI 颜色转义码 \\033[", "在 Windows 的命令提示符里可能显示成乱码；可以去掉颜色，或把文字画在 pygame 窗口里。",
                    "Uses an ANSI colour escape \\033[", "It may show as garbage in the Windows command prompt; drop the colours or draw the text in a pygame window."),
    "shadowed_module": ("文件 {path} 和模块 {module} 同名，import {module} 会导入这个文件而不是真正的模块", "请给这个文件换一个不重名的名字。",
                        "The file {path} has the same name as the module {module}, so import {module} loads this file instead", "Rename the file to something unique."),
    "no_python_file": ("项目里没有 .py 文件", "请让模型至少生成一个 Python 文件，例如 main.py。",
                       "The project has no .py file", "Ask for at least one Python file, e.g. main.py."),
    "no_main": ("找不到主程序文件", "请把入口文件命名为 main.py，或在入口文件末尾加上 if __name__ == \"__main__\":。",
                "Cannot tell which file is the main program", "Name the entry file main.py, or end it with if __name__ == \"__main__\":."),
}  # fmt: skip


def _finding(key: str, file: str = "", line: int = 0, **params: object) -> Finding:
    zh, zh_fix, en, en_fix = MESSAGES[key]
    code = key.split(".", 1)[0]
    return Finding(
        code=code,
        severity="warning" if code in WARNING_CODES else "error",
        file=file,
        line=line,
        message=f"{zh.format(**params)}。{zh_fix}",
        message_en=f"{en.format(**params)}. {en_fix}",
    )


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative POSIX path inside the project
    content: str

    @property
    def size(self) -> int:
        return len(self.content.encode("utf-8", "surrogatepass"))

    @property
    def language(self) -> str:
        return LANGUAGES.get(PurePosixPath(self.path).suffix.lower(), "text")


@dataclass(frozen=True)
class ValidationResult:
    files: tuple[SourceFile, ...]
    findings: tuple[Finding, ...]
    main_file: str | None
    dependencies: tuple[str, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def ok(self) -> bool:
        return not self.errors and self.main_file is not None and bool(self.files)

    @property
    def syntax_ok(self) -> bool:
        """Every kept .py file parsed (and there is at least one)."""
        has_py = any(f.path.endswith(".py") for f in self.files)
        return has_py and not any(f.code == "syntax_error" for f in self.findings)

    @property
    def safe_to_keep(self) -> bool:
        """Only code-quality errors (if any): the files may be kept for study."""
        return bool(self.files) and not any(f.code in SAFETY_CODES for f in self.errors)

    def summary(self, lang: str = "zh") -> str:
        en = lang == "en"
        if not self.errors:
            warned = sum(f.severity == "warning" for f in self.findings)
            if en:
                return f"Passed: {len(self.files)} file(s)" + (
                    f", {warned} warning(s)" if warned else ""
                )
            return f"检查通过：{len(self.files)} 个文件" + (f"，{warned} 条提醒" if warned else "")
        first = self.errors[0]
        text = first.message_en if en else first.message
        key = next(
            (k for k in MESSAGES if k.split(".")[0] == first.code and text.endswith(_fix(k, en))),
            None,
        )
        if key:  # keep it to one short line: what is wrong, not how to fix it
            text = text[: -len(_fix(key, en)) - (2 if en else 1)]
        if first.file:
            where = (
                f"{first.file} line {first.line}: " if en else f"{first.file} 第 {first.line} 行："
            )
            if not first.line:
                where = f"{first.file}: " if en else f"{first.file}："
            text = where + text
        more = len(self.errors) - 1
        if more:
            text += f" (+{more} more)" if en else f"（另有 {more} 个问题）"
        return text


def _fix(key: str, en: bool) -> str:
    return MESSAGES[key][3 if en else 1]


# -- extraction ----------------------------------------------------------------------------
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CLOSE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")
_FILENAME = re.compile(r"^\S*[^\s./\\]\.[A-Za-z][A-Za-z0-9]{0,9}$")
_ATTR_NAME = re.compile(
    r"""\b(?:title|file(?:name)?|name|path)\s*=\s*(?:"([^"]+)"|'([^']+)'|(\S+))""", re.I
)
_COMMON = (
    r"py|md|txt|json|csv|js|ts|html|css|toml|ya?ml|ini|cfg|sh|bat|ps1|exe|png|jpe?g|gif|wav|ogg|mp3"
)
_NAME_IN_TEXT = re.compile(rf"(?<![\w./\\-])([\w./\\-]*\w\.(?:{_COMMON}))(?![\w.]*\w)", re.I)
_COMMENT_NAME = re.compile(
    r"^\s*(?P<mark>#|//|<!--|--|/\*)\s*(?:(?P<prefix>文件名?|file(?:name)?|path|name)\s*[:：]?\s*)?"
    r"(?P<name>\S+\.[A-Za-z][A-Za-z0-9]{0,9})\s*(?:-->|\*/)?\s*(?:[-—–:：(（].*)?$",
    re.I,
)
SHELL_LANGS = {"bash", "sh", "shell", "console", "powershell", "ps", "ps1", "pwsh", "cmd", "bat", "batch",
               "zsh", "fish", "terminal", "shell-session", "shellsession", "sh-session", "dos", "doscon",
               "pycon"}  # fmt: skip
TEXT_LANGS = {"", "text"}
_LANG_ALIASES = {"py": "python", "python3": "python", "py3": "python", "md": "markdown", "txt": "text",
                 "plaintext": "text", "plain": "text", "yml": "yaml", "js": "javascript"}  # fmt: skip
_COMMAND_LINE = re.compile(
    r"^\s*(?:[$>%]\s*)?(?:pip3?|python3?|py|conda|uv|pipx|cd|jupyter|set|export|source|sudo|apt(?:-get)?"
    r"|brew|mkdir|git|\.venv|venv|\./|\.\\)(?:\s|$|\\|/)"
)
_PIP = re.compile(r"\bpip3?\s+install\b|-m\s+pip\b")
_PYTHONISH = re.compile(
    r"^(?:import\s|from\s+\S+\s+import\s|def\s|class\s|async\s+def\s|if\s+__name__)", re.M
)


@dataclass
class _Block:
    info: str
    lines: list[str]
    line: int  # 1-based line of the opening fence in the answer
    heading: str  # the line just above the fence ("" if none)


def _blocks(text: str) -> list[_Block]:
    lines, blocks, i = text.split("\n"), [], 0
    last_end = -1
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        char, length, indent = m["fence"][0], len(m["fence"]), len(m["indent"])
        lang, name = _parse_info(m["info"].strip())
        nested_ok = lang in ("markdown", "md") or (name or "").lower().endswith(".md")
        depth, body, j = 0, [], i + 1
        while j < len(lines):
            line = lines[j]
            close = _CLOSE.match(line)
            if close and close["fence"][0] == char and len(close["fence"]) >= length:
                if depth == 0:
                    break
                depth -= 1
            elif nested_ok and (inner := _OPEN.match(line)) and inner["info"].strip():
                depth += inner["fence"][0] == char and len(inner["fence"]) >= length
            body.append(line[min(indent, len(line) - len(line.lstrip(" \t"))) :])
            j += 1
        above = [ln for ln in lines[last_end + 1 : i][-3:] if ln.strip()]
        blocks.append(_Block(m["info"].strip(), body, i + 1, above[-1].strip() if above else ""))
        last_end = i = j
        i += 1
    return blocks


def _parse_info(info: str) -> tuple[str, str | None]:
    """```python main.py / ```main.py / ```py title="game.py" / ```python:main.py → (lang, name)."""
    name = None
    if m := _ATTR_NAME.search(info):
        name = next(g for g in m.groups() if g)
        info = info[: m.start()] + info[m.end() :]
    tokens = [t.strip("{}") for t in info.split()]
    lang = ""
    if tokens:
        first = tokens[0]
        if ":" in first and not re.match(r"^[A-Za-z]:[\\/]", first):
            lang, _, rest = first.partition(":")
            tokens = [rest, *tokens[1:]]
        elif not _FILENAME.match(first):
            lang, tokens = first.lstrip("."), tokens[1:]
    for token in tokens:
        token = token.strip("\"'`()[],;")
        if name is None and _FILENAME.match(token):
            name = token
    return lang.lower(), name


def _name_from_comment(lines: list[str]) -> tuple[str | None, int]:
    """A file name in the first real line: ``# main.py``, ``# 文件: main.py``, ``// main.js``."""
    for index, line in enumerate(lines[:3]):
        if not line.strip() or line.startswith("#!") or re.match(r"^#.*coding[:=]", line):
            continue
        m = _COMMENT_NAME.match(line)
        if m and (m["prefix"] or _NAME_IN_TEXT.fullmatch(m["name"])):
            mark, name = m["mark"], m["name"]
            native = mark == "<!--" or (mark == "#" and name.endswith((".py", ".md")))
            return name, -1 if native else index  # keep the line only where it is a comment
        break
    return None, -1


def _name_from_heading(heading: str) -> str | None:
    """``**main.py**``, ``### main.py``, ``Save this as `main.py`:`` → the one file name."""
    if len(heading) > 80 or not (heading.startswith("#") or "**" in heading or "__" in heading
                                 or "`" in heading or heading.endswith((":", "："))):  # fmt: skip
        return None
    names = set(_NAME_IN_TEXT.findall(heading.replace("`", " ").replace("*", " ")))
    return names.pop() if len(names) == 1 else None


def _mismatch(lang: str, name: str) -> bool:
    """True when a block's language contradicts the file name found for it."""
    suffix_lang = LANGUAGES.get(PurePosixPath(name).suffix.lower())
    return lang not in TEXT_LANGS and suffix_lang is not None and lang != suffix_lang


def _extract(answer: str) -> tuple[list[SourceFile], list[Finding]]:
    text = answer.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    named: dict[str, SourceFile] = {}
    counts: dict[str, int] = {}
    unnamed: list[tuple[int, SourceFile]] = []  # (answer line, file), in order
    for block in _blocks(text):
        lang, name = _parse_info(block.info)
        lang = _LANG_ALIASES.get(lang, lang)
        from_info = name is not None
        lines = list(block.lines)
        if name is None:
            name, drop = _name_from_comment(lines)
            if name and _mismatch(lang, name):
                name = None
            elif drop >= 0:
                del lines[drop]
        if name is None and (name := _name_from_heading(block.heading)) and _mismatch(lang, name):
            name = None  # "### settings.json" above a ```python block: not its name
        content = "\n".join(lines).strip("\n") + "\n" if any(ln.strip() for ln in lines) else ""
        if lang in SHELL_LANGS:
            continue
        if lang in TEXT_LANGS and not from_info:
            if _PIP.search(content) or all(_COMMAND_LINE.match(ln) for ln in lines if ln.strip()):
                continue
        if name is None:
            if lang == "python" or (lang == "" and _PYTHONISH.search(content)):
                unnamed.append((block.line, SourceFile("main.py", content)))
            continue
        counts[name] = counts.get(name, 0) + 1
        named.pop(name, None)
        named[name] = SourceFile(name, content)
    findings = [_finding("duplicate_file", n, path=n, count=c) for n, c in counts.items() if c > 1]
    files = list(named.values())
    for index, (line, source) in enumerate(unnamed, start=1):
        if index == 1 and "main.py" not in named:
            files.insert(0, source)
        else:
            findings.append(_finding("unnamed_block", index=index, at=line))
    return files, findings


def extract_files(answer: str) -> list[SourceFile]:
    """The files in a model's markdown answer, in order (see the module docstring)."""
    return _extract(answer)[0]


# -- validation ------------------------------------------------------------------------------
def _path_problem(path: str) -> tuple[str, dict[str, object]] | None:
    """(message key, params) for the first thing wrong with a normalised path, else None."""
    segments = path.split("/")
    if not path.strip():
        return "unsafe_path.empty", {}
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "unsafe_path.absolute", {"path": path}
    if ".." in segments:
        return "unsafe_path.parent", {"path": path}
    if any(s in ("", ".") for s in segments):
        return "unsafe_path.segment", {"path": path}
    if any(s.startswith("~") for s in segments):
        return "unsafe_path.tilde", {"path": path}
    for segment in segments:
        if segment.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
            return "unsafe_path.reserved", {"name": segment}
    if bad := sorted(set(_ILLEGAL_CHARS.findall(path))):
        return "unsafe_path.chars", {"path": path, "chars": " ".join(repr(c)[1:-1] for c in bad)}
    if any(s.endswith((".", " ")) for s in segments):
        return "unsafe_path.trailing", {"path": path}
    if len(path) > MAX_PATH_CHARS:
        return "unsafe_path.too_long", {"path": path[:40] + "…", "length": len(path)}
    if len(segments) > MAX_DEPTH:
        return "unsafe_path.too_deep", {"path": path, "depth": len(segments)}
    return None


def _line_at(content: str, index: int) -> int:
    return content.count("\n", 0, index) + 1


def validate_files(
    files: Iterable[SourceFile], *, allowed_imports: Iterable[str] = ("pygame",)
) -> ValidationResult:
    """Check extracted files; keep only the ones that are safe to write."""
    files = list(files)
    if isinstance(allowed_imports, str):
        allowed_imports = [allowed_imports]
    allowed = {top_name(a.strip()) for a in allowed_imports if a.strip()}
    findings: list[Finding] = []
    if len(files) > MAX_FILES:
        findings.append(_finding("too_many_files", count=len(files)))
    normalised = [f.path.replace("\\", "/").removeprefix("./") for f in files]
    unique = dict(zip(normalised, files, strict=True))  # exact duplicates: the last one wins
    for path, count in Counter(normalised).items():
        if count > 1:
            findings.append(_finding("duplicate_file", path, path=path, count=count))
    kept: list[SourceFile] = []
    seen_files: dict[str, str] = {}  # casefolded path → the path that claimed it
    seen_dirs: dict[str, str] = {}  # casefolded folder → a path inside it
    for path, source in unique.items():
        if problem := _path_problem(path):
            findings.append(_finding(problem[0], source.path, **problem[1]))
            continue
        suffix = PurePosixPath(path).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            findings.append(_finding("file_type", path, suffix=suffix or "(none)"))
            continue
        folded = path.casefold()
        folders = ["/".join(folded.split("/")[:i]) for i in range(1, folded.count("/") + 1)]
        clash = seen_files.get(folded) or seen_dirs.get(folded)
        clash = clash or next((seen_files[d] for d in folders if d in seen_files), None)
        if clash is not None:
            findings.append(_finding("unsafe_path.collision", path, path=path, other=clash))
            continue
        seen_files[folded] = path
        seen_dirs.update((d, path) for d in folders)
        content = source.content
        if m := _BINARY.search(content):
            char = f"\\x{ord(m.group()):02x}"
            findings.append(
                _finding("binary_content", path, _line_at(content, m.start()), char=char)
            )
            continue
        try:
            content.encode("utf-8")
        except UnicodeEncodeError as exc:
            findings.append(_finding("invalid_utf8", path, _line_at(content, exc.start)))
            continue
        source = SourceFile(path, content)
        if source.size >= MAX_FILE_BYTES:
            findings.append(_finding("file_too_large", path, size=source.size))
            continue
        kept.append(source)
    total = sum(f.size for f in kept)
    if total > MAX_PROJECT_BYTES:
        findings.append(_finding("project_too_large", size=total))

    python = [f for f in kept if f.path.endswith(".py")]
    modules = {PurePosixPath(f.path).stem for f in python} | {
        f.path.split("/")[0] for f in python if "/" in f.path
    }
    dependencies: set[str] = set()
    trees: dict[str, ast.Module] = {}
    allowed_text = ", ".join(sorted(allowed))
    for source in python:
        stem = PurePosixPath(source.path).stem
        if "/" not in source.path and stem in (STDLIB | allowed) - {"main", "__main__"}:
            findings.append(_finding("shadowed_module", source.path, path=source.path, module=stem))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for "\d" and friends
                tree = ast.parse(source.content, filename=source.path)
        except SyntaxError as exc:
            detail = exc.msg or "invalid syntax"
            findings.append(_finding("syntax_error", source.path, exc.lineno or 0, detail=detail))
            continue
        except (ValueError, RecursionError, MemoryError) as exc:
            findings.append(
                _finding("syntax_error", source.path, 0, detail=str(exc) or type(exc).__name__)
            )
            continue
        trees[source.path] = tree
        issues, used = lint_python(tree, project_modules=modules, allowed=allowed)
        dependencies |= used
        for issue in issues:
            key = (
                "disallowed_import.stdlib_only"
                if issue.key == "disallowed_import" and not allowed
                else issue.key
            )
            findings.append(
                _finding(key, source.path, issue.line, allowed=allowed_text, **issue.params)
            )

    main_file = None
    if any(f.path == "main.py" for f in python):
        main_file = "main.py"
    elif len(python) == 1:
        main_file = python[0].path
    else:
        main_file = next(
            (f.path for f in python if has_main_guard(f.content, trees.get(f.path))), None
        )
    if not python:
        findings.append(_finding("no_python_file"))
    elif main_file is None:
        findings.append(_finding("no_main"))
    return ValidationResult(tuple(kept), tuple(findings), main_file, tuple(sorted(dependencies)))


def validate_answer(
    answer: str, *, allowed_imports: Iterable[str] = ("pygame",)
) -> ValidationResult:
    """Extract the files from a model answer and validate them."""
    files, extract_findings = _extract(answer)
    if not files:
        findings = (_finding("no_code"), *extract_findings)
        return ValidationResult((), findings, None, ())
    result = validate_files(files, allowed_imports=allowed_imports)
    return ValidationResult(
        result.files, (*extract_findings, *result.findings), result.main_file, result.dependencies
    )
