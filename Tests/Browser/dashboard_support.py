"""Helpers for dashboard_test.py: certificates made with openssl, real TLS handshakes with s_client, the
store checksum, and a headless Chromium (Debian's chromium + chromium-driver, Selenium pointed at
/usr/bin/chromedriver so it never downloads a driver)."""
import hashlib
import json
import os
import subprocess
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT = 10


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(args, timeout=20, stdin=None):
    result = subprocess.run(args, capture_output=True, timeout=timeout, input=stdin)
    if result.returncode != 0:
        raise Failure("%s failed (%d): %s" % (" ".join(args[:3]), result.returncode, result.stderr.decode()[-800:]))
    return result.stdout.decode()


# --- certificates made at run time with openssl ------------------------------------------------------

def make_chain(work):
    """Root CA -> intermediate -> leaf for shop.test, plus a second leaf and an unrelated key."""
    def ext(name, text):
        path = os.path.join(work, name + ".ext")
        with open(path, "w") as f:
            f.write(text)
        return path

    ca_ext = ext("ca", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
    leaf_ext = ext("leaf", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                   "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:shop.test\n")
    p = lambda name: os.path.join(work, name)
    newkey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run(["openssl", "req", "-x509"] + newkey + ["-keyout", p("root.key"), "-out", p("root.crt"), "-days", "30",
        "-subj", "/CN=Portcullis Test Root", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign"])

    def issue(name, subject, ca, extfile, days):
        run(["openssl", "req"] + newkey + ["-keyout", p(name + ".key"), "-out", p(name + ".csr"), "-subj", subject])
        run(["openssl", "x509", "-req", "-in", p(name + ".csr"), "-CA", p(ca + ".crt"), "-CAkey", p(ca + ".key"),
             "-CAcreateserial", "-out", p(name + ".crt"), "-days", str(days), "-extfile", extfile])

    issue("inter", "/CN=Portcullis Test Intermediate", "root", ca_ext, 30)
    issue("leaf", "/CN=shop.test", "inter", leaf_ext, 20)
    issue("leaf2", "/CN=shop.test", "inter", leaf_ext, 20)
    run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", p("other.key")])
    with open(p("cas.crt"), "w") as f:
        f.write(open(p("inter.crt")).read() + open(p("root.crt")).read())
    run(["openssl", "pkcs12", "-export", "-in", p("leaf2.crt"), "-inkey", p("leaf2.key"), "-certfile", p("cas.crt"),
         "-passout", "pass:right-pass", "-out", p("shop.pfx")])
    read = lambda name: open(p(name)).read()
    return {k: read(v) for k, v in [("root", "root.crt"), ("inter", "inter.crt"), ("leaf", "leaf.crt"),
                                      ("leaf_key", "leaf.key"), ("other_key", "other.key")]}, p("shop.pfx")


def fingerprint(pem):
    out = run(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], stdin=pem.encode())
    return out.strip().split("=", 1)[1]


def served_fingerprint(port, host):
    """The SHA-256 of the leaf a real TLS handshake for `host` gets."""
    result = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-servername", host],
                            input=b"", capture_output=True, timeout=10)
    text = result.stdout.decode()
    start = text.find("-----BEGIN CERTIFICATE-----")
    end = text.find("-----END CERTIFICATE-----")
    check(start >= 0, "s_client for %s got no certificate: %s" % (host, result.stderr.decode()[-400:]))
    return fingerprint(text[start:end + len("-----END CERTIFICATE-----")] + "\n")


def wait_served(port, host, expected, what, seconds=3):
    deadline = time.time() + seconds
    got = None
    while time.time() < deadline:
        got = served_fingerprint(port, host)
        if got == expected:
            return
        time.sleep(0.1)
    raise Failure("%s: %s serves %s, expected %s" % (what, host, got, expected))


def store_checksum(state_dir):
    digest = hashlib.sha256()
    for top in ("certs", "previous"):
        for root, dirs, files in sorted(os.walk(os.path.join(state_dir, top))):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                digest.update(path.encode())
                with open(path, "rb") as f:
                    digest.update(f.read())
    return digest.hexdigest()


# --- the browser --------------------------------------------------------------------------------------

class Dashboard:
    def __init__(self, url, out):
        check(os.path.exists(CHROMIUM), "Chromium is missing: %s (make test installs it)" % CHROMIUM)
        check(os.path.exists(CHROMEDRIVER), "chromedriver is missing: %s" % CHROMEDRIVER)
        self.url = url.rstrip("/")
        self.out = out
        self.downloads = os.path.join(out, "downloads")
        os.makedirs(self.downloads, exist_ok=True)
        opts = Options()
        opts.binary_location = CHROMIUM
        for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-default-apps"]:
            opts.add_argument(arg)
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        opts.add_experimental_option("prefs", {"download.default_directory": self.downloads,
                                               "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        self.requests = []

    def quit(self):
        self.driver.quit()

    def wait(self, condition, what, seconds=WAIT):
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(lambda d: condition())
        except Exception:
            raise Failure("timed out after %ss waiting for %s" % (seconds, what))

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        found = self.finds(css)
        return found[0].text if found else ""

    def set_value(self, css, value):
        self.driver.execute_script("arguments[0].value = arguments[1];", self.find(css), value)

    def go(self, fragment):
        self.driver.execute_script("location.hash = arguments[0];", fragment)

    def fetch(self, method, path, headers=None):
        """Status of a fetch made by the page itself (with its cookie, without our CSRF header)."""
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {method: arguments[1], headers: arguments[2], body: arguments[1] === 'GET' ? undefined : '{}'})"
            ".then(r => done(r.status), e => done(String(e)));", path, method, headers or {})

    def row(self, name):
        found = self.finds('tr[data-name="%s"]' % name)
        return found[0] if found else None

    def cell(self, name, column):
        row = self.row(name)
        if row is None:
            return ""
        found = row.find_elements(By.CSS_SELECTOR, 'td[data-column="%s"]' % column)
        return found[0].text if found else ""

    def deployed(self, name):
        row = self.row(name)
        return row is not None and len(row.find_elements(By.CSS_SELECTOR, "svg.deployed-icon")) == 1

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.out, name + ".png"))

    def collect_requests(self):
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
        return self.requests
