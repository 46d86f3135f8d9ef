"""smsprovd under bad input and bad clients: 1,000 malformed envelopes (the
fuzz corpus mutated so that each one is broken, plus handwritten cases) each
get a SOAP fault and the server stays up; clients that vanish in the middle
of a request or an enumeration leave it healthy (the ASan build checks that
nothing leaks when it stops)."""
import concurrent.futures
import glob
import os
import random
import socket
import unittest
import xml.etree.ElementTree as ET

import requests

from wsman_harness import (CIM_URI, NS, PASSWORD, USER, Server, create, enumerate_,
                           enumerate_all, envelope, get, identify_raw, package_id_of, props_of,
                           body_child, T)

BOOT = "SMS_BootImagePackage"
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz", "corpus",
                      "wsman_envelope")


def seeds():
    out = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.xml"))):
        with open(path, "rb") as f:
            out.append(f.read())
    return out


def mutate(rng, data):
    """A copy of data that is certainly not a valid request."""
    kind = rng.randrange(8)
    i = rng.randrange(1, len(data) - 1)
    if kind == 0:  # truncated: the root element never closes
        return data[:i]
    if kind == 1:  # a stray '<' no XML allows
        return data[:i] + b"<" + bytes([rng.choice(b" 0123456789=<")]) + data[i:]
    if kind == 2:  # a '>' lost
        gts = [k for k, c in enumerate(data) if c == ord(">")]
        k = rng.choice(gts)
        return data[:k] + b" " + data[k + 1:]
    if kind == 3:  # an end tag dropped
        ends = [k for k in range(len(data) - 1) if data[k:k + 2] == b"</"]
        k = rng.choice(ends)
        return data[:k] + data[data.index(b">", k) + 1:]
    if kind == 4:  # a DTD with an entity bomb
        decl = (b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">'
                b'<!ENTITY x SYSTEM "file:///etc/passwd">]>')
        return decl + data
    if kind == 5:  # an undefined entity
        k = data.index(b"<s:Body>") + 8 if b"<s:Body>" in data else i
        return data[:k] + b"&x%d;" % rng.randrange(1000) + data[k:]
    if kind == 6:  # bytes that are not UTF-8
        return data[:i] + bytes([0xFF, 0xFE, rng.randrange(0x80, 0x100)]) + data[i:]
    # no Body at all
    start = data.find(b"<s:Body")
    return data[:start] + b"</s:Envelope>" if start > 0 else data[:i]


def handwritten():
    deep = "<a>" * 300 + "</a>" * 300
    h = get(CIM_URI + BOOT, [("PackageID", "LAB00001")])
    cases = [
        "", " ", "hello", "<", "<?xml version='1.0'?>", "<s:Envelope/>",
        '<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body/></Envelope>',
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>',
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/></s:Envelope>',
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body/>'
        '</s:Envelope>',
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>%s</s:Body>'
        '</s:Envelope>' % deep,
        '<?xml version="1.0" encoding="UTF-16"?><x/>',
        '<x xmlns:a="urn:a" a:b="1" a:b="2"/>',
        '<![CDATA[x]]>',
        h.replace("</s:Envelope>", ""),
        h.replace("<s:Body></s:Body>", "<s:Body><x></s:Body>"),
        h.replace("512000", "-5"),
        h.replace("512000", "lots"),
        h.replace("512000", "100"),
        h.replace("PT60.000S", "P1Y"),
        h.replace("PT60.000S", "PT"),
        h.replace("transfer/Get", "transfer/Frobnicate"),
        h.replace("<a:Action", '<a:Action s:mustUnderstand="true">x</a:Action><a:Action'),
        h.replace("<a:To>", '<w:Lock s:mustUnderstand="true">1</w:Lock><a:To>'),
        h.replace("cim-schema/2/SMS_BootImagePackage", "cim-schema/2/Bad Class"),
        h.replace("http://schemas.microsoft.com/wbem/wscim", "ftp://nowhere"),
        h.replace('Name="PackageID"', 'Name="PackageID" Name="x"'),
        h.replace('<w:Selector Name="PackageID">', '<w:Selector>'),
        h.replace('<w:SelectorSet>', '<w:SelectorSet>' + '<w:Selector Name="k">v</w:Selector>' * 70),
        h.replace('<w:SelectorSet>', '<w:SelectorSet><w:Selector Name="PackageID">1</w:Selector>'),
        envelope(T + "Put", CIM_URI + BOOT, "<p:Nope/>", selectors=[("PackageID", "LAB00001")]),
        envelope(T + "Create", CIM_URI + BOOT, ""),
        envelope(T + "Create", CIM_URI + BOOT, '<p:SMS_BootImagePackage xmlns:p="x">'
                 '<p:Name>a</p:Name><p:Name>b</p:Name></p:SMS_BootImagePackage>'),
        envelope(T + "Create", CIM_URI + BOOT, '<p:SMS_BootImagePackage xmlns:p="x">'
                 '<p:ScratchSpace>-1</p:ScratchSpace></p:SMS_BootImagePackage>'),
        envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", CIM_URI + BOOT,
                 "<n:Pull><n:EnumerationContext>nope</n:EnumerationContext></n:Pull>"),
        envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", CIM_URI + BOOT,
                 "<n:Pull><n:MaxElements>0</n:MaxElements></n:Pull>"),
        envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", CIM_URI + BOOT,
                 "<n:Enumerate><w:EnumerationMode>Everything</w:EnumerationMode></n:Enumerate>"),
        envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", CIM_URI + BOOT,
                 "<n:Enumerate><n:Expires>tomorrow</n:Expires></n:Enumerate>"),
        envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate",
                 "http://schemas.dmtf.org/wbem/wscim/1/*", "<n:Enumerate/>"),
        envelope(CIM_URI + BOOT + "/", CIM_URI + BOOT, ""),
        envelope(CIM_URI + "Other/SetSourceSite", CIM_URI + BOOT, ""),
    ]
    return [c.encode("utf-8") if isinstance(c, str) else c for c in cases]


