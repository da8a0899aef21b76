#!/usr/bin/python3
"""Drives the real Portcullis dashboard in headless Chromium against the real binary.

Started by Tests/IntegrationTests/Dashboard/DashboardBrowserTests.swift with a running proxy whose store
already holds `shop` (self-signed placeholder for site shop.test), `soon` (expires in 5 days, site
soon.test) and `mm` (covers other.test, served by site mismatch.test). Each step asserts what it names;
the first failure exits 1 with the reason and a screenshot in --out.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from dashboard_support import (Dashboard, Failure, check, make_chain, fingerprint, served_fingerprint,
                               wait_served, store_checksum)


def http_get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def step_headers(args):
    for path in ["/", "/assets/app.js", "/assets/app.css"]:
        status, headers, _ = http_get(args.admin + path)
        check(status == 200, "GET %s answered %d" % (path, status))
        csp = headers.get("Content-Security-Policy", "")
        check(csp.startswith("default-src 'self'"), "GET %s: Content-Security-Policy is %r" % (path, csp))
        check(headers.get("X-Frame-Options") == "DENY", "GET %s: X-Frame-Options is %r" % (path, headers.get("X-Frame-Options")))
        check(headers.get("Referrer-Policy") == "no-referrer", "GET %s: Referrer-Policy is %r" % (path, headers.get("Referrer-Policy")))
    status, _, _ = http_get(args.admin + "/api/v1/certificates")
    check(status == 401, "the API without a session answered %d, expected 401" % status)


def step_sign_in(ui, token):
    ui.driver.get(ui.url + "/")
    ui.wait(lambda: ui.finds("#signin-form #token"), "the sign-in form")
    for method, path in [("GET", "/api/v1/certificates"), ("PUT", "/api/v1/certificates/x"), ("POST", "/api/v1/reload")]:
        status = ui.fetch(method, path)
        check(status == 401, "%s %s from the page before sign-in answered %s, expected 401" % (method, path, status))
    ui.find("#token").send_keys("not-the-token")
    ui.find("#signin-form button[type=submit]").click()
    ui.wait(lambda: ui.text("#signin-error"), "the error for a wrong token")
    ui.find("#token").clear()
    ui.find("#token").send_keys(token)
    ui.find("#signin-form button[type=submit]").click()
    ui.wait(lambda: ui.finds("table#certificates"), "the certificates table after sign-in")
    status = ui.fetch("PUT", "/api/v1/certificates/x")
    check(status == 403, "a PUT with the session cookie but no CSRF token answered %s, expected 403" % status)


def step_table(ui):
    ui.wait(lambda: ui.row("localhost"), "the self-signed localhost row")
    check(ui.cell("localhost", "source") == "Self-signed", "localhost source shows %r" % ui.cell("localhost", "source"))
    check(ui.cell("localhost", "status") == "valid", "localhost status shows %r" % ui.cell("localhost", "status"))
    check(ui.deployed("localhost"), "localhost has no Deployed check-circle")
    ui.wait(lambda: "expires in" in ui.cell("soon", "status"), "the expiring badge of soon")
    mismatch = ui.cell("mm", "status")
    check("name mismatch: mismatch.test is not covered" in mismatch, "mm status shows %r" % mismatch)
    alert = ui.text("#cert-alert")
    check("need attention" in alert and "soon" in alert and "mm" in alert, "the alert shows %r" % alert)


def step_upload_pem(ui, args, pems):
    before = store_checksum(args.state_dir)
    ui.go("#/add/pem")
    ui.wait(lambda: ui.finds("#pem-form"), "the PEM form")
    ui.find("#pem-name").send_keys("shop")
    ui.set_value("#pem-certificate", pems["leaf"])
    ui.set_value("#pem-intermediate", pems["inter"])
    ui.set_value("#pem-ca-bundle", pems["root"])
    ui.set_value("#pem-private-key", pems["other_key"])
    ui.find("#pem-form button[type=submit]").click()
    ui.wait(lambda: ui.text("#pem-private-key-error"), "the error by the Private Key field")
    ui.driver.execute_script("document.getElementById('pem-private-key').scrollIntoView({block: 'center'})")
    ui.shot("add-certificate")
    check(store_checksum(args.state_dir) == before, "a refused import changed the store")
    ui.set_value("#pem-private-key", pems["leaf_key"])
    ui.find("#pem-form button[type=submit]").click()
    ui.wait(lambda: ui.row("shop") and ui.cell("shop", "source") == "User provided" and ui.cell("shop", "status") == "valid",
            "the uploaded shop row, valid")
    check(ui.deployed("shop"), "shop has no Deployed check-circle")
    wait_served(args.https_port, "shop.test", fingerprint(pems["leaf"]), "after the PEM upload")


def step_pfx(ui):
    ui.go("#/add/pfx")
    ui.wait(lambda: ui.finds("#pfx-form"), "the PFX form")
    ui.find("#pfx-name").send_keys("pfxshop")
    ui.find("#pfx-file").send_keys(ui.pfx_path)
    ui.find("#pfx-password").send_keys("wrong-pass")
    ui.find("#pfx-form button[type=submit]").click()
    ui.wait(lambda: ui.text("#pfx-password-error"), "the error by the PFX password field")
    message = ui.text("#pfx-password-error")
    check("password" in message.lower(), "the wrong-password message is %r" % message)
    ui.find("#pfx-password").clear()
    ui.find("#pfx-password").send_keys("right-pass")
    ui.find("#pfx-form button[type=submit]").click()
    ui.wait(lambda: ui.row("pfxshop") and ui.cell("pfxshop", "status") == "valid", "the pfxshop row, valid")
    check("pfxshop saved" in ui.text("#flash"), "no confirmation after the PFX upload: %r" % ui.text("#flash"))


def step_download_and_rollback(ui, args, placeholder):
    ui.go("#/certificate/shop")
    ui.wait(lambda: ui.finds("#chain li") and ui.finds("#rollback"), "the detail page of shop")
    chain = ui.text("#chain")
    check("Portcullis Test Intermediate" in chain, "the chain does not show the intermediate: %r" % chain)
    ui.shot("certificate-detail")
    ui.find("#download-chain").click()
    ui.wait(lambda: [f for f in glob.glob(os.path.join(ui.downloads, "*.pem"))], "the downloaded chain.pem")
    path = glob.glob(os.path.join(ui.downloads, "*.pem"))[0]
    text = open(path).read()
    check(text.count("BEGIN CERTIFICATE") >= 2, "the downloaded chain holds %d certificates" % text.count("BEGIN CERTIFICATE"))
    check("PRIVATE KEY" not in text, "the downloaded chain holds a PRIVATE KEY")
    check(ui.find("#rollback").is_enabled(), "Rollback is disabled though shop has a previous version")
    ui.find("#rollback").click()
    ui.wait(lambda: "Rolled back" in ui.text("#flash"), "the rollback confirmation")
    wait_served(args.https_port, "shop.test", placeholder, "after the rollback")


def step_delete_in_use(ui):
    ui.go("#/certificate/shop")
    ui.wait(lambda: ui.finds("#delete"), "the detail page of shop")
    ui.find("#delete").click()
    ui.find("#delete-confirm").click()
    ui.wait(lambda: ui.text("#detail-error") and ui.finds("#delete-force"), "the refusal to delete a certificate in use")
    check("shop" in ui.text("#detail-error"), "the 409 message is %r" % ui.text("#detail-error"))


def step_self_signed(ui):
    ui.go("#/add/self-signed")
    ui.wait(lambda: ui.finds("#ss-form"), "the self-signed form")
    ui.find("#ss-name").send_keys("generated")
    ui.find("#ss-domains").send_keys("gen.test, www.gen.test")
    ui.find("#ss-form button[type=submit]").click()
    ui.wait(lambda: ui.row("generated") and ui.cell("generated", "source") == "Self-signed", "the generated certificate")
    check(ui.cell("generated", "domains") == "gen.test, www.gen.test", "generated covers %r" % ui.cell("generated", "domains"))


def api_put(args, token, name, body):
    request = urllib.request.Request(args.admin + "/api/v1/certificates/" + name, method="PUT",
                                     data=json.dumps(body).encode(), headers={"Authorization": "Bearer " + token,
                                                                             "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        check(response.status in (200, 201), "PUT %s answered %d" % (name, response.status))


def step_events(ui, args, token):
    ui.go("#/events")
    ui.wait(lambda: "rollback" in ui.text("table#events"), "the rollback in the event log")
    check("evt" not in ui.text("table#events"), "the event log names evt before it exists")
    api_put(args, token, "evt", {"self_signed": {"domains": ["evt.test"]}})
    ui.wait(lambda: "evt" in ui.text("table#events"), "the API's import in the open event log", seconds=4)
    top = int(ui.find("table#events tbody tr").get_attribute("data-seq"))
    seqs = [int(r.get_attribute("data-seq")) for r in ui.finds("table#events tbody tr")]
    check(seqs == sorted(seqs, reverse=True) and top == seqs[0], "events are not newest first: %s" % seqs[:8])


def step_acme(ui):
    ui.wait(lambda: ui.cell("acme.test", "source") == "Let's Encrypt", "the ACME certificate in the table")
    status = ui.cell("acme.test", "status")
    check(status.startswith("pending validation") or status.startswith("\u26a0 failed:"), "acme.test shows %r" % status)
    ui.go("#/orders")
    ui.wait(lambda: ui.finds("#orders-fallback"), "the ACME certificates on the orders page (no orders API)")
    ui.find('#orders-fallback tr[data-name="acme.test"] button').click()
    ui.wait(lambda: "Renewal of acme.test started" in ui.text("#flash") or ui.text(".error-box"), "the answer to Renew")
    check("Renewal of acme.test started" in ui.text("#flash"), "Renew answered %r" % ui.text(".error-box"))
    ui.shot("orders")


def step_narrow(ui):
    ui.driver.set_window_size(390, 844)
    ui.go("#/certificates")
    ui.wait(lambda: ui.row("localhost"), "the table at 390 px")
    width = ui.driver.execute_script("return document.documentElement.scrollWidth")
    inner = ui.driver.execute_script("return window.innerWidth")
    check(width <= inner, "at 390 px the page is %d px wide (window %d)" % (width, inner))
    ui.shot("certificates-390px")
    ui.driver.set_window_size(1280, 900)


def step_cli_drop(ui, args):
    ui.go("#/certificates")
    ui.wait(lambda: ui.finds("table#certificates"), "the table")
    subprocess.run([args.portcullis, "certs", "selfsign", "--config", args.config, "--name", "dropped",
                    "--domain", "dropped.test", "--days", "30"], check=True, capture_output=True, timeout=20)
    ui.wait(lambda: ui.row("dropped"), "the certificate made by the CLI, without a reload", seconds=2)
    ui.shot("certificates")


def step_policies(ui):
    ui.go("#/policies")
    ui.wait(lambda: ui.finds("#diff-run"), "the policies page")
    ui.driver.execute_script("document.getElementById('diff-left').value = 'mozilla-modern';"
                             "document.getElementById('diff-right').value = 'mozilla-intermediate';")
    ui.find("#diff-run").click()
    ui.wait(lambda: ui.finds("#diff tr.changed"), "the policy diff")


def step_sign_out_and_link(ui, token):
    ui.find("#signout").click()
    ui.wait(lambda: ui.finds("#signin-form"), "the sign-in form after signing out")
    status = ui.fetch("GET", "/api/v1/certificates")
    check(status == 401, "after sign-out the API answered %s, expected 401" % status)
    ui.driver.get(ui.url + "/#signin=" + token)
    ui.wait(lambda: ui.finds("table#certificates"), "the table after following the sign-in link")
    check(token not in ui.driver.current_url, "the token stayed in the address bar: %s" % ui.driver.current_url)


def step_same_origin(ui, args):
    urls = ui.collect_requests()
    check(len(urls) > 5, "only %d requests were seen" % len(urls))
    foreign = [u for u in urls if not u.startswith(args.admin + "/")]
    check(not foreign, "requests to other origins: %s" % foreign[:5])
    resources = ui.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    foreign = [u for u in resources if not u.startswith(args.admin + "/")]
    check(not foreign, "resources from other origins: %s" % foreign[:5])


def main():
    parser = argparse.ArgumentParser()
    for name in ["--admin", "--token-file", "--state-dir", "--config", "--portcullis", "--out"]:
        parser.add_argument(name, required=True)
    parser.add_argument("--https-port", type=int, required=True)
    args = parser.parse_args()
    args.admin = args.admin.rstrip("/")
    os.makedirs(args.out, exist_ok=True)
    token = open(args.token_file).read().strip()
    pems, pfx_path = make_chain(args.out)
    placeholder = served_fingerprint(args.https_port, "shop.test")
    step_headers(args)
    ui = Dashboard(args.admin, args.out)
    ui.pfx_path = pfx_path
    started = time.time()
    try:
        for name, step in [("sign in", lambda: step_sign_in(ui, token)), ("table", lambda: step_table(ui)),
                           ("upload PEM", lambda: step_upload_pem(ui, args, pems)), ("PFX", lambda: step_pfx(ui)),
                           ("download and rollback", lambda: step_download_and_rollback(ui, args, placeholder)),
                           ("delete in use", lambda: step_delete_in_use(ui)), ("self-signed", lambda: step_self_signed(ui)),
                           ("CLI drop", lambda: step_cli_drop(ui, args)), ("ACME", lambda: step_acme(ui)), ("390 px", lambda: step_narrow(ui)), ("policies", lambda: step_policies(ui)),
                           ("events", lambda: step_events(ui, args, token)),
                           ("sign out, link", lambda: step_sign_out_and_link(ui, token)),
                           ("same origin", lambda: step_same_origin(ui, args))]:
            t = time.time()
            try:
                step()
            except Failure as failure:
                ui.shot("failure")
                console = [e["message"] for e in ui.driver.get_log("browser")][-10:]
                shown = [e.text for e in ui.finds(".error-box, .field-error, #flash") if e.text]
                print("FAIL %s: %s\npage errors: %s\nbrowser console: %s" % (name, failure, shown, console), file=sys.stderr)
                return 1
            print("ok   %-24s %.1fs" % (name, time.time() - t))
    finally:
        ui.quit()
    print("all dashboard steps passed in %.1fs" % (time.time() - started))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print("FAIL: %s" % failure, file=sys.stderr)
        sys.exit(1)
