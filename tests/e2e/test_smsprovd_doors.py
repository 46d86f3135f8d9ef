"""smsprovd's door table: every door (WS-Management, CIM-XML and the
AdminService, each over HTTP and HTTPS) started from one configuration in
which every listener has a section with the same keys ([wsman.http] ...
[adminservice.https]: enabled, address, port), each answering its own
protocol on the port the port file names, then stopped the same way by
SIGTERM: no door takes a connection after it, and the server exits
cleanly.  Then the AdminService riding on the WS-Man listeners (no port of
its own), configured with the deprecated [adminservice] keys."""
import base64
import http.client
import os
import signal
import socket
import ssl
import unittest

import wsman_harness as wh

AUTH = "Basic " + base64.b64encode(("%s:%s" % (wh.USER, wh.PASSWORD)).encode()).decode()
IDENTIFY = ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:i="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">'
            '<s:Header/><s:Body><i:Identify/></s:Body></s:Envelope>')
CIMXML_ENUM = ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
               '<MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME='
               '"EnumerateInstanceNames"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/>'
               '<NAMESPACE NAME="sms"/><NAMESPACE NAME="site_LAB"/></LOCALNAMESPACEPATH>'
               '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="SMS_BootImagePackage"/>'
               '</IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>')


def ports_of(server):
    return {k: int(v) for k, v in (l.split("=") for l in open(server.ports).read().split())}


def request(server, port, tls, method, path, body=None, headers=None):
    if tls:
        ctx = ssl.create_default_context(cafile=server.certificate)
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=30)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {"Authorization": AUTH}
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r, data


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except OSError:
        return True


LISTENER = {"enabled": "true", "port": "0"}


class Doors(unittest.TestCase):
    def start(self, adminservice):
        return wh.Server("doors", https=True, extra={
            "cimxml": {"enabled": "true", "port": "0", "https": "true", "https_port": "0"},
            "adminservice": adminservice})

    def test_every_door_starts_answers_and_stops_alike(self):
        server = wh.Server("doors", https=True, extra={
            "cimxml.http": LISTENER, "cimxml.https": LISTENER,
            "adminservice.http": LISTENER, "adminservice.https": LISTENER})
        try:
            ports = ports_of(server)
            self.assertEqual(sorted(ports), ["adminservice", "adminservice_https", "cimxml",
                                             "cimxml_https", "http", "https"])
            self.assertTrue(all(ports.values()), ports)
            self.assertEqual(len(set(ports.values())), 6, ports)
            for door, tls in (("http", False), ("https", True)):
                r, data = request(server, ports[door], tls, "POST", "/wsman", IDENTIFY,
                                  {"Content-Type": "application/soap+xml;charset=UTF-8"})
                self.assertEqual(r.status, 200, door)
                self.assertIn(b"IdentifyResponse", data, door)
                r, data = request(server, ports[door], tls, "GET", "/AdminService/wmi/")
                self.assertEqual(r.status, 404, door)  # the AdminService has its own ports
            for door, tls in (("adminservice", False), ("adminservice_https", True)):
                r, data = request(server, ports[door], tls, "GET",
                                  "/AdminService/wmi/SMS_BootImagePackage")
                self.assertEqual(r.status, 200, door)
                self.assertIn(b'"value":[]', data, door)
                r, data = request(server, ports[door], tls, "POST", "/wsman", IDENTIFY,
                                  {"Content-Type": "application/soap+xml;charset=UTF-8"})
                self.assertEqual(r.status, 404, door)
            for door, tls in (("cimxml", False), ("cimxml_https", True)):
                r, data = request(server, ports[door], tls, "POST", "/cimom", CIMXML_ENUM, {
                    "Content-Type": 'application/xml; charset="utf-8"',
                    "CIMOperation": "MethodCall", "CIMMethod": "EnumerateInstanceNames",
                    "CIMObject": "root%2Fsms%2Fsite_LAB"})
                self.assertEqual(r.status, 200, door)
                self.assertIn(b"IMETHODRESPONSE", data, door)
            server.proc.send_signal(signal.SIGTERM)
            self.assertEqual(server.proc.wait(timeout=60), 0, server.read_stderr())
            for door, port in ports.items():
                self.assertTrue(refused(port), door)
            log = open(server.log, encoding="utf-8", errors="replace").read()
            self.assertIn("smsprovd stopped", log)
            self.assertIn("Listening for the AdminService on http://", log)
            self.assertIn("Listening for the AdminService on https://", log)
        finally:
            server.stop()

    def test_adminservice_rides_on_wsman_with_the_deprecated_keys(self):
        # the default: HTTPS only, on the WS-Man listener's port
        server = self.start({})
        try:
            ports = ports_of(server)
            self.assertEqual(ports["adminservice_https"], ports["https"])
            self.assertEqual(ports["adminservice"], 0)
            r, _ = request(server, ports["https"], True, "GET", "/AdminService/wmi/")
            self.assertEqual(r.status, 200)
            r, _ = request(server, ports["http"], False, "GET", "/AdminService/wmi/")
            self.assertEqual(r.status, 404)
            r, _ = request(server, ports["cimxml_https"], True, "POST", "/cimom", CIMXML_ENUM, {
                "Content-Type": 'application/xml; charset="utf-8"',
                "CIMOperation": "MethodCall", "CIMMethod": "EnumerateInstanceNames",
                "CIMObject": "root%2Fsms%2Fsite_LAB"})
            self.assertEqual(r.status, 200)
        finally:
            server.stop()
        server = self.start({"http": "true"})
        try:
            ports = ports_of(server)
            self.assertEqual(ports["adminservice"], ports["http"])
            r, _ = request(server, ports["http"], False, "GET", "/AdminService/wmi/")
            self.assertEqual(r.status, 200)
        finally:
            server.stop()
        server = self.start({"enabled": "false"})
        try:
            r, _ = request(server, ports_of(server)["https"], True, "GET", "/AdminService/wmi/")
            self.assertEqual(r.status, 404)
        finally:
            server.stop()



def status_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        return int([line.split()[1] for line in f if line.startswith(field)][0])


class LoginMemory(unittest.TestCase):
    def test_password_hashing_stays_out_of_the_server_peak(self):
        """yescrypt checks a Basic password in 16 MiB of scratch memory: it
        runs in a child process, so neither the reference hash made at start
        nor a login raises the server's peak (VmHWM) by that much."""
        server = wh.Server("login-memory")
        try:
            with open("/proc/%d/maps" % server.proc.pid) as f:
                if "libasan" in f.read():
                    self.skipTest("ASan's own memory hides the difference")
            rss = status_kib(server.proc.pid, "VmRSS:")
            r, _ = request(server, server.port, False, "POST", "/wsman", IDENTIFY,
                           {"Content-Type": "application/soap+xml;charset=UTF-8"})
            self.assertEqual(r.status, 200)
            peak = status_kib(server.proc.pid, "VmHWM:")
            self.assertLess(peak - rss, 8 * 1024, "peak %d KiB, %d KiB before" % (peak, rss))
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
