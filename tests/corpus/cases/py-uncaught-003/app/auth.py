"""HTTP Basic authentication for the internal metrics endpoint."""
import base64
import binascii
import hashlib
import hmac


def parse_basic_auth(header):
    """Return (user, password) from an Authorization header, or None if absent/invalid."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    user, sep, password = decoded.partition(":")
    if not sep:
        return None
    return user, password


def hash_password(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


class UserStore:
    def __init__(self):
        self._users = {}

    def add(self, user, password, salt="pepper"):
        self._users[user] = (salt, hash_password(password, salt))

    def check(self, user, password):
        entry = self._users.get(user)
        if entry is None:
            return False
        salt, digest = entry
        return hmac.compare_digest(digest, hash_password(password, salt))


def authenticate(store, headers):
    """Return (status, user): 200 with the user name, or 401."""
    creds = parse_basic_auth(headers.get("Authorization"))
    if creds is None or not store.check(*creds):
        return 401, None
    return 200, creds[0]
