"""smsprovd's HTTP layer against hostile clients, on loopback: credentials
decided from the headers before a byte of the body is read, anonymous
requests only for a small Identify, 2,000 slow connections from one address
that do not starve anyone else, the login back-off, TLS 1.2/1.3 only, file
modes of the key and the users file, HTTP framing errors answered at once,
and client text that cannot forge log lines.  Every loop is bounded in count
and time; clients bind 127.0.0.x addresses to play distinct machines."""
import base64
import os
import re
import select
import socket
import ssl
import threading
import time
import unittest
import xml.etree.ElementTree as ET

import requests

from wsman_harness import (CIM_URI, NS, PASSWORD, USER, Server, create, get, identify_raw,
                           package_id_of, props_of, body_child)

BOOT = "SMS_BootImagePackage"
IDENTIFY = ('<s:Envelope xmlns:s="%s" xmlns:wsmid="%s"><s:Header/><s:Body><wsmid:Identify/>'
            '</s:Body></s:Envelope>' % (NS["s"], NS["wsmid"]))


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode("latin-1")).decode()


def exchange(port, text, source="127.0.0.1", timeout=10):
    """Sends raw bytes from source and returns (status, whole answer, seconds)."""
    started = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0))
    try:
        try:
            s.sendall(text if isinstance(text, bytes) else text.encode("latin-1"))
        except OSError:
            pass  # the server may answer and close before all is sent
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    return (int(m.group(1)) if m else None), data, time.monotonic() - started


def post_head(extra="", length=0, method="POST", version="HTTP/1.1", host=True):
    return ("%s /wsman %s\r\n%s%sContent-Type: application/soap+xml;charset=UTF-8\r\n"
            "Content-Length: %d\r\n\r\n" % (method, version, "Host: 127.0.0.1\r\n" if host else "",
                                            extra, length))


def read_log(server):
    with open(server.log, encoding="utf-8", errors="replace") as f:
        return f.read()


class AuthenticateFirstTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("authfirst")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_refused_from_the_headers_without_reading_the_body(self):
        # 4 MB announced, nothing sent: the answer cannot wait for the body
        for auth in ("", "Authorization: %s\r\n" % basic(USER, "wrong")):
            status, data, took = exchange(self.server.port, post_head(auth, 4000000))
            self.assertEqual(status, 401, data)
            self.assertIn(b'WWW-Authenticate: Basic realm="WSMAN"', data)
            self.assertLess(took, 5)
        # an Identify without WSMANIDENTIFY: unauthenticated is not read either
        status, data, took = exchange(self.server.port, post_head("", 100000))
        self.assertEqual(status, 401)
        self.assertLess(took, 5)

    def test_anonymous_identify_is_small_and_versionless(self):
        r = identify_raw(self.server.endpoint, {"WSMANIDENTIFY": "unauthenticated"})
        self.assertEqual(r.status_code, 200)
        version = ET.fromstring(r.content).findtext(".//wsmid:ProductVersion", namespaces=NS)
        self.assertEqual(version, "OS: 0.0.0 SP: 0.0 Stack: 3.0")
        r = identify_raw(self.server.endpoint, auth=(USER, PASSWORD))
        self.assertEqual(r.status_code, 200)
        version = ET.fromstring(r.content).findtext(".//wsmid:ProductVersion", namespaces=NS)
        self.assertEqual(version, "OS: 0.1.0 SP: 0.0 Stack: 3.0")
        # past 4 KiB an anonymous Identify is refused as WinRM refuses every
        # anonymous request it does not serve: 401
        padded = IDENTIFY.replace("<s:Header/>", "<s:Header/><!--%s-->" % ("x" * 5000))
        status, data, took = exchange(self.server.port,
                                      post_head("WSMANIDENTIFY: unauthenticated\r\n",
                                                len(padded)) + padded)
        self.assertEqual(status, 401)
        r = requests.post(self.server.endpoint, data=get(CIM_URI + BOOT, [("PackageID", "X")]),
                          headers={"WSMANIDENTIFY": "unauthenticated"}, timeout=30)
        self.assertEqual(r.status_code, 401)  # the door still wants an Identify

    def test_http_framing_is_answered_at_once(self):
        auth = "Authorization: %s\r\n" % basic(USER, PASSWORD)
        body = IDENTIFY
        cases = [
            (post_head(auth, len(body)).replace("Content-Length", "Transfer-Encoding: gzip\r\n"
                                                "X-Length") + body, 501),
            (post_head(auth + "Content-Length: 7\r\n", len(body)) + body, 400),
            (post_head(auth, len(body), host=False) + body, 400),
            (post_head(auth + "Man: http://www.dmtf.org/cim/mapping/http/v1.0;ns=73\r\n"
                       "73-CIMOperation: MethodCall\r\n", len(body), method="M-POST") + body, 501),
        ]
        for text, want in cases:
            status, data, took = exchange(self.server.port, text)
            self.assertEqual(status, want, text[:120])
            self.assertLess(took, 5)
        status, data, _ = exchange(self.server.port, post_head(auth, len(body)) + body)
        self.assertEqual(status, 200)

    def test_client_text_cannot_forge_log_lines(self):
        user = "eve\r\n<![LOG[Authentication succeeded for admin]LOG]!>\r\n"
        r = requests.post(self.server.endpoint, data=IDENTIFY, auth=(user, "x"), timeout=30)
        self.assertEqual(r.status_code, 401)
        status, _, _ = exchange(self.server.port,
                                "POST /wsman\x1b[2J HTTP/1.1\r\nHost: x\r\n\r\n")
        log = read_log(self.server)
        lines = log.split("\r\n")
        self.assertTrue(all(l.startswith("<![LOG[") for l in lines if l), log[-2000:])
        self.assertNotIn("\x1b", log)
        self.assertIn('user "eve\\r\\n<![LOG[Authentication succeeded for admin]LOG)!>\\r\\n"',
                      log)

    def test_start_log_says_basic_is_loopback_only(self):
        log = read_log(self.server)
        self.assertRegex(log, r"HTTP on 127\.0\.0\.1 port \d+ takes Basic authentication from "
                              r"this machine only \(loopback\)")


