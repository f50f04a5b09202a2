"""``python -m pocket_guide serve``: serves the existing build as it is, builds only when asked."""
from __future__ import annotations

import re
import socket
import struct
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import SITE_URL, snapshot
from pocket_guide.build import build
from pocket_guide.serve import serve_in_thread

PREFIX = "/pocket/guide/"  # the path of SITE_URL


@pytest.fixture
def run_serve():
    """Start ``serve`` as a user would; returns (process, first lines printed, address)."""
    started = []

    def start(project: Path, *args: str):
        process = subprocess.Popen([sys.executable, "-m", "pocket_guide", "--root", str(project), "serve",
                                    "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        started.append(process)
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Serving the guide at "):
                break
        address = re.search(r"at (http://\S+?)(,| \()", lines[-1]) if lines else None
        assert address, f"serve printed no address: {lines}"
        return process, lines, address.group(1)

    yield start
    for process in started:
        process.terminate()
        process.wait(10)
        process.stdout.close()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_serves_the_existing_build_as_it_is(project, run_serve):
    """The docs' "check locally" step: a build made for the public address keeps its sitemap and QR codes."""
    build(project, project / "build", SITE_URL)
    before = snapshot(project / "build")
    _, lines, address = run_serve(project)
    assert "serving the existing build" in lines[0] and "--rebuild" in lines[0]
    assert address.endswith(PREFIX), "served under the path of the address it was built for"
    assert SITE_URL in lines[-1]
    status, body = fetch(address + "sitemap.xml")
    assert status == 200 and f"<loc>{SITE_URL}en/</loc>" in body
    status, body = fetch(address + "en/no-such-page/")
    assert status == 404 and "<html" in body  # the guide's own 404, whose links use the prefix
    assert snapshot(project / "build") == before, "serving never rebuilds or touches the build"


def test_rebuild_keeps_the_address_the_build_was_given(project, run_serve):
    build(project, project / "build", SITE_URL)
    _, lines, address = run_serve(project, "--rebuild")
    assert any("rebuilding" in line and SITE_URL in line for line in lines)
    assert any(line.startswith("built ") for line in lines)
    assert fetch(address + "sitemap.xml")[0] == 200


def test_with_no_build_serve_builds_first(project, run_serve):
    _, lines, address = run_serve(project)
    assert any(line.startswith("built ") for line in lines)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", address), "no site_url: served at the root"
    status, body = fetch(address + "en/")
    assert status == 200 and "Fillers for cellulite" in body


def test_a_port_in_use_is_one_line_not_a_traceback(project):
    build(project, project / "build")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "pocket_guide", "--root", str(project), "serve",
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"127.0.0.1:{port}: cannot serve there (Address already in use) - stop the other server or pass "
        f"--port {port + 1}"]


def test_a_reader_who_goes_away_mid_answer_is_not_an_error(tmp_path, capfd):
    """A browser may close a connection while a file is sent (a page closed, an image no longer
    needed): the server says nothing, like static hosts, and goes on serving."""
    (tmp_path / "big.bin").write_bytes(bytes(32 * 1024 * 1024))
    server, base = serve_in_thread(tmp_path)
    host, port = server.server_address[:2]
    for _ in range(3):
        with socket.create_connection((host, port)) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            client.recv(1024)  # the answer has started
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
    status, _ = fetch(base + "missing")
    server.shutdown()
    server.server_close()
    assert status == 404, "still serving"
    assert capfd.readouterr().err == ""
