"""Building the lesson view loads only what its first render shows (issue 10, import cost).

The view is built before any wish: step mode's machinery (asyncio, the entities), the
offline lessons' 120 phase files, the matcher and the run's modules wait for the first wish. The example
wishes it shows come from each lesson's lesson.json, and must be the catalogue's own.
"""

from __future__ import annotations

import subprocess
import sys

from codeflow_widget.providers.offline.catalogue import default_catalogue, example_index

PROBE = """
import sys
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.providers.offline.catalogue import default_catalogue
lesson = Lesson.configure()
lesson.examples(), lesson.step_mode, lesson.offline
late = ("asyncio", "codeflow_widget.flow.checkpoints", "codeflow_widget.model.entities",
        "codeflow_widget.flow.phases", "codeflow_widget.providers.offline.matcher", "openai")
print([m for m in late if m in sys.modules], default_catalogue.cache_info().currsize)
"""


def test_a_lesson_built_for_the_view_loads_no_run_machinery_and_reads_no_lesson_files(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("CODEFLOW_")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert out.stdout.strip() == "[] 0"


def test_the_example_index_holds_each_built_in_lessons_own_example_wishes():
    catalogue = default_catalogue()
    index = {card.id: card.examples for card in example_index()}
    assert index == {lesson.id: lesson.examples for lesson in catalogue.lessons}
    assert len(index) >= 20
