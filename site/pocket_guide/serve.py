"""Serve a frozen tree the way static hosts do: under any path prefix,
404.html for unknown addresses, and the cache rules of ``_headers``."""
from __future__ import annotations

import functools
import hashlib
import io
import http.server
import sys
import threading
from pathlib import Path


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + clean[len(self.prefix):])

    def send_head(self):
        # Validate by content (an ETag), as static hosts do: Last-Modified has
        # one-second resolution, so two builds in one second would look alike.
        del self.headers["If-Modified-Since"]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            page = Path(self.directory) / "404.html"
            body = page.read_bytes() if page.is_file() else b"Not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        etag = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self._etag = etag
        return super().send_head()

    def end_headers(self):
        if getattr(self, "_etag", None):
            self.send_header("ETag", self._etag)
            self._etag = None
        immutable = "/static/" in self.path
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


class StaticServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that went away while it was answered (a page closed, an image it no longer
        needs) is not an error: say nothing, as static hosts do. Anything else is reported."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, prefix: str = "/",
                verbose: bool = False) -> StaticServer:
    """A server for ``directory`` at ``http://host:port{prefix}`` (port 0: any free port)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("Handler", (StaticHandler,), {"prefix": prefix})
    server = StaticServer((host, port), functools.partial(handler, directory=str(directory)))
    server.verbose = verbose
    return server


def serve_in_thread(directory: Path, prefix: str = "/") -> tuple[StaticServer, str]:
    server = make_server(directory, port=0, prefix=prefix)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{'/' + prefix.strip('/') + '/' if prefix.strip('/') else '/'}"
