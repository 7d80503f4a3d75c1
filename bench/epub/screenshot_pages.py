#!/usr/bin/env python3
"""Screenshots of XHTML pages in headless Chromium, taken once the page's web fonts are in.

    screenshot_pages.py CHROMIUM WIDTHxHEIGHT OUTDIR FILE...

Used by screenshots.sh. `chromium --screenshot` shoots when the load event fires, which
can be before the @font-face files are read: the text is then invisible (the font's block
period) or drawn in a fallback face, and a screenshot says nothing about the book's fonts.
So this drives Chromium through the DevTools protocol over a pipe (--remote-debugging-pipe,
standard library only): load the page, wait for document.fonts.ready, then capture. It
prints, for each page, the faces the page declared and whether each loaded.
"""
import base64
import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


class Browser:
    def __init__(self, chromium, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():  # Chromium reads commands on fd 3 and writes replies on fd 4
            a = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)  # dup2 clears close-on-exec
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            close_fds=False, preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, name, session):
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == name and e.get("sessionId") == session:
                    del self.events[i]
                    return e
            self.events.append(self._read_message())

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


FONTS_JS = """document.fonts.ready.then(() => Array.from(document.fonts).map(
  f => `${f.family} ${f.weight} ${f.style}: ${f.status}`))"""


def main():
    chromium, size, outdir, *files = sys.argv[1:]
    width, height = (int(v) for v in size.split("x"))
    with tempfile.TemporaryDirectory(prefix="warraq-chromium-") as profile:
        browser = Browser(chromium, profile)
        try:
            target = browser.call("Target.createTarget", url="about:blank")["targetId"]
            session = browser.call("Target.attachToTarget", targetId=target,
                                   flatten=True)["sessionId"]
            browser.call("Page.enable", session)
            browser.call("Emulation.setDeviceMetricsOverride", session, width=width,
                         height=height, deviceScaleFactor=1, mobile=False)
            for name in files:
                path = Path(name).resolve()
                browser.call("Page.navigate", session, url=path.as_uri())
                browser.wait_event("Page.loadEventFired", session)
                fonts = browser.call("Runtime.evaluate", session, expression=FONTS_JS,
                                     awaitPromise=True, returnByValue=True)
                # Two animation frames, so that what the fonts changed is painted.
                browser.call("Runtime.evaluate", session, awaitPromise=True,
                             expression="new Promise(r => requestAnimationFrame("
                                        "() => requestAnimationFrame(r)))")
                shot = browser.call("Page.captureScreenshot", session, format="png")
                out = Path(outdir) / (path.stem + ".png")
                out.write_bytes(base64.b64decode(shot["data"]))
                faces = fonts.get("result", {}).get("value") or []
                print(f"{name} -> {out}")
                for face in faces:
                    print(f"    @font-face {face}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
