"""One small interface over the two browser engines besides Chromium, both
driven with no browser download: WebKitGTK (WebKitWebDriver + MiniBrowser
under Xvfb, through Selenium) and Firefox ESR (WebDriver BiDi over a
websocket, no geckodriver).

    with launch("firefox", tmp_path) as browser:
        browser.goto(url)
        browser.wait_for("document.documentElement.dataset.saved === 'en'")

What each engine lets us observe differs (see each class): Firefox reports
every console message, error, CSP violation and request as it happens; WebKit
only what a probe added after each load can see.
"""
from __future__ import annotations

import base64
import collections
import json
import os
import queue
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from helpers import TOOLS

XVFB = TOOLS["xvfb"][0]
WEBKIT_DRIVER = TOOLS["webkitdriver"][0]
MINIBROWSER = TOOLS["minibrowser"][0]
FIREFOX = TOOLS["firefox"][0]
ENGINES = ("webkit", "firefox")
#: Seconds a browser (or Xvfb) gets to start and answer; a dead display makes
#: WebKit's session creation hang, so it is always bounded.
START_TIMEOUT = 30
#: Fixtures stop every process they start; this also stops them if the test
#: process itself is killed (setpriv, from util-linux, sets the parent-death
#: signal and runs the program; started from the main thread, which lives as
#: long as the test run).
DIES_WITH_US = ["/usr/bin/setpriv", "--pdeathsig", "TERM", "--"]

# Installed after every load in WebKit, whose WebDriver has no log endpoint and
# no BiDi in Debian's build: it sees errors and CSP violations from then on.
# Resource timing keeps every URL the document fetched since it began.
PROBE = """(() => {
  if (window.__probe) return;
  const seen = window.__probe = { problems: [] };
  const add = (text) => seen.problems.push(text);
  addEventListener('error', (e) => add('error: ' + e.message + ' at ' + e.filename + ':' + e.lineno));
  addEventListener('unhandledrejection', (e) => add('unhandled rejection: ' + e.reason));
  addEventListener('securitypolicyviolation', (e) => add('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));
  const error = console.error;
  console.error = (...args) => { add('console.error: ' + args.join(' ')); error.apply(console, args); };
})()"""

HARVEST = """(() => {
  const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
  const urls = entries.slice(window.__taken || 0).map((entry) => entry.name);
  window.__taken = entries.length;
  return { urls, problems: window.__probe ? window.__probe.problems.splice(0) : [] };
})()"""

# A fresh profile that makes no outside connection: every background service
# off, and a dead proxy (the discard port, where nothing listens) for anything
# that slips through. Firefox never sends 127.0.0.1 through a proxy, so the
# guide's own server is reached directly.
FIREFOX_PREFS = {
    "dom.serviceWorkers.enabled": True,
    "dom.serviceWorkers.testing.enabled": True,
    "intl.accept_languages": "en-GB, en",
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.sessionstore.resume_from_crash": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.archive.enabled": False,
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "app.normandy.enabled": False,
    "app.shield.optoutstudies.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/remote-settings-off",
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "captivedetect.canonicalURL": "",
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.search.update": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.http.speculative-parallel-limit": 0,
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
}

# MiniBrowser's toolbar and its hidden find bar ask for a window at least 447 px
# wide; a negative margin takes them out of the minimum so the page can be as
# narrow as a small phone (GTK reads this file from XDG_CONFIG_HOME).
GTK_CSS = "window > box > box, searchbar > revealer > box { margin-right: -1000px; }\n"


class EngineError(RuntimeError):
    """The browser or its driver refused or failed a command."""