class MalformedTest(unittest.TestCase):
    def test_a_thousand_malformed_envelopes_each_get_a_fault(self):
        server = Server("malformed", extra={"server": {"max_request_kb": "512"}})
        try:
            rng = random.Random(20261122)
            corpus = seeds()
            self.assertGreaterEqual(len(corpus), 10)
            cases = handwritten()
            while len(cases) < 1000:
                cases.append(mutate(rng, rng.choice(corpus)))
            session = requests.Session()
            session.auth = (USER, PASSWORD)

            def send(body):
                r = session.post(server.endpoint, data=body, timeout=60, headers={
                    "Content-Type": "application/soap+xml;charset=UTF-8"})
                return body, r.status_code, r.content

            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                results = list(pool.map(send, cases))
            self.assertEqual(len(results), len(cases))
            for body, status, content in results:
                self.assertEqual(status, 500, body[:200])
                fault = ET.fromstring(content).find("s:Body/s:Fault", NS)
                self.assertIsNotNone(fault, content[:300])
                self.assertTrue(fault.findtext("s:Reason/s:Text", namespaces=NS))
                self.assertIsNotNone(fault.find("s:Detail/f:WSManFault", NS))
            self.assertTrue(server.alive())
            r = identify_raw(server.endpoint, {"WSMANIDENTIFY": "unauthenticated"})
            self.assertEqual(r.status_code, 200)
        finally:
            server.stop()

    def test_oversized_request_is_refused(self):
        server = Server("oversized", extra={"server": {"max_request_kb": "64"}})
        try:
            body = get(CIM_URI + BOOT, [("PackageID", "LAB00001")]).replace(
                "<s:Body>", "<s:Body>" + "<!-- padding -->" * 8000)
            r = requests.post(server.endpoint, data=body, auth=(USER, PASSWORD), timeout=30)
            self.assertEqual(r.status_code, 413)
            self.assertTrue(server.alive())
        finally:
            server.stop()


def raw_connection(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def http_request(body):
    import base64
    auth = base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()
    return ("POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic %s\r\n"
            "Content-Type: application/soap+xml;charset=UTF-8\r\nContent-Length: %d\r\n\r\n"
            % (auth, len(body))).encode() + body


class VanishingClientTest(unittest.TestCase):
    def test_clients_that_vanish_leave_the_server_healthy(self):
        server = Server("vanish")
        try:
            client = server.client()
            ids = [package_id_of(client.send(create(BOOT, [("Name", "Vanish %d" % i)])))
                   for i in range(60)]
            # enumerations opened and abandoned without Pull or Release
            for _ in range(20):
                client.send(enumerate_(CIM_URI + BOOT, optimize=False))
                client.send(enumerate_(CIM_URI + BOOT, max_elements=5))
            # a client that leaves in the middle of sending its body
            big = envelope(T + "Get", CIM_URI + BOOT, selectors=[("PackageID", ids[0])]).encode()
            for cut in (10, 200, len(big) - 5):
                s = raw_connection(server)
                s.sendall(http_request(big)[:cut + 200])
                s.close()
            # a client that asks for everything and leaves before the answer
            for _ in range(5):
                s = raw_connection(server)
                s.sendall(http_request(enumerate_(CIM_URI + BOOT).encode()))
                s.close()
            # and one that reads a little of the answer, then leaves
            s = raw_connection(server)
            s.sendall(http_request(enumerate_(CIM_URI + BOOT).encode()))
            s.recv(512)
            s.close()
            self.assertTrue(server.alive())
            items = enumerate_all(client, CIM_URI + BOOT, max_elements=7)
            self.assertEqual(sorted(props_of(i)["PackageID"] for i in items), sorted(ids))
            got = props_of(body_child(client.send(get(CIM_URI + BOOT, [("PackageID", ids[5])]))))
            self.assertEqual(got["Name"], "Vanish 5")
        finally:
            server.stop()  # under ASan: no leak from the abandoned enumerations


class ConcurrentClientsTest(unittest.TestCase):
    def test_parallel_gets_and_enumerations(self):
        server = Server("parallel")
        try:
            client = server.client()
            ids = [package_id_of(client.send(create(BOOT, [("Name", "P %d" % i)])))
                   for i in range(10)]

            def work(n):
                c = server.client()
                for i in range(15):
                    pid = ids[(n + i) % len(ids)]
                    p = props_of(body_child(c.send(get(CIM_URI + BOOT, [("PackageID", pid)]))))
                    assert p["PackageID"] == pid
                return len(enumerate_all(c, CIM_URI + BOOT, max_elements=3))

            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                counts = list(pool.map(work, range(8)))
            self.assertEqual(counts, [10] * 8)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
