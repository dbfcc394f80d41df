"""The run folder holds at most MAX_ENTRIES files and folders, under every Linux mechanism.

Under bubblewrap the run folder is a tmpfs inside the sandbox's own mount namespace: it caps
bytes but not the number of (empty) files, and the caller's copy of the folder never shows what
the program writes. The launcher must count through the program's own view of the folder.
The time limit here is long enough for 100,000 files, so only the count limit can stop them.
"""

from __future__ import annotations

from codeflow_widget.sandbox import RunSpec, run_to_end
from codeflow_widget.sandbox.launcher import MAX_ENTRIES

STUFF = """
n = 0
for i in range(100000):
    open("f%d" % i, "w").close()
    n += 1
print("files", n, flush=True)
"""


async def test_a_program_creating_100k_empty_files_is_stopped_at_the_entry_limit(
    tmp_path, mechanism
):
    (tmp_path / "main.py").write_text(STUFF, encoding="utf-8")
    outcome = await run_to_end(
        RunSpec(source_dir=tmp_path, timeout_s=120, seatbelt=False), mechanism=mechanism
    )
    assert outcome.stopped_for == "disk", outcome.output
    assert "files 100000" not in outcome.output
    assert f"{MAX_ENTRIES:,}" in outcome.output  # the learner is told which limit it hit
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.py"]  # the project is untouched
