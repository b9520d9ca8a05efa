"""An HTTPS server on 127.0.0.1 (Python's http.server + ssl, a trustme certificate)
serving an MTA-STS policy file, for ``probe mx``'s tests."""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import trustme


@dataclass
class Served:
    body: bytes
    status: int = 200
    content_type: str = "text/plain"
    location: str | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        served = self.server.served
        self.server.requests.append((self.path, self.headers.get("Host", "")))
        if self.path != "/.well-known/mta-sts.txt":
            self.send_error(404)
            return
        self.send_response(served.status)
        self.send_header("Content-Type", served.content_type)
        self.send_header("Content-Length", str(len(served.body)))
        if served.location:
            self.send_header("Location", served.location)
        self.end_headers()
        self.wfile.write(served.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    served: Served
    requests: list[tuple[str, str]]


class PolicyServer:
    """``https://127.0.0.1:PORT/.well-known/mta-sts.txt`` with ``leaf``'s certificate."""

    def __init__(self, leaf: trustme.LeafCert, served: Served) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        leaf.configure_cert(context)
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.served = served
        self.httpd.requests = []
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}
        )

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self.httpd.requests

    def __enter__(self) -> PolicyServer:
        self.thread.daemon = True
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
