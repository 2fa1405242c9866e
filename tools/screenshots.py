"""Screenshots of the README, taken in headless Chromium from a served demo database.

Run by scripts/screenshots with Odoo's Python (it has websocket-client and Pillow):

    python tools/screenshots.py --url http://127.0.0.1:8069 --out docs/screenshots

Each shot logs in through /web/login as the demo user of a role (a browser context
of its own, so no session leaks from one role to the next), opens a screen by its
URL, waits until the web client is idle (no request in flight, no spinner, the
page unchanged for a moment) and saves the viewport as a PNG. A screen that shows
an error dialog, or never settles, fails the run: the README must not show one.
The browser is in Shanghai's time zone and speaks Chinese, as the demo staff's.
"""

import argparse
import base64
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

DESKTOP = {"width": 1366, "height": 768, "mobile": False}
PHONE = {"width": 400, "height": 820, "mobile": True}

# The demo users of customer_policy/demo/res_users_demo.xml (login = password).
SALESPERSON = "liuyang"  # 刘洋, 华东销售部
MANAGER = "wangfang"  # 王芳, manager of 华东销售部
DIRECTOR = "zhengguohua"  # 郑国华, 总经理
LEGAL = "sunli"  # 孙丽, 法务
FINANCE = "zhouqing"  # 周晴, 财务
SERVICE = "wuting"  # 吴婷, 客服

ACTION = "/odoo/action-customer_policy."

# Each shot: the name of its PNG, the demo user it logs in as, and what it opens:
# a path; or a record, (model, domain, action): the first match, searched as that
# user, in that action; or a dashboard by name. Optionally a viewport, a button
# to click once the page is loaded, an element to wait for.
SHOTS = [
    # Each role's home: the landing action its users start on at login (the
    # service desk's is the complaints' kanban).
    {"name": "home_salesperson", "login": SALESPERSON, "path": "/odoo"},
    {"name": "home_manager", "login": MANAGER, "path": "/odoo"},
    {"name": "home_director", "login": DIRECTOR, "path": "/odoo"},
    {"name": "home_legal", "login": LEGAL, "path": "/odoo"},
    {"name": "home_finance", "login": FINANCE, "path": "/odoo"},
    {"name": "home_service", "login": SERVICE, "path": "/odoo"},
    {
        "name": "customer_form",
        "login": SALESPERSON,
        "record": (
            "res.partner",
            [["name", "=", "上海星河科技有限公司"]],
            "action_customer_policy_customer",
        ),
    },
    {
        "name": "visit_kanban",
        "login": SALESPERSON,
        "path": ACTION + "action_customer_visit_my_plan?view_type=kanban",
    },
    {
        "name": "complaint_form",
        "login": SERVICE,
        "record": (
            "customer.complaint",
            [["state", "in", ["new", "contacted", "investigating"]]],
            "action_customer_complaint",
        ),
    },
    {
        "name": "agreement_review",
        "login": LEGAL,
        "record": (
            "customer.agreement",
            [["state", "=", "legal_review"]],
            "action_customer_agreement_review",
        ),
    },
    {
        "name": "ledger",
        "login": FINANCE,
        "path": ACTION + "action_customer_ledger_report",
        # The reconciliation of the month, as Finance runs it from the dialog.
        "click": ".modal-footer button[name=action_reconcile]",
    },
    {
        "name": "kpi_report",
        "login": MANAGER,
        "path": ACTION + "action_customer_kpi_report",
    },
    {
        "name": "visit_compliance",
        "login": MANAGER,
        "path": ACTION + "action_customer_visit_compliance_report",
    },
    {
        "name": "dashboard",
        "login": DIRECTOR,
        "path": "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
        "dashboard": "Customer Management",
        "wait_for": ".o-spreadsheet canvas",
    },
    {
        "name": "check_in_phone",
        "login": SALESPERSON,
        "path": ACTION + "action_customer_visit_my_plan?view_type=kanban",
        "viewport": PHONE,
    },
    {
        "name": "check_in_form_phone",
        "login": SALESPERSON,
        "record": (
            "customer.visit",
            [["state", "=", "planned"], ["user_id.login", "=", SALESPERSON]],
            "action_customer_visit_my_plan",
        ),
        # The first visit of the plan, late or this week's, as on the kanban.
        "order": "planned_date asc",
        "viewport": PHONE,
    },
]

# Counts the requests in flight, before any script of the page runs.
PENDING_SCRIPT = """
(() => {
    window.__shotPending = 0;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (...args) {
        window.__shotPending++;
        this.addEventListener("loadend", () => window.__shotPending--);
        return send.apply(this, args);
    };
    const fetch = window.fetch;
    window.fetch = function (...args) {
        window.__shotPending++;
        return fetch.apply(this, args).finally(() => window.__shotPending--);
    };
})();
"""

