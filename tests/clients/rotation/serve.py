#!/usr/bin/env python3
"""Serves lambda_function.lambda_handler over HTTP on 127.0.0.1, as a rotation function URL.

Usage: serve.py   (SECRETS_MANAGER_ENDPOINT, AWS credentials and region from the environment)

Prints "listening <url>" once ready. Each POST body is a rotation event; the answer is 200 when
the handler returns and 500 when it raises (the error's type only: never its text, which may
quote a secret). A secret whose name contains "fail-at-<step>" fails that step with 500 before
the handler runs: the hook the failure-path tests use.
"""
import http.server
import json
import logging
import sys

import lambda_function


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        try:
            event = json.loads(self.rfile.read(length))
            print(f"event {event['Step']} {event['SecretId']} {event['ClientRequestToken']}", flush=True)
            if f"fail-at-{event['Step']}" in event["SecretId"]:
                self.answer(500, {"errorType": "InjectedFailure"})
                return
            lambda_function.lambda_handler(event, None)
            self.answer(200, None)
        except Exception as error:  # a failed step, as Lambda reports an unhandled exception
            print(f"step failed: {type(error).__name__}", flush=True)
            self.answer(500, {"errorType": type(error).__name__})

    def answer(self, status, body):
        data = b"null" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"listening http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
