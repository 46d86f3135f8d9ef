"""Scenarios S-1 and S-5 (without the WIM work), S-4, S-10, S-12 and S-14
of the spec, and the
SMS Provider rules, through the real smsprov client on a real SQLite file."""
import json
import re
import sqlite3
import subprocess
import unittest

from cli_harness import Site

BOOT = "SMS_BootImagePackage"
OSIP = "SMS_OperatingSystemInstallPackage"
LAZY_BOOT = {
    "AlternateContentProviders", "BackgroundBitmapPath", "ContextID", "EnableLabShell",
    "ExtendedData", "ExtendedDataSize", "IconSize", "ImageDiskLayout", "ImageIndex",
    "ImageProperty", "ISVData", "ISVDataSize", "OptionalComponents", "PreExecCommandLine",
    "ReferencedDrivers", "RefreshPkgSourceFlag", "RefreshSchedule", "ScratchSpace",
}


def path_of(package_id, cls=BOOT):
    return f'{cls}.PackageID="{package_id}"'


class SchemaTest(unittest.TestCase):
    def setUp(self):
        self.site = Site("schema")

    def class_json(self, name, namespace=None):
        return self.site.ok("class", name, json_output=True, namespace=namespace).json()

    def test_boot_image_class_has_58_properties_and_13_methods(self):
        cls = self.class_json(BOOT)
        self.assertEqual(len(cls["properties"]), 58)
        self.assertEqual(len(cls["methods"]), 13)
        self.assertEqual(cls["superclass"], "SMS_PackageBaseclass")
        lazy = {p["name"] for p in cls["properties"]
                if any(q.lower() == "lazy" for q in p["qualifiers"])}
        self.assertEqual(lazy, LAZY_BOOT)
        static = {m["name"] for m in cls["methods"] if m["static"]}
        self.assertEqual(static, {"GetImageProperties", "QueryOSDBinaryInjectionStatus",
                                  "DeleteContextID", "ExportDefaultBootImage"})
        keys = [p["name"] for p in cls["properties"]
                if any(q.lower() == "key" for q in p["qualifiers"])]
        self.assertEqual(keys, ["PackageID"])

    def test_os_install_class_has_44_properties_and_7_methods(self):
        cls = self.class_json(OSIP)
        self.assertEqual(len(cls["properties"]), 44)
        self.assertEqual(len(cls["methods"]), 7)
        refresh = next(m for m in cls["methods"] if m["name"] == "RefreshPkgSource")
        self.assertEqual(refresh["parameters"], [])

    def test_class_as_mof(self):
        r = self.site.ok("class", BOOT)
        self.assertRegex(r.out, r"class SMS_BootImagePackage\s*:\s*SMS_PackageBaseclass")
        self.assertIn("QueryOSDBinaryInjectionStatus", r.out)

    def test_unknown_class_is_invalid_class(self):
        r = self.site.run("class", "SMS_NoSuchClass")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041010", r.err)

    def test_provider_location_describes_the_site(self):
        r = self.site.ok("enum", "SMS_ProviderLocation", namespace="root\\sms", json_output=True)
        rows = r.json()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["SiteCode"], "LAB")
        self.assertTrue(rows[0]["ProviderForLocalSite"])
        self.assertTrue(rows[0]["NamespacePath"].endswith("\\root\\sms\\site_LAB"))


