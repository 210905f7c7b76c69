#!/usr/bin/env python3
"""A local stand-in for a Slack incoming webhook or an alert webhook: prints each notice POSTed to it.

    python3 scripts/alert-receiver.py 8766

Each request's JSON body is printed on one line (Slack's "text" first when there is one), and answered "ok", as
Slack answers. Stop it with Ctrl-C.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(min(int(self.headers.get("Content-Length", 0)), 1_000_000))
        try:
            notice = json.loads(body)
            line = notice.get("text") or notice.get("summary") or ""
            print(f"{self.path} {self.headers.get('X-Dromedary-Alert-Id', '')}\n  {line}\n  {json.dumps(notice)}", flush=True)
        except ValueError:
            print(f"{self.path} (not JSON) {body[:200]!r}", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8766
    try:
        HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
    except KeyboardInterrupt:
        pass
