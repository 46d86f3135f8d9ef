"""SIGHUP reloads smsprovd's configuration without dropping a connection:
the users file (an old password refused, the new one taken), the TLS pair
(new connections get the new certificate, an open one keeps the old), the
log file, the distribution points and first_admin; a setting that needs a
restart is logged as such and keeps its running value; a broken INI or
users file leaves the whole running configuration in force.  One server runs every scenario in
order, and systemd's notify protocol is checked on a socket of our own."""
import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

import requests

from wsman_harness import (CIM_URI, PASSWORD, SCRATCH, SMSPROVD, USER, Server, enumerate_all,
                           identify_raw, wql_filter)

NEW_PASSWORD = "n3w-Pa55word"
IDENTIFY = ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">'
            '<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>')
HEADERS = {"Content-Type": "application/soap+xml;charset=UTF-8",
           "WSMANIDENTIFY": "unauthenticated"}


class ReloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # systemd's notify socket, so RELOADING=1 and READY=1 can be read
        cls.notify_dir = tempfile.mkdtemp(prefix="notify-", dir=SCRATCH)
        cls.notify_path = os.path.join(cls.notify_dir, "notify")
        cls.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        cls.notify.bind(cls.notify_path)
        cls.notify.settimeout(20)
        os.environ["NOTIFY_SOCKET"] = cls.notify_path
        try:
            cls.server = Server("reload", https=True,
                                extra={"auth": {"address_backoff_max": "0",
                                                "user_backoff_max": "0"}})
        finally:
            del os.environ["NOTIFY_SOCKET"]
        cls.ini = os.path.join(cls.server.dir, "smsprovd.ini")
        # smsprovd built without libsystemd (SMSPROV_SYSTEMD=OFF) sends nothing
        try:
            cls.notify_works = "READY=1" in cls.notify.recv(4096).decode()
        except socket.timeout:
            cls.notify_works = False

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.notify.close()

    # ---- helpers ----

    def log_text(self, name="SMSProv.log"):
        path = os.path.join(self.server.dir, name)
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def sighup(self, log="SMSProv.log"):
        """SIGHUP, then wait for the reload's closing line (either outcome)."""
        done = re.compile(r"Configuration reloaded|The configuration reload failed")
        before = len(done.findall(self.log_text(log)))
        self.server.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 60
        while time.time() < deadline:
            text = self.log_text(log)
            if len(done.findall(text)) > before:
                return text
            self.assertTrue(self.server.alive(), self.server.read_stderr())
            time.sleep(0.05)
        self.fail("no reload finished within 60 s")

    def edit_ini(self, old, new):
        text = open(self.ini).read()
        self.assertIn(old, text)
        with open(self.ini, "w") as f:
            f.write(text.replace(old, new, 1))

    def status(self, password, user=USER):
        return identify_raw(self.server.endpoint, auth=(user, password)).status_code

    def set_password(self, password):
        subprocess.run([SMSPROVD, "adduser", self.server.users, USER], input=password + "\n",
                       text=True, check=True, capture_output=True)

    def tls_certificate(self):
        ctx = ssl.create_default_context(cafile=None)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", self.server.tls_port), timeout=30) as raw:
            with ctx.wrap_socket(raw) as tls:
                return tls.getpeercert(binary_form=True)

    @staticmethod
    def pem_der(path):
        return ssl.PEM_cert_to_DER_cert(open(path).read())

    def notifications(self):
        """Every notify datagram until READY=1 (the end of start or reload)."""
        got = []
        while self.notify_works:
            msg = self.notify.recv(4096).decode()
            got.append(msg)
            if "READY=1" in msg:
                return got
        return got

    # ---- the scenarios, in order on one server ----

    def test_reload_scenarios(self):
        self.users_file_is_read_again_and_connections_stay()
        self.broken_ini_keeps_everything()
        self.broken_users_file_keeps_everything()
        self.port_change_needs_a_restart()
        self.certificate_is_replaced_for_new_connections()
        self.log_file_and_distribution_points_change()

    def users_file_is_read_again_and_connections_stay(self):
        keep = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        keep.request("POST", "/wsman", IDENTIFY, HEADERS)
        self.assertIn(b"IdentifyResponse", keep.getresponse().read())
        self.assertEqual(self.status(PASSWORD), 200)
        self.set_password(NEW_PASSWORD)
        # nothing changes before the signal
        self.assertEqual(self.status(PASSWORD), 200)
        self.assertEqual(self.status(NEW_PASSWORD), 401)
        text = self.sighup()
        self.assertIn("Configuration reloaded: 1 user(s)", text)
        notes = self.notifications()
        if self.notify_works:
            self.assertTrue(any("RELOADING=1" in m and "MONOTONIC_USEC=" in m for m in notes),
                            notes)
        # the remembered login of the old password is forgotten too
        self.assertEqual(self.status(PASSWORD), 401)
        self.assertEqual(self.status(NEW_PASSWORD), 200)
        # the keep-alive connection opened before the reload still serves
        sock = keep.sock
        keep.request("POST", "/wsman", IDENTIFY, HEADERS)
        self.assertIn(b"IdentifyResponse", keep.getresponse().read())
        self.assertIs(keep.sock, sock)
        keep.close()

    def broken_ini_keeps_everything(self):
        self.edit_ini("file = SMSProv.log", "file = Other.log\nthis line is not an ini line")
        self.set_password(PASSWORD)  # would be taken if the reload went ahead
        text = self.sighup()
        self.notifications()
        self.assertRegex(text, r"The configuration reload failed: .*smsprovd\.ini, line \d+:.*"
                               r"The configuration in force is unchanged\.")
        self.assertEqual(self.log_text("Other.log"), "")
        self.assertEqual(self.status(NEW_PASSWORD), 200)
        self.assertEqual(self.status(PASSWORD), 401)
        self.edit_ini("file = Other.log\nthis line is not an ini line", "file = SMSProv.log")

    def broken_users_file_keeps_everything(self):
        # A good INI that moves the log, and a users file with a bad line:
        # neither may be half-applied.
        self.edit_ini("file = SMSProv.log", "file = Other.log")
        with open(self.server.users, "a") as f:
            f.write("mallory:not-a-hash\n")
        text = self.sighup()
        self.notifications()
        self.assertRegex(text, r"The configuration reload failed: .*users, line 2: the password "
                               r"hash of user mallory")
        self.assertEqual(self.log_text("Other.log"), "")
        self.assertEqual(self.status(NEW_PASSWORD), 200)
        self.edit_ini("file = Other.log", "file = SMSProv.log")
        self.set_password(NEW_PASSWORD)
        lines = open(self.server.users).read().splitlines()
        with open(self.server.users, "w") as f:
            f.write("\n".join(l for l in lines if not l.startswith("mallory")) + "\n")

    def port_change_needs_a_restart(self):
        self.edit_ini("[http]\nport = 0", "[http]\nport = 1")
        self.edit_ini("[server]\n", "[server]\nmax_connections = 17\n")
        text = self.sighup()
        self.notifications()
        # the harness writes the deprecated [http]; the change is named by the key replacing it
        self.assertIn("port in [wsman.http] changed: it needs a restart; the running value stays.",
                      text)
        self.assertIn("max_connections in [server] changed: it needs a restart", text)
        self.assertIn("the settings named above need a restart", text)
        # still serving on the port it started with
        self.assertEqual(self.status(NEW_PASSWORD), 200)
        self.edit_ini("[http]\nport = 1", "[http]\nport = 0")
        self.edit_ini("max_connections = 17\n", "")

    def certificate_is_replaced_for_new_connections(self):
        old = self.pem_der(self.server.certificate)
        self.assertEqual(self.tls_certificate(), old)
        ctx = ssl.create_default_context(cafile=self.server.certificate)
        keep = http.client.HTTPSConnection("127.0.0.1", self.server.tls_port, timeout=30,
                                           context=ctx)
        keep.request("POST", "/wsman", IDENTIFY, HEADERS)
        self.assertIn(b"IdentifyResponse", keep.getresponse().read())
        # A key others may read is refused, and the old pair stays.
        self.server.make_certificate()
        os.chmod(self.server.key, 0o644)
        text = self.sighup()
        self.notifications()
        self.assertRegex(text, r"The configuration reload failed: The TLS key file .*key\.pem "
                               r"can be read by every user")
        self.assertEqual(self.tls_certificate(), old)
        os.chmod(self.server.key, 0o600)
        new = self.pem_der(self.server.certificate)
        self.assertNotEqual(new, old)
        text = self.sighup()
        self.notifications()
        self.assertIn("new connections use the certificate", text)
        self.assertEqual(self.tls_certificate(), new)
        r = requests.post("https://127.0.0.1:%d/wsman" % self.server.tls_port, data=IDENTIFY,
                          headers=HEADERS, auth=(USER, NEW_PASSWORD),
                          verify=self.server.certificate, timeout=30)
        self.assertEqual(r.status_code, 200)
        # the connection opened before keeps serving, with the old certificate
        sock = keep.sock
        keep.request("POST", "/wsman", IDENTIFY, HEADERS)
        self.assertIn(b"IdentifyResponse", keep.getresponse().read())
        self.assertIs(keep.sock, sock)
        self.assertEqual(sock.getpeercert(binary_form=True), old)
        keep.close()

    def log_file_and_distribution_points_change(self):
        self.edit_ini("file = SMSProv.log", "file = Other.log")
        self.edit_ini("level = info", "level = verbose")
        self.edit_ini("first_admin = " + USER, "first_admin = bob")
        with open(self.ini, "a") as f:
            f.write("[distribution_points]\nDP07 = dp07.lab.example\n")
        text = self.sighup("Other.log")
        self.notifications()
        self.assertIn("Configuration reloaded", text)
        self.assertIn("log level verbose", text)
        self.assertNotIn("Configuration reloaded: 1 user(s), log level verbose",
                         self.log_text())
        client = self.server.client(password=NEW_PASSWORD)
        rows = enumerate_all(client, CIM_URI + "SMS_SystemResourceList", wql_filter(
            "SELECT * FROM SMS_SystemResourceList WHERE ServerName = 'DP07'"))
        self.assertEqual(len(rows), 1)
        self.assertIn("dp07.lab.example", "".join(rows[0].itertext()))
        admins = enumerate_all(client, CIM_URI + "SMS_Admin", wql_filter(
            "SELECT * FROM SMS_Admin WHERE LogonName = 'bob'"))
        self.assertEqual(len(admins), 1)


if __name__ == "__main__":
    unittest.main()
