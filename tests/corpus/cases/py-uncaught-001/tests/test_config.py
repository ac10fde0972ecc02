import os
import tempfile
import unittest

from app.config import load_config, deep_merge


def write(text):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class ConfigTest(unittest.TestCase):
    def test_defaults(self):
        cfg, errors = load_config(None, env={})
        self.assertEqual(cfg["port"], 8080)
        self.assertEqual(errors, [])

    def test_override_and_env(self):
        path = write('{"workers": 8, "log": {"json": true}}')
        cfg, _ = load_config(path, env={"APP_LOG_LEVEL": "DEBUG"})
        self.assertEqual(cfg["workers"], 8)
        self.assertEqual(cfg["log"], {"level": "debug", "json": True})
        os.unlink(path)

    def test_deep_merge(self):
        self.assertEqual(deep_merge({"a": {"b": 1}}, {"a": {"c": 2}}), {"a": {"b": 1, "c": 2}})

    def test_malformed_file_falls_back(self):
        path = write('{"workers": 8,,}')
        cfg, errors = load_config(path, env={})
        os.unlink(path)
        self.assertEqual(cfg["workers"], 2)
        self.assertEqual(len(errors), 1)


if __name__ == "__main__":
    unittest.main()
