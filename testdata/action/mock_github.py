#!/usr/bin/env python3
"""A fake GitHub REST API for the act test: issue comments of acme/infra#42 (list with Link
pagination, create, update, delete) and GraphQL minimizeComment. The state (comments and a log
of requests without their Authorization header) is written to STATE_FILE after each request.

usage: mock_github.py PORT_FILE STATE_FILE   (binds 127.0.0.1 on a free port, writes it)"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT_FILE, STATE_FILE = sys.argv[1], sys.argv[2]
STATE = {"comments": [], "requests": [], "next_id": 5000}
PAGE = 2
COMMENTS = "/repos/acme/infra/issues/42/comments"


def save():
    with open(STATE_FILE + ".tmp", "w") as f:
        json.dump(STATE, f, indent=1)
    import os
    os.replace(STATE_FILE + ".tmp", STATE_FILE)


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, code, obj=None, headers=()):
        data = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"null")
        url = urlparse(self.path)
        STATE["requests"].append({"method": self.command, "path": self.path,
                                  "has_bearer": (self.headers.get("Authorization") or "").startswith("Bearer ")})
        base = f"http://{self.headers.get('Host')}"
        if url.path == COMMENTS and self.command == "GET":
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            items = STATE["comments"][(page - 1) * PAGE: page * PAGE]
            hdrs = []
            if page * PAGE < len(STATE["comments"]):
                hdrs.append(("Link", f'<{base}{COMMENTS}?per_page={PAGE}&page={page + 1}>; rel="next"'))
            self.reply(200, items, hdrs)
        elif url.path == COMMENTS and self.command == "POST":
            STATE["next_id"] += 1
            i = STATE["next_id"]
            c = {"id": i, "node_id": f"IC_{i}", "body": body["body"], "user": {"login": "github-actions[bot]"},
                 "created_at": "2025-01-01T00:00:00Z", "html_url": f"{base}/acme/infra/pull/42#issuecomment-{i}"}
            STATE["comments"].append(c)
            self.reply(201, c)
        elif url.path.startswith("/repos/acme/infra/issues/comments/") and self.command in ("PATCH", "DELETE"):
            i = int(url.path.rsplit("/", 1)[1])
            c = next((c for c in STATE["comments"] if c["id"] == i), None)
            if c is None:
                self.reply(404, {"message": "Not Found"})
            elif self.command == "DELETE":
                STATE["comments"].remove(c)
                self.reply(204)
            else:
                c["body"] = body["body"]
                self.reply(200, c)
        elif url.path == "/graphql":
            self.reply(200, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}})
        else:
            self.reply(404, {"message": "Not Found"})
        save()

    do_GET = do_POST = do_PATCH = do_DELETE = handle_any


if __name__ == "__main__":
    # Some chatter so the costgate comment lands on a later page.
    for i in range(3):
        STATE["next_id"] += 1
        STATE["comments"].append({"id": STATE["next_id"], "node_id": f"IC_{STATE['next_id']}", "body": f"chatter {i}",
                                  "user": {"login": "octocat"}, "created_at": "2024-12-31T00:00:00Z", "html_url": ""})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    save()
    with open(PORT_FILE, "w") as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()
