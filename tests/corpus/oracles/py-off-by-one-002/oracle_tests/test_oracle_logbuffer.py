import unittest

from app.logbuffer import LogBuffer


class OracleLogBuffer(unittest.TestCase):
    def setUp(self):
        self.b = LogBuffer(10)
        self.b.extend("".join("l%d\n" % i for i in range(6)))

    def test_tail_one(self):
        self.assertEqual(self.b.tail(1), ["l5"])

    def test_tail_all(self):
        self.assertEqual(self.b.tail(6), ["l%d" % i for i in range(6)])

    def test_tail_more_than_available(self):
        self.assertEqual(len(self.b.tail(50)), 6)

    def test_tail_three(self):
        self.assertEqual(self.b.tail(3), ["l3", "l4", "l5"])

    def test_tail_negative(self):
        self.assertEqual(self.b.tail(-2), [])


if __name__ == "__main__":
    unittest.main()
