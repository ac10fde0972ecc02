import unittest

from app.logbuffer import LogBuffer


class LogBufferTest(unittest.TestCase):
    def test_capacity(self):
        b = LogBuffer(3)
        b.extend("a\nb\nc\nd\n")
        self.assertEqual(b.stats(), {"lines": 3, "dropped": 1, "capacity": 3})

    def test_grep(self):
        b = LogBuffer()
        b.extend("GET /a\nPOST /b\nGET /c\n")
        self.assertEqual(b.grep("GET"), ["GET /a", "GET /c"])
        self.assertEqual(b.grep("GET", limit=1), ["GET /c"])

    def test_tail_zero(self):
        self.assertEqual(LogBuffer().tail(0), [])

    def test_tail(self):
        b = LogBuffer()
        b.extend("1\n2\n3\n4\n5\n")
        self.assertEqual(b.tail(2), ["4", "5"])


if __name__ == "__main__":
    unittest.main()