class AddBootImageTest(unittest.TestCase):
    """S-1 (the WIM import itself lands with the servicing issue) and S-12."""

    def setUp(self):
        self.site = Site("s1")

    def test_create_assigns_id_type_version_and_scope(self):
        # Without ImagePath no import runs (test_servicing.py covers imports).
        p1 = self.site.create(BOOT, "Name=Boot x64", "Description=Lab boot image",
                              "ImageIndex=1")
        p2 = self.site.create(BOOT, "Name=Boot x86")
        self.assertEqual(p1, path_of("LAB00001"))
        self.assertEqual(p2, path_of("LAB00002"))
        obj = self.site.get(p1)
        self.assertEqual(obj["__CLASS"], BOOT)
        self.assertEqual(obj["PackageType"], 258)
        self.assertEqual(obj["SourceVersion"], 1)
        self.assertEqual(obj["SourceSite"], "LAB")
        self.assertEqual(obj["SecuredScopeNames"], ["Default"])
        self.assertEqual(obj["ActionInProgress"], 0)
        self.assertRegex(obj["SedoObjectVersion"], r"^[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}$")
        self.assertRegex(obj["SourceDate"], r"^\d{14}\.\d{6}\+000$")
        self.assertEqual(obj["ImageIndex"], 1)
        self.assertEqual(obj["ForcedDisconnectDelay"], 5)  # MOF default
        self.assertEqual(obj["PkgSourceFlag"], 1)
        self.assertFalse(obj["RefreshPkgSourceFlag"])

    def test_enumeration_leaves_lazy_properties_null_and_get_fills_them(self):
        path = self.site.create(BOOT, "Name=Lazy", "ImageIndex=2", "ScratchSpace=128",
                                "EnableLabShell=true")
        listed = self.site.ok("enum", BOOT, json_output=True).json()
        self.assertEqual(len(listed), 1)
        for name in LAZY_BOOT:
            self.assertIsNone(listed[0].get(name), name)
        full = self.site.get(path)
        self.assertEqual(full["ImageIndex"], 2)
        self.assertEqual(full["ScratchSpace"], 128)
        self.assertTrue(full["EnableLabShell"])

    def test_read_only_values_sent_are_ignored(self):
        path = self.site.create(BOOT, "Name=RO", "SourceVersion=99", "SourceSite=XYZ",
                                "PackageSize=5", "Architecture=arm64")
        obj = self.site.get(path)
        self.assertEqual(obj["SourceVersion"], 1)
        self.assertEqual(obj["SourceSite"], "LAB")
        self.assertEqual(obj["PackageSize"], 0)
        self.assertEqual(obj["Architecture"], "")
        changed = self.site.ok("set", path, "Name=RO2", "SourceVersion=7",
                               json_output=True).json()
        self.assertEqual(changed["Name"], "RO2")
        self.assertEqual(changed["SourceVersion"], 1)

    def test_stale_sedo_object_version_is_refused(self):
        path = self.site.create(BOOT, "Name=Sedo")
        old = self.site.get(path)["SedoObjectVersion"]
        self.site.ok("set", path, "Description=first change")
        new = self.site.get(path)["SedoObjectVersion"]
        self.assertNotEqual(old, new)
        r = self.site.run("set", path, "Description=second change", f"SedoObjectVersion={old}")
        self.assertEqual(r.code, 1, r)
        self.assertIn("changed", r.err)
        self.assertEqual(self.site.get(path)["Description"], "first change")

    def test_ids_are_never_reused(self):
        p1 = self.site.create(BOOT, "Name=a")
        self.site.ok("delete", p1)
        p2 = self.site.create(BOOT, "Name=b")
        self.assertEqual(p2, path_of("LAB00002"))
        r = self.site.run("get", p1)
        self.assertEqual(r.code, 1)
        self.assertIn("0x80041002", r.err)


