import base64
import unittest

from app.auth import parse_basic_auth, UserStore, authenticate


def basic(s):
    return "Basic " + base64.b64encode(s.encode()).decode()


class AuthTest(unittest.TestCase):
    def setUp(self):
        self.store = UserStore()
        self.store.add("ops", "s3cret")

    def test_parse(self):
        self.assertEqual(parse_basic_auth(basic("a:b:c")), ("a", "b:c"))

    def test_wrong_scheme(self):
        self.assertIsNone(parse_basic_auth("Bearer abc"))

    def test_authenticate(self):
        self.assertEqual(authenticate(self.store, {"Authorization": basic("ops:s3cret")}), (200, "ops"))
        self.assertEqual(authenticate(self.store, {"Authorization": basic("ops:nope")}), (401, None))

    def test_garbage_token_is_401(self):
        self.assertEqual(authenticate(self.store, {"Authorization": "Basic %%%"}), (401, None))


if __name__ == "__main__":
    unittest.main()
