"""The game player's engine: the capture shim, the kernel↔shim protocol and ``GameSession``.

``codeflow_widget.play`` is also the public function ``play(project_dir)``: importing a module of
this package binds the package to the name ``play`` in ``codeflow_widget``, which would hide the
function, so the package itself is made callable and its call is the function
(``codeflow_widget.widget.player.play``, imported when first called). Either way,
``codeflow_widget.play(dir)`` and ``from codeflow_widget import play; play(dir)`` show the player.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, project_dir: Any, language: str | None = None) -> Any:
        """The in-cell player for ``project_dir`` (see ``codeflow_widget.widget.player.play``)."""
        from codeflow_widget.widget.player import play as show

        return show(project_dir, language=language)


sys.modules[__name__].__class__ = _CallablePackage
play = sys.modules[__name__]  # ``codeflow_widget.__getattr__("play")`` reads this name
