"""Configuration: defaults < codeflow.json < environment < explicit arguments.

``settings.Settings`` holds every field and its limits; ``loading.load_settings()`` finds
and validates the configuration at start-up and raises one ``ConfigError`` that lists every
bad field (``problems``), in Chinese or English. No configuration at all means the offline
lesson provider. API keys are never part of ``Settings``: ``loading.find_api_key()`` reads
them from the environment (or a key file the config names) when a provider is built.
"""

from codeflow_widget.config.loading import (
    EXAMPLE_CONFIG,
    find_api_key,
    find_config,
    load_settings,
    resolve_api_key,
    write_example,
)
from codeflow_widget.config.settings import (
    LOCKABLE,
    MINIMAX_MODELS,
    PRESETS,
    Preset,
    ProviderName,
    Settings,
)

__all__ = [
    "EXAMPLE_CONFIG", "LOCKABLE", "MINIMAX_MODELS", "PRESETS", "Preset", "ProviderName",
    "Settings", "find_api_key", "find_config", "load_settings", "resolve_api_key",
    "write_example",
]  # fmt: skip
