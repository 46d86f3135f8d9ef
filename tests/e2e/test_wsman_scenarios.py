"""The spec's end-to-end scenarios S-1, S-4, S-5, S-6, S-7, S-9, S-10,
S-12, S-13 and S-14 (configmgr-classes.md §10), as an SDK script would run them, over
WS-Management against smsprovd serving a site with the synthetic ADK and
ConfigMgr trees (mkwinpe)."""
import hashlib
import os
import shutil
import subprocess
import time
import unittest
import uuid
import xml.etree.ElementTree as ET

from wsman_harness import (CIM_URI, CLASS_SCHEMA_URI, MI_OPTIONS, MKWINPE, NS, PACKAGE_ID,
                           SITE_NS, T, WQL, Fault, Server, as_list, body_child, create,
                           enumerate_all, envelope, get, invoke, package_id_of, props_of, put,
                           selectors_of, wql_filter)

BOOT = "SMS_BootImagePackage"
OSIP = "SMS_OperatingSystemInstallPackage"
IMAGE = "SMS_ImagePackage"
DP = "SMS_DistributionPoint"
INSTALL_WIM = r"\\lab\share\os\install.wim"


def new_context():
    return "{%s}" % str(uuid.uuid4()).upper()


class ScenarioTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("scenarios", trees=True, extra={
            "site": {"server": "SITE1"},
            "distribution_points": {"DP01": "dp01.lab.example", "DP02": ""}})
        cls.client = cls.server.client()
        share = os.path.join(cls.server.dir, "share")
        shutil.copy(os.path.join(cls.server.inputs, "images", "boot_x64.wim"),
                    os.path.join(share, "boot_x64.wim"))
        os.makedirs(os.path.join(share, "os"), exist_ok=True)
        os.makedirs(os.path.join(share, "os2"), exist_ok=True)
        # a three-image install.wim (x64 en-US, x86 de-DE, arm64 fr-FR)
        shutil.copy(os.path.join(cls.server.inputs, "images", "install.wim"),
                    os.path.join(share, "os", "install.wim"))
        with open(os.path.join(share, "os", "readme.wim"), "w") as f:
            f.write("not a WIM\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def get(self, cls, pid):
        return props_of(body_child(self.client.send(get(CIM_URI + cls, [("PackageID", pid)],
                                                        options=MI_OPTIONS))))

    def call(self, cls, method, params=(), keys=()):
        return props_of(body_child(self.client.send(invoke(cls, method, params, keys))))

    def wait_status(self, context):
        """Polls QueryOSDBinaryInjectionStatus until Complete (0) or Error (2)."""
        deadline = time.time() + 120
        while True:
            out = self.call(BOOT, "QueryOSDBinaryInjectionStatus", [("ContextID", context)])
            if out["Status"] in ("0", "2") or time.time() > deadline:
                return out
            time.sleep(0.2)

    def add_boot_image(self, name, context):
        """S-1 steps 2-4: the class, a new instance, Put (Create)."""
        root = self.client.send(envelope(T + "Get", CLASS_SCHEMA_URI, selectors=[
            ("__cimnamespace", SITE_NS), ("ClassName", BOOT)]))
        names = {p.get("NAME") for p in body_child(root)}
        self.assertTrue({"Name", "ImagePath", "ImageIndex"} <= names)
        root = self.client.send(create(BOOT, [
            ("Name", name), ("Description", "imported over WS-Management"),
            ("ImagePath", r"\\lab\share\boot_x64.wim"), ("ImageIndex", "1"),
            ("ContextID", context)]))
        return package_id_of(root)

    def test_s1_add_boot_image_from_wim_and_s9_poll_injection(self):
        context = new_context()
        pid = self.add_boot_image("Boot image (x64) S-1", context)
        self.assertRegex(pid, PACKAGE_ID)
        p = self.get(BOOT, pid)
        self.assertEqual(p["PackageType"], "258")
        self.assertEqual(p["SecuredScopeNames"], "Default")
        self.assertEqual(p["SourceVersion"], "1")
        self.assertEqual(p["Architecture"], "x64")
        self.assertIn("<WIM>", p["ImageProperty"])
        # ImageProperty holds the raw WIM ARCH code (9), the property says x64
        self.assertIn('Name="Architecture">9<', p["ImageProperty"])
        self.assertTrue(p["PkgSourcePath"])
        self.assertGreater(int(p["PackageSize"]), 0)
        # S-9 step 2: the import's status queue says it completed
        status = self.wait_status(context)
        self.assertEqual(status["Status"], "0")
        self.assertEqual(status["Progress"], status["MaxProgress"])
        self.assertEqual(status["ErrorCode"], "0")

        # a refresh under a fresh context ID, polled to the end
        refresh_ctx = new_context()
        out = self.call(BOOT, "RefreshPkgSource", [("ContextID", refresh_ctx)],
                        keys=[("PackageID", pid)])
        self.assertEqual(out["ReturnValue"], "0")
        self.assertEqual(self.wait_status(refresh_ctx)["Status"], "0")
        self.assertEqual(self.get(BOOT, pid)["SourceVersion"], "2")
        # S-9 step 3: drop the queue; it then reports "no status"
        self.assertEqual(self.call(BOOT, "DeleteContextID", [("ContextID", refresh_ctx)])
                         ["ReturnValue"], "0")
        self.assertEqual(self.call(BOOT, "QueryOSDBinaryInjectionStatus",
                                   [("ContextID", refresh_ctx)])["Status"], "3")

    def test_client_paths_stay_in_the_share_and_in_client_form(self):
        """ExportDefaultBootImage through a folder link out of the share is
        refused and writes nothing outside; path faults name the client's
        UNC path, never the server's folder, also in the status queue."""
        share = os.path.join(self.server.dir, "share")
        outside = os.path.join(self.server.dir, "outside")
        os.makedirs(outside, exist_ok=True)
        os.symlink(outside, os.path.join(share, "out"))
        with open(os.path.join(share, "notawim.wim"), "w") as f:
            f.write("no WIM")
        local = os.path.realpath(self.server.dir)

        def refused(message, words):
            f = self.client.fault(message)
            self.assertIn(words, f.text)
            self.assertNotIn(self.server.dir, f.text)
            self.assertNotIn(local, f.text)
            return f

        refused(invoke(BOOT, "ExportDefaultBootImage", [
            ("Architecture", "x64"), ("ImageIndex", "1"),
            ("ExportImagePath", r"\\lab\share\out\boot.wim")]),
            r"symbolic link \\lab\share\out")
        self.assertEqual(os.listdir(outside), [])
        refused(invoke(BOOT, "GetImageProperties",
                       [("SourceImagePath", r"\\lab\share\notawim.wim")]),
                r"\\lab\share\notawim.wim")
        context = new_context()
        refused(create(BOOT, [("Name", "not a WIM"), ("ImagePath", r"\\lab\share\notawim.wim"),
                              ("ImageIndex", "1"), ("ContextID", context)]),
                r"\\lab\share\notawim.wim")
        status = self.wait_status(context)
        self.assertEqual(status["Status"], "2", status)
        for key in ("ProgressText", "ExtendedErrorInfo"):
            self.assertIn(r"\\lab\share\notawim.wim", status[key] or "", status)
            self.assertNotIn(local, status[key] or "")
        self.call(BOOT, "DeleteContextID", [("ContextID", context)])

    def test_s9_export_default_boot_image(self):
        params = [("Architecture", "x64"), ("ImageIndex", "1"),
                  ("ExportImagePath", r"\\lab\share\export_x64.wim")]
        root = self.client.send(invoke(BOOT, "ExportDefaultBootImage", params))
        out = props_of(body_child(root))
        self.assertEqual(out["ReturnValue"], "0")
        self.assertTrue(os.path.exists(os.path.join(self.server.dir, "share", "export_x64.wim")))
        # S-9 steps 2-3: the export's status queue (named by ExportImagePath,
        # the method has no ContextID) says it completed; then it is dropped.
        export_path = dict(params)["ExportImagePath"]
        status = self.wait_status(export_path)
        self.assertEqual(status["Status"], "0", status)
        self.assertEqual(status["Progress"], status["MaxProgress"])
        self.call(BOOT, "DeleteContextID", [("ContextID", export_path)])
        gone = self.call(BOOT, "QueryOSDBinaryInjectionStatus", [("ContextID", export_path)])
        self.assertEqual(gone["Status"], "3")

    def test_s4_add_os_install_package(self):
        root = self.client.send(create(OSIP, [
            ("Name", "Windows 11 install S-4"), ("Description", "OS install package"),
            ("PkgSourceFlag", "2"), ("PkgSourcePath", r"\\lab\share\os")]))
        created = root.find("s:Body/x:ResourceCreated", NS)
        self.assertEqual(created.findtext(".//w:ResourceURI", namespaces=NS), CIM_URI + OSIP)
        pid = selectors_of(created)["PackageID"]
        self.assertRegex(pid, PACKAGE_ID)
        p = self.get(OSIP, pid)
        self.assertEqual(p["PackageType"], "259")
        self.assertEqual(p["PkgSourceFlag"], "2")
        self.assertEqual(p["PkgSourcePath"], r"\\lab\share\os")

    def enum(self, cls, query):
        return [props_of(i) for i in enumerate_all(self.client, CIM_URI + cls, wql_filter(query),
                                                   options=MI_OPTIONS)]

    def add_os_image(self, name, source=INSTALL_WIM):
        """S-5: spawn SMS_ImagePackage, set Name, Description, PkgSourceFlag 2
        and PkgSourcePath, Put."""
        root = self.client.send(create(IMAGE, [
            ("Name", name), ("Description", "OS image over WS-Management"),
            ("PkgSourceFlag", "2"), ("PkgSourcePath", source)]))
        return package_id_of(root)

    def test_s5_add_os_image_package_and_s7_view_its_properties(self):
        wim = os.path.join(self.server.dir, "share", "os", "install.wim")
        with open(wim, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        pid = self.add_os_image("Windows 11 S-5")
        self.assertRegex(pid, PACKAGE_ID)
        p = self.get(IMAGE, pid)
        self.assertEqual(p["PackageType"], "257")
        self.assertEqual(p["SourceVersion"], "1")
        self.assertEqual(p["SecuredScopeNames"], "Default")
        xml = ET.fromstring(p["ImageProperty"])
        images = xml.findall("IMAGE")
        self.assertEqual([i.get("Index") for i in images], ["1", "2", "3"])
        self.assertEqual([i.get("Name") for i in images],
                         ["Windows 11 Enterprise", "Windows 10 Pro", "Windows 11 Pro"])

        def prop(image, name):
            return image.find("Property[@Name='%s']" % name).text
        self.assertEqual([prop(i, "Architecture") for i in images], ["9", "0", "12"])
        self.assertEqual([prop(i, "Language") for i in images], ["en-US", "de-DE", "fr-FR"])
        self.assertEqual(prop(images[0], "OS version"), "10.0.22621.1")
        self.assertEqual(len(ET.fromstring(p["ImageDiskLayout"]).findall("IMAGE")), 3)
        # no OSD binaries injected: the source WIM is untouched
        with open(wim, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest)
        # S-7: GetImageProperties on the class, SourceImagePath = PkgSourcePath
        out = self.call(IMAGE, "GetImageProperties", [("SourceImagePath", p["PkgSourcePath"])])
        self.assertEqual(out["ReturnValue"], "0")
        self.assertEqual(out["ImageProperty"], p["ImageProperty"])
        # lazy in a query
        listed = self.enum(IMAGE, "SELECT * FROM SMS_ImagePackage WHERE PackageID = '%s'" % pid)
        self.assertIsNone(listed[0]["ImageProperty"])
        self.assertIsNone(listed[0]["ImageDiskLayout"])

    def test_s6_reload_then_put(self):
        pid = self.add_os_image("Windows 11 S-6 reload")
        got = self.get(IMAGE, pid)
        # the image is recaptured at the same path with another edition set
        os2 = os.path.join(self.server.dir, "share", "os2", "install.wim")
        subprocess.run([MKWINPE, "image", os2, "--arch", "x64", "--name", "Windows 11 Education"],
                       check=True, capture_output=True)
        self.client.send(put(IMAGE, [("PackageID", pid)], [
            ("PackageID", pid), ("Name", got["Name"]), ("PkgSourcePath", r"\\lab\share\os2\install.wim"),
            ("SedoObjectVersion", got["SedoObjectVersion"])],
            modified=["PkgSourcePath"]))
        shutil.copy(os.path.join(self.server.inputs, "images", "boot_x86.wim"), os2)
        got = self.get(IMAGE, pid)
        out = self.call(IMAGE, "ReloadImageProperties", keys=[("PackageID", pid)])
        self.assertEqual(out["ReturnValue"], "0")
        self.client.send(put(IMAGE, [("PackageID", pid)], [
            ("PackageID", pid), ("Name", got["Name"]), ("Description", "reloaded"),
            ("SedoObjectVersion", got["SedoObjectVersion"])], modified=["Description"]))
        p = self.get(IMAGE, pid)
        self.assertEqual(p["Description"], "reloaded")
        image = ET.fromstring(p["ImageProperty"]).find("IMAGE")
        self.assertEqual(image.get("Name"), "Microsoft Windows PE (x86)")
        self.assertEqual(image.find("Property[@Name='Architecture']").text, "0")

    def test_s6_new_path_put_then_refresh(self):
        pid = self.add_os_image("Windows 11 S-6 new path")
        os3 = os.path.join(self.server.dir, "share", "os3")
        os.makedirs(os.path.join(os3, "sources"), exist_ok=True)
        shutil.copy(os.path.join(self.server.inputs, "images", "boot_x64.wim"),
                    os.path.join(os3, "sources", "install.wim"))
        got = self.get(IMAGE, pid)
        self.client.send(put(IMAGE, [("PackageID", pid)], [
            ("PackageID", pid), ("PkgSourcePath", r"\\lab\share\os3"),
            ("SedoObjectVersion", got["SedoObjectVersion"])], modified=["PkgSourcePath"]))
        p = self.get(IMAGE, pid)
        self.assertEqual(p["PkgSourcePath"], r"\\lab\share\os3")
        self.assertEqual(ET.fromstring(p["ImageProperty"]).find("IMAGE").get("Name"),
                         "Microsoft Windows PE (x64)")
        self.assertEqual(p["SourceVersion"], "1")
        out = self.call(IMAGE, "RefreshPkgSource", keys=[("PackageID", pid)])
        self.assertEqual(out["ReturnValue"], "0")
        q = self.get(IMAGE, pid)
        self.assertEqual(q["SourceVersion"], "2")
        self.assertGreater(q["SourceDate"], p["SourceDate"])
        self.assertEqual(q["LastRefreshTime"], q["SourceDate"])

    def test_bad_os_image_sources_create_nothing(self):
        before = len(self.enum(IMAGE, "SELECT PackageID FROM SMS_ImagePackage"))
        damaged = os.path.join(self.server.dir, "share", "os", "damaged.wim")
        with open(os.path.join(self.server.dir, "share", "os", "install.wim"), "rb") as f:
            data = bytearray(f.read())
        for i in range(8000, 8400):
            data[i] ^= 0xFF
        with open(damaged, "wb") as f:
            f.write(data)
        for source, words in ((r"\\lab\share\os\readme.wim", "readme.wim"),
                              (r"\\lab\share\os\damaged.wim", "(wimlib error"),
                              (r"\\elsewhere\images\install.wim", "outside every share"),
                              (r"\\lab\share\os\gone.wim", "gone.wim")):
            f = self.client.fault(create(IMAGE, [("Name", "bad"), ("PkgSourcePath", source)]))
            self.assertEqual(f.wmi["error_Code"], str(0x80041008), source)
            self.assertIn(words, f.extended["Description"])
            self.assertIn("PkgSourcePath", f.extended["Description"])
        # a boot image from an index the WIM lacks: refused, nothing kept
        boots = len(self.enum(BOOT, "SELECT PackageID FROM SMS_BootImagePackage"))
        f = self.client.fault(create(BOOT, [("Name", "bad index"), ("ImagePath", INSTALL_WIM),
                                            ("ImageIndex", "7")]))
        self.assertIn("7", f.extended["Description"])
        self.assertEqual(len(self.enum(BOOT, "SELECT PackageID FROM SMS_BootImagePackage")),
                         boots)
        self.assertEqual(len(self.enum(IMAGE, "SELECT PackageID FROM SMS_ImagePackage")), before)

    def test_s10_distribution_point_from_system_resource_list_and_s14(self):
        pid = self.add_os_image("Windows 11 S-10")
        rows = self.enum("SMS_SystemResourceList",
                         "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS Distribution "
                         "Point' AND SiteCode='LAB' AND ServerName='DP01'")
        self.assertEqual(len(rows), 1)
        nal = rows[0]["NALPath"]
        self.assertEqual(nal, '["Display=\\\\DP01\\"]MSWNET:["SMS_SITE=LAB"]\\\\DP01\\')
        self.assertEqual(rows[0]["ServerRemoteName"], "dp01.lab.example")
        servers = self.enum("SMS_SystemResourceList",
                            "SELECT * FROM SMS_SystemResourceList WHERE ServerName='SITE1'")
        self.assertEqual(sorted(r["RoleName"] for r in servers),
                         ["SMS Provider", "SMS Site Server"])
        # the NAL path helpers agree with the list
        parts = self.call("SMS_NAL_Methods", "UnPackNALPath", [("NALPath", nal)])
        self.assertEqual(parts["NALType"], "MSWNET")
        self.assertEqual(parts["NetworkOSPath"], "\\\\DP01\\")
        packed = self.call("SMS_NAL_Methods", "PackNALPath", [
            ("DisplayQualifiers", as_list(parts["DisplayQualifiers"])), ("NALType", "MSWNET"),
            ("NetworkOSPath", parts["NetworkOSPath"]),
            ("NetworkConnectionQualifiers", as_list(parts["NetworkConnectionQualifiers"]))])
        self.assertEqual(packed["NALPath"], nal)
        # S-10 step 4: the DP row, keyed by PackageID, ServerNALPath, SiteCode
        root = self.client.send(create(DP, [("PackageID", pid), ("ServerNALPath", nal),
                                            ("SiteCode", rows[0]["SiteCode"])]))
        keys = [("PackageID", pid), ("ServerNALPath", nal), ("SiteCode", "LAB")]
        dp = props_of(body_child(self.client.send(get(CIM_URI + DP, keys))))
        self.assertEqual(dp["ObjectTypeID"], "18")
        self.assertEqual(dp["PackageType"], "257")
        self.assertEqual(dp["Status"], "2")
        self.assertNotEqual(dp["LastRefreshTime"], "19900101000000.000000+***")
        self.assertIsNotNone(root)
        # S-14: RefreshNow on this DP only; SourceVersion stays
        version = self.get(IMAGE, pid)["SourceVersion"]
        self.client.send(put(DP, keys, keys + [("RefreshNow", "true")], modified=["RefreshNow"]))
        again = props_of(body_child(self.client.send(get(CIM_URI + DP, keys))))
        self.assertEqual(again["RefreshNow"], "false")
        self.assertGreater(again["LastRefreshTime"], dp["LastRefreshTime"])
        self.assertEqual(again["Status"], "1")
        self.assertEqual(self.get(IMAGE, pid)["SourceVersion"], version)
        # S-14: RefreshPkgSourceFlag = TRUE + Put == RefreshPkgSource; reads FALSE
        got = self.get(IMAGE, pid)
        self.client.send(put(IMAGE, [("PackageID", pid)], [
            ("PackageID", pid), ("RefreshPkgSourceFlag", "true"),
            ("SedoObjectVersion", got["SedoObjectVersion"])], modified=["RefreshPkgSourceFlag"]))
        after = self.get(IMAGE, pid)
        self.assertEqual(after["SourceVersion"], str(int(version) + 1))
        self.assertEqual(after["RefreshPkgSourceFlag"], "false")
        # AddDistributionPoints makes the DP02 row as the put made DP01's
        nal2 = self.enum("SMS_SystemResourceList",
                         "SELECT * FROM SMS_SystemResourceList WHERE ServerName='DP02'")[0]["NALPath"]
        out = self.call(IMAGE, "AddDistributionPoints", [("SiteCode", ["LAB"]), ("NALPath", [nal2])],
                        keys=[("PackageID", pid)])
        self.assertEqual(out["ReturnValue"], "0")
        both = self.enum(DP, "SELECT * FROM SMS_DistributionPoint WHERE PackageID='%s'" % pid)
        self.assertEqual(len(both), 2)
        for name in ("ObjectTypeID", "PackageType", "SecureObjectID", "SiteName", "SourceSite"):
            self.assertEqual(both[0][name], both[1][name], name)
        # the list is the server's: a client cannot add to it
        f = self.client.fault(create("SMS_SystemResourceList", [
            ("NALPath", "x"), ("ResourceType", "x"), ("RoleName", "x"), ("SiteCode", "LAB")]))
        self.assertEqual(f.wmi["error_Code"], str(0x80041003))

    def test_s12_lazy_properties(self):
        pid = self.add_boot_image("Boot image S-12", new_context())
        items = enumerate_all(self.client, CIM_URI + BOOT,
                              wql_filter("SELECT * FROM SMS_BootImagePackage WHERE PackageID = '%s'"
                                         % pid), options=MI_OPTIONS)
        self.assertEqual(len(items), 1)
        listed = props_of(items[0])
        for lazy in ("ImageProperty", "ImageIndex", "ReferencedDrivers", "ImageDiskLayout"):
            self.assertIsNone(listed[lazy], lazy)
        drivers = [c for c in items[0] if c.tag.endswith("}ReferencedDrivers")][0]
        self.assertEqual(drivers.get("{%s}IsNullArray" % NS["p"]), "true")
        got = self.get(BOOT, pid)
        self.assertIn("<WIM>", got["ImageProperty"])
        self.assertEqual(got["ImageIndex"], "1")
        self.assertIn("<WIM>", got["ImageDiskLayout"])

    def test_s13_error_path(self):
        for cls in ("SMS_PackageBaseclass", BOOT):
            status, root = self.client.raw(get(CIM_URI + cls, [("PackageID", "UNKNOWN")]))
            self.assertEqual(status, 500)
            f = Fault(status, root, "")
            self.assertEqual(f.subcode, "a:DestinationUnreachable")
            self.assertEqual(f.wsman_code, 0x80338000)
            self.assertEqual(f.wmi["CIMStatusCode"], "6")
            self.assertEqual(f.wmi["error_Code"], str(0x80041002))
            # the SMS Provider's own error object travels in the WSManFault
            self.assertIn("UNKNOWN", f.extended["Description"])
            self.assertEqual(f.extended["ErrorCode"], "0")
            self.assertEqual(f.extended["StatusCode"], str(0x80041002))
            self.assertEqual(f.extended["Operation"], "GetObject")
            ext = f.root.find(".//f:ExtendedError/*", NS)
            self.assertTrue(ext.tag.endswith("}SMS_ExtendedStatus"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
