"""The AdminService door (/AdminService/wmi/, OData v4 JSON) of a real
smsprovd over HTTPS, driven with http.client as curl or Invoke-RestMethod
would: the SDK scenarios S-1, S-4, S-7, S-9, S-12, S-13 and S-14 through
REST, $metadata read as CSDL XML, query strings in every encoding clients
send, bad input answered with a 4xx OData error that changes nothing, a
restricted user who sees only its scope, and 10,000 instances in one
response and in pages, compared with `smsprov enum`."""
import base64
import http.client
import json
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import time
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import seed_harness
import wsman_harness as wh

BOOT = "SMS_BootImagePackage"
OSIP = "SMS_OperatingSystemInstallPackage"
IMAGE = "SMS_ImagePackage"
DP = "SMS_DistributionPoint"
ROOT = "/AdminService/wmi/"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
PACKAGE_ID = r"^LAB[0-9A-F]{5}$"
ANALYST_PASSWORD = "an4lyst-Pa55"
OSD_PASSWORD = "0sd-Pa55-word"


def new_context():
    return "{%s}" % str(uuid.uuid4()).upper()


def cli(server, *words):
    return seed_harness.cli(os.path.join(server.dir, "site.db"), *words)


def dump(server):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(server.dir, "site.db"), uri=True)
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


class Rest:
    """One keep-alive HTTPS connection with Basic credentials."""

    def __init__(self, server, user=wh.USER, password=wh.PASSWORD):
        self.ctx = ssl.create_default_context(cafile=server.certificate)
        self.port = server.tls_port
        self.auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.conn = None

    def raw(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                                    timeout=120)
        h = {"Authorization": self.auth, "Accept": "application/json"}
        if body is not None:
            h["Content-Type"] = "application/json"
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
        h.update(headers or {})
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        return r, data

    def call(self, method, path, body=None, headers=None, status=200):
        r, data = self.raw(method, path, body, headers)
        if r.status != status:
            raise AssertionError("%s %s: %d %s" % (method, path, r.status, data[:500]))
        return json.loads(data) if data and r.getheader("Content-Type", "").startswith(
            "application/json") else data

    def error(self, method, path, body=None, status=400):
        r, data = self.raw(method, path, body)
        if r.status != status:
            raise AssertionError("%s %s: %d (wanted %d) %s" % (method, path, r.status, status,
                                                             data[:500]))
        doc = json.loads(data)
        assert doc["error"]["code"] == str(status), doc
        assert doc["error"]["message"], doc
        return doc["error"]["message"]


def q(text):
    """A query string as .NET's Uri leaves it: spaces %20, the rest raw."""
    return text.replace(" ", "%20")


