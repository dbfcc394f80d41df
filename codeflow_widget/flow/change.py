"""A follow-up wish on an existing project: Specify → Plan → Implement as a change.

``Change.prepare(project_dir, wish, settings, provider)`` reads the project as it is now — spec,
plan, code, and the learner's own edits since the last version (a diff) — and, offline, finds the
curated follow-up the wish names (``followups.py``); every problem (not a project, no such
follow-up) raises before any event, so nothing is touched. ``configure(run)`` hangs the change on
the lesson's ordinary run: the phases stream from ``ChangeModel`` (a real model, asked with the
change prompts) or ``FollowupPlayer`` (the curated follow-up, honestly offline), and Implement is
``change_delivery.implement`` (patch or whole files → checks → trial run → a new version) instead
of writing a new project. ``watch(events)`` adds what the learner sees of the change: the diff of
spec.md after Specify and of plan.md after Plan (also at a step-mode checkpoint, and against the
earlier draft when a phase was redone). ``attach`` is what ``Lesson.run`` iterates; what a change
records as versions, and how a version is shown, is ``change_versions.py``. The project may be
named as the learner says it ("snake", "贪吃蛇"): ``flow.history.locate_project`` finds it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from codeflow_widget.checks.patch import PatchConflict, apply_patch
from codeflow_widget.checks.trace import highest_requirement
from codeflow_widget.config import Settings
from codeflow_widget.flow.change_prompts import change_messages
from codeflow_widget.flow.change_versions import (  # noqa: F401 (importers of change.py)
    first_wish,
    record_first_version,
    version_view,
    versions_event,
)
from codeflow_widget.flow.followups import Followup, find_followup, numbered
from codeflow_widget.flow.history import locate_project
from codeflow_widget.model import events as ev
from codeflow_widget.model.events import (
    ChangeDiff,
    CheckpointReached,
    DraftKept,
)
from codeflow_widget.model.messages import CATALOGUE
from codeflow_widget.output.versions import ProjectHistory, files_diff
from codeflow_widget.providers.base import Chunk, ContentChunk, PhaseCall, Provider, ThinkingChunk

FILE_OF = {"specify": "spec.md", "plan": "plan.md"}


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


@dataclass
class Change:
    project_dir: Path
    wish: str
    language: str
    lesson_id: str
    spec: str
    plan: str
    code: dict[str, str]  # the project's Python files as they are now
    main_file: str
    edits: str  # the learner's edits since the last version, as a diff ("" if none)
    history: ProjectHistory
    followup: Followup | None = None
    code_language: str = "zh"  # which program the curated patch was written for
    outputs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def prepare(
        cls, project_dir: Path | str, wish: str, settings: Settings, provider: Provider
    ) -> Change:
        # "snake" or "贪吃蛇" names the project changed last, as CodeFlow(project=…) does
        history = ProjectHistory(locate_project(project_dir, settings.projects_dir))
        meta = history.meta()
        last = history.ensure(wish=first_wish(history.root), language=settings.language)
        now = history.current_files()
        code = {p: _text(d) for p, d in now.items() if p.endswith(".py")}
        before = {p: d for p, d in history.snapshot(last.n).items() if p.endswith(".py")}
        change = cls(
            project_dir=history.root,
            wish=wish,
            language=settings.language,
            lesson_id=str(meta.get("project_type", "")),
            spec=_text(now.get("spec.md", b"")),
            plan=_text(now.get("plan.md", b"")),
            code=code,
            main_file=str(meta.get("main_file_path") or "main.py"),
            edits=files_diff(before, {p: now[p] for p in code}, "before", "now"),
            history=history,
        )
        if provider.offline:
            catalogue = getattr(provider, "catalogue", None)
            change.followup = find_followup(wish, change.lesson_id, settings.language, catalogue)
            change.code_language = change._patch_language()
        return change

    def _patch_language(self) -> str:
        """The curated patch that fits this program: the learner's language first."""
        assert self.followup is not None
        order = [self.language, "en" if self.language != "en" else "zh"]
        for lang in order:
            try:
                apply_patch(self.code, numbered(self.followup.patch(lang), 0))
                return lang
            except PatchConflict:
                continue
        return order[0]  # neither fits: Implement says so, and touches nothing

    @property
    def first_new_id(self) -> int:
        return highest_requirement(self.spec)

    def teaching(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for phase in ("specify", "plan", "implement"):
            generic = CATALOGUE[f"change.teach.{phase}"]
            out[phase] = {}
            for i, lang in enumerate(("zh", "en")):
                own = self.followup.message(phase, lang) if self.followup else None
                out[phase][lang] = own if own and 10 <= len(own) <= 200 else generic[i]
        return out

    def configure(self, run: Any, provider: Provider, pace: float = 1.0) -> None:
        """Hang the change on a lesson's run: its provider, its Implement, its outputs."""
        from codeflow_widget.flow.change_delivery import implement

        run.provider = FollowupPlayer(self, pace) if self.followup else ChangeModel(self, provider)
        run.outputs = self.outputs
        run.implement = lambda r, answer, last: implement(self, r, answer, last)

    async def watch(self, events: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The lesson's events, plus the diff of each artefact against the project (and drafts)."""
        shown: set[tuple[str, str]] = set()
        drafts: dict[str, str] = {}
        async for event in events:
            if isinstance(event, (CheckpointReached, ev.PhaseCompleted)) and event.phase in FILE_OF:
                text = event.text if isinstance(event, CheckpointReached) else event.output
                for diff in self._diffs(event, text, drafts, shown):
                    yield diff
            if isinstance(event, DraftKept):
                drafts[event.phase] = event.text
            yield event

    def _diffs(self, event, text: str, drafts: dict[str, str], shown: set) -> list[ChangeDiff]:
        phase, name = event.phase, FILE_OF[event.phase]
        base = self.spec if phase == "specify" else self.plan
        out = []
        for kind, old in (("change", base), ("redo", drafts.get(phase))):
            if old is None or (kind, phase + text) in shown:
                continue
            shown.add((kind, phase + text))
            diff = files_diff({name: old.encode()}, {name: (text.strip() + "\n").encode()})
            out.append(
                ChangeDiff(
                    request_id=event.request_id, phase=phase, file=name, diff=diff, kind=kind
                )
            )
        return out


class ChangeModel:
    """A real model, asked with the change prompts instead of the fresh-run ones."""

    offline: ClassVar[bool] = False

    def __init__(self, change: Change, inner: Provider):
        self.change, self.inner = change, inner
        self.name, self.model, self.base_url = inner.name, inner.model, inner.base_url

    def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        # build_messages appended the correction (if any) as a third message: keep it.
        correction = call.messages[2].content if len(call.messages) > 2 else None
        messages = change_messages(self.change, call.phase, call.language, correction)
        return self.inner.stream(
            PhaseCall(call.phase, messages, call.user_input, call.language, call.attempt)
        )

    async def aclose(self) -> None:
        return None  # the inner provider belongs to the lesson


class FollowupPlayer:
    """A curated follow-up streamed like a lesson: honestly offline, at the lesson's pace."""

    offline: ClassVar[bool] = True
    name, model, base_url = "offline", "curated-lessons", ""

    def __init__(self, change: Change, pace: float = 1.0):
        self.change, self.pace = change, pace

    def answer(self, phase: str, language: str) -> str:
        fu, after = self.change.followup, self.change.first_new_id
        assert fu is not None
        if phase == "specify":
            return self.change.spec.rstrip() + "\n\n" + numbered(fu.text("spec", language), after)
        if phase == "plan":
            return self.change.plan.rstrip() + "\n\n" + numbered(fu.text("plan", language), after)
        patch = numbered(fu.patch(self.change.code_language), after)
        return f"{fu.text('implement', language).strip()}\n\n```diff\n{patch}```\n"

    async def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        from codeflow_widget.providers.offline import (
            CHUNK_CHARS,
            CONTENT_DELAY_S,
            FIRST_TOKEN_DELAY_S,
            THINKING_DELAY_S,
        )

        fu = self.change.followup
        assert fu is not None
        await asyncio.sleep(FIRST_TOKEN_DELAY_S * self.pace)
        for kind, text, delay in (
            (ThinkingChunk, fu.text(f"{call.phase}.thinking", call.language), THINKING_DELAY_S),
            (ContentChunk, self.answer(call.phase, call.language), CONTENT_DELAY_S),
        ):
            for i in range(0, len(text), CHUNK_CHARS):
                yield kind(text[i : i + CHUNK_CHARS])
                await asyncio.sleep(delay * self.pace)

    async def aclose(self) -> None:
        return None


async def attach(run: Any, change: Change | None, run_phases: Any) -> AsyncIterator[Any]:
    """A lesson's run with follow-ups and versions: what ``Lesson.run`` iterates.

    With a ``change`` the run becomes that change (its provider, its Implement, its diffs);
    without one it is a fresh run whose project, once written, becomes version 1 — silently:
    a fresh run's events stay as they were, and the front ends read versions from the folder.
    """
    if change is not None:
        change.configure(run, run.provider, getattr(run.provider, "pace", 1.0))
        async for event in change.watch(run_phases(run)):
            yield event
        return
    async for event in run_phases(run):
        if isinstance(event, ev.Completed):
            record_first_version(event.project, run.request.user_input, run.lang, run.drafts)
        yield event