class BackoffTest(unittest.TestCase):
    def test_wrong_passwords_make_the_right_one_wait(self):
        server = Server("backoff", extra={"auth": {"address_backoff_max": "2",
                                                   "user_backoff_max": "1"}})
        try:
            good = post_head("Authorization: %s\r\n" % basic(USER, PASSWORD), len(IDENTIFY))
            bad = post_head("Authorization: %s\r\n" % basic(USER, "guess"), len(IDENTIFY))
            for _ in range(4):
                self.assertEqual(exchange(server.port, bad + IDENTIFY, "127.0.0.7")[0], 401)
            # refused unchecked, even with the right password, from that address
            self.assertEqual(exchange(server.port, good + IDENTIFY, "127.0.0.7")[0], 401)
            time.sleep(1.3)
            self.assertEqual(exchange(server.port, good + IDENTIFY, "127.0.0.7")[0], 200)
        finally:
            server.stop()
        log = read_log(server)
        self.assertIn('Authentication failed for user "admin" from 127.0.0.7', log)
        self.assertIn("backing off: further logins from this address are refused for 1 s", log)
        self.assertIn('Refused a login as "admin" from 127.0.0.7', log)


class SlowlorisTest(unittest.TestCase):
    """2,000 connections from 127.0.0.2 trickle a request one byte a second
    (and reconnect when cut) while a client on 127.0.0.1 keeps getting an
    instance, each time on a new connection.  Before, they held every
    connection slot and the client's connections were reset."""
    ATTACKERS = 2000
    SECONDS = 20

    def test_trickling_connections_do_not_starve_other_clients(self):
        server = Server("slowloris", extra={"server": {"header_timeout": "5"}})
        stop = threading.Event()
        stats = {"connects": 0, "cut": 0}
        try:
            client = server.client()
            pid = package_id_of(client.send(create(BOOT, [("Name", "Slow")])))
            attacker = threading.Thread(target=self.attack_safely, args=(server.port, stop, stats))
            attacker.start()
            time.sleep(2)  # let the attack fill what it can
            ok, failed = 0, []
            deadline = time.monotonic() + self.SECONDS
            request = get(CIM_URI + BOOT, [("PackageID", pid)])
            while time.monotonic() < deadline:
                try:  # a new connection each time, as a new client would open
                    r = requests.post(server.endpoint, data=request, auth=(USER, PASSWORD),
                                      timeout=10, headers={
                                          "Connection": "close",
                                          "Content-Type": "application/soap+xml;charset=UTF-8"})
                    self.assertEqual(r.status_code, 200)
                    p = props_of(body_child(ET.fromstring(r.content)))
                    self.assertEqual(p["Name"], "Slow")
                    ok += 1
                except (requests.RequestException, AssertionError) as ex:
                    failed.append(repr(ex)[:200])
                time.sleep(0.2)
            stop.set()
            attacker.join(30)
            self.assertNotIn("error", stats)
            self.assertEqual(failed, [])
            self.assertGreater(ok, 20)
            self.assertGreater(stats["cut"], 0)
            self.assertGreater(stats["open"], 0)  # it still held connections at the end
            self.assertTrue(server.alive())
        finally:
            stop.set()
            server.stop()
        log = read_log(server)
        self.assertRegex(log, r"Closed \d+ connection\(s\) whose request line and headers did "
                              r"not arrive within 5 s \(the last from 127\.0\.0\.2\)")

    def attack_safely(self, port, stop, stats):
        try:
            self.attack(port, stop, stats)
        except Exception as ex:  # reported by the test, not lost with the thread
            stats["error"] = repr(ex)

    def attack(self, port, stop, stats):
        request = post_head("Authorization: %s\r\n" % basic(USER, "x"), 10).encode()
        socks = {}  # socket -> bytes sent

        def connect():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.2", 0))
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            socks[s] = 0
            stats["connects"] += 1

        for _ in range(self.ATTACKERS):
            connect()
        started = time.monotonic()
        while not stop.is_set() and time.monotonic() - started < self.SECONDS + 15:
            dead = []
            for s, sent in socks.items():
                try:
                    s.send(request[sent % len(request):sent % len(request) + 1])
                    socks[s] = sent + 1
                except (BlockingIOError, InterruptedError):
                    pass  # still connecting
                except OSError:
                    dead.append(s)
            poller = select.poll()  # select() cannot take descriptors past 1023
            by_fd = {s.fileno(): s for s in socks}
            for fd in by_fd:
                poller.register(fd, select.POLLIN)
            for fd, _ in poller.poll(0):  # a closed connection reads as EOF or reset
                try:
                    if not by_fd[fd].recv(4096):
                        dead.append(by_fd[fd])
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    dead.append(by_fd[fd])
            for s in set(dead):
                s.close()
                del socks[s]
                stats["cut"] += 1
            # come back, at a bounded rate, to keep the pressure on
            for _ in range(min(200, self.ATTACKERS - len(socks))):
                connect()
            stats["open"] = len(socks)
            stop.wait(1.0)
        for s in socks:
            s.close()


