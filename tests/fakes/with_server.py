"""Run one command against the loopback model server: ``python -m tests.fakes.with_server CMD…``.

Starts ``tests.fakes.server`` (a real OpenAI-compatible server on 127.0.0.1), exports
``CODEFLOW_PROVIDER=custom``, ``CODEFLOW_BASE_URL``, ``CODEFLOW_MODEL`` and a fake
``CODEFLOW_API_KEY`` for that command only, runs it, stops the server and exits with the
command's status. ``make test`` runs notebooks/03 through it, so the notebook's model
cells really talk to a server, while a learner running it gets MiniMax/DeepSeek with
their own key. ``--expect-chat N`` fails the run when fewer than N chat requests
reached the server (cells that quietly stopped calling it would otherwise pass).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAKE_KEY = "sk-fake-notebook-0000"


def chat_requests(base_url: str) -> int:
    origin = base_url.rsplit("/v1", 1)[0]
    with urllib.request.urlopen(f"{origin}/_fake/requests", timeout=10) as answer:
        requests = json.loads(answer.read().decode("utf-8"))
    return sum(r["path"].endswith("/chat/completions") for r in requests)


def main(argv: list[str]) -> int:
    expect = 0
    if argv[:1] == ["--expect-chat"]:
        expect, argv = int(argv[1]), argv[2:]
    if not argv:
        print("usage: python -m tests.fakes.with_server [--expect-chat N] CMD…", file=sys.stderr)
        return 2
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.server", "--port", "0", "--delay", "0.002"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = server.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            print(f"the fake model server did not start: {base_url!r}", file=sys.stderr)
            return 1
        env = {
            **os.environ,
            "CODEFLOW_PROVIDER": "custom",
            "CODEFLOW_BASE_URL": base_url,
            "CODEFLOW_MODEL": "fake-model",
            "CODEFLOW_API_KEY": FAKE_KEY,
        }
        code = subprocess.run(argv, env=env).returncode
        sent = chat_requests(base_url)
        if code == 0 and sent < expect:
            print(
                f"only {sent} chat requests reached the server, expected ≥ {expect}",
                file=sys.stderr,
            )
            return 1
        print(f"with_server: {sent} chat requests reached the loopback model server")
        return code
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
