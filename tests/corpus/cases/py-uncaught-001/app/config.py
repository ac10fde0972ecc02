"""Layered JSON configuration: defaults < override file < environment."""
import copy
import json
import os

DEFAULTS = {
    "port": 8080,
    "workers": 2,
    "log": {"level": "info", "json": False},
    "features": [],
}


def deep_merge(base, override):
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_override(path):
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.strip():
        return {}
    return json.loads(text)


def load_config(path=None, env=None):
    """Return (config, errors). A broken override file is reported, not fatal."""
    env = os.environ if env is None else env
    errors = []
    override = read_override(path)
    if not isinstance(override, dict):
        errors.append("%s: top-level value must be an object" % path)
        override = {}
    config = deep_merge(DEFAULTS, override)
    if "APP_PORT" in env:
        config["port"] = int(env["APP_PORT"])
    if "APP_LOG_LEVEL" in env:
        config["log"]["level"] = env["APP_LOG_LEVEL"].lower()
    return config, errors
