"""Headless Chromium over the DevTools protocol, for the map tests and the bench.

A small client on ``websocket-client``: start Chromium with the flags
this machine needs, open a page with the network switched off, and record
what the page does (console errors, uncaught exceptions, every request it
makes). No WebDriver, no browser download: Chromium comes from Debian
(``apt-get install chromium``; ``.ci/run`` installs it).

    with Chromium() as browser:
        page = browser.open(path)           # network off, waits for load
        page.evaluate("1 + 1")              # -> 2
        page.click(x, y)                    # a real mouse click
        png = page.screenshot()
        page.errors, page.requests          # what went wrong, what it fetched
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--no-first-run",
    "--disable-sync", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
    # No proxy exists at this address: anything that slips past the offline switch fails.
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
]


def find_chromium() -> str | None:
    """Return the Chromium executable ($GEORANGE_CHROMIUM, then the usual names), or None."""
    explicit = os.environ.get("GEORANGE_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One tab: a DevTools session with event recording."""

    def __init__(self, ws_url: str):
        import websocket

        self._ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self._next = 0
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1,
                  uploadThroughput=-1)

    def _record(self, message: dict[str, Any]) -> None:
        method, params = message.get("method", ""), message.get("params", {})
        self.events.append(message)
        if method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            self.errors.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            args = params["args"]
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in args))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and return its result (recording events that arrive meanwhile)."""
        self._next += 1
        ident = self._next
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._record(message)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        """Wait for an event."""
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while time.monotonic() < deadline:
            message = json.loads(self._ws.recv())
            self._record(message)
            if message.get("method") == method:
                return message
        raise TimeoutError(method)

    def navigate(self, url: str) -> float:
        """Open ``url``; return the seconds until the load event and two painted frames."""
        self.events.clear()
        start = time.perf_counter()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))", await_promise=True)
        return time.perf_counter() - start

    def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        """Evaluate JavaScript in the page and return its value (JSON-serialisable results)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}...: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """Click with the left mouse button at viewport pixel (x, y)."""
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self) -> bytes:
        """Return a PNG of the viewport."""
        return base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])

    def close(self) -> None:
        self._ws.close()


class Chromium:
    """A headless Chromium process (context manager)."""

    def __init__(self, executable: str | None = None, width: int = 1280, height: int = 900):
        self.executable = executable or find_chromium()
        if not self.executable:
            raise FileNotFoundError("Chromium not found (apt-get install chromium, or set GEORANGE_CHROMIUM)")
        self.size = (width, height)

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="georange-chromium-")
        args = [self.executable, *FLAGS, f"--window-size={self.size[0]},{self.size[1]}",
                f"--user-data-dir={self._profile.name}", "--remote-debugging-port=0", "about:blank"]
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        port = None
        assert self._proc.stderr is not None
        while time.monotonic() < deadline and port is None:
            line = self._proc.stderr.readline()
            if not line and self._proc.poll() is not None:
                raise RuntimeError(f"Chromium exited with status {self._proc.returncode}")
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            port = match.group(1) if match else None
        if port is None:
            raise RuntimeError("Chromium did not start its DevTools server")
        self._port = port
        # Keep reading Chromium's log, or it blocks once the pipe is full.
        self._drain = threading.Thread(target=self._proc.stderr.read, daemon=True)
        self._drain.start()
        return self

    def open(self, path: str | Path | None = None, *, init_script: str = "") -> Page:
        """Open a new tab (network off) and, if given, load a local file in it.

        ``init_script`` runs in the page before any of its own scripts.
        """
        request = urllib.request.Request(f"http://127.0.0.1:{self._port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=30) as r:
            target = json.load(r)
        page = Page(target["webSocketDebuggerUrl"])
        page.send("Emulation.setDeviceMetricsOverride", width=self.size[0], height=self.size[1],
                  deviceScaleFactor=1, mobile=False)
        if init_script:
            page.send("Page.addScriptToEvaluateOnNewDocument", source=init_script)
        if path is not None:
            page.load_seconds = page.navigate(Path(path).resolve().as_uri())
        return page

    def __exit__(self, *exc: object) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._drain.join(timeout=10)
        assert self._proc.stderr is not None
        self._proc.stderr.close()
        self._profile.cleanup()
