"""Role-based administration on both network doors of one smsprovd: the
same matrix of users x calls x an object in and out of their scope over
WS-Management (python3-winrm) and CIM-XML (wbemcli, raw HTTP for
ExecQuery), and scenario S-15 (a package joins a security scope through
SMS_SecuredCategoryMembership; its last scope cannot be removed) on each.

Users: admin (the configured first Full Administrator), analyst (Read-only
Analyst, scope All), osd (Operating System Deployment Manager, scope SC_A
only) and nobody (authenticated, but no administrative user).  The site is
prepared with the command-line client before the server starts; every
refused call is checked to leave the database file unchanged."""
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

import winrm

import wsman_harness as wh
from cimxml_harness import cim_error, imethod, op_headers
from wsman_harness import (CIM_URI, MI_OPTIONS, NS, WQL, Fault, Server, body_child, create,
                           delete, embedded, enumerate_all, get, invoke, props_of, put, wql_filter)

CLI = os.environ.get("SMSPROV_CLI", "smsprov")
WBEMCLI = shutil.which("wbemcli")
BOOT = "SMS_BootImagePackage"
MEMBER = "SMS_SecuredCategoryMembership"
PASSWORDS = {"admin": wh.PASSWORD, "analyst": "an4lyst-Pa55", "osd": "0sd-Pa55-word",
             "nobody": "n0body-Pa55"}
DENIED = 0x80041003
NOT_FOUND = 0x80041002


