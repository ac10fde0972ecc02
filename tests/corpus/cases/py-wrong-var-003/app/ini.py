"""Minimal INI parser for worker configuration files."""


class IniError(ValueError):
    def __init__(self, lineno, msg):
        super().__init__("line %d: %s" % (lineno, msg))
        self.lineno = lineno


def parse_ini(text, default_section="general"):
    """Return {section: {key: value}}. Keys are lower-cased; ';' and '#' start comments."""
    data = {default_section: {}}
    section = default_section
    last_section = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            if not line.endswith("]") or len(line) < 3:
                raise IniError(lineno, "bad section header")
            last_section = section
            section = line[1:-1].strip().lower()
            data.setdefault(section, {})
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise IniError(lineno, "expected key = value")
        key = key.strip().lower()
        if not key:
            raise IniError(lineno, "empty key")
        data[last_section or section][key] = value.strip()
    if not data[default_section]:
        del data[default_section]
    return data


def get_typed(data, section, key, default=None, type_=str):
    raw = data.get(section, {}).get(key)
    if raw is None:
        return default
    if type_ is bool:
        return raw.lower() in ("1", "true", "yes", "on")
    return type_(raw)