class Engine:
    """What a test can do with a page, the same way in every engine."""

    name = ""

    def __init__(self):
        self._problems: list[str] = []
        self._urls: list[str] = []

    # Provided by each engine.
    def _navigate(self, url: str) -> None: ...
    def _run(self, expression: str) -> str: ...
    def click(self, selector: str) -> None: ...
    def set_viewport(self, width: int, height: int) -> None: ...
    def screenshot(self, path: Path) -> Path: ...
    def close(self) -> None: ...
    def _collect(self) -> None: ...

    def evaluate(self, js: str):
        """The value of a JavaScript expression (awaited if it is a promise), as JSON data."""
        return json.loads(self._run(f"(async () => JSON.stringify(await ({js})) ?? 'null')()"))

    def wait_for(self, condition: str, timeout: float = 15):
        """Wait until a JavaScript expression is truthy; errors while a page loads count as false."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(condition)
                if value:
                    return value
                last = f"it was {value!r}"
            except Exception as error:  # a document being replaced cannot answer
                last = f"it raised {error}"
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: after {timeout} s, {condition} is still false ({last}) "
                             f"at {self.url()}")

    def url(self) -> str:
        try:
            return self.evaluate("location.href")
        except Exception as error:
            return f"<no page: {error}>"

    def goto(self, url: str) -> None:
        """Load ``url`` as if typed in the address bar, and wait for the page's scripts to run."""
        self._collect()
        self._navigate(url)
        self._loaded()

    def follow(self, selector: str) -> None:
        """Click a link as a user would and wait for the page it leads to."""
        self._leaving()
        self.click(selector)
        self._loaded(new=True)

    def reload_via_page(self) -> None:
        """``location.reload()`` from the page: unlike WebDriver's refresh, it goes through the service worker."""
        self._leaving()
        self.evaluate("void setTimeout(() => location.reload(), 0)")
        self._loaded(new=True)

    def problems(self) -> list[str]:
        """Console errors, uncaught errors and CSP violations seen so far (and forget them)."""
        self._collect()
        found, self._problems = self._problems, []
        return found

    def requests(self) -> list[str]:
        """Every URL the pages asked for so far (and forget them)."""
        self._collect()
        found, self._urls = self._urls, []
        return found

    def visible(self, selector: str) -> bool:
        return self.evaluate(f"(e => Boolean(e && e.getClientRects().length && !e.closest('[hidden]')))"
                             f"(document.querySelector({json.dumps(selector)}))")

    def text(self, selector: str) -> str:
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText.trim()")

    def _leaving(self) -> None:
        self._collect()
        self.evaluate("window.__leaving = true")

    def _loaded(self, new: bool = False) -> None:
        condition = "document.readyState === 'complete'"
        self.wait_for(f"!window.__leaving && {condition}" if new else condition, timeout=20)
        self._after_load()

    def _after_load(self) -> None:
        pass


