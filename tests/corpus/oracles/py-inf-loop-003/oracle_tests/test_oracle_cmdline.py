import threading
import unittest

from app.cmdline import split_command, join_command

def call_with_timeout(fn, *args, timeout=2.0):
    """Run fn(*args) in a daemon thread; fail instead of hanging forever."""
    box = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the test thread
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise AssertionError("call did not finish within %.1fs" % timeout)
    if "error" in box:
        raise box["error"]
    return box["value"]


class OracleCmdline(unittest.TestCase):
    def test_escapes(self):
        self.assertEqual(call_with_timeout(split_command, r'a\"b "c\"d" \\'), ['a"b', 'c"d', "\\"])

    def test_single_quotes_literal(self):
        self.assertEqual(call_with_timeout(split_command, r"'a\b' c"), ["a\\b", "c"])

    def test_trailing_backslash(self):
        self.assertEqual(call_with_timeout(split_command, "x \\"), ["x", "\\"])

    def test_roundtrip(self):
        args = ["run", "it's", "a b", "", "--x=1"]
        self.assertEqual(call_with_timeout(split_command, join_command(args)), args)


if __name__ == "__main__":
    unittest.main()
