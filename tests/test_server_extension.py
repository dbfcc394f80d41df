"""The Jupyter server extension's wiring, without a server (the browser tier runs the real one:
tests/browser/test_server_extension.py reads the flag back from a real kernel websocket)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import tomllib
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

import codeflow_widget.server as extension
from codeflow_widget.server import without_delay

REPO = Path(__file__).resolve().parents[1]


class AdminsConnection(ZMQChannelsWebsocketConnection):
    """Stands for a connection class an admin configured (or a gateway's)."""


def serverapp(connection_class: type | None) -> SimpleNamespace:
    settings = {"kernel_websocket_connection_class": connection_class}
    return SimpleNamespace(web_app=SimpleNamespace(settings=settings), log=logging.getLogger("t"))


def test_loading_wraps_the_servers_own_connection_class_and_keeps_what_it_does():
    app = serverapp(AdminsConnection)
    extension._load_jupyter_server_extension(app)
    wrapped = app.web_app.settings["kernel_websocket_connection_class"]
    assert wrapped is not AdminsConnection and issubclass(wrapped, AdminsConnection)
    assert extension._jupyter_server_extension_points() == [{"module": "codeflow_widget.server"}]


def test_connecting_turns_the_delay_off_before_the_connection_is_made():
    calls = []

    class Base:
        kernel_id = "k1"

        def __init__(self, handler):
            self.websocket_handler = handler

        def connect(self):
            calls.append("connect")
            return "connected"

    handler = SimpleNamespace(
        set_nodelay=lambda on: calls.append(("nodelay", on)),
        ws_connection=None,  # no socket to read back: logged as None, not a crash
        log=logging.getLogger("t"),
    )
    assert without_delay(Base)(handler).connect() == "connected"
    assert calls == [("nodelay", True), "connect"]


def test_the_package_installs_the_switch_that_turns_the_extension_on():
    switch = "jupyter-config/jupyter_server_config.d/codeflow_widget.json"
    config = json.loads((REPO / switch).read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"jpserver_extensions": {"codeflow_widget.server": True}}}
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = pyproject["tool"]["setuptools"]["data-files"]
    assert data_files == {"etc/jupyter/jupyter_server_config.d": [switch]}
