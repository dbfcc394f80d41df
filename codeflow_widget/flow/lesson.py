"""The lesson: one learner's settings, their model, and the wishes they turn into programs.

Read this file top to bottom to follow a lesson; every front end (the widget, the CLI,
the ``%codeflow`` magic, ``codeflow eval``) drives one ``Lesson`` and nothing else builds
a provider::

    async with Lesson.configure(language="en") as lesson:   # ConfigError, MissingApiKey
        lesson.wish("make me a snake game")                 # RequestInputError
        async for event in lesson.run():                    # typed events (model.events)
            ...
        if lesson.request.can_retry:
            lesson.retry()                                  # the learner's retry, at most 3
            async for event in lesson.run(): ...

1. ``configure`` validates the whole configuration and builds the provider the settings
   ask for (the offline lessons when nothing is configured).
2. ``wish`` makes a pending request and fixes each phase's teaching text once: the
   lesson's own text (the offline lessons have one) when it fits the data model's rule,
   else the generic one (``model.messages``).
3. ``run`` streams Specify → Plan → Implement (``phases.run_phases``); transient provider
   failures and the one corrective retry are handled inside, a learner's retry is ``retry``.
4. Cancelling the task that iterates ``run`` (``cancel()``, the Stop button, Ctrl-C) ends
   it with a final ``Failed`` "已取消" event; ``aclose`` closes the provider it built.

Hooks for later abilities: ``checkpoint`` (step mode pauses after Specify and Plan, and an
edited artefact is what the next phase reads), ``project`` (the finished project: playing
it, and follow-up wishes on it, start from here).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codeflow_widget.config import Settings, load_settings
from codeflow_widget.flow.finished_project import FinishedProject
from codeflow_widget.flow.wishes import Teaching, new_request, pending, teaching_for
from codeflow_widget.model.messages import Language, phase_message
from codeflow_widget.model.rules import PHASE_ORDER, PhaseType
from codeflow_widget.providers.base import Provider

if TYPE_CHECKING:  # the run's machinery loads with the first wish, not with the view
    import asyncio

    from codeflow_widget.model import events as ev
    from codeflow_widget.model.entities import CodeGenerationRequest, GeneratedProject

__all__ = ["Checkpoint", "Lesson", "Teaching", "generate", "new_request", "run_request",
           "teaching_for"]  # fmt: skip

# A checkpoint sees a finished Specify or Plan artefact and returns the text to carry on with
# (the same, or the learner's edit) or ``checkpoints.Redo(note)`` to run the phase again;
# step mode (``flow/checkpoints.StepMode``) pauses inside it until the learner decides.
Checkpoint = Callable[[PhaseType, str], Awaitable[Any]]


class Lesson(FinishedProject):
    """Settings, provider and the current request of one learner; see the module docstring."""

    def __init__(
        self,
        settings: Settings,
        *,
        provider: Provider | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.settings = settings
        self._owns_provider = provider is None
        self.provider: Provider = provider or _build_provider(settings)
        self.checkpoint = checkpoint
        self.request: CodeGenerationRequest | None = None
        self.project: GeneratedProject | None = None  # the last finished project
        self._teaching: Teaching = {}
        self._task: asyncio.Task | None = None
        self._change: Any = None  # flow.change.Change while a follow-up wish is current
        if checkpoint is None and settings.step_mode:
            self.step_mode = True

    @classmethod
    def configure(cls, config: str | Path | None = None, **overrides: Any) -> Lesson:
        """Load and validate the settings (file < environment < ``overrides``), build the provider."""
        return cls(load_settings(config, **{k: v for k, v in overrides.items() if v is not None}))

    # -- what the front ends show before anything runs ----------------------------------
    @property
    def language(self) -> Language:
        return self.settings.language

    @language.setter
    def language(self, lang: Language) -> None:
        self.settings = self.settings.model_copy(update={"language": lang})

    @property
    def offline(self) -> bool:
        return bool(self.provider.offline)

    @property
    def base_url(self) -> str:
        return self.settings.resolved_base_url or ""

    def examples(self) -> dict[str, list[str]]:
        """Example wishes per language: one per offline lesson, so each one works offline."""
        from codeflow_widget.flow.wishes import example_wishes

        # The offline provider's catalogue holds the teacher's lessons (lessons_dir) too.
        return example_wishes(self.offline, getattr(self.provider, "loaded_catalogue", None))

    # -- a wish, its run, the learner's retry -------------------------------------------
    def wish(self, text: str) -> CodeGenerationRequest:
        """A new pending request for ``text`` (``RequestInputError`` for bad input)."""
        self._teaching = teaching_for(self.provider, text)
        self.request = pending(text, self._teaching)
        self._change = None
        return self.request

    def follow_up(self, project_dir: str | Path, text: str) -> CodeGenerationRequest:
        """A follow-up wish on an existing project; ``run()`` then runs it as a change.

        Raises before anything runs (and touches nothing) for a folder that is not a project,
        bad input, or — offline — a change no curated follow-up covers (``followup.no_match``,
        listing the ones on offer). See ``flow/change.py``.
        """
        from codeflow_widget.flow.change import Change

        change = Change.prepare(project_dir, text, self.settings, self.provider)
        self._teaching = change.teaching()  # type: ignore[assignment]
        self.request = pending(text, self._teaching)
        self._change = change
        return self.request

    # -- step mode: pause after Specify and Plan ------------------------------------------
    @property
    def step_mode(self) -> bool:
        # A StepMode exists only once its module is loaded, so asking needs no import: the
        # view asks while it is built, and flow.checkpoints would bring asyncio and entities.
        checkpoints = sys.modules.get("codeflow_widget.flow.checkpoints")
        return checkpoints is not None and isinstance(self.checkpoint, checkpoints.StepMode)

    @step_mode.setter
    def step_mode(self, on: bool) -> None:
        from codeflow_widget.flow.checkpoints import StepMode

        self.checkpoint = (self.checkpoint if self.step_mode else StepMode()) if on else None

    @property
    def paused(self):
        """The checkpoint waiting for the learner (``phase``, ``text``), or None."""
        return getattr(self.checkpoint, "paused", None)

    def resume(self, text: str | None = None) -> None:
        """Continue from a checkpoint, with the learner's edited artefact if given."""
        self._step().resume(text)

    def redo(self, note: str = "") -> None:
        """Run the paused phase again with the learner's note ("再简单一点")."""
        self._step().redo(note, self.language)

    def _step(self):
        from codeflow_widget.flow.checkpoints import StepMode
        from codeflow_widget.model.errors import CodeflowError

        if not isinstance(self.checkpoint, StepMode):
            raise CodeflowError("checkpoint.not_paused")
        return self.checkpoint

    def retry(self) -> CodeGenerationRequest:
        """failed → retrying; ``TransitionError`` when nothing failed or 3 retries are used."""
        if self.request is None:
            raise RuntimeError("Lesson.retry() before Lesson.wish()")
        self.request.begin_retry()
        return self.request

    async def run(self) -> AsyncIterator[ev.Event]:
        """Run the current request (new or retried) through the three phases, yielding events."""
        import asyncio

        from codeflow_widget.flow.change import attach
        from codeflow_widget.flow.phases import Run, run_phases
        from codeflow_widget.output.run_docs import warm_up
        from codeflow_widget.output.trace import Tracer

        if self.request is None:
            raise RuntimeError("Lesson.run() before Lesson.wish()")
        warm_up()  # nbformat takes seconds to import: not in the loop when run.ipynb is written
        if not self._teaching:  # a request made elsewhere (run_request)
            self._teaching = teaching_for(self.provider, self.request.user_input)
        self._task = asyncio.current_task()
        run = Run(
            request=self.request,
            provider=self.provider,
            settings=self.settings,
            tracer=Tracer(self.settings.log_file, str(self.request.id)),
            breaker=self._breaker(),
            teaching={phase: self.teaching(phase) for phase in PHASE_ORDER},
            checkpoint=self.checkpoint,
        )
        try:
            async for event in attach(run, self._change, run_phases):  # follow-ups, versions
                yield event
        finally:
            self._task = None
            self.project = run.project or self.project

    def teaching(self, phase: PhaseType, lang: Language | None = None) -> str:
        """The phase's teaching text in ``lang`` (default: the lesson's language)."""
        lang = lang or self.language
        texts = self._teaching.get(phase)
        return texts[lang] if texts else phase_message(phase, lang)

    def _breaker(self):
        from codeflow_widget.flow.breaker import breaker_for

        if self.provider.offline:
            return None
        s = self.settings
        return breaker_for(
            self.provider.name, self.provider.base_url, s.breaker_threshold, s.breaker_cooldown_s
        )

    # -- stopping and closing ------------------------------------------------------------
    def cancel(self) -> bool:
        """Cancel the task iterating ``run()``; its last event says 已取消. False if none runs."""
        task = self._task
        if task is None or task.done():
            return False
        task.cancel()
        return True

    async def aclose(self) -> None:
        """Close the provider this lesson built (one it was given belongs to the caller)."""
        if self._owns_provider:
            await self.provider.aclose()

    async def __aenter__(self) -> Lesson:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _build_provider(settings: Settings) -> Provider:
    """The provider the validated settings ask for (offline when nothing is configured)."""
    if settings.provider == "offline":
        from codeflow_widget.providers.offline import Catalogue, OfflineLessons

        catalogue = Catalogue.load(settings.lessons_dir) if settings.lessons_dir else None
        return OfflineLessons(pace=settings.offline_delay, catalogue=catalogue)
    from codeflow_widget.providers.openai_compatible import OpenAICompatible

    return OpenAICompatible.from_settings(settings)


# -- the public functions for scripts and tests (thin wrappers around Lesson) ---------------
async def generate(
    text: str,
    *,
    settings: Settings | None = None,
    provider: Provider | str | None = None,
    config: str | None = None,
    **overrides: Any,
) -> AsyncIterator[ev.Event]:
    """The whole flow for one wish: ``async for event in generate("帮我写个贪吃蛇"): …``.

    Keyword overrides are Settings fields (``provider="deepseek"``, ``language="en"``,
    ``projects_dir=…``). Configuration and input problems raise before any event.
    """
    if isinstance(provider, str):  # a provider *name* is a setting like any other
        overrides["provider"], provider = provider, None
    settings = settings or load_settings(config, **overrides)
    async with Lesson(settings, provider=provider) as lesson:
        lesson.wish(text)
        async for event in lesson.run():
            yield event


async def run_request(
    request: CodeGenerationRequest, provider: Provider, settings: Settings
) -> AsyncIterator[ev.Event]:
    """Run (or, after ``request.begin_retry()``, re-run) a request, yielding events."""
    lesson = Lesson(settings, provider=provider)
    lesson.request = request
    async for event in lesson.run():
        yield event
