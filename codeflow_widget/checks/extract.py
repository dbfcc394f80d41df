"""Pull the files out of a model's markdown answer.

Files come from fenced blocks (``` or ~~~, found by ``fences`` from markdown-it's
tokens — the one place that finds code fences), named by the fence's info string
(```` ```python main.py ````), by a first-line comment (``# main.py``) or by a
heading or bold line just above the block. Shell blocks are run instructions, not
files. A single unnamed Python block becomes ``main.py``. Anything odd — unnamed
extra blocks, a file named twice — becomes a warning finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from codeflow_widget.checks.findings import make_finding
from codeflow_widget.model.events import Finding

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

LANGUAGES = {".py": "python", ".md": "markdown", ".txt": "text", ".json": "json", ".csv": "csv",
             ".js": "javascript", ".html": "html", ".css": "css", ".toml": "toml", ".yaml": "yaml",
             ".yml": "yaml", ".ini": "ini", ".cfg": "ini", ".sh": "shell", ".bat": "batch"}  # fmt: skip


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
class Fence:
    """One fenced block of an answer: its info line, its lines, where it is, what is above it."""

    info: str
    lines: list[str]
    line: int  # 1-based line of the opening fence in the answer
    heading: str  # the non-blank line just above the fence ("" if none)


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def fences(text: str) -> list[Fence]:
    """Every fenced block of a markdown answer, in order, from markdown-it's fence tokens.

    A fence token carries its ``info`` line, its content (dedented like the list item or
    quote it sits in) and its ``map`` (first and past-the-last line). One deviation from
    CommonMark: a markdown file's own fences (a README with a ```bash block) do not close
    it — the block runs to the fence that balances them (``_markdown_file``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # markdown-it turns NUL into U+FFFD (CommonMark); the checks must still see a NUL byte in code.
    nul = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    found: list[Fence] = []
    last_end = 0  # the first line after the previous fence
    for token in _parser().parse(text.replace("\x00", nul)):
        if token.type != "fence" or token.map is None or token.map[0] < last_end:
            continue
        start, end = token.map
        content = token.content.replace(nul, "\x00")
        body = content.split("\n")[:-1] if content else []
        lang, name = _parse_info(token.info.replace(nul, "\x00").strip())
        if lang in ("markdown", "md") or (name or "").lower().endswith(".md"):
            body, end = _markdown_file(lines, start, token.markup)
        above = [ln for ln in lines[last_end:start][-3:] if ln.strip()]
        info = token.info.replace(nul, "\x00").strip()
        found.append(Fence(info, body, start + 1, above[-1].strip() if above else ""))
        last_end = end
    return found


def _markdown_file(lines: list[str], start: int, markup: str) -> tuple[list[str], int]:
    """Extend a markdown file's block past its inner fences: (its lines, the line after it)."""
    indent = len(lines[start]) - len(lines[start].lstrip(" \t"))
    char, length = markup[0], len(markup)
    depth, out, j = 0, [], start + 1
    while j < len(lines):
        line = lines[j]
        close = _CLOSE.match(line)
        if close and close["fence"][0] == char and len(close["fence"]) >= length:
            if depth == 0:
                return out, j + 1
            depth -= 1
        elif (inner := _OPEN.match(line)) and inner["info"].strip():
            depth += inner["fence"][0] == char and len(inner["fence"]) >= length
        out.append(line[min(indent, len(line) - len(line.lstrip(" \t"))) :])
        j += 1
    return out, j  # never balanced: to the end of the answer, like any unclosed fence


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


def extract_with_findings(answer: str) -> tuple[list[SourceFile], list[Finding]]:
    text = answer.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    named: dict[str, SourceFile] = {}
    counts: dict[str, int] = {}
    unnamed: list[tuple[int, SourceFile]] = []  # (answer line, file), in order
    for block in fences(text):
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
    findings = [
        make_finding("duplicate_file", n, path=n, count=c) for n, c in counts.items() if c > 1
    ]
    files = list(named.values())
    for index, (line, source) in enumerate(unnamed, start=1):
        if index == 1 and "main.py" not in named:
            files.insert(0, source)
        else:
            findings.append(make_finding("unnamed_block", index=index, at=line))
    return files, findings


def has_code_fence(answer: str) -> bool:
    """True when the answer has at least one fenced block (the implement phase needs one)."""
    return bool(fences(answer))


def extract_files(answer: str) -> list[SourceFile]:
    """The files in a model's markdown answer, in order (see the module docstring)."""
    return extract_with_findings(answer)[0]
