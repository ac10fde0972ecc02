import os
import tempfile
import unittest

from app.config import load_config, DEFAULTS


def write(text):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class OracleConfig(unittest.TestCase):
    def test_malformed_still_uses_env(self):
        path = write("{not json")
        try:
            cfg, errors = load_config(path, env={"APP_PORT": "9000"})
        finally:
            os.unlink(path)
        self.assertEqual(cfg["port"], 9000)
        self.assertEqual(cfg["workers"], 2)
        self.assertTrue(errors[0].startswith(path))

    def test_non_object(self):
        path = write("[1, 2]")
        try:
            cfg, errors = load_config(path, env={})
        finally:
            os.unlink(path)
        self.assertEqual(cfg, DEFAULTS)
        self.assertEqual(len(errors), 1)

    def test_missing_and_empty_file(self):
        self.assertEqual(load_config("/nonexistent/x.json", env={}), (DEFAULTS, []))
        path = write("   ")
        try:
            self.assertEqual(load_config(path, env={})[1], [])
        finally:
            os.unlink(path)

    def test_defaults_not_mutated(self):
        load_config(None, env={"APP_LOG_LEVEL": "WARN"})
        self.assertEqual(DEFAULTS["log"]["level"], "info")


if __name__ == "__main__":
    unittest.main()
