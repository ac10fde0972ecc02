"""Session store: HMAC-signed tokens, login/logout and idle expiry."""

import base64
import binascii
import hashlib
import hmac
import time

SECRET = b"healer-demo-secret"
IDLE_TIMEOUT_S = 1800
SWEEP_INTERVAL_S = 60


def signature(payload):
    return hmac.new(SECRET, payload.encode(), hashlib.sha256).hexdigest()[:16]


def make_token(user, issued):
    payload = f"{user}:{issued}"
    raw = f"{payload}:{signature(payload)}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token):
    """User of a well-formed token, None when its signature is wrong.

    Raises binascii.Error / UnicodeDecodeError / ValueError when the token is malformed.
    """
    raw = base64.urlsafe_b64decode(token.encode()).decode()
    user, issued, sig = raw.split(":")
    if not hmac.compare_digest(sig, signature(f"{user}:{issued}")):
        return None
    return user


class SessionStore:
    def __init__(self, clock=time.time):
        self.clock = clock
        self.active = {}
        self.logins = 0
        self.last_sweep = clock()

    def handle(self, line):
        parts = line.split()
        if not parts:
            return "ERR empty request"
        command, args = parts[0].upper(), parts[1:]
        if command == "LOGIN" and len(args) == 1:
            return self.login(args[0])
        if command == "WHOAMI" and len(args) == 1:
            return self.whoami(args[0])
        if command == "LOGOUT" and len(args) == 1:
            return "OK" if self.active.pop(args[0], None) is not None else "UNKNOWN"
        if command == "STATS" and not args:
            return self.stats()
        return "ERR usage: LOGIN user | WHOAMI token | LOGOUT token | STATS"

    def login(self, user):
        if ":" in user:
            return "ERR user names cannot contain ':'"
        now = self.clock()
        token = make_token(user, int(now * 1000) + self.logins)
        self.active[token] = now
        self.logins += 1
        return f"TOKEN {token}"

    def whoami(self, token):
        user = decode_token(token)
        if user is None:
            return "INVALID"
        now = self.clock()
        last_seen = self.active.get(token)
        if last_seen is None or now - last_seen > IDLE_TIMEOUT_S:
            self.active.pop(token, None)
            return "EXPIRED"
        self.active[token] = now
        return f"USER {user}"

    def sweep(self, now):
        """Drop idle sessions; runs at most once per SWEEP_INTERVAL_S."""
        if now - self.last_sweep < SWEEP_INTERVAL_S:
            return
        self.active = {t: seen for t, seen in self.active.items() if now - seen <= IDLE_TIMEOUT_S}
        self.last_sweep = now

    def stats(self):
        self.sweep(self.clock())
        return f"STATS active={len(self.active)} logins={self.logins}"
