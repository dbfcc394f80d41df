"""The public surface: a sorted, resolvable ``__all__`` and a cheap ``import codeflow_widget``."""

from __future__ import annotations

import subprocess
import sys

import pytest

import codeflow_widget


def test_all_is_sorted():
    assert codeflow_widget.__all__ == sorted(codeflow_widget.__all__)


def test_all_has_no_duplicates():
    assert len(set(codeflow_widget.__all__)) == len(codeflow_widget.__all__)


@pytest.mark.parametrize("name", codeflow_widget.__all__)
def test_every_name_in_all_resolves(name):
    assert getattr(codeflow_widget, name) is not None


def test_the_documented_entry_points_are_exported():
    assert {
        "CodeFlow",
        "generate",
        "load_settings",
        "CodeGenerationRequest",
        "GeneratedProject",
        "ProcessPhase",
    } <= set(codeflow_widget.__all__)


def test_an_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError):
        codeflow_widget.no_such_name  # noqa: B018


def test_star_import_gives_exactly_all():
    namespace: dict = {}
    exec("from codeflow_widget import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(codeflow_widget.__all__)


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_package_does_not_import_openai():
    assert run_python("import codeflow_widget, sys; print('openai' in sys.modules)") == "False"


def test_importing_the_package_does_not_import_the_widget_stack():
    out = run_python(
        "import codeflow_widget, sys; print(sorted(m for m in ('anywidget', 'ipywidgets', 'httpx', 'openai') if m in sys.modules))"
    )
    assert out == "[]"


def test_the_data_model_loads_without_openai():
    assert (
        run_python(
            "from codeflow_widget import CodeGenerationRequest, load_settings; import sys; print('openai' in sys.modules)"
        )
        == "False"
    )
