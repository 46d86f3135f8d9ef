"""Streaming enumerations through smsprovd's WS-Management door: 10,000
instances through python3-winrm compared one by one with `smsprov enum`;
the two-segment client (headers and body in two sends, Nagle on) without
delayed-ACK stalls; rows created and deleted between Pulls; Release
mid-way; idle contexts expiring; the per-user cap; clients that vanish in
the middle of an answer."""
import json
import os
import re
import socket
import time
import unittest

import seed_harness
import wsman_harness as wh
from two_segment_client import STALL_MS, TwoSegmentClient

BOOT = "SMS_BootImagePackage"
RES = wh.CIM_URI + BOOT


def cli(server, *words):
    return seed_harness.cli(os.path.join(server.dir, "site.db"), *words)


def context_of(resp):
    return resp.findtext("n:EnumerationContext", namespaces=wh.NS)


def ids_of(items):
    return [wh.props_of(i)["PackageID"] for i in items]


DATETIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$")


def text_of(value):
    """A JSON value of `smsprov --json` as WS-Man writes it for a non-WinRM
    client; None for what has no single text form (arrays, objects)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        m = DATETIME.match(value)
        if m:  # WS-Man writes timestamps as xs:dateTime
            date = "%s-%s-%sT%s:%s:%s.%s" % m.groups()[:7]
            minutes = int(m.group(9))
            if minutes == 0:
                return date + "Z"
            return date + "%s%02d:%02d" % (m.group(8), minutes // 60, minutes % 60)
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return ...


class Streaming(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = wh.Server("wsman-streaming", extra={
            "server": {"max_enumerations_per_user": "6", "enumeration_timeout": "3"}})
        seed_harness.seed(os.path.join(cls.server.dir, "site.db"), 10000)
        cls.client = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_10000_instances_match_smsprov_enum(self):
        items = wh.enumerate_all(self.client, RES)
        listed = json.loads(cli(self.server, "--json", "enum", BOOT))
        self.assertEqual(len(items), 10000)
        self.assertEqual(ids_of(items), [o["PackageID"] for o in listed])
        compared = 0
        for item, expected in zip(items, listed):
            props = wh.props_of(item)
            for name, value in expected.items():
                if name.startswith("__"):  # system properties: not in the XML
                    continue
                want = text_of(value)
                if want is ... and isinstance(value, list):
                    self.assertEqual(len(wh.as_list(props.get(name))), len(value), name)
                    continue
                if want is ...:  # an embedded object
                    self.assertIsNotNone(props.get(name), name)
                    continue
                self.assertIn(name, props)
                self.assertEqual(props[name], want, "%s of %s" % (name, expected["PackageID"]))
                compared += 1
        self.assertGreaterEqual(compared, 10000 * 20)

    def test_two_segment_client_does_not_stall(self):
        client = TwoSegmentClient("127.0.0.1", self.server.port, wh.USER, wh.PASSWORD)
        try:
            items = client.enumerate_all(BOOT, envelope=102400)
        finally:
            client.close()
        ids = ids_of(items)
        self.assertEqual(len(ids), 10000)
        self.assertEqual(len(set(ids)), 10000)
        round_trips = len(client.round_trips_ms)
        self.assertGreater(round_trips, 20)  # 102,400-byte envelopes: many Pulls
        # With delayed ACKs every round trip waits 40 ms or more; allow a busy
        # machine a few slow ones, never most of them.
        self.assertLess(client.stalls(), round_trips // 4,
                        "round trips of %.0f ms or more: %d of %d"
                        % (STALL_MS, client.stalls(), round_trips))

    def test_rows_created_and_deleted_between_pulls(self):
        root = self.client.send(wh.enumerate_(RES, optimize=False))
        context = context_of(root.find("s:Body/n:EnumerateResponse", wh.NS))
        root = self.client.send(wh.pull(RES, context, 5))
        resp = root.find("s:Body/n:PullResponse", wh.NS)
        first = ids_of(resp.find("n:Items", wh.NS))
        self.assertEqual(first, ["LAB00001", "LAB00002", "LAB00003", "LAB00004", "LAB00005"])
        context = context_of(resp)
        # LAB00006 goes before its turn; LAB00002 was already sent; a new
        # package sorts after every one there is.
        self.client.send(wh.delete(BOOT, [("PackageID", "LAB00006")]))
        self.client.send(wh.delete(BOOT, [("PackageID", "LAB00002")]))
        created = wh.package_id_of(self.client.send(wh.create(BOOT, [("Name", "Late")])))
        rest, done = [], False
        while not done:
            root = self.client.send(wh.pull(RES, context, 4000))
            resp = root.find("s:Body/n:PullResponse", wh.NS)
            rest += ids_of(resp.find("n:Items", wh.NS))
            context = context_of(resp)
            done = resp.find("n:EndOfSequence", wh.NS) is not None
        seen = first + rest
        self.assertEqual(len(seen), len(set(seen)))
        self.assertNotIn("LAB00006", seen)
        self.assertEqual(seen[-1], created)
        self.assertEqual(len(rest), 10000 - 6 + 1)
        # put things back for the other tests
        self.client.send(wh.delete(BOOT, [("PackageID", created)]))
        db = os.path.join(self.server.dir, "site.db")
        for gone in ("LAB00002", "LAB00006"):
            seed_harness.copy_package(db, "LAB00003", gone)

    def test_release_mid_way(self):
        root = self.client.send(wh.enumerate_(RES, max_elements=3))
        context = context_of(root.find("s:Body/n:EnumerateResponse", wh.NS))
        self.client.send(wh.pull(RES, context, 3))
        self.client.send(wh.release(RES, context))
        fault = self.client.fault(wh.pull(RES, context, 3))
        self.assertEqual(fault.subcode, "n:InvalidEnumerationContext")

    def test_contexts_expire_and_are_capped_per_user(self):
        time.sleep(4.5)  # what earlier tests left open expires (enumeration_timeout = 3)
        contexts = []
        for _ in range(6):  # max_enumerations_per_user = 6
            root = self.client.send(wh.enumerate_(RES, optimize=False))
            contexts.append(context_of(root.find("s:Body/n:EnumerateResponse", wh.NS)))
        fault = self.client.fault(wh.enumerate_(RES, optimize=False))
        self.assertEqual(fault.subcode, "w:QuotaLimit")
        self.assertIn("as many as one user may", fault.reason)
        time.sleep(4.5)  # the server sweeps every second
        fault = self.client.fault(wh.pull(RES, contexts[0], 10))
        self.assertEqual(fault.subcode, "n:InvalidEnumerationContext")
        root = self.client.send(wh.enumerate_(RES, optimize=False))
        context = context_of(root.find("s:Body/n:EnumerateResponse", wh.NS))
        self.client.send(wh.release(RES, context))

    def test_clients_vanishing_mid_stream(self):
        """A client that closes its connection while the answer is being
        written, or right after sending a Pull, changes nothing for anyone
        else: the server stays up and the context pulls on to the end."""
        root = self.client.send(wh.enumerate_(RES, optimize=False))
        context = context_of(root.find("s:Body/n:EnumerateResponse", wh.NS))
        for body in (wh.enumerate_(RES, max_size=512000),
                     wh.pull(RES, context, 32000, max_size=512000)):
            raw = TwoSegmentClient("127.0.0.1", self.server.port, wh.USER, wh.PASSWORD)
            data = body.encode()
            raw.sock.send(("POST /wsman HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\n"
                           "Content-Type: application/soap+xml;charset=UTF-8\r\n"
                           "Content-Length: %d\r\n\r\n" % (raw.auth, len(data))).encode())
            raw.sock.send(data)
            raw.sock.recv(100)  # the answer has started
            raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            raw.close()  # a reset, mid-answer
        self.assertTrue(self.server.alive())
        # The vanished Pull took its batch; the context goes on from there.
        total, done = 0, False
        while not done:
            root = self.client.send(wh.pull(RES, context, 32000))
            resp = root.find("s:Body/n:PullResponse", wh.NS)
            total += len(resp.find("n:Items", wh.NS))
            context = context_of(resp)
            done = resp.find("n:EndOfSequence", wh.NS) is not None
        self.assertLess(total, 10000)
        self.assertEqual(len(wh.enumerate_all(self.client, RES)), 10000)


if __name__ == "__main__":
    unittest.main(verbosity=2)
