import unittest

from app.router import Router, dispatch


def make_router():
    r = Router()
    r.add("GET", "/users/{uid}", lambda uid: "user " + uid)
    r.add("DELETE", "/users/{uid}", lambda uid: "deleted " + uid)
    r.add("GET", "/health", lambda: "ok")
    return r


class OracleRouter(unittest.TestCase):
    def test_404(self):
        self.assertEqual(dispatch(make_router(), "GET", "/missing"), (404, "not found"))

    def test_405_lists_methods(self):
        status, body = dispatch(make_router(), "PUT", "/users/3")
        self.assertEqual(status, 405)
        self.assertIn("DELETE", body)
        self.assertIn("GET", body)

    def test_405_static(self):
        self.assertEqual(dispatch(make_router(), "POST", "/health")[0], 405)

    def test_still_dispatches(self):
        self.assertEqual(dispatch(make_router(), "DELETE", "/users/9"), (200, "deleted 9"))

    def test_empty_router(self):
        self.assertEqual(dispatch(Router(), "GET", "/"), (404, "not found"))


if __name__ == "__main__":
    unittest.main()
