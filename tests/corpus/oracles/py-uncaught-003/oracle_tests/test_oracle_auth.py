import base64
import unittest

from app.auth import parse_basic_auth, UserStore, authenticate


class OracleAuth(unittest.TestCase):
    def test_invalid_base64_variants(self):
        for token in ("abc", "!!!!", "YWJj=ZA=="):
            self.assertIsNone(parse_basic_auth("Basic " + token), token)

    def test_non_utf8(self):
        token = base64.b64encode(b"\xff\xfe:\xff").decode()
        self.assertIsNone(parse_basic_auth("Basic " + token))

    def test_no_colon(self):
        self.assertIsNone(parse_basic_auth("Basic " + base64.b64encode(b"justuser").decode()))

    def test_missing_header(self):
        self.assertEqual(authenticate(UserStore(), {}), (401, None))

    def test_valid_still_works(self):
        s = UserStore()
        s.add("u", "p")
        h = "basic " + base64.b64encode(b"u:p").decode()
        self.assertEqual(authenticate(s, {"Authorization": h}), (200, "u"))


if __name__ == "__main__":
    unittest.main()
