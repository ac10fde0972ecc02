"""Resolve `include:` directives in layered YAML-ish (dict) configuration sources."""


class ConfigError(Exception):
    pass


def merge(base, override):
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve(name, sources):
    """sources: {name: dict}. A dict may list other source names under 'include';
    included sources are merged first, then the including source on top.
    A cycle of includes raises ConfigError."""
    if name not in sources:
        raise ConfigError("unknown config source %r" % name)
    doc = dict(sources[name])
    result = {}
    for inc in doc.pop("include", []):
        result = merge(result, resolve(inc, sources))
    return merge(result, doc)


def resolve_all(sources):
    """Resolve every source; returns ({name: config}, {name: error message})."""
    ok, errors = {}, {}
    for name in sorted(sources):
        try:
            ok[name] = resolve(name, sources)
        except ConfigError as exc:
            errors[name] = str(exc)
    return ok, errors


def dependents(sources, name):
    """Names of sources that (directly) include `name`."""
    return sorted(n for n, doc in sources.items() if name in doc.get("include", []))
