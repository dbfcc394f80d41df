"""JupyterLab 4 / Notebook 7 servers on loopback for the browser tests.

Each server runs with this venv's Python (so the ``python3`` kernel is this venv's
ipykernel — the tests check ``sys.executable``), in a private Jupyter config/data
folder, with widget-state saving switched on, the offline lessons at a slow-enough
pace to catch them mid-stream, and SDL's dummy drivers for the smoke runs.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"
FAKE_KEY = "sk-browser-test-SECRET-" + "7f3a9c2e5b8d1f40"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETTINGS = {
    # save widget state into the notebook (JupyterLab's default is off)
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
    # no news / update checks from a test machine
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class JupyterServer:
    kind: str  # "lab" | "notebook"
    url: str
    token: str
    root: Path
    process: subprocess.Popen
    log: Path

    def page_url(self, notebook: str) -> str:
        # A workspace per notebook, so JupyterLab doesn't restore the previous test's tabs.
        workspace = notebook.replace(".", "-")
        path = (
            f"lab/workspaces/{workspace}/tree/{notebook}"
            if self.kind == "lab"
            else f"notebooks/{notebook}"
        )
        return f"{self.url}/{path}?token={self.token}"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        for session in self.api("sessions"):  # type: ignore[union-attr]
            self.api(f"sessions/{session['id']}", method="DELETE")


def server_env(home: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CODEFLOW_", "JUPYTER")) and not k.endswith("_API_KEY")
    }
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "config" / "lab" / "user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "PYTHONPATH": str(REPO),
            "CODEFLOW_OFFLINE_DELAY": "0.3",
            # The reading pace has its own tests (test_pace.py, which asks for it per widget);
            # everything else shows text as it arrives, so the tier stays fast.
            "CODEFLOW_PACE": "instant",
            "CODEFLOW_SMOKE_TIMEOUT_S": "2",
            "CODEFLOW_BACKOFF_S": "0",
            "CODEFLOW_PROJECTS_DIR": str(home / "projects"),
            "CODEFLOW_LOG_DIR": str(home / "logs"),
            "CODEFLOW_WIDGET_TIMING": "1",
            "CODEFLOW_API_KEY": FAKE_KEY,  # for the fake-server tests; must never reach the page
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def write_settings(home: Path, kind: str) -> None:
    for name, value in SETTINGS.items():
        if kind != "lab" and "apputils" in name:  # Notebook 7 has no such plugin settings
            continue
        target = home / "config" / "lab" / "user-settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value), encoding="utf-8")


def start_server(kind: str, home: Path, extra_env: dict[str, str] | None = None) -> JupyterServer:
    root = home / "notebooks"
    root.mkdir(parents=True, exist_ok=True)
    write_settings(home, kind)
    port, token = free_port(), secrets.token_hex(16)
    module = "jupyterlab" if kind == "lab" else "notebook"
    app = "LabApp" if kind == "lab" else "JupyterNotebookApp"
    log = home / f"{kind}-server.log"
    command = [
        sys.executable,
        "-m",
        module,
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        "--KernelSpecManager.ensure_native_kernel=True",
        f"--{app}.expose_app_in_browser=True",
        f"--{app}.user_settings_dir={home / 'config' / 'lab' / 'user-settings'}",
    ]
    if kind == "lab":
        command.append("--LabApp.extension_manager=readonly")  # no PyPI lookups
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers often run as root
        command.append("--allow-root")
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the server
    process = subprocess.Popen(
        command,
        cwd=root,
        env=server_env(home, extra_env or {}),
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = JupyterServer(kind, f"http://127.0.0.1:{port}", token, root, process, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{kind} server exited early:\n{log.read_text(encoding='utf-8')[-3000:]}")
        try:
            status = server.api("status")
            if isinstance(status, dict) and "started" in status:
                return server
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(
        f"{kind} server did not answer /api/status in 90 s:\n{log.read_text(encoding='utf-8')[-3000:]}"
    )


def stop_server(server: JupyterServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
