"""Run every benchmark in this folder and say whether every target holds.

``python benchmarks/run_all.py [--quick]`` runs each ``bench_*.py`` here (including
``bench_streaming.py`` when present) in its own process, one after another so
they don't disturb each other's timings, shows their tables as they come, then
prints a summary. Exit status: 0 when every script's targets hold, 1 otherwise.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from _common import PYTHON, parser

HERE = Path(__file__).resolve().parent


def main() -> int:
    p = parser(__doc__)
    p.add_argument("only", nargs="*", help="run only these (e.g. import memory)")
    args = p.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if any(name in s.stem for name in args.only)]
    results = []
    for script in scripts:
        cmd = [PYTHON, str(script)]
        if args.quick and "--quick" in script.read_text(encoding="utf-8"):
            cmd.append("--quick")
        print(f"\n### {script.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=HERE.parent).returncode
        results.append((script.name, code, time.perf_counter() - start))
    print("\n== summary")
    for name, code, seconds in results:
        print(
            f"{name:28} {'targets hold' if code == 0 else f'FAILED (exit {code})':22} {seconds:6.1f} s"
        )
    failed = [name for name, code, _ in results if code != 0]
    print(
        f"=> {'all benchmarks hold their targets' if not failed else 'failing: ' + ', '.join(failed)}"
    )
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
