"""The player: the learner's real pygame program, played inside a notebook cell.

The widget owns one ``GameSession`` (through ``flow.finished_project.open_game``: the widget
imports only the flow, the model and itself) and is its only view bridge: frames go to the
browser as custom messages with the encoded image as a binary buffer, and the browser
acknowledges them cumulatively (the shim never has more unanswered than its window, 2 to 12).
Keys, mouse and text from the focused canvas come back as ``key``/``mouse``/``text`` messages.
Commands (``pause``, ``resume``, ``restart``, ``stop``) carry an ``id`` and are answered
``{t: "reply", id}`` or ``{t: "reply", id, error}``; ``ping`` is answered at once (the
benchmark's floor). Views say ``attach``/``detach`` and send ``alive`` every few seconds, so a
tab closed without cleanup counts as gone; with no view for 60 s the game stops. Closing the
widget, or running its cell again, stops the game.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from codeflow_widget.flow.finished_project import game_language, open_game
from codeflow_widget.model.messages import by_language, groups

log = logging.getLogger(__name__)
_STATIC = Path(__file__).parent / "static"
VIEW_STALE_S = 15.0
COMMANDS = ("pause", "resume", "restart", "stop")

# The player shown by each notebook cell: running the cell again stops the previous game.
_BY_CELL: dict[str, Player] = {}

# The player's words (catalogue/player.json): ``view`` is sent to the view as ``texts``,
# ``kernel`` is what this module says itself.
_TABLES = groups("player")
VIEW_WORDS = by_language(_TABLES["view"])
WORDS = by_language(_TABLES["kernel"])


def _current_cell_id() -> str | None:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        parent = shell.kernel.get_parent() if shell is not None else None
        return ((parent or {}).get("metadata") or {}).get("cellId")
    except Exception:  # noqa: BLE001 - not in a kernel (tests, scripts)
        return None


class Player(anywidget.AnyWidget):
    """``Player(project_dir, language=None)``: plays ``project_dir/main.py`` in the cell.

    ``language`` ``"zh"``/``"en"`` wins; None follows the configuration (``CODEFLOW_LANGUAGE``,
    then codeflow.json), Chinese when nothing is configured.
    """

    _esm = _STATIC / "player.js"
    _css = _STATIC / "player.css"
    stopping: asyncio.Future | None = None  # set by close(): the game's stop, still running

    language = t.Unicode("zh").tag(sync=True)
    texts = t.Dict().tag(sync=True)  # the view's words in ``language``
    project = t.Unicode("").tag(sync=True)
    state = t.Unicode("starting").tag(
        sync=True
    )  # starting running paused ended crashed stopped error
    message = t.Unicode("").tag(sync=True)
    traceback = t.Unicode("").tag(sync=True)
    fps = t.Float(0.0).tag(sync=True)
    game_width = t.Int(0).tag(sync=True)
    game_height = t.Int(0).tag(sync=True)
    mechanism = t.Unicode("").tag(sync=True)

    def __init__(self, project_dir: str | Path, language: str | None = None, **kwargs: Any) -> None:
        unknown = set(kwargs) - {"entry", "session"}
        if unknown:
            raise TypeError(
                f"Player() got unexpected keyword argument(s) {sorted(unknown)}; "
                "use Player(project_dir, language='zh'|'en')"
            )
        language = game_language(language)
        super().__init__(language=language, texts=VIEW_WORDS[language], project=str(project_dir))
        self._views: dict[str, float] = {}
        self._closed = False
        entry = kwargs.get("entry", "main.py")
        self.session = kwargs.get("session") or open_game(project_dir, language, owner=self)
        self.session.on_state(self._on_state)
        self.on_msg(self._on_msg)
        self._tasks: list[asyncio.Future] = []
        problem = self._check(Path(project_dir), entry, language)
        if problem:
            self.state, self.message = "error", problem
            return
        cell = _current_cell_id()
        if cell:
            previous = _BY_CELL.get(cell)
            if previous is not None and previous is not self:
                previous.close()
            _BY_CELL[cell] = self
        self._start()

    @t.observe("language")
    def _relabel(self, change: dict) -> None:
        self.texts = VIEW_WORDS[change["new"]]

    @staticmethod
    def _check(path: Path, entry: str, language: str) -> str:
        words = WORDS[language]
        if not path.is_dir():
            return words["missing"].format(path=path)
        if not (path / entry).is_file():
            return words["no_main"].format(entry=entry, path=path)
        return ""

    # ---- kernel side

    def _start(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
        self._tasks.append(loop.create_task(self._run(self.session.start())))
        self._tasks.append(loop.create_task(self._tick()))

    async def _run(self, step: Any) -> None:
        try:
            await step
        except Exception as exc:  # noqa: BLE001 - shown in the view, never as a traceback
            log.warning("player: %s", exc)
            self.state = "error"
            self.message = WORDS[self.language]["starting_failed"].format(error=exc)
        mechanism = self.session.mechanism
        if mechanism is not None:
            self.mechanism = str(getattr(mechanism, "detail", "") or getattr(mechanism, "name", ""))

    async def _tick(self) -> None:
        """Once a second: the fps figure, and views that stopped saying they are alive."""
        while not self._closed:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for view, seen in list(self._views.items()):
                if now - seen > VIEW_STALE_S:
                    self._detach(view)
            fps = round(self.session.fps, 1)
            if fps != self.fps:
                self.fps = fps
            size = self.session.size
            if size and (size[0] != self.game_width or size[1] != self.game_height):
                self.game_width, self.game_height = size

    def _on_state(self, state: str) -> None:
        self.state = state
        self.message = self.session.message
        self.traceback = self.session.traceback

    def _send_frame(self, header: dict, payload: bytes) -> None:
        if not self._closed:
            self.send({**header, "t": "frame"}, [payload])

    def _attach(self, view: str) -> None:
        self._views[view] = time.monotonic()
        # Every view that attaches (the first, or a second tab) gets a keyframe: the whole picture.
        self.session.attach_view(id(self), self._send_frame)

    def _detach(self, view: str) -> None:
        self._views.pop(view, None)
        if not self._views:
            self.session.detach_view(id(self))

    def _on_msg(self, _widget: Any, content: dict, _buffers: list) -> None:
        kind = content.get("t")
        view = str(content.get("view", ""))
        if view and view in self._views:
            self._views[view] = time.monotonic()
        if kind == "ack":
            self.session.ack(
                int(content.get("seq", 0)),
                busy_ms=content.get("busy"),
                sent=content.get("sent"),
                every_ms=content.get("every"),
            )
        elif kind in ("key", "mouse", "text", "line"):
            self.session.send_input(content)
        elif kind == "attach":
            self._attach(view)
        elif kind == "detach":
            self._detach(view)
        elif kind == "ping":
            self.send({"t": "pong", "id": content.get("id"), "sent": content.get("sent")})
        elif kind == "cmd":
            self._command(content)

    def _command(self, content: dict) -> None:
        name, cid = content.get("name"), content.get("id")
        if name not in COMMANDS:
            self.send({"t": "reply", "id": cid, "error": f"unknown command {name!r}"})
            return
        if name == "pause":
            self.session.pause()
        elif name == "resume":
            self.session.resume()
        elif name == "restart":
            self._tasks.append(asyncio.ensure_future(self._run(self.session.restart())))
        elif name == "stop":
            self.session.stop_soon()
        self.send({"t": "reply", "id": cid})

    def close(self) -> None:
        """Close every view and end the game (``stopping``: the stop, to await if you like)."""
        self._closed = True
        for task in getattr(self, "_tasks", []):  # absent when __init__ refused its arguments
            task.cancel()
        session = getattr(self, "session", None)
        try:
            asyncio.get_running_loop()
            if session is not None and self.stopping is None:
                self.stopping = session.stop_soon()
        except RuntimeError:
            pass  # no loop (interpreter exit): the session's own exit handler ends the game
        for cell, player in list(_BY_CELL.items()):
            if player is self:
                del _BY_CELL[cell]
        super().close()


def play(project_dir: str | Path, language: str | None = None) -> Player:
    """The in-cell player for ``project_dir`` (its ``main.py``, unchanged, in the sandbox).

    ``language``: ``"zh"`` or ``"en"``; by default the configured language.
    """
    return Player(project_dir, language=language)