class OsInstallPackageTest(unittest.TestCase):
    """S-4, and the base class enumeration."""

    def setUp(self):
        # PkgSourcePath must lie under a share.
        self.site = Site("s4", shares={"\\\\lab\\os": "os"})

    def test_add_os_install_package(self):
        boot = self.site.create(BOOT, "Name=boot")
        osip = self.site.create(OSIP, "Name=Windows 11", "Description=Install",
                                "PkgSourceFlag=2", "PkgSourcePath=\\\\lab\\os\\win11")
        self.assertEqual(osip, path_of("LAB00002", OSIP))
        obj = self.site.get(osip)
        self.assertEqual(obj["PackageType"], 259)
        self.assertEqual(obj["PkgSourceFlag"], 2)
        self.assertEqual(obj["ImageProperty"], "")
        everything = self.site.ok("enum", "SMS_PackageBaseclass", json_output=True).json()
        self.assertEqual(sorted(o["PackageID"] for o in everything), ["LAB00001", "LAB00002"])
        self.assertEqual(len(self.site.ok("enum", OSIP, json_output=True).json()), 1)
        via_base = self.site.get('SMS_PackageBaseclass.PackageID="LAB00001"')
        self.assertEqual(via_base["__CLASS"], BOOT)
        self.assertTrue(boot)

    def test_refresh_pkg_source_increments_source_version(self):
        path = self.site.create(OSIP, "Name=refresh", "PkgSourceFlag=2",
                                "PkgSourcePath=\\\\lab\\os")
        before = self.site.get(path)
        out = self.site.ok("invoke", path, "RefreshPkgSource", json_output=True).json()
        self.assertEqual(out["ReturnValue"], 0)
        after = self.site.get(path)
        self.assertEqual(after["SourceVersion"], before["SourceVersion"] + 1)
        self.assertNotEqual(after["SedoObjectVersion"], before["SedoObjectVersion"])
        flagged = self.site.ok("set", path, "RefreshPkgSourceFlag=true", json_output=True).json()
        self.assertEqual(flagged["SourceVersion"], before["SourceVersion"] + 2)
        self.assertFalse(flagged["RefreshPkgSourceFlag"])

    def test_set_source_site_and_unlock(self):
        path = self.site.create(OSIP, "Name=site")
        self.site.ok("invoke", path, "SetSourceSite", "SourceSite=CEN")
        self.assertEqual(self.site.get(path)["SourceSite"], "CEN")
        self.site.ok("invoke", path, "Unlock")
        self.assertEqual(self.site.get(path)["SourceSite"], "LAB")
        r = self.site.run("invoke", path, "SetSourceSite", "SourceSite=toolong")
        self.assertEqual(r.code, 1, r)
        self.assertIn("SourceSite", r.err)


class RulesTest(unittest.TestCase):
    """Every validation rule: the put is refused, with a sentence naming the
    property and the rule, and nothing changes."""

    def setUp(self):
        self.site = Site("rules")
        self.path = self.site.create(BOOT, "Name=rules")

    def refused(self, *assignments, code="0x80041008", mention=None):
        before = self.site.get(self.path)
        r = self.site.run("set", self.path, *assignments)
        self.assertEqual(r.code, 1, r)
        self.assertIn(code, r.err)
        if mention:
            self.assertIn(mention, r.err)
        self.assertEqual(self.site.get(self.path), before)
        return r

    def test_scratch_space_values(self):
        self.refused("ScratchSpace=100", mention="ScratchSpace")
        for mb in (32, 64, 128, 256, 512):
            self.site.ok("set", self.path, f"ScratchSpace={mb}")

    def test_share_type_2_needs_share_name(self):
        self.refused("ShareType=2", mention="ShareName")
        self.refused("ShareType=3", mention="ShareType")
        self.site.ok("set", self.path, "ShareType=2", "ShareName=BootShare")

    def test_refresh_schedule_needs_pkg_source_flag_2(self):
        token = '[{"__CLASS":"SMS_ST_RecurInterval","DaySpan":1}]'
        self.refused(f"RefreshSchedule={token}", mention="PkgSourceFlag")
        self.site.ok("set", self.path, "PkgSourceFlag=2", f"RefreshSchedule={token}")

    def test_refresh_schedule_token_rules(self):
        self.site.ok("set", self.path, "PkgSourceFlag=2")
        one = '{"__CLASS":"SMS_ST_RecurInterval","DaySpan":1}'
        self.refused("RefreshSchedule=[" + ",".join([one] * 16) + "]", mention="15")
        self.refused('RefreshSchedule=[{"__CLASS":"SMS_ST_RecurInterval","HourSpan":30}]',
                     mention="HourSpan")
        self.refused('RefreshSchedule=[{"__CLASS":"SMS_ST_RecurWeekly","ForNumberOfWeeks":5}]',
                     mention="ForNumberOfWeeks")
        self.refused('RefreshSchedule=[{"__CLASS":"SMS_ScheduleToken"}]', mention="abstract")
        self.site.ok("set", self.path, "RefreshSchedule=[" + ",".join([one] * 15) + "]")

    def test_optional_component_ids(self):
        self.refused("OptionalComponents=[23]", mention="OptionalComponents")
        self.refused("OptionalComponents=[53]", mention="53")
        self.site.ok("set", self.path, "OptionalComponents=[26,27]")

    def test_type_mismatch(self):
        self.refused("ScratchSpace=lots", code="0x80041005", mention="ScratchSpace")
        self.refused("EnableLabShell=maybe", code="0x80041005")
        self.refused("ImageIndex=-1", code="0x80041005")

    def test_embedded_driver_details_need_source_path(self):
        self.refused('ReferencedDrivers=[{"__CLASS":"SMS_Driver_Details","ID":5}]',
                     mention="SourcePath")
        self.site.ok("set", self.path, 'ReferencedDrivers=[{"__CLASS":"SMS_Driver_Details",'
                                       '"ID":5,"SourcePath":"\\\\\\\\lab\\\\drivers\\\\nic"}]')
        drivers = self.site.get(self.path)["ReferencedDrivers"]
        self.assertEqual(drivers, [{"__CLASS": "SMS_Driver_Details", "ID": 5,
                                    "SourcePath": "\\\\lab\\drivers\\nic"}])

    def test_package_type_is_fixed(self):
        self.refused("PackageType=0", mention="258")
        self.site.ok("set", self.path, "PackageType=258")


