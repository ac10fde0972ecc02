import unittest

from app.router import Router, dispatch


def make_router():
    r = Router()
    r.add("GET", "/users/{uid}", lambda uid: "user " + uid)
    r.add("GET", "/health", lambda: "ok")
    r.add("POST", "/users", lambda: "created")
    return r


class RouterTest(unittest.TestCase):
    def test_static_route(self):
        self.assertEqual(dispatch(make_router(), "GET", "/health"), (200, "ok"))

    def test_param_route(self):
        self.assertEqual(dispatch(make_router(), "get", "/users/42"), (200, "user 42"))

    def test_match_returns_params(self):
        route, params = make_router().match("GET", "/users/7")
        self.assertEqual(params, {"uid": "7"})

    def test_unknown_path_is_404(self):
        self.assertEqual(dispatch(make_router(), "GET", "/nope")[0], 404)


if __name__ == "__main__":
    unittest.main()
