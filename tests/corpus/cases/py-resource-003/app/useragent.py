"""User-Agent classification for request analytics."""
import functools
import re

BOT_RE = re.compile(r"bot|crawler|spider|slurp|curl|wget", re.I)
BROWSERS = [
    ("edge", re.compile(r"Edg/(\d+)")),
    ("chrome", re.compile(r"Chrome/(\d+)")),
    ("firefox", re.compile(r"Firefox/(\d+)")),
    ("safari", re.compile(r"Version/(\d+).*Safari/")),
]
OS_HINTS = [("windows", "Windows NT"), ("android", "Android"), ("ios", "iPhone"), ("macos", "Mac OS X"), ("linux", "Linux")]

CACHE_SIZE = 1024


@functools.lru_cache(maxsize=None)
def parse_user_agent(ua):
    """Return a (kind, browser, major_version, os) tuple."""
    if not ua:
        return ("unknown", None, None, None)
    if BOT_RE.search(ua):
        return ("bot", None, None, None)
    browser, version = None, None
    for name, regex in BROWSERS:
        m = regex.search(ua)
        if m:
            browser, version = name, int(m.group(1))
            break
    os_name = next((name for name, hint in OS_HINTS if hint in ua), None)
    kind = "mobile" if os_name in ("android", "ios") else "desktop"
    return (kind, browser, version, os_name)


def tally(user_agents):
    counts = {}
    for ua in user_agents:
        kind, browser, _, _ = parse_user_agent(ua)
        key = "%s/%s" % (kind, browser or "-")
        counts[key] = counts.get(key, 0) + 1
    return counts
