"""Streaming answers from smsprovd's CIM-XML door: wbemcli enumerates
10,000 instances (EnumerateInstances, EnumerateInstanceNames), compared one
by one with `smsprov enum`; the answers travel as chunked bodies; ExecQuery
streams too; a client that vanishes in the middle of an answer changes
nothing for the next one."""
import base64
import json
import os
import re
import socket
import unittest

import cimxml_harness as ch
import seed_harness

BOOT = "SMS_BootImagePackage"
COUNT = 10000


def wbemcli_text(value):
    """A JSON value of `smsprov --json` as wbemcli -nl prints it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"')
    return str(value)


class Streaming(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = ch.Server("cimxml-streaming")
        cls.db = os.path.join(cls.s.dir, "site.db")
        seed_harness.seed(cls.db, COUNT)

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def test_wbemcli_ei_matches_smsprov_enum(self):
        listing = self.s.ok("ei", BOOT, flags=["-nl"]).out
        got = []
        for line in listing.splitlines():
            if line and not line.startswith("-"):
                got.append({})
            elif line.startswith("-") and got:
                name, _, value = line[1:].partition("=")
                got[-1][name] = value
        listed = json.loads(seed_harness.cli(self.db, "--json", "enum", BOOT))
        self.assertEqual(len(got), COUNT)
        self.assertEqual([g.get("PackageID") for g in got],
                         ['"%s"' % o["PackageID"] for o in listed])
        compared = 0
        for mine, expected in zip(got, listed):
            for name in ("PackageID", "Name", "Description", "PackageType", "SourceVersion",
                         "SourceSite", "PkgSourceFlag", "ShareType", "SedoObjectVersion"):
                if name in expected:
                    self.assertEqual(mine.get(name), wbemcli_text(expected[name]),
                                     "%s of %s" % (name, expected["PackageID"]))
                    compared += 1
        self.assertGreaterEqual(compared, COUNT * 8)

    def test_wbemcli_ein_lists_every_name(self):
        names = self.s.ok("ein", BOOT).out
        ids = re.findall(r'PackageID="(LAB[0-9A-F]{5})"', names)
        self.assertEqual(len(ids), COUNT)
        self.assertEqual(len(set(ids)), COUNT)

    def test_answers_are_chunked(self):
        status, headers, body = self.s.post(
            ch.imethod("EnumerateInstanceNames",
                       '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/></IPARAMVALUE>'
                       % BOOT),
            headers=ch.op_headers("EnumerateInstanceNames"))
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("transfer-encoding"), "chunked")
        self.assertEqual(body.count("<INSTANCENAME "), COUNT)
        self.assertTrue(body.rstrip().endswith("</CIM>"))

    def test_exec_query_streams(self):
        query = "SELECT PackageID, Name FROM SMS_BootImagePackage WHERE Name LIKE 'Image 9%'"
        status, headers, body = self.s.post(
            ch.imethod("ExecQuery",
                       '<IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE>'
                       '<IPARAMVALUE NAME="Query"><VALUE>%s</VALUE></IPARAMVALUE>' % query),
            headers=ch.op_headers("ExecQuery"))
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("transfer-encoding"), "chunked")
        expected = json.loads(seed_harness.cli(self.db, "--json", "query", query))
        self.assertEqual(body.count("<VALUE.OBJECTWITHPATH>"), len(expected))
        self.assertGreater(len(expected), 1000)
        # an error is still a plain answer with an ERROR
        status, headers, body = self.s.post(
            ch.imethod("ExecQuery",
                       '<IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE>'
                       '<IPARAMVALUE NAME="Query"><VALUE>SELECT Nope FROM %s</VALUE>'
                       '</IPARAMVALUE>' % BOOT),
            headers=ch.op_headers("ExecQuery"))
        self.assertEqual(status, 200)
        self.assertIsNotNone(ch.cim_error(body))

    def test_client_vanishing_mid_answer(self):
        body = ch.imethod("EnumerateInstances",
                          '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/></IPARAMVALUE>'
                          % BOOT).encode()
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", self.s.port), timeout=30)
            head = ["POST /cimom HTTP/1.1", "Host: 127.0.0.1",
                    "Authorization: Basic " + base64.b64encode(
                        ("%s:%s" % (ch.USER, ch.PASSWORD)).encode()).decode(),
                    'Content-Type: application/xml; charset="utf-8"',
                    "Content-Length: %d" % len(body)]
            head += ["%s: %s" % kv for kv in ch.op_headers("EnumerateInstances").items()]
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            self.assertTrue(sock.recv(4096))  # the answer has started
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()  # a reset, mid-answer
        self.assertTrue(self.s.alive())
        names = self.s.ok("ein", BOOT).out
        self.assertEqual(names.count("PackageID="), COUNT)


if __name__ == "__main__":
    unittest.main(verbosity=2)
