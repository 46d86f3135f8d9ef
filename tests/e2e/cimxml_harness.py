"""Starts the real smsprovd with its CIM-XML door on a free loopback port
and drives it with Debian's wbemcli (sblim-wbemcli), or with raw HTTP for
requests no well-behaved client sends.

Configured from the environment ctest sets: SMSPROVD, SMSPROV_MKWINPE,
SMSPROV_SCRATCH, SMSPROV_MOF_DIR (and WBEMCLI to use another wbemcli)."""
import base64
import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

SMSPROVD = os.environ.get("SMSPROVD", "smsprovd")
MKWINPE = os.environ.get("SMSPROV_MKWINPE", "mkwinpe")
WBEMCLI = os.environ.get("WBEMCLI", shutil.which("wbemcli") or "wbemcli")
SCRATCH = os.environ.get("SMSPROV_SCRATCH", tempfile.gettempdir())
MOF_DIR = os.environ.get("SMSPROV_MOF_DIR")

USER, PASSWORD = "admin", "s3cret-Pa55"
SITE_NS = "root/sms/site_LAB"
SOURCES_UNC = "\\\\lab\\sources"
TIMEOUT = 60  # seconds for any one client call


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"exit {self.code}\nstdout: {self.out}\nstderr: {self.err}"


class Server:
    """smsprovd with only the CIM-XML door on (HTTP, and HTTPS with
    https=True), a fresh site, mkwinpe's ADK and ConfigMgr trees and a
    \\\\lab\\sources share, all in its own scratch folder."""

    def __init__(self, name, https=False, max_request_kb=None, extra_lines=()):
        self.dir = tempfile.mkdtemp(prefix=name + "-", dir=SCRATCH)
        self.sources = os.path.join(self.dir, "sources")
        os.makedirs(self.sources)
        self.users = os.path.join(self.dir, "users")
        subprocess.run([SMSPROVD, "adduser", self.users, USER], input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True, timeout=TIMEOUT)
        subprocess.run([MKWINPE, "all", os.path.join(self.dir, "inputs")], check=True,
                       capture_output=True, timeout=300)
        lines = ["[site]", "database = site.db", "content_root = content", "first_admin = " + USER,
                 "adk_root = inputs/adk", "configmgr_root = inputs/configmgr",
                 "[shares]", SOURCES_UNC + " = sources",
                 "[http]", "enabled = false",
                 "[cimxml]", "enabled = true", "port = 0",
                 "[auth]", "users_file = users",
                 "[log]", "file = SMSProv.log", "level = info", "stderr = false",
                 "[server]", "shutdown_timeout = 30"]
        if MOF_DIR:
            lines[1:1] = ["mof_dir = " + MOF_DIR]
        if max_request_kb:
            lines.append("max_request_kb = %d" % max_request_kb)
        lines += list(extra_lines)
        if https:  # the certificate and key of [https]; WS-Man itself stays off
            self.make_certificate()
            lines += ["[https]", "certificate = cert.pem", "key = key.pem",
                      "[cimxml]", "https = true", "https_port = 0"]
        with open(os.path.join(self.dir, "smsprovd.ini"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.ports_file = os.path.join(self.dir, "ports")
        self.stderr = open(os.path.join(self.dir, "stderr.txt"), "w+")
        self.proc = subprocess.Popen(
            [SMSPROVD, "--config", os.path.join(self.dir, "smsprovd.ini"),
             "--port-file", self.ports_file], stderr=self.stderr, stdout=subprocess.DEVNULL)
        ports = self.wait_ready()
        self.port = ports["cimxml"]
        self.tls_port = ports["cimxml_https"]

    def make_certificate(self):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", os.path.join(self.dir, "key.pem"),
                        "-out", os.path.join(self.dir, "cert.pem"), "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=TIMEOUT)
        os.chmod(os.path.join(self.dir, "key.pem"), 0o600)  # smsprovd refuses an open key

    def wait_ready(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("smsprovd exited: " + self.read_stderr())
            if os.path.exists(self.ports_file):
                with open(self.ports_file) as f:
                    text = f.read()
                return {k: int(v) for k, v in (l.split("=") for l in text.split())}
            time.sleep(0.05)
        raise AssertionError("smsprovd did not start: " + self.read_stderr())

    def read_stderr(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM; the server must stop cleanly (and, under ASan, leak nothing)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("smsprovd did not stop on SIGTERM")
        err = self.read_stderr()
        self.stderr.close()
        if self.proc.returncode != 0 or "LeakSanitizer" in err or "runtime error" in err:
            raise AssertionError("smsprovd ended badly (%s): %s" % (self.proc.returncode, err))

    # ---- wbemcli --------------------------------------------------------------

    def url(self, path="", scheme="http", password=PASSWORD):
        """wbemcli's object URL: http://user:pw@host:port/namespace:Class.Key="v"."""
        port = self.port if scheme == "http" else self.tls_port
        return "%s://%s:%s@127.0.0.1:%d/%s:%s" % (scheme, USER, password, port, SITE_NS, path)

    def wbemcli(self, op, path, *args, flags=(), scheme="http", password=PASSWORD):
        cmd = [WBEMCLI, op, *flags, self.url(path, scheme, password), *args]
        return Result(subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT))

    def ok(self, op, path, *args, **kw):
        r = self.wbemcli(op, path, *args, **kw)
        if r.code != 0:
            raise AssertionError("wbemcli %s %s failed: %r" % (op, path, r))
        return r

    def image(self, name, *options):
        """Makes sources/<name> with `mkwinpe image`; returns its UNC path."""
        path = os.path.join(self.sources, *name.split("\\"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run([MKWINPE, "image", path, *options], check=True, capture_output=True,
                       timeout=300)
        return SOURCES_UNC + "\\" + name

    # ---- raw HTTP -------------------------------------------------------------

    def curl(self, body, method, obj=None):
        """(HTTP status, body text) of one CIM-XML request sent by curl, for
        what wbemcli cannot send (arrays, embedded quotes in keys, queries)."""
        headers = op_headers(method, obj) if obj else op_headers(method)
        cmd = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--user",
               "%s:%s" % (USER, PASSWORD), "-H", 'Content-Type: application/xml; charset="utf-8"',
               "--data-binary", "@-", "http://127.0.0.1:%d/cimom" % self.port]
        for name, value in headers.items():
            cmd[1:1] = ["-H", "%s: %s" % (name, value)]
        r = subprocess.run(cmd, input=body, capture_output=True, text=True, timeout=TIMEOUT)
        text, _, status = r.stdout.rpartition("\n")
        return int(status), text

    def post(self, body, headers=None, auth=(USER, PASSWORD), method="POST", path="/cimom"):
        """(status, headers dict with lower-case names, body text) of one request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        h = {"Content-Type": 'application/xml; charset="utf-8"'}
        if auth:
            token = base64.b64encode(("%s:%s" % auth).encode()).decode()
            h["Authorization"] = "Basic " + token
        h.update(headers or {})
        data = body.encode() if isinstance(body, str) else body
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        result = (resp.status, {k.lower(): v for k, v in resp.getheaders()}, text)
        conn.close()
        return result


def op_headers(method, obj="root%2Fsms%2Fsite_LAB"):
    return {"CIMProtocolVersion": "1.0", "CIMOperation": "MethodCall", "CIMMethod": method,
            "CIMObject": obj}


def request(call):
    """A CIM-XML request document around an IMETHODCALL or METHODCALL."""
    return ('<?xml version="1.0" encoding="utf-8" ?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
            '<MESSAGE ID="4711" PROTOCOLVERSION="1.0"><SIMPLEREQ>%s</SIMPLEREQ></MESSAGE></CIM>'
            % call)


LOCAL_NS = ('<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="sms"/>'
            '<NAMESPACE NAME="site_LAB"/></LOCALNAMESPACEPATH>')


def imethod(name, params=""):
    return request('<IMETHODCALL NAME="%s">%s%s</IMETHODCALL>' % (name, LOCAL_NS, params))


def cim_error(text):
    """(code, description) of the ERROR in a response body, or None."""
    m = re.search(r'<ERROR CODE="(\d+)" DESCRIPTION="([^"]*)"', text)
    return (int(m.group(1)), m.group(2)) if m else None


def props(output):
    """wbemcli -nl output (one `-Name=value` per line) as a dict."""
    out = {}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("-") and "=" in line:
            name, _, value = line[1:].partition("=")
            out[name] = value
    return out


def unquote(value):
    r"""A string as wbemcli prints it ("\\\\lab\\x") back to its value (\\lab\x)."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return re.sub(r"\\(.)", r"\1", value)


PACKAGE_ID = re.compile(r'PackageID="(LAB[0-9A-F]{5})"')
