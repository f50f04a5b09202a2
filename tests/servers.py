"""Run the web-server configs we ship (docs/deploy/) for real: fill in their documented
placeholders and nothing else, start the server in the foreground on a free port with its
pid, log and temporary files in one folder, wait until it answers, stop it."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import REPO, TOOLS

DEPLOY = REPO / "docs" / "deploy"
#: The placeholders every config names at its top: build folder, address prefix, port.
ROOT, PREFIX, PORT = "/var/www/pocket-guide/build/", "/guide/", "8080"
#: For each server: the snippet a clinic pastes, and the whole config that contains it.
CONFIGS = {"nginx": ("nginx.conf", "nginx-full.conf"),
           "apache2": ("apache.conf", "apache-full.conf"),
           "caddy": ("Caddyfile", "Caddyfile-full")}


def fill(name: str, build: Path, prefix: str, port: int) -> str:
    """The shipped config ``name`` with its placeholders replaced, and nothing else."""
    text = (DEPLOY / name).read_text("utf-8")
    values = {ROOT: f"{build}/", PREFIX: prefix, PORT: str(port)}
    missing = [placeholder for placeholder in values if placeholder not in text]
    assert not missing, f"docs/deploy/{name} no longer has the placeholder(s) {missing} its header documents"
    return re.sub("|".join(map(re.escape, values)), lambda match: values[match.group()], text)


def config_lines(name: str) -> list[str]:
    """The directives of a config, without comments, blank lines or indentation."""
    lines = (line.split(" #")[0].strip() for line in (DEPLOY / name).read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A server process, the files that say what went wrong, and the build it serves."""
    name: str
    url: str
    process: subprocess.Popen
    logs: list[Path] = field(default_factory=list)
    build: Path | None = None

    def log(self) -> str:
        return "\n".join(f"--- {path}:\n{path.read_text('utf-8', errors='replace').strip()}"
                         for path in self.logs if path.is_file())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, command: list[str], port: int, prefix: str, folder: Path, logs: list[Path],
          env: dict | None = None, timeout: float = 15.0) -> Server:
    """Start ``command`` in the foreground and return once 127.0.0.1:``port`` answers;
    fail with the server's logs if it exits or stays silent."""
    console = folder / "console.log"
    with console.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=folder, env={**os.environ, **(env or {})})
    server = Server(name, f"http://127.0.0.1:{port}{prefix}", process, [console, *logs])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with status {process.returncode} on start: {' '.join(command)}\n"
                        f"{server.log()}", pytrace=False)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    pytest.fail(f"{name} did not answer on port {port} within {timeout:.0f} s: {' '.join(command)}\n{server.log()}",
                pytrace=False)


def launch(name: str, build: Path, prefix: str, folder: Path) -> Server:
    """Serve ``build`` at ``prefix`` with the whole shipped config of server ``name``."""
    port = free_port()
    config = folder / CONFIGS[name][1]
    config.write_text(fill(CONFIGS[name][1], build, prefix, port), "utf-8")
    program, env, logs = TOOLS[name][0], None, [folder / "error.log"]
    if name == "nginx":
        command = [program, "-p", f"{folder}/", "-c", str(config), "-g", "daemon off;"]
    elif name == "apache2":
        command = [program, "-d", str(folder), "-f", str(config), "-DFOREGROUND"]
    else:  # caddy logs to the console; its certificate store and autosave go to the folder
        command = [program, "run", "--config", str(config), "--adapter", "caddyfile"]
        env, logs = {key: str(folder) for key in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}, []
    server = start(name, command, port, prefix, folder, logs, env)
    server.build = build
    return server
