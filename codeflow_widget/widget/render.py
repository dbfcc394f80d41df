"""Kernel-side rendering: what the view says, and the only place model text becomes HTML.

Model output is untrusted. Spec and plan are markdown, rendered with markdown-it-py
in CommonMark mode with raw HTML disabled (so ``<script>`` or ``<img onerror>`` in
the answer comes out as visible text), images disabled (no remote fetches from a
classroom) and only safe link schemes. Fenced code goes through Pygments, which
escapes everything it emits. The view puts this HTML into the page; streaming text
never goes through here — the view shows it with ``textContent``. Both libraries are
imported on first use, so importing the widget does not pay for them. The view's own
sentences come from the catalogue (``view.*``, ``cells.*``): errors become one
learner-readable, key-free sentence, refusals are ``Refused``, and the badge and the 插入运行单元
cells. It prints the Pygments CSS that ``widget.css`` embeds:
``python -m codeflow_widget.widget.render --css``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import message
from codeflow_widget.model.redaction import redact as redact_secrets

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

CODE_CLASS = "cf-code"
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")  # a remote image would be fetched by every learner's browser
    md.validateLink = _safe_link  # type: ignore[method-assign]
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    return md


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(_SAFE_SCHEMES)


def _fence_language(info: str) -> tuple[str, str]:
    """Split a fence info line such as ``python main.py`` into (language, file name)."""
    import html

    words = html.unescape(info or "").split()
    lang = words[0].lower() if words else ""
    name = words[1] if len(words) > 1 else ""
    if lang.endswith(".py") and not name:  # ```main.py
        lang, name = "python", lang
    return lang, name


def highlight_code(code: str, lang: str = "python", filename: str = "") -> str:
    """Pygments HTML with line numbers; unknown languages are shown as plain text."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = (
            PythonLexer() if lang in ("", "python", "py", "python3") else get_lexer_by_name(lang)
        )
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    formatter = HtmlFormatter(
        nowrap=False,
        cssclass=CODE_CLASS,
        linenos="inline",  # numbers inside each line: CJK comments can't make them drift
        filename=filename or None,
        wrapcode=True,
    )
    return highlight(code, lexer, formatter)


def _render_fence(self, tokens, idx, options, env) -> str:  # noqa: ARG001 - markdown-it signature
    token = tokens[idx]
    lang, name = _fence_language(token.info)
    return highlight_code(token.content, lang or "text", name) + "\n"


def _render_code_block(self, tokens, idx, options, env) -> str:  # noqa: ARG001
    return highlight_code(tokens[idx].content, "text") + "\n"


def render_markdown(text: str) -> str:
    """Spec / plan / implement answer → safe HTML (code fences highlighted)."""
    return _markdown().render(text or "")


def render_phase_output(phase: str, text: str) -> str:
    """What the view shows for a completed phase.

    Implement answers are markdown with code fences too (prose + ```python main.py```),
    so every phase goes through the same renderer; a bare implement answer without a
    fence is highlighted as Python.
    """
    md = _markdown()
    tokens = md.parse(text or "")
    if phase == "implement" and not any(t.type == "fence" for t in tokens):
        return highlight_code(text, "python")
    return md.renderer.render(tokens, md.options, {})


# -- what the view says -------------------------------------------------------------
class Refused(ValueError):
    """A command the view may not run now (busy, nothing to retry, …): a message, not a bug."""


def view_text(key: str, lang: str, **params: Any) -> str:
    """The catalogue's ``view.<key>`` sentence (``model/catalogue/codes/view.json``)."""
    return message(f"view.{key}", lang, **params)  # type: ignore[arg-type]


def describe_error(exc: BaseException, lang: str) -> str:
    """A learner-readable, key-free sentence for any exception (never a traceback)."""
    if isinstance(exc, CodeflowError):
        text = exc.message(lang)  # type: ignore[arg-type]
    elif isinstance(exc, Refused):
        text = str(exc)
    else:
        text = view_text("unexpected", lang, kind=type(exc).__name__, detail=str(exc)[:300])
    return redact(text)


def redact(text: str) -> str:
    return redact_secrets(text or "")


def model_label(provider: str, model: str, base_url: str = "") -> str:
    """What the badge says: provider · model · host (never user:pass@ or a query string)."""
    if provider == "offline":
        return "离线示例 / offline lessons"
    host = urlsplit(base_url).hostname or "" if base_url else ""
    return " · ".join(part for part in (provider, model, host) if part)