# What the page is: "busy", "error: <text>", or a fingerprint of what it shows.
STATE_SCRIPT = """
(() => {
    // An error dialog, or a notification of an error or a warning (such as
    // "the page is out of date"): nothing the README may show.
    const error = document.querySelector(
        ".o_error_dialog, .o_notification:has(.bg-danger, .bg-warning)"
    );
    if (error) {
        return "error: " + error.innerText.slice(0, 500);
    }
    const busy =
        document.readyState !== "complete" ||
        document.fonts.status !== "loaded" ||
        window.__shotPending > 0 ||
        document.querySelector(
            ".o_loading_indicator, .o_blockUI:not(.o_blockUI_invisible), " +
            ".fa-spin, .o_spinner"
        ) ||
        !document.querySelector(".o_action_manager > .o_action, .modal .o_form_view") ||
        (%(wait_for)s && !document.querySelector(%(wait_for)s));
    if (busy) {
        return "busy";
    }
    return location.href + " " + document.body.innerText.length;
})()
"""


class Browser:
    """Headless Chromium driven through the DevTools protocol, one page per context."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="customer_policy_shots_")
        args = [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-translate",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--font-render-hinting=none",
            "--lang=zh-CN",
            "--remote-allow-origins=*",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={self.profile}",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError(f"{chromium} did not start its DevTools server")
            time.sleep(0.1)
        port = port_file.read_text().splitlines()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version") as answer:
            url = json.load(answer)["webSocketDebuggerUrl"]
        self.socket = websocket.create_connection(url, timeout=60)
        self.next_id = 0

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            answer = json.loads(self.socket.recv())
            if answer.get("id") != self.next_id:
                continue  # an event: nothing here waits on events
            if "error" in answer:
                raise RuntimeError(f"{method}: {answer['error']}")
            return answer["result"]

    def evaluate(self, session, expression):
        result = self.call(
            "Runtime.evaluate",
            session,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        if getattr(self, "socket", None):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """A page logged in as one user, in a browser context of its own."""

    def __init__(self, browser, base_url, viewport):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.context = browser.call("Target.createBrowserContext")["browserContextId"]
        target = browser.call(
            "Target.createTarget", url="about:blank", browserContextId=self.context
        )["targetId"]
        self.session = browser.call(
            "Target.attachToTarget", targetId=target, flatten=True
        )["sessionId"]
        self.call("Page.enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", source=PENDING_SCRIPT)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=viewport["width"],
            height=viewport["height"],
            deviceScaleFactor=1,
            mobile=viewport["mobile"],
        )
        # Odoo lays a phone out by width and touch: a touch screen as a phone has.
        if viewport["mobile"]:
            self.call("Emulation.setTouchEmulationEnabled", enabled=True)
        # Odoo's web client shows times in the browser's time zone: the demo
        # company's staff work in Shanghai.
        self.call("Emulation.setTimezoneOverride", timezoneId="Asia/Shanghai")
        self.call("Emulation.setLocaleOverride", locale="zh-CN")

    def call(self, method, **params):
        return self.browser.call(method, self.session, **params)

    def evaluate(self, expression):
        return self.browser.evaluate(self.session, expression)

    def goto(self, path):
        self.call("Page.navigate", url=self.base_url + path)

    def wait(self, what, wait_for=None, timeout=90):
        """Wait until the page has been the same and idle for a second."""
        script = STATE_SCRIPT % {"wait_for": json.dumps(wait_for or "")}
        deadline = time.monotonic() + timeout
        last, same = None, 0
        while time.monotonic() < deadline:
            time.sleep(0.25)
            try:
                state = self.evaluate(script)
            except RuntimeError:
                state = "busy"  # the document is being replaced
            if state and state.startswith("error: "):
                raise RuntimeError(f"{what}: the page shows an error: {state[7:]}")
            if state != "busy" and state == last:
                same += 1
                if same >= 4:
                    return
            else:
                same = 0
            last = state
        raise RuntimeError(f"{what}: the page did not settle in {timeout} s ({last})")

    def login(self, login, password):
        """Log in through /web/login's form outside the browser and give the
        browser the session: the login page's own bus connection, closed by the
        login, would make the web client warn that the page is out of date."""
        self.http = requests.Session()
        form = self.http.get(f"{self.base_url}/web/login", timeout=60)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if not csrf:
            raise RuntimeError(f"/web/login shows no login form: {form.text[:300]}")
        answer = self.http.post(
            f"{self.base_url}/web/login",
            data={"login": login, "password": password, "csrf_token": csrf[1]},
            timeout=120,
        )
        if "/odoo" not in answer.url:
            raise RuntimeError(f"{login} could not log in (ended on {answer.url})")
        self.call(
            "Network.setCookie",
            name="session_id",
            value=self.http.cookies["session_id"],
            url=self.base_url,
            httpOnly=True,
        )

    def rpc(self, model, method, *args, **kwargs):
        answer = self.http.post(
            f"{self.base_url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs,
                },
            },
            timeout=60,
        ).json()
        if "error" in answer:
            message = answer["error"]["data"]["message"]
            raise RuntimeError(f"{model}.{method}: {message}")
        return answer["result"]

    def click(self, selector):
        found = self.evaluate(
            f"(() => {{ const element = document.querySelector({json.dumps(selector)});"
            "element?.click(); return !!element; })()"
        )
        if not found:
            raise RuntimeError(f"nothing to click at {selector}")

    def screenshot(self):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def close(self):
        self.browser.call("Target.disposeBrowserContext", browserContextId=self.context)


def shot_path(page, shot):
    """The URL of the shot, its record found as the user who sees it."""
    if "dashboard" in shot:
        domain = [["name", "=", shot["dashboard"]]]
        ids = page.rpc("spreadsheet.dashboard", "search", domain, limit=1)
        if not ids:
            raise RuntimeError(f"{shot['name']}: no dashboard matches {domain}")
        return f"{shot['path']}?dashboard_id={ids[0]}"
    if "record" in shot:
        model, domain, action = shot["record"]
        ids = page.rpc(model, "search", domain, limit=1, order=shot.get("order"))
        if not ids:
            raise RuntimeError(f"{shot['name']}: no {model} matches {domain}")
        path = f"{ACTION}{action}/{ids[0]}"
    else:
        path = shot["path"]
    if path == "/odoo":
        return path
    # The app's menus above the screen, as a user who came through them sees
    # it: the web client finds the app only of an action that a menu opens.
    domain = [["parent_id", "=", False], ["web_icon", "=like", "customer_policy,%"]]
    app = page.rpc("ir.ui.menu", "search", domain, limit=1)
    return f"{path}{'&' if '?' in path else '?'}menu_id={app[0]}"


def save_png(data, path):
    """The PNG on a palette of 256 colours, a third of its size (Pillow, when
    there is): a screen of flat colours and text loses a few levels of shade at
    most."""
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(data)
        return
    image = Image.open(io.BytesIO(data)).convert("RGB")
    octree, exact = Image.Quantize.FASTOCTREE, Image.Dither.NONE
    image = image.quantize(256, method=octree, dither=exact)
    image.save(path, format="PNG", optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the Odoo server to shoot")
    parser.add_argument("--out", required=True, type=Path, help="folder of the PNGs")
    parser.add_argument("--chromium", default=None, help="Chromium's executable")
    parser.add_argument("--only", nargs="*", help="the names of the shots to take")
    options = parser.parse_args()

    names = ("chromium", "chromium-browser", "google-chrome")
    chromium = options.chromium or next(filter(None, map(shutil.which, names)), None)
    if not chromium:
        sys.exit("Chromium is missing: install it (apt-get install chromium)")
    options.out.mkdir(parents=True, exist_ok=True)
    unknown = set(options.only or ()) - {shot["name"] for shot in SHOTS}
    if unknown:
        known = ", ".join(shot["name"] for shot in SHOTS)
        sys.exit(f"no screenshot named {', '.join(sorted(unknown))}: {known}")
    shots = [s for s in SHOTS if not options.only or s["name"] in options.only]
    failed = []
    browser = Browser(chromium)
    try:
        for shot in shots:
            start = time.monotonic()
            page = Page(browser, options.url, shot.get("viewport", DESKTOP))
            try:
                page.login(shot["login"], shot["login"])
                page.goto(shot_path(page, shot))
                page.wait(shot["name"], shot.get("wait_for"))
                if "click" in shot:
                    page.click(shot["click"])
                    page.wait(shot["name"], shot.get("wait_for"))
                # The web client scrolls, focuses and animates after the last
                # request: what a user sees a moment later.
                page.evaluate("document.activeElement && document.activeElement.blur()")
                time.sleep(0.5)
                save_png(page.screenshot(), options.out / f"{shot['name']}.png")
                (options.out / f"{shot['name']}.failed.png").unlink(missing_ok=True)
                took = time.monotonic() - start
                print(f"  {shot['name']}.png ({shot['login']}, {took:.0f} s)")
            except (RuntimeError, requests.RequestException) as error:
                failed.append(shot["name"])
                seen = options.out / f"{shot['name']}.failed.png"
                save_png(page.screenshot(), seen)
                print(f"  {shot['name']}: FAILED: {error} ({seen})", file=sys.stderr)
            finally:
                page.close()
    finally:
        browser.close()
    if failed:
        sys.exit(f"{len(failed)} screenshot(s) failed: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