def cli(server, *args):
    r = subprocess.run([CLI, "--db", os.path.join(server.dir, "site.db"), "--mof", wh.MOF_DIR,
                        *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("smsprov %s: %s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def prepare(server):
    """Users, a scope SC_A, two boot images (one in SC_A only, one in
    Default only) and the analyst and OSD manager, made with the CLI."""
    for name, password in PASSWORDS.items():
        if name != "admin":
            subprocess.run([wh.SMSPROVD, "adduser", server.users, name], input=password + "\n",
                           text=True, check=True, capture_output=True)
    scope = cli(server, "create", "SMS_SecuredCategory", "CategoryName=SC_A",
                "CategoryDescription=OSD lab")
    server.scope = re.search(r'CategoryID="(\w+)"', scope).group(1)
    server.out_key = re.search(r'"(\w+)"', cli(server, "create", BOOT, "Name=Default only")).group(1)
    server.in_key = re.search(r'"(\w+)"', cli(server, "create", BOOT, "Name=In SC_A")).group(1)
    cli(server, "create", MEMBER, "CategoryID=" + server.scope, "ObjectKey=" + server.in_key,
        "ObjectTypeID=19")
    cli(server, "delete", '%s.CategoryID="SMS00UNA",ObjectKey="%s",ObjectTypeID=19'
        % (MEMBER, server.in_key))
    for logon, role, cat in (("analyst", "SMS0002R", "SMS00ALL"), ("osd", "SMS000AR", server.scope)):
        cli(server, "create", "SMS_Admin", "LogonName=" + logon,
            'Permissions=[{"__CLASS":"SMS_APermission","RoleID":"%s","CategoryID":"%s",'
            '"CategoryTypeID":29}]' % (role, cat))


def dump(server):
    """Every row of the site database: what "changes nothing" means."""
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(server.dir, "site.db"), uri=True)
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


class WsmanClient(wh.Client):
    def __init__(self, server, user):
        super().__init__(server, None, wh.PASSWORD, False)
        self.protocol = winrm.Protocol(server.endpoint, transport="basic", username=user,
                                       password=PASSWORDS[user], message_encryption="never")


def wmi_code(fault):
    return int(fault.wmi["error_Code"])


# What each user may do, from the role and scope tables: (sees the image in
# scope, sees the one out of scope, may create, may change/delete/call in
# scope, out of scope).
MATRIX = {
    "admin": (True, True, True, True, True),
    "analyst": (True, True, False, False, False),
    "osd": (True, False, True, True, False),
    "nobody": (False, False, False, False, False),
}

QUERIES = [
    "SELECT * FROM SMS_BootImagePackage",
    "SELECT * FROM SMS_PackageBaseclass",
    "SELECT * FROM SMS_PackageBaseclass WHERE __CLASS ISA 'SMS_BootImagePackage'",
    "SELECT * FROM SMS_PackageBaseclass WHERE __CLASS = 'SMS_BootImagePackage'",
    "SELECT Name, PackageID FROM SMS_BootImagePackage ORDER BY Name DESC",
]


class RbacDoors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("rbac", extra={"cimxml": {"enabled": "true", "port": "0"}},
                            prepare=prepare)
        ports = dict(l.split("=") for l in open(cls.server.ports).read().split())
        cls.cimxml_port = int(ports["cimxml"])
        cls.ws = {u: WsmanClient(cls.server, u) for u in PASSWORDS}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def path(self, key):
        return [("PackageID", key)]

    # ---- checks shared by the doors ----------------------------------------

    def assert_unchanged(self, before, what):
        self.assertEqual(before, dump(self.server), "%s was refused but changed the database" % what)

    # ---- WS-Management -----------------------------------------------------

    def ws_ids(self, user, query=None):
        extra = wql_filter(query) if query else ""
        cls = query.split("FROM ")[1].split()[0] if query else BOOT
        items = enumerate_all(self.ws[user], CIM_URI + cls, extra)
        # only the two prepared images: other tests make more
        keys = (self.server.in_key, self.server.out_key)
        return sorted(k for k in (props_of(i).get("PackageID") for i in items) if k in keys)

    def ws_denied(self, user, envelope, what):
        before = dump(self.server)
        f = self.ws[user].fault(envelope)
        self.assertEqual(wmi_code(f), DENIED, "%s as %s" % (what, user))
        self.assertIn(user, f.extended["Description"])
        self.assert_unchanged(before, what)

    def test_wsman_matrix(self):
        s = self.server
        for user, (sees_in, sees_out, may_create, may_in, may_out) in MATRIX.items():
            c = self.ws[user]
            want = sorted([k for k, seen in ((s.in_key, sees_in), (s.out_key, sees_out)) if seen])
            for q in [None] + QUERIES:
                self.assertEqual(self.ws_ids(user, q), want, "%s: %s" % (user, q))
            for key, seen in ((s.in_key, sees_in), (s.out_key, sees_out)):
                env = get(CIM_URI + BOOT, self.path(key), options=MI_OPTIONS)
                if seen:
                    self.assertEqual(props_of(body_child(c.send(env)))["PackageID"], key)
                else:
                    self.assertEqual(wmi_code(c.fault(env)), NOT_FOUND)
            # create
            env = create(BOOT, [("Name", "by " + user)])
            if may_create:
                c.send(env)
            else:
                self.ws_denied(user, env, "create")
            # put, an instance method, delete: in and out of scope
            for key, may in ((s.in_key, may_in), (s.out_key, may_out)):
                env = put(BOOT, self.path(key), [("PackageID", key), ("Description", user)],
                          modified=["Description"])
                unlock = invoke(BOOT, "Unlock", keys=self.path(key))
                if may:
                    c.send(env)
                    c.send(unlock)
                else:
                    self.ws_denied(user, env, "put")
                    self.ws_denied(user, unlock, "Unlock")
                    self.ws_denied(user, delete(BOOT, self.path(key)), "delete")
            # a static method
            env = invoke(BOOT, "DeleteContextID",
                         [("ContextID", "{00000000-0000-0000-0000-000000000000}")])
            if not may_create:
                self.ws_denied(user, env, "DeleteContextID")
        # the OSD manager's new image went to its scope, not Default
        items = enumerate_all(self.ws["admin"], CIM_URI + BOOT,
                              wql_filter("SELECT * FROM SMS_BootImagePackage WHERE Name = 'by osd'"))
        self.assertEqual(props_of(items[0])["SecuredScopeNames"], "SC_A")
        # an allowed delete, by the OSD manager, of its own image
        pid = props_of(items[0])["PackageID"]
        self.ws["osd"].send(delete(BOOT, self.path(pid)))

    def test_wsman_s15(self):
        c = self.ws["admin"]
        root = c.send(create(BOOT, [("Name", "S-15 over WS-Man")]))
        pid = wh.package_id_of(root)
        member = [("CategoryID", self.server.scope), ("ObjectKey", pid), ("ObjectTypeID", "19")]
        c.send(create(MEMBER, member))
        p = props_of(body_child(c.send(get(CIM_URI + BOOT, self.path(pid)))))
        self.assertEqual(sorted(wh.as_list(p["SecuredScopeNames"])), ["Default", "SC_A"])
        c.send(delete(MEMBER, [("CategoryID", "SMS00UNA"), ("ObjectKey", pid),
                               ("ObjectTypeID", "19")]))
        before = dump(self.server)
        f = c.fault(delete(MEMBER, member))
        self.assertIn("last security scope", f.extended["Description"])
        self.assert_unchanged(before, "removing the last scope")
        p = props_of(body_child(c.send(get(CIM_URI + BOOT, self.path(pid)))))
        self.assertEqual(p["SecuredScopeNames"], "SC_A")
        # the OSD manager cannot put it into Default, which is not its scope
        self.ws_denied("osd", create(MEMBER, [("CategoryID", "SMS00UNA"), ("ObjectKey", pid),
                                              ("ObjectTypeID", "19")]), "add membership")

    # ---- the command-line client's --user -----------------------------------

    def test_cli_user(self):
        s = self.server
        db = ["--db", os.path.join(s.dir, "site.db"), "--mof", wh.MOF_DIR]
        run = lambda *a: subprocess.run([CLI, *db, *a], capture_output=True, text=True,
                                        timeout=120)
        listed = run("--user", "osd", "enum", BOOT).stdout
        self.assertIn(s.in_key, listed)
        self.assertNotIn(s.out_key, listed)
        before = dump(s)
        # set reads the instance first: one the user cannot see is not found
        r = run("--user", "osd", "set", '%s.PackageID="%s"' % (BOOT, s.out_key), "Description=x")
        self.assertEqual(r.returncode, 1)
        self.assertIn("0x80041002", r.stderr)
        r = run("--user", "analyst", "set", '%s.PackageID="%s"' % (BOOT, s.in_key),
                "Description=x")
        self.assertEqual(r.returncode, 1)
        self.assertIn("0x80041003", r.stderr)
        self.assert_unchanged(before, "smsprov --user set")
        r = run("--user", "nobody", "query", "SELECT * FROM SMS_PackageBaseclass")
        self.assertEqual((r.returncode, r.stdout.strip()), (0, ""))
        # without --user the client is the site itself
        self.assertIn(s.out_key, run("enum", BOOT).stdout)

    # ---- CIM-XML -----------------------------------------------------------

    def url(self, user, path):
        return "http://%s:%s@127.0.0.1:%d/root/sms/site_LAB:%s" % (
            user, PASSWORDS[user], self.cimxml_port, path)

    def wbemcli(self, user, op, path, *args):
        return subprocess.run([WBEMCLI, op, self.url(user, path), *args], capture_output=True,
                              text=True, timeout=120)

    def post_as(self, user, body, method):
        import base64
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.cimxml_port, timeout=120)
        h = {"Content-Type": 'application/xml; charset="utf-8"',
             "Authorization": "Basic " + base64.b64encode(
                 ("%s:%s" % (user, PASSWORDS[user])).encode()).decode()}
        h.update(op_headers(method))
        conn.request("POST", "/cimom", body=body.encode(), headers=h)
        text = conn.getresponse().read().decode()
        conn.close()
        return text

    def cx_query(self, user, query):
        text = self.post_as(user, imethod("ExecQuery", (
            '<IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE>'
            '<IPARAMVALUE NAME="Query"><VALUE>%s</VALUE></IPARAMVALUE>'
            % query.replace("'", "&apos;"))), "ExecQuery")
        self.assertIsNone(cim_error(text), text)
        return sorted(set(re.findall(r'NAME="PackageID"[^>]*><VALUE>(\w+)</VALUE>', text)))

    def cx_denied(self, user, op, path, *args, error="CIM_ERR_ACCESS_DENIED"):
        before = dump(self.server)
        r = self.wbemcli(user, op, path, *args)
        self.assertNotEqual(r.returncode, 0, "%s %s as %s" % (op, path, user))
        self.assertIn(error, r.stdout + r.stderr, "%s %s as %s" % (op, path, user))
        self.assert_unchanged(before, op)

    @unittest.skipUnless(WBEMCLI, "wbemcli is not installed")
    def test_cimxml_matrix(self):
        s = self.server
        for user, (sees_in, sees_out, may_create, may_in, may_out) in MATRIX.items():
            want = sorted([k for k, seen in ((s.in_key, sees_in), (s.out_key, sees_out)) if seen])
            r = self.wbemcli(user, "ein", BOOT)
            seen = re.findall(r'PackageID="(\w+)"', r.stdout)
            self.assertEqual(sorted(k for k in seen if k in (s.in_key, s.out_key)), want, user)
            for q in QUERIES:
                got = [k for k in self.cx_query(user, q) if k in (s.in_key, s.out_key)]
                self.assertEqual(got, want, "%s: %s" % (user, q))
            for key, seen in ((s.in_key, sees_in), (s.out_key, sees_out)):
                r = self.wbemcli(user, "gi", '%s.PackageID="%s"' % (BOOT, key))
                if seen:
                    self.assertEqual(r.returncode, 0, r.stderr)
                else:
                    self.assertIn("CIM_ERR_NOT_FOUND", r.stdout + r.stderr)
            if may_create:
                self.assertEqual(self.wbemcli(user, "ci", '%s.PackageID="X"' % BOOT,
                                              'Name="cx by %s"' % user).returncode, 0)
            else:
                self.cx_denied(user, "ci", '%s.PackageID="X"' % BOOT, 'Name="cx by %s"' % user)
            for key, may, seen in ((s.in_key, may_in, sees_in), (s.out_key, may_out, sees_out)):
                path = '%s.PackageID="%s"' % (BOOT, key)
                if may:
                    self.assertEqual(self.wbemcli(user, "mi", path, 'Description="cx"').returncode, 0)
                    self.assertEqual(self.wbemcli(user, "cm", path, "Unlock").returncode, 0)
                else:
                    # wbemcli mi reads the instance first: one the user
                    # cannot see is not found before any change is sent
                    self.cx_denied(user, "mi", path, 'Description="cx"',
                                   error="CIM_ERR_ACCESS_DENIED" if seen else "CIM_ERR_NOT_FOUND")
                    self.cx_denied(user, "cm", path, "Unlock")
                    self.cx_denied(user, "di", path)

    @unittest.skipUnless(WBEMCLI, "wbemcli is not installed")
    def test_cimxml_s15(self):
        r = self.wbemcli("admin", "ci", '%s.PackageID="X"' % BOOT, 'Name="S-15 over CIM-XML"')
        pid = re.search(r'PackageID="(\w+)"', r.stdout).group(1)
        member = '%s.CategoryID="%s",ObjectKey="%s",ObjectTypeID=19' % (MEMBER, self.server.scope,
                                                                         pid)
        r = self.wbemcli("admin", "ci", member, 'CategoryID="%s",ObjectKey="%s",ObjectTypeID=19'
                         % (self.server.scope, pid))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.wbemcli("admin", "gi", '%s.PackageID="%s"' % (BOOT, pid), "SecuredScopeNames")
        self.assertIn("SC_A", r.stdout)
        self.assertIn("Default", r.stdout)
        self.assertEqual(self.wbemcli("admin", "di", '%s.CategoryID="SMS00UNA",ObjectKey="%s",'
                                      'ObjectTypeID=19' % (MEMBER, pid)).returncode, 0)
        before = dump(self.server)
        r = self.wbemcli("admin", "di", member)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("last security scope", r.stdout + r.stderr)
        self.assert_unchanged(before, "removing the last scope")


if __name__ == "__main__":
    unittest.main(verbosity=2)