def run_cells(path: Path, main_file: str, deps: list[str], lang: str = "zh") -> list[str]:
    """Code cells that run the project from the notebook (the 插入运行单元 button).

    The run cell is the player (``play``): the code is validated again and runs through the
    sandbox launcher, never as a bare subprocess with the kernel's environment. Paths and file
    names are written as Python literals (``repr``), so no name can break out of the string.
    """
    where = _relative_if_inside(path, Path.cwd())
    zh = lang != "en"
    cells = []
    if deps:
        checks = "\n".join(
            f"if importlib.util.find_spec({d!r}) is None:\n    %pip install {d}" for d in deps
        )
        cells.append(
            ("# 如果缺少依赖就安装\n" if zh else "# install the dependencies if missing\n")
            + "import importlib.util\n\n"
            + checks
        )
    comment = (
        "# 在沙箱里运行：先重新检查代码，游戏画面出现在下面（点击画面开始玩 · 点击外面退出）"
        if zh
        else "# play it in the sandbox: the code is checked again, then the game appears below"
    )
    call = f"play({where!r})" if zh else f"play({where!r}, language='en')"
    cells.append(f"{comment}\nfrom codeflow_widget import play\n\n{call}")
    look = "# 查看代码\n" if zh else "# look at the code\n"
    cells.append(
        f'{look}from pathlib import Path\nfrom IPython.display import Code\n\nCode(filename=str(Path({where!r}) / {main_file!r}), language="python")'
    )
    return cells


def _relative_if_inside(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def pygments_css() -> str:
    """The highlighting rules for widget.css: a light set and a dark set, both scoped.

    Pygments emits a few unscoped rules (``pre {…}``, ``td.linenos …``); they are
    prefixed too, so nothing leaks into the rest of the notebook page.
    """
    from pygments.formatters import HtmlFormatter

    parts = []
    for style, scope in (
        (LIGHT_STYLE, f".cf-root .{CODE_CLASS}"),
        (DARK_STYLE, f".cf-root.cf-dark .{CODE_CLASS}"),
    ):
        rules = HtmlFormatter(style=style, cssclass=CODE_CLASS).get_style_defs(scope).splitlines()
        scoped = [
            rule if rule.startswith(scope) else f"{scope} {rule}" for rule in rules if rule.strip()
        ]
        parts.append(f"/* Pygments {style} */\n" + "\n".join(_grouped(scoped, scope)))
    return "\n".join(parts) + "\n"


def _grouped(rules: list[str], scope: str) -> list[str]:
    """One rule per set of declarations for the token classes (``.mi, .mf { color: … }``).

    A highlighted span has one token class, so these rules never meet on one element and may
    be joined; other rules (``pre``, line numbers) stay where Pygments put them. The rules
    are about half the bytes for a slow network, and each colour is written once.
    """
    import re

    token = re.compile(rf"^{re.escape(scope)} (\.[\w-]+) (\{{[^}}]*\}})")
    groups: dict[str, list[str]] = {}
    out: list[str] = []
    for rule in rules:
        found = token.match(rule)
        if not found:
            out.append(rule)
            continue
        selector, body = found.groups()
        if body not in groups:
            groups[body] = []
            out.append(body)  # the group's place: where its first class stood
        groups[body].append(f"{scope} {selector}")
    return [", ".join(groups[r]) + f" {r}" if r in groups else r for r in out]


if __name__ == "__main__":  # pragma: no cover - a maintenance helper
    if "--css" in sys.argv:
        sys.stdout.write(pygments_css())


def gone_fallback(lang: str, folder: str) -> dict[str, str]:
    """The output's text/plain and text/html for when its widget model cannot be found.

    JupyterLab and Notebook 7 show an output's next representation when the widget's model is
    not in the notebook and no kernel has it; without these that was the object's repr (or
    "Error displaying widget: model not found"). Nothing of the view's code runs then, so the
    message is written into the output when it is displayed, in the learner's language.
    """
    from html import escape

    from codeflow_widget.widget.words import WORDS

    zh, en = WORDS["modelGone"]
    text = (en if lang == "en" else zh).format(folder=folder)
    style = "padding:8px 12px;border:1px solid #c9a227;border-radius:6px;background:#fff8e1;color:#4a3b00"
    html = f'<div class="cf-model-gone" style="{style}" lang="{"en" if lang == "en" else "zh-CN"}">'
    return {"text/plain": text, "text/html": html + escape(text) + "</div>"}
