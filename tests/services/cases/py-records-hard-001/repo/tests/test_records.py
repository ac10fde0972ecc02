import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from records import RecordStore, parse_record  # noqa: E402


class RecordsTest(unittest.TestCase):
    def test_plain_fields(self):
        self.assertEqual(parse_record("id=7;name=ann"), {"id": "7", "name": "ann"})

    def test_quoted_value_and_spaces(self):
        self.assertEqual(parse_record(' city = "New York" ; zip=10001'),
                         {"city": "New York", "zip": "10001"})

    def test_empty_fields_are_skipped(self):
        self.assertEqual(parse_record("a=1;;b=2;"), {"a": "1", "b": "2"})

    def test_parse_command_answers_json(self):
        store = RecordStore()
        self.assertEqual(store.handle("PARSE b=2;a=1"), 'RECORD {"a": "1", "b": "2"}')

    def test_put_and_get(self):
        store = RecordStore()
        self.assertEqual(store.handle("PUT u1 name=ann;role=admin"), "OK 2 fields")
        self.assertEqual(store.handle("GET u1 role"), "VALUE admin")
        self.assertEqual(store.handle("GET u1 email"), "NOT_FOUND")
        self.assertEqual(store.handle("COUNT"), "COUNT 1")


if __name__ == "__main__":
    unittest.main()
