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


def build():
    idx = TimeIndex()
    for i, t in enumerate([10, 20, 20, 30, 45]):
        idx.add(t, i * 100)
    return idx


class TimeIndexTest(unittest.TestCase):
    def test_order_enforced(self):
        idx = TimeIndex()
        idx.add(5, 0)
        with self.assertRaises(ValueError):
            idx.add(4, 10)

    def test_seek_before_everything(self):
        self.assertEqual(call_with_timeout(build().seek, 0), 0)

    def test_seek_middle(self):
        self.assertEqual(call_with_timeout(build().seek, 20), 100)


if __name__ == "__main__":
    unittest.main()
