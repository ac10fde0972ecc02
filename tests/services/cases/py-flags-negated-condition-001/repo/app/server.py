"""TCP front end of the feature-flag server: one request line in, one response line out.

Usage: server.py             serve on 127.0.0.1:$PORT
       server.py --replay F  run the request lines of file F through the same handler
"""

import os
import socket
import sys

from flags import FlagStore


def request_lines(conn):
    """Yield the text lines a client sends until it closes the connection."""
    pending = b""
    while True:
        try:
            chunk = conn.recv(4096)
        except OSError:
            return
        if not chunk:
            return
        pending += chunk
        while b"\n" in pending:
            raw, pending = pending.split(b"\n", 1)
            line = raw.decode("utf-8", "replace").rstrip("\r")
            if line.strip():
                yield line


def serve(port, service):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    print(f"listening on {port}", file=sys.stderr, flush=True)
    while True:
        conn, _ = listener.accept()
        with conn:
            for line in request_lines(conn):
                print(f"request: {line}", file=sys.stderr, flush=True)
                reply = service.handle(line)
                try:
                    conn.sendall((reply + "\n").encode())
                except OSError:
                    break


def replay(path, service):
    with open(path, encoding="utf-8") as requests:
        for raw in requests:
            line = raw.rstrip("\r\n")
            if line.strip():
                print(f"request: {line}", file=sys.stderr, flush=True)
                print(service.handle(line), flush=True)


def main(argv):
    service = FlagStore()
    if len(argv) == 3 and argv[1] == "--replay":
        replay(argv[2], service)
        return 0
    serve(int(os.environ.get("PORT", "8080")), service)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
