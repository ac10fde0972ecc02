import threading
import unittest

from app.wrap import wrap

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


class OracleWrap(unittest.TestCase):
    def test_exact_width_word(self):
        self.assertEqual(call_with_timeout(wrap, "abcde fg", 5), ["abcde", "fg"])

    def test_width_one(self):
        self.assertEqual(call_with_timeout(wrap, "ab c", 1), ["a", "b", "c"])

    def test_long_word_in_middle(self):
        self.assertEqual(call_with_timeout(wrap, "a bcdefgh i", 3), ["a", "bcd", "efg", "h i"])

    def test_empty(self):
        self.assertEqual(call_with_timeout(wrap, "   ", 4), [])


if __name__ == "__main__":
    unittest.main()
