import unittest

from app.mount import Mounts, strip_prefix


class OracleMount(unittest.TestCase):
    def test_strip_prefix(self):
        self.assertEqual(strip_prefix("/api/pia", "/api"), "/pia")
        self.assertEqual(strip_prefix("/admin/dashboard", "/admin"), "/dashboard")
        self.assertEqual(strip_prefix("/v1/v1/x", "/v1"), "/v1/x")

    def test_longest_prefix(self):
        m = Mounts()
        m.mount("/", lambda p: (200, "root" + p))
        m.mount("/app", lambda p: (200, "app" + p))
        m.mount("/app/admin", lambda p: (200, "admin" + p))
        self.assertEqual(m("/app/admin/api"), (200, "admin/api"))
        self.assertEqual(m("/app/data"), (200, "app/data"))
        self.assertEqual(m("/application"), (200, "root/application"))


if __name__ == "__main__":
    unittest.main()
