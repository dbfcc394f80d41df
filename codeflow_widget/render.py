"""Kernel-side rendering: the only place where model text becomes HTML.

Model output is untrusted. Spec and plan are markdown, rendered with markdown-it-py
in CommonMark mode with raw HTML disabled (so ``<script>`` or ``<img onerror>`` in
the answer comes out as visible text), images disabled (no remote fetches from a
classroom) and only safe link schemes. Fenced code goes through Pygments, which
escapes everything it emits. The view puts this HTML into the page; streaming text
never goes through here — the view shows it with ``textContent``.

This module also turns domain objects (a project, findings) into the plain dicts
the view's traitlets hold, and can print the Pygments CSS that ``widget.css``
embeds: ``python -m codeflow_widget.render --css``.
"""

from __future__ import annotations

import html
import sys
from typing import Any

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.util import ClassNotFound

CODE_CLASS = "cf-code"
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def _markdown() -> MarkdownIt:
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
    words = html.unescape(info or "").split()
    lang = words[0].lower() if words else ""
    name = words[1] if len(words) > 1 else ""
    if lang.endswith(".py") and not name:  # ```main.py
        lang, name = "python", lang
    return lang, name


def highlight_code(code: str, lang: str = "python", filename: str = "") -> str:
    """Pygments HTML with line numbers; unknown languages are shown as plain text."""
    try:
        lexer = (
            PythonLexer() if lang in ("", "python", "py", "python3") else get_lexer_by_name(lang)
        )
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    formatter = HtmlFormatter(
        nowrap=False,
        cssclass=CODE_CLASS,
        linenos="table",
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


_MD = _markdown()


def render_markdown(text: str) -> str:
    """Spec / plan / implement answer → safe HTML (code fences highlighted)."""
    return _MD.render(text or "")


def render_phase_output(phase: str, text: str) -> str:
    """What the view shows for a completed phase.

    Implement answers are markdown with code fences too (prose + ```python main.py```),
    so every phase goes through the same renderer; a bare implement answer without a
    fence is highlighted as Python.
    """
    if phase == "implement" and "```" not in text and "~~~" not in text:
        return highlight_code(text, "python")
    return render_markdown(text)


# -- view models -------------------------------------------------------------------
def file_tree_view(node: Any) -> dict[str, Any]:
    """A FileNode → {name, type, size, children} for the project card."""
    out: dict[str, Any] = {"name": node.name, "type": node.type}
    if node.type == "file":
        out["size"] = int(node.size or 0)
        out["language"] = node.language or ""
    else:
        out["children"] = [file_tree_view(child) for child in node.children or []]
    return out


def smoke_view(result: Any) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "ok": bool(result.ok),
        "outcome": result.outcome,
        "exit_code": result.exit_code,
        "duration_ms": int(result.duration_ms),
        "message": result.message,
        "output": result.output[-4000:],
    }


def project_view(project: Any, run_command: str = "") -> dict[str, Any]:
    """A GeneratedProject → the project card's dict (no secrets: it holds none)."""
    return {
        "name": project.project_name,
        "type": project.project_type,
        "path": project.path,
        "main_file": project.main_file_path,
        "tree": file_tree_view(project.file_structure),
        "dependencies": list(project.dependencies),
        "total_files": project.total_files,
        "total_size_bytes": project.total_size_bytes,
        "syntax_validated": bool(project.syntax_validated),
        "downloadable": bool(project.downloadable),
        "smoke_run": smoke_view(project.smoke_run),
        "run_command": run_command,
    }


def finding_view(finding: Any) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "file": finding.file,
        "line": int(finding.line or 0),
        "message": finding.message,
        "message_en": finding.message_en or finding.message,
    }


def pygments_css() -> str:
    """The highlighting rules for widget.css: a light set and a dark set, both scoped.

    Pygments emits a few unscoped rules (``pre {…}``, ``td.linenos …``); they are
    prefixed too, so nothing leaks into the rest of the notebook page.
    """
    parts = []
    for style, scope in (
        (LIGHT_STYLE, f".cf-root .{CODE_CLASS}"),
        (DARK_STYLE, f".cf-root.cf-dark .{CODE_CLASS}"),
    ):
        rules = HtmlFormatter(style=style, cssclass=CODE_CLASS).get_style_defs(scope).splitlines()
        scoped = [
            rule if rule.startswith(scope) else f"{scope} {rule}" for rule in rules if rule.strip()
        ]
        parts.append(f"/* Pygments {style} */\n" + "\n".join(scoped))
    return "\n".join(parts) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance helper
    if "--css" in sys.argv:
        sys.stdout.write(pygments_css())
