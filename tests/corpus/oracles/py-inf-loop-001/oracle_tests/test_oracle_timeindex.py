import threading
import unittest

from app.timeindex import TimeIndex

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


def build(times):
    idx = TimeIndex()
    for i, t in enumerate(times):
        idx.add(t, i)
    return idx


class OracleTimeIndex(unittest.TestCase):
    def test_exhaustive(self):
        times = [1, 3, 3, 3, 7, 9, 12]
        idx = build(times)
        for q in range(0, 15):
            expected = next((i for i, t in enumerate(times) if t >= q), len(times))
            self.assertEqual(call_with_timeout(idx.first_at_or_after, q), expected, q)

    def test_after_end_and_empty(self):
        self.assertIsNone(call_with_timeout(build([1, 2]).seek, 3))
        self.assertIsNone(call_with_timeout(build([]).seek, 3))

    def test_window(self):
        self.assertEqual(call_with_timeout(build([1, 2, 2, 5]).window, 2, 5), (1, 2))


if __name__ == "__main__":
    unittest.main()
