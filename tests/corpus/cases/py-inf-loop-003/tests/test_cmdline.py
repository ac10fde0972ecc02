import threading
import unittest

from app.cmdline import split_command, join_command, QuoteError

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


class CmdlineTest(unittest.TestCase):
    def test_quotes(self):
        self.assertEqual(call_with_timeout(split_command, 'run --name "a b" x'), ["run", "--name", "a b", "x"])

    def test_unterminated(self):
        with self.assertRaises(QuoteError):
            call_with_timeout(split_command, "echo 'oops")

    def test_join(self):
        self.assertEqual(join_command(["echo", "a b", ""]), "echo 'a b' ''")

    def test_escaped_space(self):
        self.assertEqual(call_with_timeout(split_command, r"cp my\ file /tmp"), ["cp", "my file", "/tmp"])


if __name__ == "__main__":
    unittest.main()