class WmiSemanticsTest(unittest.TestCase):
    def setUp(self):
        self.site = Site("wmi")

    def test_abstract_class_cannot_be_instantiated(self):
        r = self.site.run("create", "SMS_PackageBaseclass", "Name=x")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041016", r.err)
        self.assertIn("abstract", r.err)

    def test_embedded_classes_cannot_be_used_on_their_own(self):
        for words in (("enum", "SMS_Driver_Details"),
                      ("get", 'SMS_Driver_Details.ID=1'),
                      ("create", "SMS_ST_NonRecurring")):
            r = self.site.run(*words)
            self.assertEqual(r.code, 1, r)
            self.assertIn("embedded", r.err)

    def test_bad_object_paths(self):
        for path in ('SMS_BootImagePackage.PackageID="LAB00001', 'SMS_BootImagePackage.Nope="x"',
                     "SMS_BootImagePackage", '.PackageID="x"'):
            r = self.site.run("get", path)
            self.assertEqual(r.code, 1, (path, r))
            self.assertTrue(re.search(r"0x8004103A|0x80041010", r.err), (path, r))

    def test_path_forms_reach_the_same_instance(self):
        self.site.create(BOOT, "Name=forms")
        for path in ("SMS_BootImagePackage.PackageID='LAB00001'",
                     'sms_bootimagepackage.packageid="lab00001"',
                     '\\\\server\\root\\sms\\site_LAB:SMS_BootImagePackage.PackageID="LAB00001"'):
            self.assertEqual(self.site.get(path)["Name"], "forms", path)

    def test_unknown_method_and_update_optional_components(self):
        path = self.site.create(BOOT, "Name=m")
        r = self.site.run("invoke", path, "Explode")
        self.assertEqual(r.code, 1)
        self.assertIn("Explode", r.err)
        self.assertIn("0x8004102E", r.err)
        # Without an ImagePath there is no content to rebuild: the IDs are stored.
        out = self.site.ok("invoke", path, "UpdateOptionalComponents", 'ComponentIds=["27"]',
                           json_output=True).json()
        self.assertEqual(out["ReturnValue"], 0)
        self.assertEqual(self.site.get(path)["OptionalComponents"], [27])
        r = self.site.run("invoke", path, "UpdateOptionalComponents", 'ComponentIds=["99"]')
        self.assertEqual(r.code, 1, r)
        self.assertIn("99", r.err)

    def test_image_path_outside_every_share_is_refused(self):
        r = self.site.run("create", BOOT, "Name=nowhere", "ImagePath=\\\\lab\\sources\\boot.wim")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041008", r.err)
        self.assertIn("\\\\lab\\sources\\boot.wim", r.err)
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])

    def test_usage_errors_exit_2(self):
        self.assertEqual(self.site.run("frobnicate").code, 2)
        self.assertEqual(self.site.run("create", BOOT, "NoEquals").code, 2)

    def test_processes_opening_a_new_site_at_once(self):
        procs = [subprocess.Popen(self.site.base_args() + ["create", BOOT, f"Name=race{i}"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(8)]
        results = [p.communicate(timeout=60) + (p.returncode,) for p in procs]
        self.assertEqual([r[2] for r in results], [0] * 8, results)
        ids = sorted(o["PackageID"] for o in self.site.ok("enum", BOOT, json_output=True).json())
        self.assertEqual(ids, [f"LAB{n:05X}" for n in range(1, 9)])

    def test_database_is_sound(self):
        self.site.create(BOOT, "Name=x")
        db = sqlite3.connect(self.site.db)
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(db.execute("PRAGMA journal_mode").fetchone()[0], "wal")


class SiteSystemsTest(unittest.TestCase):
    """S-5 without the WIM work, S-10 and the DP part of S-14: the site's
    systems from --server and --dp, NAL paths, distribution point rows."""

    def setUp(self):
        self.site = Site("systems")

    def run_with(self, *words, json_output=True):
        return self.site.ok("--server", "SITE1", "--dp", "DP01=dp01.lab.example", *words,
                            json_output=json_output)

    def test_s5_s10_s14(self):
        self.assertIn("SMS_ImagePackage : SMS_PackageBaseclass", self.site.ok("classes").out)
        self.assertIn("SMS_SystemResourceList", self.site.ok("classes").out)
        image = self.site.create("SMS_ImagePackage", "Name=Windows 11", "PkgSourceFlag=2")
        obj = self.site.get(image)
        self.assertEqual(obj["PackageType"], 257)
        self.assertEqual(obj["SecuredScopeNames"], ["Default"])
        rows = self.run_with("query", "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS "
                             "Distribution Point' AND SiteCode='LAB' AND ServerName='DP01'").json()
        self.assertEqual(len(rows), 1)
        nal = rows[0]["NALPath"]
        self.assertEqual(nal, '["Display=\\\\DP01\\"]MSWNET:["SMS_SITE=LAB"]\\\\DP01\\')
        # a later call without --server/--dp keeps what was written
        again = self.site.ok("query", "SELECT * FROM SMS_SystemResourceList", json_output=True)
        self.assertEqual(len(again.json()), 3)
        parts = self.site.ok("invoke", "SMS_NAL_Methods", "UnPackNALPath", f"NALPath={nal}",
                             json_output=True).json()
        packed = self.site.ok("invoke", "SMS_NAL_Methods", "PackNALPath",
                              "DisplayQualifiers=" + json.dumps(parts["DisplayQualifiers"]),
                              "NALType=MSWNET", "NetworkOSPath=" + parts["NetworkOSPath"],
                              "NetworkConnectionQualifiers=" +
                              json.dumps(parts["NetworkConnectionQualifiers"]),
                              json_output=True).json()
        self.assertEqual(packed["NALPath"], nal)
        dp = self.site.create("SMS_DistributionPoint", f"PackageID={obj['PackageID']}",
                              f"ServerNALPath={nal}", "SiteCode=LAB")
        row = self.site.get(dp)
        self.assertEqual(row["ObjectTypeID"], 18)
        self.assertEqual(row["Status"], 2)
        refreshed = self.site.ok("set", dp, "RefreshNow=true", json_output=True).json()
        self.assertFalse(refreshed["RefreshNow"])
        self.assertGreater(refreshed["LastRefreshTime"], row["LastRefreshTime"])
        self.assertEqual(self.site.get(image)["SourceVersion"], 1)
        # the list is the server's
        r = self.site.run("create", "SMS_SystemResourceList", "NALPath=x", "ResourceType=x",
                          "RoleName=x", "SiteCode=LAB")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041003", r.err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
