import threading
import unittest

from app.wrap import wrap, format_paragraphs

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


class WrapTest(unittest.TestCase):
    def test_basic(self):
        self.assertEqual(call_with_timeout(wrap, "the quick brown fox jumps", 10), ["the quick", "brown fox", "jumps"])

    def test_invalid_width(self):
        with self.assertRaises(ValueError):
            wrap("x", 0)

    def test_paragraphs(self):
        self.assertEqual(call_with_timeout(format_paragraphs, "a b\n\nc", 10), "a b\n\nc")

    def test_long_word(self):
        self.assertEqual(call_with_timeout(wrap, "see https://example.com/x", 10), ["see", "https://ex", "ample.com/", "x"])


if __name__ == "__main__":
    unittest.main()
