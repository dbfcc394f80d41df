"""A Python 3 notebook made of code cells: what the start-up tests, the browser tests and the
start-up benchmark run."""

from __future__ import annotations

import nbformat


def python_notebook(cells: list[str]) -> nbformat.NotebookNode:
    """A notebook for the ``python3`` kernel holding one code cell per source in ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return nb