class Scenarios(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = wh.Server("adminservice", https=True, trees=True,
                               prepare=cls.prepare, extra={"site": {"server": "PROV01"}})
        cls.rest = Rest(cls.server)
        share = os.path.join(cls.server.dir, "share")
        shutil.copy(os.path.join(cls.server.inputs, "images", "boot_x64.wim"),
                    os.path.join(share, "boot_x64.wim"))
        os.makedirs(os.path.join(share, "os"), exist_ok=True)
        shutil.copy(os.path.join(cls.server.inputs, "images", "install.wim"),
                    os.path.join(share, "os", "install.wim"))

    @staticmethod
    def prepare(server):
        """An analyst (read-only, every scope) and an OSD manager whose only
        scope is SC_A, with one boot image in SC_A and one outside it."""
        for name, password in (("analyst", ANALYST_PASSWORD), ("osd", OSD_PASSWORD)):
            subprocess.run([wh.SMSPROVD, "adduser", server.users, name], input=password + "\n",
                           text=True, check=True, capture_output=True)
        scope = cli(server, "create", "SMS_SecuredCategory", "CategoryName=SC_A")
        server.scope = re.search(r'CategoryID="(\w+)"', scope).group(1)
        server.out_key = re.search(r'"(\w+)"', cli(server, "create", BOOT,
                                                   "Name=Default only")).group(1)
        server.in_key = re.search(r'"(\w+)"', cli(server, "create", BOOT, "Name=In SC_A")).group(1)
        member = "SMS_SecuredCategoryMembership"
        cli(server, "create", member, "CategoryID=" + server.scope,
            "ObjectKey=" + server.in_key, "ObjectTypeID=19")
        cli(server, "delete", '%s.CategoryID="SMS00UNA",ObjectKey="%s",ObjectTypeID=19'
            % (member, server.in_key))
        for logon, role, cat in (("analyst", "SMS0002R", "SMS00ALL"),
                                 ("osd", "SMS000AR", server.scope)):
            cli(server, "create", "SMS_Admin", "LogonName=" + logon,
                'Permissions=[{"__CLASS":"SMS_APermission","RoleID":"%s","CategoryID":"%s",'
                '"CategoryTypeID":29}]' % (role, cat))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def entity(self, cls, key):
        doc = self.rest.call("GET", ROOT + "%s('%s')" % (cls, key))
        self.assertEqual(len(doc["value"]), 1)
        self.assertTrue(doc["@odata.context"].endswith("$metadata#" + cls))
        return doc["value"][0]

    def method(self, target, body):
        out = self.rest.call("POST", ROOT + target, body, status=201)
        self.assertTrue(out["@odata.context"].endswith("$metadata#__PARAMETERS"))
        return out

    def wait_status(self, context):
        deadline = time.time() + 120
        while True:
            out = self.method(BOOT + ".QueryOSDBinaryInjectionStatus", {"ContextID": context})
            if out["Status"] in (0, 2) or time.time() > deadline:
                return out
            time.sleep(0.2)

    def add_boot_image(self, name, context):
        created = self.rest.call("POST", ROOT + BOOT, {
            "Name": name, "Description": "imported over the AdminService",
            "ImagePath": r"\\lab\share\boot_x64.wim", "ImageIndex": 1, "ContextID": context},
            status=201)
        self.assertTrue(created["@odata.context"].endswith("$metadata#%s/$entity" % BOOT))
        self.assertRegex(created["PackageID"], PACKAGE_ID)
        return created["PackageID"]

    # ---- the service, $metadata --------------------------------------------

    def test_service_document_and_metadata(self):
        doc = self.rest.call("GET", ROOT)
        names = {e["name"] for e in doc["value"]}
        self.assertIn(BOOT, names)
        self.assertTrue(all(e["url"] == e["name"] and e["kind"] == "EntitySet"
                            for e in doc["value"]))
        self.assertEqual(doc["@odata.context"],
                         "https://127.0.0.1:%d%s$metadata" % (self.server.tls_port, ROOT))
        # a Host header that is no host name is not written into the JSON
        r, data = self.rest.raw("GET", ROOT + BOOT, headers={"Host": 'x","value":[1]}'})
        self.assertEqual(r.status, 200)
        self.assertTrue(json.loads(data)["@odata.context"].startswith(
            "https://localhost/AdminService/wmi/$metadata#"))
        r, data = self.rest.raw("GET", ROOT + "$metadata")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.getheader("Content-Type").startswith("application/xml"))
        root = ET.fromstring(data)
        self.assertEqual(root.tag, "{http://docs.oasis-open.org/odata/ns/edmx}Edmx")
        self.assertEqual(root.get("Version"), "4.0")
        schema = root.find(".//%sSchema" % EDM)
        self.assertEqual(schema.get("Namespace"), "AdminService")
        boot = schema.find("%sEntityType[@Name='%s']" % (EDM, BOOT))
        self.assertEqual([k.get("Name") for k in boot.findall("%sKey/%sPropertyRef" % (EDM, EDM))],
                         ["PackageID"])
        props = boot.findall(EDM + "Property")
        types = {p.get("Name"): p.get("Type") for p in props}
        order = [p.get("Name") for p in props]
        self.assertEqual(order[:12], [
            "__GENUS", "__CLASS", "__SUPERCLASS", "__DYNASTY", "__RELPATH", "__PROPERTY_COUNT",
            "__DERIVATION", "__SERVER", "__NAMESPACE", "__PATH", "__LAZYPROPERTIES",
            "__QUALIFIER_SECURITYVERBS"])
        self.assertEqual(order[12:], sorted(order[12:], key=str.lower))
        self.assertEqual(types["__DERIVATION"], "Collection(Edm.String)")
        self.assertIsNone(props[order.index("PackageID")].get("Nullable"))  # keys: none
        self.assertEqual(types["PackageSize"], "Edm.Int64")  # uint32 widens
        self.assertEqual(types["SourceDate"], "Edm.DateTimeOffset")
        self.assertEqual(types["ReferencedDrivers"], "Collection(AdminService.SMS_Driver_Details)")
        self.assertEqual(types["ImageProperty"], "Edm.String")  # lazy, listed too
        self.assertIsNotNone(schema.find("%sComplexType[@Name='SMS_Driver_Details']" % EDM))
        sets = {s.get("Name") for s in schema.findall("%sEntityContainer/%sEntitySet"
                                                      % (EDM, EDM))}
        self.assertEqual(sets, names)

    def test_entity_members_and_system_properties(self):
        """Each entity as the real service writes it: @odata.etag (the key),
        __LAZYPROPERTIES, __QUALIFIER_SECURITYVERBS, the properties in
        case-insensitive alphabetical order, the WMI system properties, then
        the embedded-object properties; -1 verbs on a keyed read of a
        Secured class, null in a set."""
        key = self.server.out_key
        relpath = '%s.PackageID="%s"' % (BOOT, key)
        for path, verbs in ((ROOT + BOOT + "?" + q("$filter=PackageID eq '%s'" % key), None),
                            (ROOT + "%s('%s')" % (BOOT, key), -1)):
            r, data = self.rest.raw("GET", path)
            self.assertEqual(r.status, 200, data)
            entity = json.loads(data)["value"][0]
            names = list(entity)
            self.assertEqual(names[:3], ["@odata.etag", "__LAZYPROPERTIES",
                                         "__QUALIFIER_SECURITYVERBS"])
            self.assertEqual(entity["@odata.etag"], key)
            self.assertEqual(entity["__QUALIFIER_SECURITYVERBS"], verbs, path)
            lazy = entity["__LAZYPROPERTIES"]
            self.assertEqual(lazy[0], "__QUALIFIER_SECURITYVERBS")
            self.assertIn("ImageProperty", lazy)
            self.assertIn("OptionalComponents", lazy)
            self.assertEqual(lazy[1:], sorted(lazy[1:], key=str.lower))
            system = ["__GENUS", "__CLASS", "__SUPERCLASS", "__DYNASTY", "__RELPATH",
                      "__PROPERTY_COUNT", "__DERIVATION", "__SERVER", "__NAMESPACE", "__PATH"]
            at = names.index("__GENUS")
            self.assertEqual(names[at:at + 10], system)
            plain = names[3:at]
            self.assertEqual(plain, sorted(plain, key=str.lower))
            # embedded objects last
            self.assertEqual(names[at + 10:], ["ReferencedDrivers", "RefreshSchedule"])
            self.assertEqual(entity["__GENUS"], 2)
            self.assertEqual(entity["__CLASS"], BOOT)
            self.assertEqual(entity["__SUPERCLASS"], "SMS_PackageBaseclass")
            self.assertEqual(entity["__DYNASTY"], "SMS_BaseClass")
            self.assertEqual(entity["__DERIVATION"], ["SMS_PackageBaseclass", "SMS_BaseClass"])
            self.assertEqual(entity["__RELPATH"], relpath)
            self.assertEqual(entity["__PROPERTY_COUNT"], len(names) - 13)
            self.assertEqual(entity["__SERVER"], "PROV01")
            self.assertEqual(entity["__NAMESPACE"], "root\\sms\\site_LAB")
            self.assertEqual(entity["__PATH"], "\\\\PROV01\\root\\sms\\site_LAB:" + relpath)
        # the etag is not enforced (If-Match is ignored, as far as anyone knows
        # the real service does): a stale one does not stop a PATCH
        r, data = self.rest.raw("PATCH", ROOT + "%s('%s')" % (BOOT, self.server.in_key),
                                {"Description": "if-match ignored"},
                                headers={"If-Match": 'W/"stale"'})
        self.assertEqual(r.status, 200, data)
        self.assertEqual(json.loads(data)["@odata.etag"], self.server.in_key)

    def test_count_segment_and_count_before_value(self):
        r, data = self.rest.raw("GET", ROOT + BOOT + "/$count")
        self.assertEqual(r.status, 200, data)
        self.assertTrue(r.getheader("Content-Type").startswith("text/plain"))
        total = int(data)
        listed = self.rest.call("GET", ROOT + BOOT + "?$select=PackageID")["value"]
        self.assertEqual(total, len(listed))
        r, data = self.rest.raw("GET", ROOT + "sms_bootimagepackage/$count?" + q(
            "$filter=startswith(Name,'Default')"))
        self.assertEqual(data, b"1")
        # role-based administration: the OSD manager counts its scope only
        osd = Rest(self.server, "osd", OSD_PASSWORD)
        r, data = osd.raw("GET", ROOT + BOOT + "/$count?" + q(
            "$filter=PackageID eq '%s' or PackageID eq '%s'" % (self.server.in_key,
                                                                 self.server.out_key)))
        self.assertEqual(data, b"1")
        self.rest.error("GET", ROOT + BOOT + "/$count?" + q("$filter=Name eq"), status=400)
        self.rest.error("POST", ROOT + BOOT + "/$count", {}, status=405)
        # @odata.count is written before the value it counts, and counts past $top
        r, data = self.rest.raw("GET", ROOT + BOOT + "?$count=true&$top=1&$select=Name")
        self.assertEqual(r.status, 200)
        self.assertLess(data.index(b'"@odata.count"'), data.index(b'"value"'))
        doc = json.loads(data)
        self.assertEqual(doc["@odata.count"], total)
        self.assertEqual(len(doc["value"]), 1)

    # ---- the scenarios --------------------------------------------------------

    def test_s1_boot_image_and_s9_status_queue(self):
        context = new_context()
        pid = self.add_boot_image("Boot image S-1 REST", context)
        p = self.entity(BOOT, pid)
        self.assertEqual(p["PackageType"], 258)
        self.assertEqual(p["Architecture"], "x64")
        self.assertIn("<WIM>", p["ImageProperty"])
        self.assertGreater(p["PackageSize"], 0)
        self.assertRegex(p["SourceDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        status = self.wait_status(context)
        self.assertEqual(status["Status"], 0)
        self.assertEqual(status["Progress"], status["MaxProgress"])
        # S-9: an instance method, then the queue is dropped
        refresh = new_context()
        out = self.method("%s('%s')/AdminService.RefreshPkgSource" % (BOOT, pid),
                          {"ContextID": refresh})
        self.assertEqual(out["ReturnValue"], 0)
        self.assertEqual(self.wait_status(refresh)["Status"], 0)
        self.assertEqual(self.entity(BOOT, pid)["SourceVersion"], 2)
        self.assertEqual(self.method(BOOT + ".DeleteContextID", {"ContextID": refresh})
                         ["ReturnValue"], 0)
        self.assertEqual(self.method(BOOT + ".QueryOSDBinaryInjectionStatus",
                                     {"ContextID": refresh})["Status"], 3)

    def test_s4_os_install_package(self):
        created = self.rest.call("POST", ROOT + OSIP, {
            "Name": "Windows 11 install S-4 REST", "PkgSourceFlag": 2,
            "PkgSourcePath": r"\\lab\share\os"}, status=201)
        p = self.entity(OSIP, created["PackageID"])
        self.assertEqual(p["PackageType"], 259)
        self.assertEqual(p["PkgSourcePath"], r"\\lab\share\os")

    def test_s7_image_properties_and_s12_lazy(self):
        created = self.rest.call("POST", ROOT + IMAGE, {
            "Name": "Windows 11 S-7 REST", "PkgSourceFlag": 2,
            "PkgSourcePath": r"\\lab\share\os\install.wim"}, status=201)
        pid = created["PackageID"]
        got = self.entity(IMAGE, pid)
        out = self.method(IMAGE + ".GetImageProperties",
                          {"SourceImagePath": got["PkgSourcePath"]})
        self.assertEqual(out["ReturnValue"], 0)
        self.assertEqual(out["ImageProperty"], got["ImageProperty"])
        # S-12: lazy properties are null in a set, filled by a keyed GET
        listed = self.rest.call("GET", ROOT + IMAGE + "?" + q("$filter=PackageID eq '%s'" % pid))
        self.assertEqual(len(listed["value"]), 1)
        self.assertIsNone(listed["value"][0]["ImageProperty"])
        self.assertIn("ImageProperty", listed["value"][0])
        self.assertIn("<WIM>", got["ImageProperty"])

    def test_s13_error_path(self):
        for cls in ("SMS_PackageBaseclass", BOOT):
            message = self.rest.error("GET", ROOT + "%s('UNKNOWN')" % cls, status=404)
            self.assertIn("UNKNOWN", message)
            self.assertIn("WBEM_E_NOT_FOUND", message)
            r, data = self.rest.raw("GET", ROOT + "%s('UNKNOWN')" % cls)
            ext = json.loads(data)["error"]["innererror"]
            self.assertEqual(ext["__CLASS"], "SMS_ExtendedStatus")
            self.assertEqual(ext["StatusCode"], 0x80041002)
            self.assertIn("UNKNOWN", ext["Description"])
            self.assertEqual(ext["Operation"], "GetObject")

    def test_s14_refresh_flag_through_patch(self):
        created = self.rest.call("POST", ROOT + IMAGE, {
            "Name": "Windows 11 S-14 REST", "PkgSourceFlag": 2,
            "PkgSourcePath": r"\\lab\share\os\install.wim"}, status=201)
        pid = created["PackageID"]
        before = self.entity(IMAGE, pid)
        after = self.rest.call("PATCH", ROOT + "%s('%s')" % (IMAGE, pid), {
            "RefreshPkgSourceFlag": True, "SedoObjectVersion": before["SedoObjectVersion"]})
        self.assertEqual(after["PackageID"], pid)
        self.assertFalse(after["RefreshPkgSourceFlag"])
        self.assertEqual(after["SourceVersion"], before["SourceVersion"] + 1)
        self.assertEqual(after["Name"], before["Name"])  # PATCH keeps what it does not name
        # a stale SEDO version is refused and changes nothing
        snapshot = dump(self.server)
        message = self.rest.error("PATCH", ROOT + "%s('%s')" % (IMAGE, pid), {
            "Description": "stale", "SedoObjectVersion": before["SedoObjectVersion"]},
            status=400)
        self.assertTrue(message)
        self.assertEqual(dump(self.server), snapshot)

    # ---- options and encodings -----------------------------------------------

    def test_query_options_in_every_encoding(self):
        want = [self.server.out_key]
        forms = [
            "$filter=Name eq 'Default only'".replace(" ", "%20"),
            "%24filter=Name+eq+%27Default+only%27",
            "$filter=Name+eq+'Default+only'",
            "$Filter=Name%20eq%20%27Default%20only%27",
        ]
        for form in forms:
            doc = self.rest.call("GET", ROOT + BOOT + "?" + form + "&$select=PackageID,%20Name")
            self.assertEqual([e["PackageID"] for e in doc["value"]], want, form)
            self.assertEqual(set(doc["value"][0]), {"PackageID", "Name"}, form)
        # operators, functions, order, top, skip, count; the class any case
        doc = self.rest.call("GET", ROOT + "sms_bootimagepackage?" + q(
            "$filter=startswith(Name,'Default') or contains(Name,'SC_') and not "
            "(Name eq 'x')&$orderby=Name desc&$count=true&$select=Name"))
        self.assertEqual([e["Name"] for e in doc["value"]], ["In SC_A", "Default only"])
        self.assertEqual(doc["@odata.count"], 2)
        doc = self.rest.call("GET", ROOT + BOOT + "?" + q(
            "$filter=endswith(Name,'only') and PackageSize ge 0&$top=1&$skip=0"))
        self.assertEqual([e["Name"] for e in doc["value"]], ["Default only"])
        doc = self.rest.call("GET", ROOT + BOOT + "?" + q("$filter=Name eq 'In SC_A'&$skip=1"))
        self.assertEqual(doc["value"], [])

    def test_bad_input_changes_nothing(self):
        snapshot = dump(self.server)
        key = self.server.out_key
        cases = [
            ("GET", ROOT + "SMS_NoSuchClass", None, 404),
            ("GET", ROOT + BOOT + "(PackageID=)", None, 400),
            ("GET", ROOT + BOOT + "('unclosed)", None, 400),
            ("GET", ROOT + BOOT + "(Nope='x')", None, 400),
            ("GET", ROOT + BOOT + "?$expand=Foo", None, 400),
            ("GET", ROOT + BOOT + "?$select=Name,NoSuchProperty", None, 400),
            ("GET", ROOT + BOOT + "?" + q("$filter=Name eq"), None, 400),
            ("GET", ROOT + BOOT + "?" + q("$filter=Name eq 'open"), None, 400),
            ("GET", ROOT + BOOT + "?" + q("$filter=(Name eq 'x'"), None, 400),
            ("GET", ROOT + BOOT + "?" + q("$filter=Name like 'x'"), None, 400),
            ("GET", ROOT + BOOT + "?" + q("$filter=NoSuchProperty eq 1"), None, 400),
            ("GET", ROOT + BOOT + "?$top=-1", None, 400),
            ("GET", ROOT + BOOT + "?$skip=99999999999999999999999", None, 400),
            ("GET", ROOT + BOOT + "?$orderby=Name%20sideways", None, 400),
            ("POST", ROOT + BOOT, "{not json", 400),
            ("POST", ROOT + BOOT, "[1,2]", 400),
            ("POST", ROOT + BOOT, {"Name": 42}, 400),
            ("POST", ROOT + BOOT, {"Name": "x", "NoSuchProperty": 1}, 400),
            ("PATCH", ROOT + "%s('%s')" % (BOOT, key), {"ImageIndex": "one"}, 400),
            ("POST", ROOT + BOOT + ".NoSuchMethod", {}, 404),
            ("POST", ROOT + "%s('%s')/AdminService.NoSuchMethod" % (BOOT, key), {}, 404),
            ("POST", ROOT + BOOT + ".QueryOSDBinaryInjectionStatus", {"ContextID": 5}, 400),
            ("DELETE", ROOT + "%s('LABFFFFF')" % BOOT, None, 404),
            ("DELETE", ROOT + BOOT, None, 405),
        ]
        for method, path, body, status in cases:
            with self.subTest(method=method, path=path):
                self.rest.error(method, path, body, status=status)
        # a huge $skip that parses is an empty page, not an error
        doc = self.rest.call("GET", ROOT + BOOT + "?$skip=18446744073709551615")
        self.assertEqual(doc["value"], [])
        self.assertEqual(dump(self.server), snapshot)

    def test_create_put_delete(self):
        created = self.rest.call("POST", ROOT + OSIP, {
            "Name": "to delete", "PkgSourceFlag": 2, "PkgSourcePath": r"\\lab\share\os",
            "@odata.type": "#AdminService." + OSIP}, status=201)
        pid = created["PackageID"]
        put = self.rest.call("PUT", ROOT + "%s('%s')" % (OSIP, pid), dict(
            (k, v) for k, v in created.items() if not k.startswith(("@", "__"))
            and k in ("Name", "PkgSourceFlag", "PkgSourcePath", "SedoObjectVersion"))
            | {"Description": "put over REST"})
        self.assertEqual(put["Description"], "put over REST")
        # an empty $select leaves only the context
        only = self.rest.call("PATCH", ROOT + "%s('%s')?$select=" % (OSIP, pid),
                              {"Description": "again"})
        self.assertEqual(set(only), {"@odata.context"})
        r, data = self.rest.raw("DELETE", ROOT + "%s('%s')" % (OSIP, pid))
        self.assertEqual(r.status, 204)
        self.assertEqual(data, b"")
        self.rest.error("GET", ROOT + "%s('%s')" % (OSIP, pid), status=404)

    def test_restricted_user_sees_only_its_scope(self):
        osd = Rest(self.server, "osd", OSD_PASSWORD)
        names = [e["PackageID"] for e in osd.call("GET", ROOT + BOOT + "?$select=PackageID")
                 ["value"]]
        self.assertIn(self.server.in_key, names)
        self.assertNotIn(self.server.out_key, names)
        osd.error("GET", ROOT + "%s('%s')" % (BOOT, self.server.out_key), status=404)
        analyst = Rest(self.server, "analyst", ANALYST_PASSWORD)
        snapshot = dump(self.server)
        analyst.error("DELETE", ROOT + "%s('%s')" % (BOOT, self.server.in_key), status=403)
        analyst.error("POST", ROOT + BOOT, {"Name": "analyst's"}, status=403)
        self.assertEqual(dump(self.server), snapshot)
        # no credentials at all: 401 before any body is read
        r, _ = Rest(self.server, "admin", "wrong").raw("GET", ROOT)
        self.assertEqual(r.status, 401)


NPM_DIR = os.path.join(os.environ.get("SMSPROV_SCRATCH", "/tmp"), "npm-odata")


def odata_package():
    """The npm package "odata" (o.js) in the build tree, installed once;
    None, with the reason, when node or npm or the registry is missing."""
    if not shutil.which("node") or not shutil.which("npm"):
        return None, "node and npm are not installed"
    if not os.path.isdir(os.path.join(NPM_DIR, "node_modules", "odata")):
        os.makedirs(NPM_DIR, exist_ok=True)
        try:
            r = subprocess.run(["npm", "install", "--prefix", NPM_DIR, "--no-audit", "--no-fund",
                                "--no-save", "odata@2.0.1"], capture_output=True, text=True,
                               timeout=180)
        except subprocess.TimeoutExpired:
            return None, "npm install odata timed out"
        if r.returncode != 0:
            return None, "npm install odata failed: " + r.stderr[-300:]
    return os.path.join(NPM_DIR, "node_modules"), None


class NodeClient(unittest.TestCase):
    """o.js, an OData v4 client from npm, run by node."""

    def test_odata_client(self):
        modules, why = odata_package()
        if not modules:
            self.skipTest(why)
        server = wh.Server("adminservice-node", https=True)
        try:
            cli(server, "create", BOOT, "Name=Default only")
            env = dict(os.environ, NODE_PATH=modules, NODE_EXTRA_CA_CERTS=server.certificate)
            r = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "odata_client.js"),
                                "https://127.0.0.1:%d%s" % (server.tls_port, ROOT), wh.USER,
                                wh.PASSWORD], capture_output=True, text=True, timeout=120,
                               env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            seen = json.loads(r.stdout)
            self.assertEqual(len(seen["listed"]), 1)
            self.assertEqual(set(seen["listed"][0]), {"PackageID", "Name"})
            self.assertEqual(seen["listed"][0]["Name"], "Default only")
            self.assertRegex(seen["created"]["PackageID"], PACKAGE_ID)
            self.assertEqual(seen["patched"]["Description"], "patched by o.js")
            self.assertEqual(seen["got"][0]["Description"], "patched by o.js")
            self.assertEqual(seen["afterDelete"], 404)
            self.assertEqual(seen["unknown"], 404)
        finally:
            server.stop()


