"""A classroom through a real JupyterHub: two students play the test game at the same time.

JupyterHub from PyPI and configurable-http-proxy from npm (``scripts/ensure-hub-proxy.sh`` puts it
in ``.hub-proxy/``) run on loopback with the dummy authenticator and
``SimpleLocalProcessSpawner``: each user gets a home folder under this test's tmp folder and a
single-user JupyterLab started with this venv's ``jupyterhub-singleuser``, so its kernels import
codeflow_widget. Both students log in from their own browser context of the ONE session Chromium,
open a notebook that calls ``play()`` on their own copy of tests/play/games/square, and press
keys: each student's square moves, the other's stays (pixel checks). Then both servers and the
hub stop, and a /proc scan must find none of their processes left: no game, no kernel, no
single-user server, no proxy. The hub starts once per session (it is the slow part).

It lives in tests/browser so it runs in the browser tier's pytest process (Playwright's sync API
owns the main thread's event loop) and shares its ``browser`` fixture.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.play.procs import SHIM_MARK, game_processes

from .notebook_page import FIND_PANEL, KERNEL_IDLE, run_cell
from .servers import ARTIFACTS, REPO, free_port, server_env, write_settings
from .test_player import click_game, wait_frames, wait_pixel

pytestmark = pytest.mark.browser

PROXY = REPO / ".hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
SINGLEUSER = Path(sys.executable).parent / "jupyterhub-singleuser"
STUDENTS = ("student1", "student2")
NOTEBOOK = "play.ipynb"
# Only these reach a single-user server (the spawner drops the rest of the hub's environment).
PASSED_ENV = ("PATH", "PYTHONPATH", "SDL_VIDEODRIVER", "SDL_AUDIODRIVER", "PYTHONUNBUFFERED")

CONFIG = """
import json
c = get_config()  # noqa: F821
settings = json.loads({settings!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + settings["root"] + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = settings["root"] + "/cookie_secret"
c.JupyterHub.pid_file = settings["root"] + "/hub.pid"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % settings["proxy_api_port"]
c.ConfigurableHTTPProxy.pid_file = settings["root"] + "/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = settings["root"] + "/home/{{username}}"
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.args = ["--allow-root", "--LabApp.expose_app_in_browser=True",
                  "--LabApp.extension_manager=readonly"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.services = [{{"name": "classroom-test", "api_token": settings["token"]}}]
c.JupyterHub.load_roles = [{{"name": "classroom-test", "services": ["classroom-test"],
                             "scopes": ["admin:users", "admin:servers", "admin:server_state"]}}]

def per_user_env(spawner):
    spawner.environment.update(settings["env"][spawner.user.name])

c.Spawner.pre_spawn_hook = per_user_env
"""


class Hub:
    """The hub process, its URL and a service token for its REST API."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        self.log = root / "hub.log"
        self.process: subprocess.Popen | None = None

    def home(self, user: str) -> Path:
        return self.root / "home" / user

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}/hub/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def start(self) -> None:
        env = {}
        for user in STUDENTS:
            home = self.home(user)
            write_settings(home, "lab")
            full = server_env(home, {})
            env[user] = {k: v for k, v in full.items() if k.startswith("JUPYTER")}
            env[user].update({k: full[k] for k in PASSED_ENV})
            env[user]["CODEFLOW_PROJECTS_DIR"] = str(home / "projects")
            env[user]["CODEFLOW_LOG_DIR"] = str(home / "logs")
        settings = {
            "port": self.port,
            "hub_port": free_port(),
            "proxy_api_port": free_port(),
            "root": str(self.root),
            "proxy": str(PROXY),
            "singleuser": str(SINGLEUSER),
            "token": self.token,
            "env": env,
        }
        config = self.root / "jupyterhub_config.py"
        config.write_text(CONFIG.format(settings=json.dumps(settings)), encoding="utf-8")
        handle = open(self.log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the hub
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=self.root,
            env={k: v for k, v in os.environ.items() if not k.startswith(("CODEFLOW_", "JUPYTER"))},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"JupyterHub exited early:\n{self.tail()}")
            try:
                if "version" in self.api(""):  # type: ignore[operator]
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"JupyterHub did not answer /hub/api/ in 120 s:\n{self.tail()}")

    def stop_server(self, user: str) -> None:
        self.api(f"users/{user}/server", method="DELETE")
        deadline = time.monotonic() + 60
        while self.api(f"users/{user}").get("servers"):  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"{user}'s server did not stop in 60 s"
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


def ours(root: Path) -> list[str]:
    """Live processes whose command line or working folder lies in the hub's tmp folder, or
    that are its proxy (whose command line names the project-local proxy)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[-1].split()[0] == "Z":
                continue
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(root) in cmd or cwd.startswith(str(root)) or str(PROXY.parent.parent) in cmd:
            found.append(f"{entry.name}: {cmd.strip()} (cwd {cwd})")
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def singleuser_pid(hub: Hub, user: str) -> int:
    """The single-user server's pid, as the hub's spawner recorded it."""
    state = hub.api(f"users/{user}")["servers"][""]["state"]  # type: ignore[index]
    return int(state["pid"])


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not PROXY.exists():
        pytest.fail(
            f"configurable-http-proxy is not installed at {PROXY}. "
            "Install it with: scripts/ensure-hub-proxy.sh (npm install --prefix .hub-proxy "
            "configurable-http-proxy@4); `make test` runs it before the browser tier."
        )
    root = tmp_path_factory.mktemp("hub")
    instance = Hub(root)
    for user in STUDENTS:
        home = instance.home(user)
        shutil.copytree(REPO / "tests" / "play" / "games" / "square", home / "square")
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        source = f"from codeflow_widget import play\np = play({str(home / 'square')!r})\np"
        notebook.cells = [nbformat.v4.new_code_cell(source)]
        (home / NOTEBOOK).write_text(nbformat.writes(notebook), encoding="utf-8")
    instance.start()
    yield instance
    instance.stop()
    (ARTIFACTS / "hub.log").write_text(instance.tail(), encoding="utf-8")


def log_in_and_play(browser, hub: Hub, user: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.add_init_script(FIND_PANEL)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", "any")
    page.click("#login_submit")
    # The hub spawns the server after login and sends the browser on to it when it answers.
    page.wait_for_url(f"**/user/{user}/lab**", timeout=180_000)
    page.goto(f"{hub.url}/user/{user}/lab/workspaces/hub/tree/{NOTEBOOK}")
    page.wait_for_function(KERNEL_IDLE, arg=NOTEBOOK, timeout=120_000)
    run_cell(page, NOTEBOOK, 0)
    view = page.locator(".cf-player").last
    view.wait_for(state="visible", timeout=120_000)
    wait_frames(view)
    return context, page, view


def test_two_students_play_at_once_in_their_own_servers_and_nothing_survives(browser, hub):
    (context1, page1, view1), (context2, page2, view2) = (
        log_in_and_play(browser, hub, user) for user in STUDENTS
    )
    servers = {user: singleuser_pid(hub, user) for user in STUDENTS}
    games: list[int] = []  # every process of both games (bubblewrap's and the game's own)
    assert servers["student1"] != servers["student2"]
    for user, pid in servers.items():
        deadline = time.monotonic() + 30
        while len(game_processes(pid, roots_only=True)) != 1 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert len(game_processes(pid, roots_only=True)) == 1, f"{user}: not one game"
        games += game_processes(pid)
        assert str(SINGLEUSER).encode() in cmdline(pid)

    for view in (view1, view2):
        wait_pixel(view, 55, 55, (255, 255, 255), "the square starts at 50,50")
    click_game(view1, 2, 2)
    page1.keyboard.press("ArrowRight")
    wait_pixel(view1, 65, 55, (255, 255, 255), "student1's ArrowRight moved their square")
    wait_pixel(view1, 55, 55, (0, 0, 0), "student1's old spot is background again")
    click_game(view2, 2, 2)
    page2.keyboard.press("ArrowDown")
    page2.keyboard.press("ArrowDown")
    wait_pixel(view2, 55, 75, (255, 255, 255), "student2's ArrowDown ×2 moved their square")
    # Each key stayed in its own student's game.
    wait_pixel(view2, 65, 55, (0, 0, 0), "student1's key did not reach student2's game")
    wait_pixel(view2, 55, 55, (0, 0, 0), "student2's old spot is background again")
    wait_pixel(view1, 65, 55, (255, 255, 255), "student1's square is where they left it")
    wait_pixel(view1, 55, 75, (0, 0, 0), "student2's keys did not reach student1's game")
    # Both games are still live at once: back to student1, whose game answers again while
    # student2's keeps its picture (an unchanged picture sends no frames, so keys, not frame
    # counts, show a game is alive).
    page1.keyboard.press("ArrowDown")
    wait_pixel(view1, 65, 65, (255, 255, 255), "student1's ArrowDown after student2 played")
    wait_pixel(view2, 55, 75, (255, 255, 255), "student2's square stayed where they left it")
    for view in (view1, view2):
        assert view.evaluate("el => el.dataset.state") == "running"
    # Each student's server loaded the server extension: its kernel websocket has no Nagle delay
    # (their servers' logs go to the hub's; the extension reads the flag back from the socket).
    log = hub.log.read_text(encoding="utf-8", errors="replace")
    assert log.count("websocket TCP_NODELAY=1") >= len(STUDENTS), log[-3000:]
    assert "TCP_NODELAY=0" not in log

    context1.close()
    context2.close()
    for user in STUDENTS:
        hub.stop_server(user)
    hub.stop()
    deadline = time.monotonic() + 30
    while (left := ours(hub.root)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, "processes left after the hub stopped:\n" + "\n".join(left)
    for user, pid in servers.items():
        assert not Path(f"/proc/{pid}").exists(), f"{user}'s single-user server {pid} survived"
    # The games run in bubblewrap's own folder, so the scan above may not see them: by pid.
    alive = [pid for pid in games if SHIM_MARK.encode() in cmdline(pid)]
    assert not alive, f"game processes survived the hub: {alive}"
