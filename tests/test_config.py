"""Configuration: defaults < codeflow.json < environment < explicit arguments, validated at start-up."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codeflow_widget.config import PRESETS, Settings, load_settings, resolve_api_key, write_example
from codeflow_widget.model.errors import ConfigError, MissingApiKey

REPO = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
SECRET = "sk-cfgtest0123456789abcdefSECRET"


def write_config(path: Path | str, data: dict | str) -> Path:
    path = Path(path)
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )
    return path


def problems_of(config, **overrides) -> dict[str, str]:
    with pytest.raises(ConfigError) as info:
        load_settings(config, **overrides)
    return dict(info.value.problems)


# -- defaults ----------------------------------------------------------------------
def test_the_api_timeout_defaults_to_60_seconds():
    assert load_settings().timeout_s == 60


def test_the_breaker_cool_down_defaults_to_120_seconds():
    assert load_settings().breaker_cooldown_s == 120


def test_the_breaker_threshold_defaults_to_3_failures():
    assert load_settings().breaker_threshold == 3


def test_retries_default_to_3():
    assert load_settings().max_retries == 3


def test_the_language_defaults_to_chinese():
    assert load_settings().language == "zh"


def test_no_configuration_at_all_means_the_offline_provider():
    settings = load_settings()
    assert settings.provider == "offline"
    assert settings.is_offline
    assert resolve_api_key(settings) is None


def test_settings_hold_no_api_key_field():
    assert not {"api_key", "key", "token"} & set(Settings.model_fields)


# -- finding the file --------------------------------------------------------------
def test_the_file_is_found_via_an_explicit_path(tmp_path, monkeypatch):
    write_config("codeflow.json", {"timeout_s": 11})
    monkeypatch.setenv(
        "CODEFLOW_CONFIG", str(write_config(tmp_path / "env.json", {"timeout_s": 22}))
    )
    explicit = write_config(tmp_path / "explicit.json", {"timeout_s": 33})
    assert load_settings(explicit).timeout_s == 33


def test_the_file_is_found_via_codeflow_config_when_no_path_is_given(tmp_path, monkeypatch):
    write_config("codeflow.json", {"timeout_s": 11})
    monkeypatch.setenv(
        "CODEFLOW_CONFIG", str(write_config(tmp_path / "env.json", {"timeout_s": 22}))
    )
    assert load_settings().timeout_s == 22


def test_the_file_is_found_as_codeflow_json_in_the_working_folder():
    write_config("codeflow.json", {"timeout_s": 11})
    assert load_settings().timeout_s == 11


def test_an_explicit_path_that_does_not_exist_is_a_config_error(tmp_path):
    problems = problems_of(tmp_path / "missing.json")
    assert "missing.json" in " ".join(problems.values())


# -- precedence --------------------------------------------------------------------
def test_the_environment_beats_the_file(monkeypatch):
    write_config("codeflow.json", {"timeout_s": 11, "provider": "ollama"})
    monkeypatch.setenv("CODEFLOW_TIMEOUT_S", "22")
    monkeypatch.setenv("CODEFLOW_PROVIDER", "vllm")
    settings = load_settings()
    assert settings.timeout_s == 22
    assert settings.provider == "vllm"


def test_explicit_overrides_beat_the_environment(monkeypatch):
    write_config("codeflow.json", {"timeout_s": 11})
    monkeypatch.setenv("CODEFLOW_TIMEOUT_S", "22")
    assert load_settings(timeout_s=33).timeout_s == 33


def test_an_override_of_none_does_not_hide_the_environment(monkeypatch):
    monkeypatch.setenv("CODEFLOW_MODEL", "MiniMax-M2.5")
    assert load_settings(model=None).model == "MiniMax-M2.5"


def test_the_file_beats_the_defaults():
    write_config("codeflow.json", {"breaker_cooldown_s": 30, "language": "en"})
    settings = load_settings()
    assert settings.breaker_cooldown_s == 30
    assert settings.language == "en"


# -- invalid files -----------------------------------------------------------------
def test_bad_json_is_reported_with_its_line_and_column():
    write_config("codeflow.json", '{\n  "provider": "offline",\n  "timeout_s": ,\n}\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    text = info.value.message("zh")
    assert "第 3 行" in text and "列" in text
    assert "第 3 行第 16 列" in text


def test_bad_json_is_reported_with_its_line_and_column_in_english():
    write_config("codeflow.json", '{\n  "provider": "offline",\n  "timeout_s": ,\n}\n')
    with pytest.raises(ConfigError) as info:
        load_settings(language="en")
    assert "line 3, column 16" in info.value.message("en")


def test_an_unknown_provider_is_reported_with_its_field_name():
    problems = problems_of(write_config("codeflow.json", {"provider": "gpt-5-magic"}))
    assert list(problems) == ["provider"]
    assert "minimax" in problems["provider"]


def test_a_negative_timeout_is_reported_with_its_field_name():
    problems = problems_of(write_config("codeflow.json", {"timeout_s": -5}))
    assert list(problems) == ["timeout_s"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timeout_s", "soon"),
        ("breaker_threshold", 2.5),
        ("max_retries", "many"),
        ("keep_failed_projects", "maybe"),
        ("allowed_imports", "pygame"),
        ("model", 42),
        ("language", "fr"),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_with_its_field_name(field, value):
    problems = problems_of(write_config("codeflow.json", {field: value}))
    assert list(problems) == [field]
    assert CJK.search(problems[field])


def test_an_unknown_key_is_reported_with_its_field_name():
    problems = problems_of(write_config("codeflow.json", {"timeout": 60}))
    assert list(problems) == ["timeout"]


BROKEN = {
    "provider": "nope",
    "timeout_s": -5,
    "breaker_threshold": "three",
    "max_retries": 2.5,
    "keep_failed_projects": "maybe",
    "base_url": "ftp://example.com",
    "colour": "blue",
}


def test_an_invalid_file_lists_every_problem_with_its_field_name():
    problems = problems_of(write_config("codeflow.json", BROKEN))
    assert set(problems) == set(BROKEN)


def test_every_problem_is_explained_in_chinese():
    with pytest.raises(ConfigError) as info:
        load_settings(write_config("codeflow.json", BROKEN))
    for field, text in info.value.problems:
        assert CJK.search(text), f"{field}: {text!r} is not in Chinese"
    message = info.value.message("zh")
    assert f"{len(BROKEN)} 个问题" in message
    assert all(field in message for field in BROKEN)


def test_every_problem_is_explained_in_english_when_the_language_is_en():
    with pytest.raises(ConfigError) as info:
        load_settings(write_config("codeflow.json", BROKEN), language="en")
    for field, text in info.value.problems:
        assert not CJK.search(text), f"{field}: {text!r} is not in English"
    message = info.value.message("en")
    assert "problem" in message
    assert all(field in message for field in BROKEN)


def test_a_base_url_that_is_not_http_is_explained_in_chinese():
    problems = problems_of(write_config("codeflow.json", {"base_url": "ftp://example.com"}))
    assert "http://" in problems["base_url"]
    assert "Value error" not in problems["base_url"] and "must" not in problems["base_url"]


def test_custom_without_base_url_is_reported_together_with_the_other_problems():
    problems = problems_of(write_config("codeflow.json", {"provider": "custom", "timeout_s": -1}))
    assert {"timeout_s", "base_url"} <= set(problems)


def test_an_invalid_environment_variable_is_reported_with_its_field_name(monkeypatch):
    monkeypatch.setenv("CODEFLOW_TIMEOUT_S", "abc")
    assert list(problems_of(None)) == ["timeout_s"]


# -- keys never live in the file ---------------------------------------------------
@pytest.mark.parametrize("key_name", ["api_key", "apiKey", "API-KEY", "token"])
def test_a_key_written_into_the_file_is_refused_without_echoing_it(key_name):
    path = write_config("codeflow.json", {"provider": "minimax", key_name: SECRET})
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    error = info.value
    assert key_name in dict(error.problems)
    assert "MINIMAX_API_KEY" in dict(error.problems)[key_name]
    for rendered in (
        str(error),
        error.message("zh"),
        error.message("en"),
        repr(error.problems),
        repr(error.context()),
    ):
        assert SECRET not in rendered
        assert "cfgtest" not in rendered


def test_a_key_in_the_file_is_refused_even_when_the_provider_is_malformed():
    path = write_config("codeflow.json", {"provider": ["minimax"], "api_key": SECRET})
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert {"api_key", "provider"} <= set(dict(info.value.problems))
    assert SECRET not in info.value.message("zh")


# -- presets -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("provider", "base_url"),
    [
        ("minimax", "https://api.minimax.io/v1"),
        ("minimax-cn", "https://api.minimaxi.com/v1"),
        ("ollama", "http://localhost:11434/v1"),
        ("vllm", "http://localhost:8000/v1"),
    ],
)
def test_a_preset_supplies_its_base_url(provider, base_url):
    assert PRESETS[provider].base_url == base_url
    settings = load_settings(provider=provider)
    assert settings.resolved_base_url == base_url
    assert settings.resolved_model


def test_an_explicit_base_url_replaces_the_presets_and_loses_its_trailing_slash():
    assert (
        load_settings(provider="ollama", base_url="http://gpu-box:11434/v1/").resolved_base_url
        == "http://gpu-box:11434/v1"
    )


def test_custom_requires_a_base_url():
    problems = problems_of(None, provider="custom", model="my-model")
    assert "base_url" in problems


def test_custom_requires_a_model():
    with pytest.raises(ConfigError) as info:
        load_settings(provider="custom", base_url="http://localhost:9000/v1")
    assert "model" in info.value.message("zh")


def test_custom_with_base_url_and_model_is_accepted():
    settings = load_settings(
        provider="custom", base_url="http://localhost:9000/v1", model="my-model"
    )
    assert (settings.resolved_base_url, settings.resolved_model) == (
        "http://localhost:9000/v1",
        "my-model",
    )


# -- resolve_api_key ---------------------------------------------------------------
# Each preset's own key variable, read when CODEFLOW_API_KEY is not set.
PRESET_KEY_VARIABLES = [
    ("minimax", "MINIMAX_API_KEY"),
    ("minimax-cn", "MINIMAX_API_KEY"),
    ("deepseek", "DEEPSEEK_API_KEY"),
    ("openai", "OPENAI_API_KEY"),
]


def test_codeflow_api_key_wins_over_the_presets_variable(monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", "sk-from-codeflow")
    monkeypatch.setenv("MINIMAX_API_KEY", "sk-from-minimax")
    assert (
        resolve_api_key(load_settings(provider="minimax")).get_secret_value() == "sk-from-codeflow"
    )


@pytest.mark.parametrize(("provider", "env_var"), PRESET_KEY_VARIABLES)
def test_the_presets_variable_supplies_the_key(monkeypatch, provider, env_var):
    monkeypatch.setenv(env_var, "  sk-from-preset  ")
    assert resolve_api_key(load_settings(provider=provider)).get_secret_value() == "sk-from-preset"


def test_the_presets_variable_wins_over_the_key_file(monkeypatch, tmp_path):
    key_file = tmp_path / "key.txt"
    key_file.write_text("sk-from-file\n", encoding="utf-8")
    monkeypatch.setenv("MINIMAX_API_KEY", "sk-from-env")
    settings = load_settings(provider="minimax", api_key_file=key_file)
    assert resolve_api_key(settings).get_secret_value() == "sk-from-env"


def test_the_key_file_supplies_the_key_when_no_variable_is_set(tmp_path):
    key_file = tmp_path / "key.txt"
    key_file.write_text("sk-from-file\nsecond line is ignored\n", encoding="utf-8")
    write_config("codeflow.json", {"provider": "minimax", "api_key_file": str(key_file)})
    assert resolve_api_key(load_settings()).get_secret_value() == "sk-from-file"


def test_a_key_file_that_does_not_exist_is_a_config_error(tmp_path):
    problems = problems_of(
        write_config("codeflow.json", {"api_key_file": str(tmp_path / "nope.txt")})
    )
    assert "api_key_file" in problems


def test_api_key_env_names_another_variable(monkeypatch):
    monkeypatch.setenv("MY_CLASS_KEY", "sk-class")
    assert (
        resolve_api_key(
            load_settings(provider="minimax", api_key_env="MY_CLASS_KEY")
        ).get_secret_value()
        == "sk-class"
    )


@pytest.mark.parametrize(("provider", "env_var"), PRESET_KEY_VARIABLES)
def test_a_hosted_provider_without_a_key_raises_missing_api_key_naming_the_variable(
    provider, env_var
):
    with pytest.raises(MissingApiKey) as info:
        resolve_api_key(load_settings(provider=provider))
    assert env_var in info.value.message("zh")
    assert env_var in info.value.message("en")


def test_a_blank_key_variable_counts_as_missing(monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", "   ")
    with pytest.raises(MissingApiKey):
        resolve_api_key(load_settings(provider="minimax"))


@pytest.mark.parametrize("provider", ["ollama", "vllm"])
def test_a_local_preset_needs_no_key(provider):
    assert resolve_api_key(load_settings(provider=provider)) is None


def test_a_resolved_key_is_not_shown_by_repr(monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", SECRET)
    key = resolve_api_key(load_settings(provider="minimax"))
    assert SECRET not in repr(key) and SECRET not in str(key)


# -- example config ----------------------------------------------------------------
def test_write_example_writes_json_that_load_settings_accepts(tmp_path):
    path = write_example(tmp_path / "codeflow.json")
    json.loads(path.read_text(encoding="utf-8"))
    settings = load_settings(path)
    assert settings.provider == "offline"


def test_write_example_refuses_to_overwrite(tmp_path):
    path = write_config(tmp_path / "codeflow.json", {"provider": "ollama"})
    with pytest.raises(FileExistsError):
        write_example(path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"provider": "ollama"}


def test_the_shipped_codeflow_example_json_loads_cleanly():
    shipped = REPO / "codeflow.example.json"
    assert shipped.is_file(), "the repo root must ship codeflow.example.json"
    settings = load_settings(shipped)
    assert settings.timeout_s == 60


# -- the CLI -----------------------------------------------------------------------
def test_the_cli_exits_2_listing_each_bad_field_and_creates_nothing(isolated):
    bad = write_config(
        isolated / "bad.json",
        {"provider": "nope", "timeout_s": -5, "max_retries": "many", "colour": 1},
    )
    result = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "run", "--config", str(bad), "贪吃蛇"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    for field in ("provider", "timeout_s", "max_retries", "colour"):
        assert field in result.stderr
    assert "Traceback" not in result.stderr
    for folder in ("projects", "logs"):
        assert not (isolated / folder).exists() or not any((isolated / folder).iterdir())


# -- a teacher's lock and the dependency allow-list ---------------------------------
def _class_config(tmp_path, **data):
    path = tmp_path / "class.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_locked_settings_come_from_the_file_even_when_the_environment_differs_the_same(
    isolated, monkeypatch
):
    path = _class_config(isolated, provider="offline", language="en", lock=["provider", "language"])
    monkeypatch.setenv("CODEFLOW_LANGUAGE", "en")
    settings = load_settings(path)
    assert settings.provider == "offline" and settings.language == "en"


def test_overriding_a_locked_setting_is_refused_naming_the_teachers_value(isolated):
    path = _class_config(isolated, provider="offline", lock=["provider"])
    with pytest.raises(ConfigError) as err:
        load_settings(path, provider="deepseek")
    assert err.value.problems[0][0] == "provider" and "老师已锁定" in err.value.problems[0][1]


def test_a_locked_setting_cannot_be_changed_through_the_environment(isolated, monkeypatch):
    path = _class_config(isolated, language="zh", lock=["language"])
    monkeypatch.setenv("CODEFLOW_LANGUAGE", "en")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert "language" in err.value.message()


def test_only_known_settings_can_be_locked(isolated):
    with pytest.raises(ConfigError) as err:
        load_settings(_class_config(isolated, lock=["colour"]))
    assert err.value.problems[0][0].startswith("lock") and "colour" in err.value.problems[0][1]


def test_allowed_imports_may_narrow_to_the_standard_library(isolated):
    assert load_settings(_class_config(isolated, allowed_imports=[])).allowed_imports == []
    assert load_settings(
        _class_config(isolated, allowed_imports=["pygame", "random"])
    ).allowed_imports == ["pygame", "random"]


def test_allowed_imports_cannot_widen_beyond_the_approved_dependencies(isolated):
    with pytest.raises(ConfigError) as err:
        load_settings(_class_config(isolated, allowed_imports=["numpy"]))
    assert "numpy" in err.value.message() and "pygame" in err.value.message()