class TenThousand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = wh.Server("adminservice-10k", https=True)
        seed_harness.seed(os.path.join(cls.server.dir, "site.db"), 10000)
        cls.rest = Rest(cls.server)
        cls.listed = json.loads(cli(cls.server, "--json", "enum", BOOT))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def check(self, entities):
        self.assertEqual(len(entities), 10000)
        self.assertEqual([e["PackageID"] for e in entities],
                         [o["PackageID"] for o in self.listed])
        for got, want in zip(entities, self.listed):
            for name in ("Name", "Description", "PackageType", "SourceVersion"):
                self.assertEqual(got[name], want[name], name)

    def test_one_response(self):
        r, data = self.rest.raw("GET", ROOT + BOOT + "/$count")
        self.assertEqual(data, b"10000")
        r, data = self.rest.raw("GET", ROOT + BOOT)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.getheader("Transfer-Encoding"), "chunked")
        doc = json.loads(data)
        self.assertNotIn("@odata.nextLink", doc)
        self.check(doc["value"])

    def test_pages(self):
        entities, pages = [], 0
        path = ROOT + BOOT
        while path:
            doc = self.rest.call("GET", path, headers={"Prefer": "odata.maxpagesize=3000"})
            entities += doc["value"]
            pages += 1
            link = doc.get("@odata.nextLink")
            path = urllib.parse.urlsplit(link)._replace(scheme="", netloc="").geturl() \
                if link else None
            self.assertLessEqual(pages, 10)
        self.assertEqual(pages, 4)
        self.check(entities)


if __name__ == "__main__":
    unittest.main(verbosity=2)
