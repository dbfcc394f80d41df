"""The events a change adds to the lesson's stream: diffs, checkpoints, kept drafts, versions.

They live in ``model.events`` with the others (part of the ``Event`` union, so ``parse_event``
reads them back and the CLI's ``--json`` prints them like any other event); this module names
them for the flow's change code.
"""

from __future__ import annotations

from codeflow_widget.model.events import ChangeDiff, CheckpointReached, DraftKept, VersionCommitted

__all__ = ["ChangeDiff", "ChangeEvent", "CheckpointReached", "DraftKept", "VersionCommitted"]

ChangeEvent = CheckpointReached | ChangeDiff | DraftKept | VersionCommitted
