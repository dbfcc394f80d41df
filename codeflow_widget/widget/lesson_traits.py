"""The state the lesson view syncs: every traitlet ``CodeFlow`` shares with its view.

``LessonTraits`` is the anywidget base of ``lesson_view.CodeFlow`` and declares nothing but
the session state — the wish, the language, the request's status and retries, the badge and
offline notice, the three phases, the findings, the project card, the error banner, the 运行
button's status and output, the slow step's progress, the pace, the view's words, and the
follow-up state (versions, the current change, the step-mode checkpoint, requirement links).
These are what a re-displayed or reloaded view needs and what JupyterLab saves into the
notebook; their meaning and shapes are written down in notes/view_contract.md, their values
are computed by ``view_state`` from the flow's events. Keeping them apart from the behaviour
lets a reader see the view's whole contract in one screen.
"""

from __future__ import annotations

import anywidget
import traitlets as t

from codeflow_widget.widget.pacing import PACE_NAMES


class LessonTraits(anywidget.AnyWidget):
    """The traits of the lesson view (all ``sync=True``), without behaviour."""

    request = t.Unicode("").tag(sync=True)
    language = t.Enum(("zh", "en"), default_value="zh").tag(sync=True)
    # idle, pending, processing, retrying, completed, failed, stopped
    status = t.Unicode("idle").tag(sync=True)
    retry_count = t.Int(0).tag(sync=True)
    max_retries = t.Int().tag(sync=True)  # models.MAX_RETRIES, see _default_max_retries
    can_retry = t.Bool(False).tag(sync=True)
    provider_label = t.Unicode("").tag(sync=True)
    offline = t.Bool(True).tag(sync=True)
    notice = t.Unicode("").tag(sync=True)
    examples = t.Dict().tag(sync=True)
    phases = t.Dict().tag(sync=True)
    findings = t.List().tag(sync=True)
    project = t.Dict().tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    error_code = t.Unicode("").tag(sync=True)
    run_status = t.Unicode("idle").tag(sync=True)  # idle, running, playing, ok, failed
    run_output = t.Unicode("").tag(sync=True)
    progress = t.Dict().tag(sync=True)  # {step, total_s, started_at} of a slow implement step
    # A wish with no lesson: [{id, name, example}] of the closest lessons, shown as buttons.
    suggestions = t.List().tag(sync=True)
    # The teaching pace (widget/pacing.py) and every word of the view's chrome (widget/words.py).
    pace = t.Enum(PACE_NAMES, default_value="normal").tag(sync=True)
    texts = t.Dict().tag(sync=True)
    # Changing what was made (widget/changes.py): the project's versions, the diffs of the
    # current change, the step-mode artefact waiting for the learner, requirement links.
    versions = t.List().tag(sync=True)
    change = t.Dict().tag(sync=True)
    checkpoint = t.Dict().tag(sync=True)
    step_mode = t.Bool(False).tag(sync=True)
    trace = t.Dict().tag(sync=True)

    @t.default("max_retries")
    def _default_max_retries(self) -> int:
        from codeflow_widget.model.rules import MAX_RETRIES

        return MAX_RETRIES
