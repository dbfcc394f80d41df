"""What the lesson view says, and saying it again in the other language.

``ErrorsAndLanguage`` is the part of ``lesson_view.CodeFlow`` that owns the ``error`` banner
and the language switch. Any exception — a config problem, bad input, a crashed flow task,
an observer's bug — becomes a learner-readable sentence in the banner (``_show_error``;
``shows_errors`` routes an observer's or handler's exception there, because traitlets would
swallow it), and an unexpected one also leaves its traceback in ``last_traceback`` for a
teacher's eyes. When the learner switches language, the notice, the banner, the last run's
failure and its closest-lesson buttons (``failure_words``), the phase titles and teaching
texts and the trial run's sentences on the card are all said again in the new language,
from what the widget remembered, never by asking the model again.
"""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import message
from codeflow_widget.widget.failure_words import Failure, failure_in
from codeflow_widget.widget.render import Refused, describe_error
from codeflow_widget.widget.view_state import relabel_smoke, relabeled

# The name the view has always logged under, so a logging setup that filters on it still works.
log = logging.getLogger("codeflow_widget.widget.lesson_view")


def shows_errors(method):
    """Route any exception of an observer or handler to the view's error banner."""

    @wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - an error must never vanish or become a traceback
            self._show_error(exc)
            return None

    return wrapper


class ErrorsAndLanguage:
    """The banner and the language switch of ``CodeFlow`` (a mixin: it reads the widget's state)."""

    # The last run's failure as the flow said it, to say it again in the other language.
    _failure: Failure | None = None

    def _show_error(self, exc: BaseException) -> str:
        """Put a learner-readable message in the ``error`` trait and return it."""
        self._error_obj = exc
        text = describe_error(exc, self.language)
        if not isinstance(exc, (CodeflowError, Refused)):
            import traceback

            self.last_traceback = "".join(traceback.format_exception(exc))
            log.warning("codeflow widget error", exc_info=exc)
        self.error = text
        return text

    @shows_errors
    def _on_language(self, change: dict) -> None:
        lang = change["new"]
        with self.hold_sync():
            if self.offline and self._lesson:
                self.notice = message("offline.label", lang)
            if self._error_obj is not None:
                self.error = describe_error(self._error_obj, lang)
            elif self.error_code == "request.cancelled":
                self.error = message("request.cancelled", lang)
            elif self._failure is not None:
                self._say_failure(lang)
            self.phases = relabeled(self.phases, lang, self._teaching)
            self._set(relabel_smoke(self._card_and_phases(), lang, self._smoke_timeout()))

    def _remember_failure(self, event: Any, run_lang: str) -> None:
        request = self._lesson.request if self._lesson else None
        self._failure = Failure(
            event.error_code,
            self.error,
            run_lang,
            wish=request.user_input if request is not None else self.request,
            provider=self._lesson.provider if self._lesson else None,
            suggestions=list(self.suggestions),
        )
        if run_lang != self.language:  # switched mid-run: the banner speaks the learner's
            self._say_failure(self.language)

    def _say_failure(self, lang: str) -> None:
        said = failure_in(self._failure, lang) if self._failure else None
        if said is None:
            return
        before, (self.error, self.suggestions) = self.error, said
        # The failed phase's note is the same sentence: it follows the banner.
        self.phases = {
            p: {**s, "note": self.error} if before and s.get("note") == before else s
            for p, s in self.phases.items()
        }

    def _card_and_phases(self) -> dict[str, Any]:
        return {"project": self.project, "phases": self.phases}

    def _smoke_timeout(self) -> float:
        return self._lesson.settings.smoke_timeout_s if self._lesson else 5.0

    def _teaching(self, phase: str, lang: str) -> str:
        """The phase's teaching text in ``lang``: the lesson's own, else the generic one."""
        from codeflow_widget.model.messages import phase_message

        if self._lesson is None:
            return phase_message(phase, lang)  # type: ignore[arg-type]
        return self._lesson.teaching(phase, lang)  # type: ignore[arg-type]
