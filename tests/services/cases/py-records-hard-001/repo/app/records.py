"""Record store for `key=value;key="quoted; value"` lines, answered as JSON."""

import json


class RecordError(ValueError):
    """A record line that cannot be parsed."""


def split_fields(text):
    """Split a record line into its key=value fields."""
    return [field for field in text.split(";") if field.strip()]


def parse_record(text):
    record = {}
    for field in split_fields(text):
        key, value = field.split("=", 1)
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        record[key] = value
    return record


class RecordStore:
    def __init__(self):
        self.records = {}

    def handle(self, line):
        command, _, rest = line.strip().partition(" ")
        command = command.upper()
        try:
            if command == "PARSE":
                return "RECORD " + json.dumps(parse_record(rest), sort_keys=True)
            if command == "PUT":
                record_id, _, text = rest.partition(" ")
                if not record_id or not text:
                    return "ERR usage: PUT id record"
                self.records[record_id] = parse_record(text)
                return f"OK {len(self.records[record_id])} fields"
        except RecordError as err:
            return f"ERR {err}"
        if command == "GET":
            record_id, _, field = rest.partition(" ")
            value = self.records.get(record_id, {}).get(field)
            return "NOT_FOUND" if value is None else f"VALUE {value}"
        if command == "COUNT":
            return f"COUNT {len(self.records)}"
        return "ERR usage: PARSE record | PUT id record | GET id field | COUNT"
