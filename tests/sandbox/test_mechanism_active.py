"""Fails when the Linux mechanisms are not really active on this machine (CI must run with them).

Not a probe's word for it: a program run under each mechanism reports what the kernel says about
it — its own network namespace and uid under bubblewrap, a seccomp filter and no_new_privs under
Landlock + seccomp — and a write outside its run folder is refused by the kernel even for root.
"""

from __future__ import annotations

import os
import sys

import pytest

from codeflow_widget.sandbox import RunSpec, detect, run_to_end

from .conftest import LINUX_MECHANISMS, require_active

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux mechanisms")

REPORT = """
import os
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
print("uid", os.getuid())
print("net", os.readlink("/proc/self/ns/net"))
print("seccomp", status["Seccomp"].strip(), "nnp", status["NoNewPrivs"].strip())
print("capeff", status["CapEff"].strip())
try:
    open({outside!r}, "w")
    print("WROTE-OUTSIDE")
except OSError as exc:
    print("refused", exc.errno)
"""


@pytest.mark.parametrize("name", LINUX_MECHANISMS)
def test_linux_mechanism_works_here(name):
    require_active(name)


def test_detect_picks_an_isolating_mechanism():
    found = detect("en")
    assert found.isolated, found.detail
    assert found.name == "bubblewrap"  # user namespaces work here, so the first choice wins


@pytest.mark.parametrize("name", LINUX_MECHANISMS)
async def test_kernel_confirms_the_mechanism(name, tmp_path):
    require_active(name)
    outside = tmp_path / "outside.txt"
    (tmp_path / "game").mkdir()
    (tmp_path / "game" / "main.py").write_text(REPORT.format(outside=str(outside)), "utf-8")
    outcome = await run_to_end(RunSpec(source_dir=tmp_path / "game"), mechanism=name)
    lines = dict(line.split(" ", 1) for line in outcome.output.splitlines() if " " in line)
    assert outcome.exit_code == 0, outcome.output
    assert "WROTE-OUTSIDE" not in outcome.output and not outside.exists()
    assert lines["capeff"] == "0000000000000000"  # root's powers are gone either way
    if name == "bubblewrap":
        assert lines["net"] != os.readlink("/proc/self/ns/net")
        assert lines["uid"] == "1000"
    else:
        assert lines["seccomp"] == "2 nnp 1"