def tls_handshake(port, version):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the client try what the server may not
    ctx.minimum_version = version
    ctx.maximum_version = version
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw) as tls:
            return tls.version()


class TlsAndFilesTest(unittest.TestCase):
    def test_only_tls_1_2_and_1_3(self):
        server = Server("tls", https=True)
        try:
            self.assertEqual(tls_handshake(server.tls_port, ssl.TLSVersion.TLSv1_3), "TLSv1.3")
            self.assertEqual(tls_handshake(server.tls_port, ssl.TLSVersion.TLSv1_2), "TLSv1.2")
            for old in (ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1):
                with self.assertRaises((ssl.SSLError, ConnectionError)):
                    tls_handshake(server.tls_port, old)
        finally:
            server.stop()

    def test_tls_priorities_are_configurable(self):
        server = Server("tls13", https=True,
                        extra={"https": {"tls_priorities": "NORMAL:-VERS-ALL:+VERS-TLS1.3"}})
        try:
            self.assertEqual(tls_handshake(server.tls_port, ssl.TLSVersion.TLSv1_3), "TLSv1.3")
            with self.assertRaises((ssl.SSLError, ConnectionError)):
                tls_handshake(server.tls_port, ssl.TLSVersion.TLSv1_2)
        finally:
            server.stop()

    def test_a_key_others_can_read_is_refused(self):
        with self.assertRaises(AssertionError) as ctx:
            Server("openkey", https=True, prepare=lambda s: os.chmod(s.key, 0o644))
        text = str(ctx.exception)
        self.assertIn("can be read by every user", text)
        self.assertRegex(text, r"Run `chmod 600 \S+key\.pem`")

    def test_a_users_file_others_can_read_is_warned_about(self):
        server = Server("openusers", prepare=lambda s: os.chmod(s.users, 0o644))
        server.stop()
        log = read_log(server)
        self.assertRegex(log, r"The users file \S+users can be read by every user of this "
                              r"machine.*chmod 600")
        server = Server("closedusers")
        server.stop()
        self.assertNotIn("The users file", read_log(server))

    def test_allow_unencrypted_is_said_at_start(self):
        server = Server("unencrypted", extra={"auth": {"allow_unencrypted": "true"}})
        server.stop()
        self.assertRegex(read_log(server), r"takes Basic authentication from every client "
                                           r"\(allow_unencrypted = true in \[auth\]\)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