class WebKit(Engine):
    """WebKitGTK's MiniBrowser through WebKitWebDriver (Selenium), on an X display.

    No console or network log reaches us: WebKitWebDriver has no log endpoint,
    Debian's build has no BiDi, and MiniBrowser's console-to-stdout setting is
    ignored under automation. A probe added after each load sees uncaught
    errors, console.error calls and CSP violations from then on, and resource
    timing lists every URL the page fetched successfully since it began. An
    error or CSP violation while the page loads, or a request that failed, is
    not seen (ReportingObserver gives no buffered CSP reports in WebKitGTK 2.50).
    MiniBrowser under automation uses an ephemeral profile: nothing persists.
    """

    name = "webkit"

    def __init__(self, folder: Path, display: str):
        super().__init__()
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        class DriverService(Service):
            """WebKitWebDriver, run by setpriv (see DIES_WITH_US)."""

            def command_line_args(self):
                return [*DIES_WITH_US[1:], WEBKIT_DRIVER, "-p", str(self.port)]

        (folder / "gtk-3.0").mkdir(parents=True, exist_ok=True)
        (folder / "gtk-3.0" / "gtk.css").write_text(GTK_CSS)
        env = {**os.environ, "DISPLAY": display, "XDG_CONFIG_HOME": str(folder)}
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        # An explicit driver path (setpriv's): Selenium Manager never runs, so nothing is downloaded.
        log = folder / "webkitwebdriver.log"
        self.service = DriverService(executable_path=DIES_WITH_US[0], env=env, log_output=str(log),
                                     popen_kw={"start_new_session": True})
        self.driver = None
        # A session on a dead display hangs: a watchdog kills the driver, which ends the wait.
        fired = []
        watchdog = threading.Timer(START_TIMEOUT, lambda: (fired.append(True), self._kill()))
        watchdog.start()
        try:
            self.driver = webdriver.WebKitGTK(options=options, service=self.service)
        except BaseException as error:
            self._kill()
            if fired:
                raise EngineError(f"no WebKit session on display {display} within {START_TIMEOUT} s; "
                                  f"driver log: {log}") from error
            raise
        finally:
            watchdog.cancel()

    def _run(self, expression: str) -> str:
        from selenium.common.exceptions import WebDriverException

        try:
            return self.driver.execute_script(f"return {expression};")
        except WebDriverException as error:
            raise EngineError(f"webkit: {error.msg}") from None

    def _navigate(self, url: str) -> None:
        self.driver.get(url)

    def _after_load(self) -> None:
        self.evaluate(PROBE)

    def _collect(self) -> None:
        try:
            found = self.evaluate(HARVEST)
        except EngineError:
            return  # no page (yet)
        self._urls += found["urls"]
        self._problems += found["problems"]

    def click(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def set_viewport(self, width: int, height: int) -> None:
        # The window holds MiniBrowser's toolbar above the page: size it so the page gets width x height.
        # A resize reaches the page a moment after the call returns (later on a busy machine): read
        # the page's size once it has settled, and correct until it is the one asked for.
        window = [width, height]
        for _ in range(10):
            self.driver.set_window_size(*window)
            inner, settled = None, self.evaluate("[innerWidth, innerHeight]")
            while inner != settled:
                time.sleep(0.1)
                inner, settled = settled, self.evaluate("[innerWidth, innerHeight]")
            if inner == [width, height]:
                return
            window = [window[0] + width - inner[0], window[1] + height - inner[1]]
        raise AssertionError(f"WebKit's page stayed {inner[0]}x{inner[1]} px, not {width}x{height}")

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(self.driver.get_screenshot_as_png())
        return path

    def close(self) -> None:
        if self.driver:
            try:
                _within(10, self.driver.quit, on_timeout=self._kill, what="closing WebKit")
            except Exception:
                pass  # killed below either way
        self._kill()

    def _kill(self) -> None:
        process = getattr(self.service, "process", None)
        if process:
            _kill_group(process)


class Firefox(Engine):
    """Firefox ESR driven over WebDriver BiDi: one websocket, commands answered by id, events recorded.

    Sees, from the first byte of each page: every console error, uncaught error
    and CSP violation (log.entryAdded) and every request the page made, failed
    ones included (network.beforeRequestSent). Requests the service worker
    makes itself are not the page's and are not reported.
    """

    name = "firefox"

    def __init__(self, folder: Path):
        super().__init__()
        import websocket

        profile = folder / "firefox-profile"
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n"
                                                 for k, v in FIREFOX_PREFS.items()))
        self.process = subprocess.Popen(
            [*DIES_WITH_US, FIREFOX, "--headless", "--no-remote", "--remote-debugging-port", "0",
             "--profile", str(profile)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"}, start_new_session=True)
        self.ws = None
        self._id = 0
        self._pending: set[str] = set()
        self._last_request = 0.0
        try:
            address = self._listening_address()
            # No Origin header: Firefox refuses websocket clients that send one it was not told to allow.
            self.ws = websocket.create_connection(f"{address}/session", timeout=START_TIMEOUT, suppress_origin=True)
            self.send("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": False}}})
            self.send("session.subscribe", {"events": ["log.entryAdded", "network.beforeRequestSent",
                                                       "network.responseCompleted", "network.fetchError"]})
            self.context = self.send("browsingContext.getTree", {})["contexts"][0]["context"]
        except BaseException:
            self.close()
            raise

    def _listening_address(self) -> str:
        """Read Firefox's stderr (always, so it never blocks on a full pipe) until BiDi listens."""
        self.stderr = collections.deque(maxlen=100)
        found: queue.Queue[str] = queue.Queue()

        def drain():
            for line in self.process.stderr:
                self.stderr.append(line.rstrip())
                match = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
                if match:
                    found.put(match.group(1))

        self._drain = threading.Thread(target=drain, daemon=True)
        self._drain.start()
        try:
            return found.get(timeout=START_TIMEOUT)
        except queue.Empty:
            raise EngineError(f"firefox did not start WebDriver BiDi within {START_TIMEOUT} s (exit code "
                              f"{self.process.poll()}); its last lines:\n" + "\n".join(self.stderr)) from None

    def send(self, method: str, params: dict) -> dict:
        """One BiDi command; events that arrive before its answer are recorded."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("type") == "event":
                self._event(message["method"], message["params"])
            elif message.get("id") == self._id:
                if message.get("type") == "error":
                    raise EngineError(f"firefox: {method}: {message['error']}: {message.get('message')}")
                return message["result"]

    def _event(self, method: str, params: dict) -> None:
        if method == "log.entryAdded" and params.get("level") == "error":
            self._problems.append(f"{params.get('type')}: {params.get('text')}")
        elif method == "network.beforeRequestSent":
            self._urls.append(params["request"]["url"])
            self._pending.add(params["request"]["request"])
            self._last_request = time.monotonic()
        elif method in ("network.responseCompleted", "network.fetchError"):
            self._pending.discard(params["request"]["request"])

    def _after_load(self) -> None:
        """Wait until no request has been in flight for 0.3 s, as a reader would before tapping on.

        The icons and app.js's later scripts load after the load event; leaving
        while the service worker answers one aborts it, and Firefox then logs
        "Failed to load ''. A ServiceWorker intercepted the request and
        encountered an unexpected error." (seen here, NS_BINDING_ABORTED)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self._collect()
            if not self._pending and time.monotonic() - self._last_request > 0.3:
                break
            time.sleep(0.05)
        self._pending.clear()  # what did not finish in time is not waited for again

    def _collect(self) -> None:
        self.send("session.status", {})  # lets queued events in

    def _run(self, expression: str) -> str:
        result = self.send("script.evaluate", {"expression": expression, "target": {"context": self.context},
                                               "awaitPromise": True, "resultOwnership": "none"})
        if result["type"] == "exception":
            raise EngineError(f"firefox: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value", "null")

    def _navigate(self, url: str) -> None:
        self.send("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def click(self, selector: str) -> None:
        found = self.send("script.evaluate", {
            "expression": f"(e => (e && e.scrollIntoView({{block: 'center'}}), e))"
                          f"(document.querySelector({json.dumps(selector)}))",
            "target": {"context": self.context}, "awaitPromise": False, "resultOwnership": "root"})
        node = found.get("result", {})
        if node.get("type") != "node":
            raise EngineError(f"firefox: nothing matches {selector!r} at {self.url()}")
        origin = {"type": "element", "element": {"sharedId": node["sharedId"]}}
        self.send("input.performActions", {"context": self.context, "actions": [{
            "type": "pointer", "id": "mouse", "actions": [
                {"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}]})

    def set_viewport(self, width: int, height: int) -> None:
        self.send("browsingContext.setViewport", {"context": self.context,
                                                  "viewport": {"width": width, "height": height}})

    def screenshot(self, path: Path) -> Path:
        data = self.send("browsingContext.captureScreenshot", {"context": self.context})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        if self.ws:
            try:
                self.ws.settimeout(5)
                self.send("session.end", {})
            except Exception:
                pass  # killed below either way
            self.ws.close()
            self.ws = None
        _kill_group(self.process)
        if hasattr(self, "_drain"):
            self._drain.join(5)
        self.process.stderr.close()


@contextmanager
def virtual_display():
    """An Xvfb display, checked alive and accepting connections; yields its name (":N").

    ``-displayfd`` lets Xvfb pick a free number itself (no race with other
    test runs) and write it once it is ready."""
    read, write = os.pipe()
    log = tempfile.TemporaryFile()  # a file, not a pipe: a chatty Xvfb never blocks on it
    process = subprocess.Popen(
        [*DIES_WITH_US, XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    os.close(write)
    try:
        number = _within(START_TIMEOUT, lambda: os.read(read, 16).decode().strip(),
                         on_timeout=lambda: _kill_group(process), what="Xvfb to start")
        if not number.isdigit() or process.poll() is not None:
            log.seek(0)
            raise EngineError(f"Xvfb did not start (exit code {process.poll()}): {log.read().decode()[-500:]}")
        with socket.socket(socket.AF_UNIX) as probe:  # the display accepts connections
            probe.settimeout(5)
            probe.connect(f"/tmp/.X11-unix/X{number}")
        yield f":{number}"
    finally:
        os.close(read)
        _kill_group(process)
        log.close()


@contextmanager
def launch(name: str, folder: Path):
    """Start the engine ``name`` (webkit, firefox) with its files in ``folder``; always stopped after."""
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        if name == "webkit":
            engine = WebKit(folder, stack.enter_context(virtual_display()))
        elif name == "firefox":
            engine = Firefox(folder)
        else:
            raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
        stack.callback(engine.close)
        yield engine


def _within(seconds: float, work, on_timeout, what: str):
    """Run ``work`` but give up after ``seconds``: call ``on_timeout`` (which must unblock it) and raise."""
    result: dict = {}

    def run():
        try:
            result["value"] = work()
        except BaseException as error:
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        on_timeout()
        thread.join(5)
        raise EngineError(f"gave up waiting {seconds} s for {what}")
    if "error" in result:
        raise result["error"]
    return result["value"]


def _kill_group(process: subprocess.Popen) -> None:
    """Stop a process we started in its own session, with everything it started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):  # the second one ends helpers that outlived the leader
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            pass
