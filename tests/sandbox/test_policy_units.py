"""Unit tests for the parts that need no running program: the allow-listed environment, the
redactor, the policy paths, and the macOS and Windows mechanisms (which cannot run here)."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from codeflow_widget.sandbox import Limits, RunSpec, redact, register_secret
from codeflow_widget.sandbox.environment import build_env, refused_names
from codeflow_widget.sandbox.mechanisms import macos, windows
from codeflow_widget.sandbox.mechanisms.base import Job
from codeflow_widget.sandbox.policy import python_paths
from codeflow_widget.sandbox.redact import MASK, Redactor, looks_like_token

PARENT = {
    "PATH": "/home/me/bin:/usr/bin",
    "LANG": "zh_CN.UTF-8",
    "LC_ALL": "zh_CN.UTF-8",
    "HOME": "/home/me",
    "MINIMAX_API_KEY": "sk-abcdefghijklmnopqrstuvwxyz",
    "MY_SERVICE_TOKEN": "t0k3n-value-0123456789",
    "DEPLOY": "c2VjcmV0LXZhbHVlLXRoYXQtbG9va3MtcmFuZG9t",
    "PYTHONPATH": "/home/me/evil",
    "DISPLAY": ":0",
}


def spec(**kw) -> RunSpec:
    return RunSpec(source_dir=Path("/nowhere"), **kw)


def test_environment_is_built_from_the_allow_list_only():
    env = build_env(spec(), "/tmp/run", PARENT)
    assert env["HOME"] == "/tmp/run" and env["PATH"] == "/usr/local/bin:/usr/bin:/bin"
    assert env["LANG"] == "zh_CN.UTF-8" and env["LC_ALL"] == "zh_CN.UTF-8"
    assert env["SDL_VIDEODRIVER"] == "dummy" and env["SDL_AUDIODRIVER"] == "dummy"
    leaked = set(PARENT.values()) & set(env.values())
    assert leaked == {"zh_CN.UTF-8"}
    assert "DISPLAY" not in env


def test_a_window_run_gets_the_display_and_extra_env_is_filtered():
    extra = {
        "SDL_HINT_X": "1",
        "PYGAME_FREETYPE": "1",
        "CODEFLOW_PLAY_CODEC": "png",
        "AWS_KEY": "k",
    }
    env = build_env(spec(headless=False, extra_env=extra), "/tmp/run", PARENT)
    assert env["DISPLAY"] == ":0" and "SDL_VIDEODRIVER" not in env
    assert {"SDL_HINT_X", "PYGAME_FREETYPE", "CODEFLOW_PLAY_CODEC"} <= set(env)
    assert "AWS_KEY" not in env
    assert refused_names(spec(extra_env=extra)) == ["AWS_KEY"]


def test_redact_masks_env_secrets_by_name_and_by_shape(monkeypatch):
    for name, value in PARENT.items():
        monkeypatch.setenv(name, value)
    text = " | ".join(PARENT.values())
    masked = redact(text)
    for name in ("MINIMAX_API_KEY", "MY_SERVICE_TOKEN", "DEPLOY"):
        assert PARENT[name] not in masked
    assert "/home/me/bin:/usr/bin" in masked and "zh_CN.UTF-8" in masked


def test_redact_masks_registered_and_well_known_credentials():
    register_secret("from-a-key-file-7788")
    text = (
        "key from-a-key-file-7788 ghp_" + "a" * 36 + " Authorization: Bearer abc.def.ghi123 "
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N AKIAABCDEFGHIJKLMNOP"
    )
    masked = redact(text)
    assert masked.count(MASK) == 5, masked
    assert masked.startswith("key " + MASK)


def test_redactor_keeps_the_secrets_known_at_start(monkeypatch):
    monkeypatch.setenv("LATE_TOKEN", "late-secret-value-123456")
    redactor = Redactor()
    monkeypatch.delenv("LATE_TOKEN")
    assert redactor("x late-secret-value-123456 y") == f"x {MASK} y"


def test_token_shape_ignores_paths_words_and_colours():
    assert looks_like_token("3f9a0c1e7b2d4a6f8e0c1b3d5f7a9c2e4b6d8f0a")
    assert looks_like_token("sk-proj-abcdefghijklmnop1234")
    for value in (
        "/usr/local/lib/python3.11/site-packages",
        "zh_CN.UTF-8",
        "hello world of games",
        "rs=0:di=01;34:ln=01;36:mh=00:pi=40;33",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ):
        assert not looks_like_token(value), value


def test_python_paths_cover_this_interpreter_and_pygame():
    paths = python_paths()
    real = os.path.realpath(sys.executable)
    assert any(real.startswith(p + "/") for p in paths)
    import pygame

    assert any(os.path.realpath(pygame.__file__).startswith(p + "/") for p in paths)
    assert not any(p == os.path.expanduser("~") for p in paths)


def job(**kw) -> Job:
    return Job(spec(**kw), "/private/tmp/run", ["python3", "main.py"], ("/opt/shim.py",), {}, False)


def test_macos_profile_denies_by_default_and_writes_only_the_run_folder():
    profile = macos.profile(job())
    lines = profile.splitlines()
    assert lines[:2] == ["(version 1)", "(deny default)"]
    writes = [line for line in lines if line.startswith("(allow file-write")]
    assert writes == ['(allow file-write* (subpath "/private/tmp/run") (literal "/dev/null"))']
    assert "(deny network*)" in lines and "network-outbound" not in profile
    assert '(subpath "/opt/shim.py")' in profile


def test_windows_job_limits_kill_on_close_and_cap_the_tree():
    info = windows.limits_for(job(limits=Limits(processes=32, memory_bytes=512 << 20)))
    flags = info.BasicLimitInformation.LimitFlags
    assert flags & windows.KILL_ON_JOB_CLOSE and flags & windows.ACTIVE_PROCESS
    assert flags & windows.PROCESS_MEMORY
    assert info.BasicLimitInformation.ActiveProcessLimit == 32
    assert info.ProcessMemoryLimit == 512 << 20
    assert ctypes.sizeof(windows.ExtendedLimits) == 144  # the x64 layout Windows expects
