import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from config import ConfigServer  # noqa: E402


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.config = ConfigServer()

    def test_plain_value(self):
        self.assertEqual(self.config.handle("GET app.port"), "VALUE 8080")

    def test_nested_references(self):
        self.assertEqual(self.config.handle("GET app.url"), "VALUE http://localhost:8080/")

    def test_set_updates_dependents(self):
        self.assertEqual(self.config.handle("SET app.port 9090"), "OK 9090")
        self.assertEqual(self.config.handle("GET app.url"), "VALUE http://localhost:9090/")

    def test_set_with_undefined_reference_is_rejected(self):
        self.assertEqual(self.config.handle("SET db.url ${db.host}/main"), "ERR undefined key db.host")
        self.assertEqual(self.config.handle("RAW db.url"), "NOT_FOUND")

    def test_value_with_spaces(self):
        self.assertEqual(self.config.handle("SET app.title The ${app.name} store"), "OK The shop store")

    def test_keys_by_prefix(self):
        self.assertEqual(self.config.handle("KEYS log"), "KEYS log.file")


if __name__ == "__main__":
    unittest.main()
