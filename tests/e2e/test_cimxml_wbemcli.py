"""The CIM-XML door of a real smsprovd, driven by Debian's wbemcli: ec, ecn,
gc, ei, ein, gi, ci, mi, di and cm through scenarios S-1, S-4, S-5, S-6,
S-7, S-8, S-9, S-10 and S-14 of the spec (curl where wbemcli cannot send
arrays, queries or keys holding quotes); then malformed requests over raw HTTP, each refused with the
DSP0200 answer it calls for while the server stays up; then HTTPS."""
import os
import re
import shutil
import subprocess
import sys
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from cimxml_harness import (LOCAL_NS, MKWINPE, PACKAGE_ID, SITE_NS, WBEMCLI, Server, cim_error,
                            imethod, op_headers, props, request, unquote)

BOOT = "SMS_BootImagePackage"
OSIP = "SMS_OperatingSystemInstallPackage"
IMAGE = "SMS_ImagePackage"
DP = "SMS_DistributionPoint"
DP01_NAL = '["Display=\\\\DP01\\"]MSWNET:["SMS_SITE=LAB"]\\\\DP01\\'


def image(package_id):
    return '%s.PackageID="%s"' % (IMAGE, package_id)


def xml_text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


def key_bindings(cls, keys):
    return '<INSTANCENAME CLASSNAME="%s">%s</INSTANCENAME>' % (cls, "".join(
        '<KEYBINDING NAME="%s"><KEYVALUE VALUETYPE="string">%s</KEYVALUE></KEYBINDING>'
        % (k, xml_text(v)) for k, v in keys))


def instance_xml(cls, values):
    """values: (name, type, value) with value a str or a list (an array)."""
    parts = []
    for name, cim_type, value in values:
        if isinstance(value, list):
            inner = "<VALUE.ARRAY>%s</VALUE.ARRAY>" % "".join(
                "<VALUE>%s</VALUE>" % xml_text(v) for v in value)
            parts.append('<PROPERTY.ARRAY NAME="%s" TYPE="%s">%s</PROPERTY.ARRAY>'
                         % (name, cim_type, inner))
        else:
            parts.append('<PROPERTY NAME="%s" TYPE="%s"><VALUE>%s</VALUE></PROPERTY>'
                         % (name, cim_type, xml_text(value)))
    return '<INSTANCE CLASSNAME="%s">%s</INSTANCE>' % (cls, "".join(parts))


def method_call(name, target, params):
    """A METHODCALL on a class (target a class name) or an instance
    (target (class, keys)); params: (name, value) with value a str or list."""
    if isinstance(target, str):
        path = '<LOCALCLASSPATH>%s<CLASSNAME NAME="%s"/></LOCALCLASSPATH>' % (LOCAL_NS, target)
    else:
        path = '<LOCALINSTANCEPATH>%s%s</LOCALINSTANCEPATH>' % (LOCAL_NS,
                                                                key_bindings(*target))
    body = ""
    for pname, value in params:
        if isinstance(value, list):
            body += ('<PARAMVALUE NAME="%s" PARAMTYPE="string"><VALUE.ARRAY>%s</VALUE.ARRAY>'
                     '</PARAMVALUE>' % (pname, "".join("<VALUE>%s</VALUE>" % xml_text(v)
                                                       for v in value)))
        else:
            body += ('<PARAMVALUE NAME="%s" PARAMTYPE="string"><VALUE>%s</VALUE></PARAMVALUE>'
                     % (pname, xml_text(value)))
    return request('<METHODCALL NAME="%s">%s%s</METHODCALL>' % (name, path, body))


def object_header(path):
    """The CIMObject header naming a method call's target."""
    return urllib.parse.quote("%s:%s" % (SITE_NS, path), safe="")


def instances_of(text):
    """[{name: value or [values]}] of the INSTANCEs in a response."""
    out = []
    for inst in ET.fromstring(text).iter("INSTANCE"):
        values = {}
        for p in inst:
            if p.tag == "PROPERTY.ARRAY":
                values[p.get("NAME")] = [v.text or "" for v in p.iter("VALUE")]
            else:
                values[p.get("NAME")] = p.findtext("VALUE")
        out.append(values)
    return out


def boot(package_id):
    return '%s.PackageID="%s"' % (BOOT, package_id)


def osip(package_id):
    return '%s.PackageID="%s"' % (OSIP, package_id)


def method_out(output):
    """(ReturnValue, {param: value}) of `wbemcli -nl cm` output."""
    first, *rest = output.strip().splitlines()
    rv = int(first.rsplit(":", 1)[1])
    params = {}
    for line in rest:
        m = re.match(r"\s*(\w+) \((\w+)\): ?(.*)$", line)
        if m:
            params[m.group(1)] = m.group(3)
    return rv, params


def created_id(result):
    m = PACKAGE_ID.search(result.out)
    assert m, result
    return m.group(1)


class WbemcliScenarios(unittest.TestCase):
    """One server for the scenarios; each test makes its own packages."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("cimxml-wbemcli", extra_lines=[
            "[site]", "server = SITE1",
            "[distribution_points]", "DP01 = dp01.lab.example", "DP02 ="])
        cls.boot_wim = cls.server.image("boot_x64.wim", "--arch", "x64")
        os.makedirs(os.path.join(cls.server.sources, "os"))
        cls.install_wim = os.path.join(cls.server.sources, "os", "install.wim")
        subprocess.run([MKWINPE, "install", cls.install_wim], check=True, capture_output=True,
                       timeout=300)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.s = self.server

    def gi(self, path, *names):
        return props(self.s.ok("gi", path, *([",".join(names)] if names else []),
                               flags=["-nl"]).out)

    def call(self, path, method_and_args):
        return method_out(self.s.ok("cm", path, method_and_args, flags=["-nl"]).out)

    def wait_for_status(self, context, timeout=60):
        """Polls QueryOSDBinaryInjectionStatus until Status is 0 (complete) or 2
        (error); returns the last answer."""
        deadline = time.time() + timeout
        seen = []
        while time.time() < deadline:
            rv, out = self.call(BOOT, 'QueryOSDBinaryInjectionStatus.ContextID="%s"' % context)
            self.assertEqual(rv, 0)
            seen.append(out["Status"])
            if out["Status"] in ("0", "2"):
                return out, seen
            time.sleep(0.1)
        self.fail("context %s still running after %ds: %s" % (context, timeout, seen))

    # ---- classes ---------------------------------------------------------------

    def test_ec_ecn_gc(self):
        names = self.s.ok("ecn", "").out.split()
        self.assertIn("127.0.0.1:%d/%s:%s" % (self.s.port, SITE_NS, BOOT), names)
        self.assertIn("127.0.0.1:%d/%s:%s" % (self.s.port, SITE_NS, OSIP), names)
        classes = self.s.ok("ec", "").out
        self.assertIn("SMS_PackageBaseclass", classes)
        self.assertIn("ImagePath=", classes)
        gc = self.s.ok("gc", BOOT, flags=["-nl"]).out
        for prop in ("PackageID", "ImagePath", "ReferencedDrivers", "OptionalComponents"):
            self.assertIn("-%s=" % prop, gc)
        self.assertEqual(gc.count("\n-"), 58, gc)
        r = self.s.wbemcli("gc", "SMS_NoSuchClass")
        self.assertEqual(r.code, 16, r)
        self.assertIn("(6)", r.err)
        self.assertIn("SMS_NoSuchClass", r.err)

    # ---- S-1: add a boot image from a WIM ------------------------------------------

    def test_s1_add_boot_image(self):
        r = self.s.ok("ci", boot("LAB00000"),
                      'Name="Boot x64",Description="Lab boot image",ImagePath="%s",'
                      'ImageIndex=1,ContextID="s1-import",EnableLabShell=true,'
                      'OptionalComponents=27,28' % self.boot_wim)
        pid = created_id(r)
        self.assertNotEqual(pid, "LAB00000")  # the key is the server's to make
        p = self.gi(boot(pid))
        self.assertEqual(p["PackageType"], "258")
        self.assertEqual(p["Name"], '"Boot x64"')
        self.assertEqual(p["SourceVersion"], "1")
        self.assertEqual(p["EnableLabShell"], "true")
        self.assertIn('"Default"', p["SecuredScopeNames"])
        self.assertEqual(p["Architecture"], '"x64"')  # filled from the WIM
        self.assertIn("10.0.22621", p["ImageOSVersion"])
        self.assertIn("<WIM>", p["ImageProperty"].replace("&lt;", "<"))
        self.assertTrue(unquote(p["PkgSourcePath"]).lower().endswith(
            "boot.%s.wim" % pid.lower()), p["PkgSourcePath"])
        out, _ = self.wait_for_status("s1-import")
        self.assertEqual(out["Status"], "0")
        # enumerations: the package by name, and with its values (lazy ones null)
        names = self.s.ok("ein", BOOT).out
        self.assertIn(boot(pid), names)
        listing = self.s.ok("ei", BOOT, flags=["-nl"]).out
        self.assertIn('-Name="Boot x64"', listing)
        self.assertIn("-ImageProperty=\n", listing + "\n")  # lazy: null in enumerations
        restricted = self.s.ok("ei", BOOT, "Name,PackageID", flags=["-nl"]).out
        self.assertNotIn("-Description=", restricted)
        self.assertIn('-PackageID="%s"' % pid, restricted)

    def test_s1_bad_image_path_creates_nothing(self):
        before = self.s.ok("ein", BOOT).out
        r = self.s.wbemcli("ci", boot("X"), 'Name="bad",ImagePath="\\\\elsewhere\\x\\boot.wim"')
        self.assertEqual(r.code, 16, r)
        self.assertIn("(4)", r.err)
        self.assertIn("share", r.err)
        r = self.s.wbemcli("ci", boot("X"), 'Name="bad",ScratchSpace=lots')
        self.assertEqual(r.code, 16, r)
        self.assertIn("(13)", r.err)
        self.assertIn("ScratchSpace", r.err)
        self.assertEqual(self.s.ok("ein", BOOT).out, before)

    def test_mi_and_di(self):
        pid = created_id(self.s.ok("ci", boot("X"), 'Name="to change",Description="v1"'))
        self.s.ok("mi", boot(pid), 'Name="changed",ScratchSpace=128')
        p = self.gi(boot(pid), "Name", "Description", "ScratchSpace")
        self.assertEqual(p, {"Name": '"changed"', "Description": '"v1"', "ScratchSpace": "128"})
        r = self.s.wbemcli("mi", boot(pid), "ScratchSpace=-5")
        self.assertEqual(r.code, 16, r)
        self.assertIn("(13)", r.err)
        self.assertEqual(self.gi(boot(pid), "ScratchSpace")["ScratchSpace"], "128")
        self.s.ok("di", boot(pid))
        r = self.s.wbemcli("gi", boot(pid))
        self.assertEqual(r.code, 16, r)
        self.assertIn("(6)", r.err)
        self.assertIn(pid, r.err)
        r = self.s.wbemcli("di", boot(pid))
        self.assertEqual(r.code, 16, r)
        self.assertIn("(6)", r.err)

    # ---- S-4: add an OS install package --------------------------------------------

    def make_os_media(self, name):
        self.s.image(name + "\\sources\\install.wim", "--arch", "x64", "--name",
                     "Windows 11 Enterprise")
        return "\\\\lab\\sources\\" + name

    def test_s4_add_os_install_package(self):
        media = self.make_os_media("win11")
        pid = created_id(self.s.ok("ci", osip("X"), 'Name="Windows 11",Description="Scripted",'
                                   'PkgSourceFlag=2,PkgSourcePath="%s"' % media))
        p = self.gi(osip(pid))
        self.assertEqual(p["PackageType"], "259")
        self.assertEqual(p["PkgSourceFlag"], "2")
        self.assertEqual(unquote(p["PkgSourcePath"]), media)
        self.assertIn(osip(pid), self.s.ok("ein", OSIP).out)
        # a deep enumeration of the base class holds both kinds
        base = self.s.ok("ein", "SMS_PackageBaseclass").out
        self.assertIn(osip(pid), base)
        # RefreshPkgSource on an OS install package takes no parameters
        rv, _ = self.call(osip(pid), "RefreshPkgSource")
        self.assertEqual(rv, 0)
        self.assertEqual(self.gi(osip(pid), "SourceVersion")["SourceVersion"], "2")

    # ---- S-8: reload image properties, then put -------------------------------------

    def test_s8_reload_image_properties(self):
        pid = created_id(self.s.ok("ci", boot("X"), 'Name="reload",ImagePath="%s",ImageIndex=1'
                                   % self.boot_wim))
        before = self.gi(boot(pid))
        other = self.s.image("boot_x64_fr.wim", "--arch", "x64", "--lang", "fr-FR",
                             "--version", "10.0.26100.1")
        self.s.ok("mi", boot(pid), 'ImagePath="%s"' % other)
        rv, _ = self.call(boot(pid), "ReloadImageProperties")
        self.assertEqual(rv, 0)
        self.s.ok("mi", boot(pid), 'Description="reloaded"')  # the caller commits
        after = self.gi(boot(pid))
        self.assertEqual(after["Description"], '"reloaded"')
        self.assertIn("10.0.26100", after["ImageOSVersion"])
        self.assertNotEqual(before["ImageProperty"], after["ImageProperty"])

        media = self.make_os_media("win11_s8")
        opid = created_id(self.s.ok("ci", osip("X"), 'Name="OS",PkgSourceFlag=2,'
                                    'PkgSourcePath="%s"' % media))
        rv, _ = self.call(osip(opid), "ReloadImageProperties")
        self.assertEqual(rv, 0)
        self.s.ok("mi", osip(opid), 'Description="reloaded"')
        image_property = self.gi(osip(opid), "ImageProperty")["ImageProperty"]
        self.assertIn("Windows 11 Enterprise", image_property)

    # ---- S-5, S-6, S-7: OS image packages -------------------------------------------

    def test_s5_add_os_image_package_and_s7_view_properties(self):
        with open(self.install_wim, "rb") as f:
            before = f.read()
        pid = created_id(self.s.ok("ci", image("X"), 'Name="Windows 11",Description="OS image",'
                                   'PkgSourceFlag=2,PkgSourcePath="\\\\lab\\sources\\os\\'
                                   'install.wim"'))
        p = self.gi(image(pid))
        self.assertEqual(p["PackageType"], "257")
        self.assertEqual(p["SourceVersion"], "1")
        self.assertIn('"Default"', p["SecuredScopeNames"])
        xml = ET.fromstring(unquote(p["ImageProperty"]))
        self.assertEqual([i.get("Name") for i in xml.findall("IMAGE")],
                         ["Windows 11 Enterprise", "Windows 10 Pro", "Windows 11 Pro"])
        self.assertEqual([i.find("Property[@Name='Architecture']").text
                          for i in xml.findall("IMAGE")], ["9", "0", "12"])
        self.assertIn(image(pid), self.s.ok("ein", IMAGE).out)
        self.assertIn("-ImageDiskLayout=\n", self.s.ok("ei", IMAGE, flags=["-nl"]).out + "\n")
        with open(self.install_wim, "rb") as f:
            self.assertEqual(f.read(), before)  # no OSD binaries go into an OS image
        # S-7: GetImageProperties on the class
        rv, out = self.call(IMAGE, 'GetImageProperties.SourceImagePath="\\\\lab\\sources'
                                   '\\os\\install.wim"')
        self.assertEqual(rv, 0)
        self.assertIn("Windows 10 Pro", out["ImageProperty"])

    def test_s6_update_os_image_package_both_ways(self):
        pid = created_id(self.s.ok("ci", image("X"), 'Name="S-6",PkgSourceFlag=2,'
                                   'PkgSourcePath="\\\\lab\\sources\\os\\install.wim"'))
        # the sample: a new PkgSourcePath, put, RefreshPkgSource
        media = self.make_os_media("win11_s6")
        self.s.ok("mi", image(pid), 'PkgSourcePath="%s"' % media)
        p = self.gi(image(pid))
        self.assertIn("Windows 11 Enterprise", p["ImageProperty"])
        self.assertNotIn("Windows 10 Pro", p["ImageProperty"])
        rv, _ = self.call(image(pid), "RefreshPkgSource")
        self.assertEqual(rv, 0)
        q = self.gi(image(pid))
        self.assertEqual(q["SourceVersion"], "2")
        self.assertGreater(q["SourceDate"], p["SourceDate"])
        # the text: ReloadImageProperties, then commit the object
        self.s.image("win11_s6\\sources\\install.wim", "--arch", "x86", "--name", "Recaptured")
        rv, _ = self.call(image(pid), "ReloadImageProperties")
        self.assertEqual(rv, 0)
        self.s.ok("mi", image(pid), 'Description="reloaded"')
        r = self.gi(image(pid))
        self.assertEqual(r["Description"], '"reloaded"')
        self.assertIn("Recaptured", r["ImageProperty"])

    def test_bad_os_image_sources_create_nothing(self):
        before = self.s.ok("ein", IMAGE).out
        with open(os.path.join(self.s.sources, "os", "text.wim"), "w") as f:
            f.write("not a WIM\n")
        with open(self.install_wim, "rb") as f:
            data = bytearray(f.read())
        for i in range(8000, 8400):
            data[i] ^= 0xFF
        with open(os.path.join(self.s.sources, "os", "damaged.wim"), "wb") as f:
            f.write(data)
        for path, words in (("\\\\lab\\sources\\os\\text.wim", "text.wim"),
                            ("\\\\lab\\sources\\os\\damaged.wim", "(wimlib error"),
                            ("\\\\elsewhere\\x\\install.wim", "outside every share")):
            r = self.s.wbemcli("ci", image("X"), 'Name="bad",PkgSourcePath="%s"' % path)
            self.assertEqual(r.code, 16, r)
            self.assertIn("(4)", r.err)
            self.assertIn(words, r.err)
        self.assertEqual(self.s.ok("ein", IMAGE).out, before)

    # ---- S-10, S-14: distribution points (curl: arrays, quoted keys, queries) --------

    def query(self, wql):
        status, text = self.s.curl(imethod(
            "ExecQuery", '<IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE>'
            '<IPARAMVALUE NAME="Query"><VALUE>%s</VALUE></IPARAMVALUE>' % xml_text(wql)),
            "ExecQuery")
        self.assertEqual(status, 200, text)
        self.assertIsNone(cim_error(text), text)
        return instances_of(text)

    def get_dp(self, keys):
        status, text = self.s.curl(imethod("GetInstance", '<IPARAMVALUE NAME="InstanceName">%s'
                                           '</IPARAMVALUE>' % key_bindings(DP, keys)),
                                   "GetInstance")
        self.assertEqual(status, 200, text)
        self.assertIsNone(cim_error(text), text)
        return instances_of(text)[0]

    def test_s10_distribution_point_and_s14_refresh_now(self):
        pid = created_id(self.s.ok("ci", image("X"), 'Name="S-10",PkgSourceFlag=2,'
                                   'PkgSourcePath="\\\\lab\\sources\\os\\install.wim"'))
        rows = self.query("SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS Distribution "
                          "Point' AND SiteCode='LAB' AND ServerName='DP01'")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["NALPath"], DP01_NAL)
        self.assertEqual(len(self.query("SELECT * FROM SMS_SystemResourceList WHERE "
                                        "RoleName='SMS Distribution Point'")), 2)
        # PackNALPath / UnPackNALPath on the same string
        status, text = self.s.curl(method_call("UnPackNALPath", "SMS_NAL_Methods",
                                               [("NALPath", DP01_NAL)]), "UnPackNALPath",
                                   object_header("SMS_NAL_Methods"))
        self.assertEqual(status, 200, text)
        out = {p.get("NAME"): [v.text for v in p.iter("VALUE")]
               for p in ET.fromstring(text).iter("PARAMVALUE")}
        self.assertEqual(out["NALType"], ["MSWNET"])
        self.assertEqual(out["NetworkConnectionQualifiers"], ["SMS_SITE=LAB"])
        status, text = self.s.curl(method_call("PackNALPath", "SMS_NAL_Methods", [
            ("DisplayQualifiers", out["DisplayQualifiers"]), ("NALType", "MSWNET"),
            ("NetworkOSPath", out["NetworkOSPath"][0]),
            ("NetworkConnectionQualifiers", out["NetworkConnectionQualifiers"])]), "PackNALPath",
            object_header("SMS_NAL_Methods"))
        self.assertEqual(status, 200, text)
        packed = {p.get("NAME"): p.findtext("VALUE") for p in ET.fromstring(text).iter("PARAMVALUE")}
        self.assertEqual(packed["NALPath"], DP01_NAL)
        # S-10: the DP row, put with the row's NALPath and SiteCode
        new = instance_xml(DP, [("PackageID", "string", pid), ("ServerNALPath", "string",
                                                                rows[0]["NALPath"]),
                                ("SiteCode", "string", rows[0]["SiteCode"])])
        status, text = self.s.curl(imethod("CreateInstance", '<IPARAMVALUE NAME="NewInstance">%s'
                                           '</IPARAMVALUE>' % new), "CreateInstance")
        self.assertEqual(status, 200, text)
        self.assertIsNone(cim_error(text), text)
        keys = [("PackageID", pid), ("ServerNALPath", DP01_NAL), ("SiteCode", "LAB")]
        dp = self.get_dp(keys)
        self.assertEqual(dp["ObjectTypeID"], "18")
        self.assertEqual(dp["Status"], "2")
        self.assertNotEqual(dp["LastRefreshTime"], "19900101000000.000000+***")
        # S-14: RefreshNow = TRUE re-stamps this DP, reads back FALSE
        version = self.gi(image(pid), "SourceVersion")["SourceVersion"]
        modified = ('<IPARAMVALUE NAME="ModifiedInstance"><VALUE.NAMEDINSTANCE>%s%s'
                    '</VALUE.NAMEDINSTANCE></IPARAMVALUE><IPARAMVALUE NAME="PropertyList">'
                    '<VALUE.ARRAY><VALUE>RefreshNow</VALUE></VALUE.ARRAY></IPARAMVALUE>'
                    % (key_bindings(DP, keys), instance_xml(DP, [
                        ("PackageID", "string", pid), ("ServerNALPath", "string", DP01_NAL),
                        ("SiteCode", "string", "LAB"), ("RefreshNow", "boolean", "TRUE")])))
        status, text = self.s.curl(imethod("ModifyInstance", modified), "ModifyInstance")
        self.assertEqual(status, 200, text)
        self.assertIsNone(cim_error(text), text)
        again = self.get_dp(keys)
        self.assertEqual(again["RefreshNow"].lower(), "false")
        self.assertGreater(again["LastRefreshTime"], dp["LastRefreshTime"])
        self.assertEqual(self.gi(image(pid), "SourceVersion")["SourceVersion"], version)
        # S-14: RefreshPkgSourceFlag through wbemcli mi
        self.s.ok("mi", image(pid), "RefreshPkgSourceFlag=true")
        p = self.gi(image(pid), "SourceVersion", "RefreshPkgSourceFlag")
        self.assertEqual(p["SourceVersion"], str(int(version) + 1))
        self.assertEqual(p["RefreshPkgSourceFlag"], "false")
        # AddDistributionPoints (arrays: curl) gives DP02 the row a put would
        nal2 = self.query("SELECT * FROM SMS_SystemResourceList WHERE ServerName='DP02'")[0]
        status, text = self.s.curl(method_call("AddDistributionPoints", (IMAGE, [("PackageID", pid)]),
                                               [("SiteCode", ["LAB"]),
                                                ("NALPath", [nal2["NALPath"]])]),
                                   "AddDistributionPoints", object_header(image(pid)))
        self.assertEqual(status, 200, text)
        self.assertIsNone(cim_error(text), text)
        both = self.query("SELECT * FROM SMS_DistributionPoint WHERE PackageID='%s'" % pid)
        self.assertEqual(len(both), 2)
        for name in ("ObjectTypeID", "PackageType", "SecureObjectID", "SiteName", "SourceSite"):
            self.assertEqual(both[0][name], both[1][name], name)

    # ---- S-9: export the default boot image, poll injection -------------------------

    def test_s9_export_and_poll_injection(self):
        r = self.s.wbemcli("cm", BOOT, 'ExportDefaultBootImage.Architecture="x64",ImageIndex=1,'
                           'ExportImagePath="%s\\export\\boot.wim"' % "\\\\lab\\sources",
                           flags=["-nl"])
        self.assertEqual(r.code, 0, r)
        rv, _ = method_out(r.out)
        self.assertEqual(rv, 0)
        # the injection of a refresh, polled from the status queue of its context
        pid = created_id(self.s.ok("ci", boot("X"), 'Name="s9",ImagePath="%s",ImageIndex=1'
                                   % self.boot_wim))
        rv, _ = self.call(boot(pid), 'RefreshPkgSource.ContextID="s9-refresh"')
        self.assertEqual(rv, 0)
        out, seen = self.wait_for_status("s9-refresh")
        self.assertEqual(out["Status"], "0", (out, seen))
        self.assertEqual(out["Progress"], out["MaxProgress"])
        self.assertEqual(self.gi(boot(pid), "SourceVersion")["SourceVersion"], "2")
        rv, _ = self.call(BOOT, 'DeleteContextID.ContextID="s9-refresh"')
        self.assertEqual(rv, 0)
        rv, out = self.call(BOOT, 'QueryOSDBinaryInjectionStatus.ContextID="s9-refresh"')
        self.assertEqual(out["Status"], "3")  # no status any more

    def test_cm_errors(self):
        pid = created_id(self.s.ok("ci", boot("X"), 'Name="cm"'))
        rv, _ = self.call(boot(pid), 'SetSourceSite.SourceSite="ABC"')
        self.assertEqual(rv, 0)
        self.assertEqual(self.gi(boot(pid), "SourceSite")["SourceSite"], '"ABC"')
        r = self.s.wbemcli("cm", boot(pid), 'SetSourceSite.SourceSite="nope"')
        self.assertEqual(r.code, 16, r)
        self.assertIn("(4)", r.err)
        r = self.s.wbemcli("cm", boot("LAB0FFFF"), "Unlock")
        self.assertEqual(r.code, 16, r)
        self.assertIn("(6)", r.err)
        r = self.s.wbemcli("cm", BOOT, "Unlock")  # an instance method on the class
        self.assertEqual(r.code, 16, r)
        self.assertIn("instance", r.err)


class MalformedRequests(unittest.TestCase):
    """Hand-written bad requests: each gets the right answer and the server
    keeps serving."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("cimxml-malformed", max_request_kb=256)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.s = self.server

    def tearDown(self):
        self.assertTrue(self.s.alive(), self.s.read_stderr())
        self.s.ok("ecn", "")

    def protocol_fault(self, body, headers, status, cim_error_header):
        code, h, text = self.s.post(body, headers)
        self.assertEqual(code, status, text)
        self.assertEqual(h.get("cimerror"), cim_error_header, (h, text))
        self.assertTrue(len(text.strip()) > 10, text)  # a sentence saying what is wrong
        return text

    def cim_fault(self, body, method, code, words=None):
        status, h, text = self.s.post(body, op_headers(method))
        self.assertEqual(status, 200, text)
        self.assertEqual(h.get("cimoperation"), "MethodResponse")
        err = cim_error(text)
        self.assertIsNotNone(err, text)
        self.assertEqual(err[0], code, text)
        if words:
            self.assertIn(words, err[1])

    def test_bad_xml(self):
        text = self.protocol_fault("<CIM CIMVERSION='2.0'><MESSAGE", op_headers("GetClass"),
                                   400, "request-not-well-formed")
        self.assertIn("line", text)
        self.protocol_fault("", op_headers("GetClass"), 400, "request-not-well-formed")
        self.protocol_fault("\x00\x01binary", op_headers("GetClass"), 400,
                            "request-not-well-formed")

    def test_not_a_cim_request(self):
        self.protocol_fault("<FOO/>", op_headers("GetClass"), 400, "request-not-loosely-valid")
        self.protocol_fault(request(""), op_headers("GetClass"), 400,
                            "request-not-loosely-valid")
        self.protocol_fault(request('<IMETHODCALL NAME="GetClass"/>'), op_headers("GetClass"),
                            400, "request-not-loosely-valid")

    def test_wrong_headers(self):
        body = imethod("EnumerateClassNames")
        h = op_headers("EnumerateClassNames")
        self.protocol_fault(body, dict(h, CIMOperation="MethodResponse"), 400,
                            "unsupported-operation")
        no_op = dict(h)
        del no_op["CIMOperation"]
        self.protocol_fault(body, no_op, 400, "unsupported-operation")
        self.protocol_fault(body, dict(h, CIMMethod="GetClass"), 400, "header-mismatch")
        no_method = dict(h)
        del no_method["CIMMethod"]
        self.protocol_fault(body, no_method, 400, "header-mismatch")
        self.protocol_fault(body, dict(h, CIMObject="root%2Fcimv2"), 400, "header-mismatch")
        self.protocol_fault(body, dict(h, CIMProtocolVersion="2.0"), 501,
                            "unsupported-protocol-version")
        self.protocol_fault(body, dict(h, CIMBatch="CIMBatch"), 501,
                            "multiple-requests-unsupported")
        call = ('<METHODCALL NAME="Unlock"><LOCALINSTANCEPATH>%s<INSTANCENAME CLASSNAME="%s">'
                '<KEYBINDING NAME="PackageID"><KEYVALUE>LAB00001</KEYVALUE></KEYBINDING>'
                '</INSTANCENAME></LOCALINSTANCEPATH></METHODCALL>' % (LOCAL_NS, BOOT))
        self.protocol_fault(request(call), op_headers(
            "Unlock", 'root%2Fsms%2Fsite_LAB%3ASMS_BootImagePackage.PackageID="LAB00002"'),
            400, "header-mismatch")

    def test_versions_and_multiple_requests(self):
        h = op_headers("GetClass")
        body = imethod("GetClass")
        self.protocol_fault(body.replace('CIMVERSION="2.0"', 'CIMVERSION="3.0"'), h, 501,
                            "unsupported-cim-version")
        self.protocol_fault(body.replace('DTDVERSION="2.0"', 'DTDVERSION="9.1"'), h, 501,
                            "unsupported-dtd-version")
        self.protocol_fault(body.replace('PROTOCOLVERSION="1.0"', 'PROTOCOLVERSION="2.0"'), h,
                            501, "unsupported-protocol-version")
        self.protocol_fault(body.replace("SIMPLEREQ", "MULTIREQ"), h, 501,
                            "multiple-requests-unsupported")

    def test_unknown_operation_missing_params_bad_types(self):
        self.cim_fault(imethod("FlyToTheMoon"), "FlyToTheMoon", 7, "FlyToTheMoon")
        self.cim_fault(imethod("Associators"), "Associators", 7)
        self.cim_fault(imethod("GetClass"), "GetClass", 4, "ClassName")
        self.cim_fault(imethod("GetInstance"), "GetInstance", 4, "InstanceName")
        self.cim_fault(imethod("GetClass", '<IPARAMVALUE NAME="ClassName"><VALUE>%s</VALUE>'
                                           '</IPARAMVALUE>' % BOOT), "GetClass", 4, "CLASSNAME")
        self.cim_fault(imethod("GetClass", '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/>'
                                           '</IPARAMVALUE><IPARAMVALUE NAME="LocalOnly"><VALUE>'
                                           'perhaps</VALUE></IPARAMVALUE>' % BOOT),
                       "GetClass", 4, "perhaps")
        new = ('<IPARAMVALUE NAME="NewInstance"><INSTANCE CLASSNAME="%s"><PROPERTY NAME="Name" '
               'TYPE="string"><VALUE>x</VALUE></PROPERTY><PROPERTY NAME="ImageIndex" '
               'TYPE="uint32"><VALUE>one</VALUE></PROPERTY></INSTANCE></IPARAMVALUE>' % BOOT)
        self.cim_fault(imethod("CreateInstance", new), "CreateInstance", 13, "ImageIndex")
        self.cim_fault(imethod("CreateInstance", new.replace('TYPE="uint32"', 'TYPE="boolean"')),
                       "CreateInstance", 13, "ImageIndex")
        self.cim_fault(imethod("ExecQuery", '<IPARAMVALUE NAME="QueryLanguage"><VALUE>CQL'
                                            '</VALUE></IPARAMVALUE><IPARAMVALUE NAME="Query">'
                                            '<VALUE>SELECT * FROM %s</VALUE></IPARAMVALUE>' % BOOT),
                       "ExecQuery", 14, "CQL")
        # ExecQuery, which wbemcli cannot send, works
        status, _, text = self.s.post(imethod(
            "ExecQuery", '<IPARAMVALUE NAME="QueryLanguage"><VALUE>WQL</VALUE></IPARAMVALUE>'
            '<IPARAMVALUE NAME="Query"><VALUE>SELECT * FROM SMS_PackageBaseclass</VALUE>'
            '</IPARAMVALUE>'), op_headers("ExecQuery"))
        self.assertEqual(status, 200, text)
        self.assertIn("<IRETURNVALUE>", text)
        self.assertIsNone(cim_error(text))

    def test_error_carries_extended_status(self):
        # DSP0201 allows INSTANCE inside ERROR: a provider error carries the
        # SMS_ExtendedStatus WS-Man puts in its fault detail.
        new = ('<IPARAMVALUE NAME="NewInstance"><INSTANCE CLASSNAME="%s"><PROPERTY NAME="Name" '
               'TYPE="string"><VALUE>x</VALUE></PROPERTY><PROPERTY NAME="ImageIndex" '
               'TYPE="uint32"><VALUE>0</VALUE></PROPERTY></INSTANCE></IPARAMVALUE>' % BOOT)
        body = imethod("CreateInstance", new)
        # DTD 2.0 (what wbemcli sends) declares ERROR empty: no content then
        status, _, text = self.s.post(body, op_headers("CreateInstance"))
        self.assertEqual(status, 200, text)
        self.assertEqual(len(ET.fromstring(text).find(".//ERROR")), 0, text)
        body = body.replace('DTDVERSION="2.0"', 'DTDVERSION="2.4"')
        status, _, text = self.s.post(body, op_headers("CreateInstance"))
        self.assertEqual(status, 200, text)
        error = ET.fromstring(text).find(".//ERROR")
        self.assertEqual(error.get("CODE"), "4", text)
        inst = error.find("INSTANCE")
        self.assertIsNotNone(inst, text)
        self.assertEqual(inst.get("CLASSNAME"), "SMS_ExtendedStatus")
        fields = {p.get("NAME"): p.findtext("VALUE") for p in inst.findall("PROPERTY")}
        self.assertEqual(fields["Description"], error.get("DESCRIPTION"))
        self.assertEqual(fields["ParameterInfo"], "ImageIndex")
        self.assertEqual(fields["StatusCode"], str(0x80041008))
        self.assertEqual(fields["ProviderName"], "SMS Provider")
        self.assertIn("ErrorCode", fields)
        self.assertIn("Operation", fields)
        self.assertIn("ObjectInfo", fields)
        # a door's own error (no such parameter) has no provider status
        status, _, text = self.s.post(imethod("GetClass").replace('DTDVERSION="2.0"',
                                                                  'DTDVERSION="2.4"'),
                                      op_headers("GetClass"))
        error = ET.fromstring(text).find(".//ERROR")
        self.assertEqual(error.get("CODE"), "4", text)
        self.assertIsNone(error.find("INSTANCE"))

    def test_string_bound(self):
        new = ('<IPARAMVALUE NAME="NewInstance"><INSTANCE CLASSNAME="%s"><PROPERTY NAME="Name" '
               'TYPE="string"><VALUE>long</VALUE></PROPERTY><PROPERTY NAME="Description" '
               'TYPE="string"><VALUE>%s</VALUE></PROPERTY></INSTANCE></IPARAMVALUE>'
               % (BOOT, "d" * 3000))
        self.cim_fault(imethod("CreateInstance", new), "CreateInstance", 4,
                       "Description is 3000 characters long; at most 2048 are allowed")

    def test_text_in_place_of_classname(self):
        text = self.protocol_fault(
            imethod("EnumerateClasses", '<IPARAMVALUE NAME="ClassName">%s</IPARAMVALUE>' % BOOT),
            op_headers("EnumerateClasses"), 400, "request-not-loosely-valid")
        self.assertIn("CLASSNAME", text)

    def test_attribute_bomb(self):
        attrs = "".join(' A%d="1"' % i for i in range(20000))  # within max_request_kb
        body = imethod("EnumerateClassNames").replace('<IMETHODCALL NAME="EnumerateClassNames"',
                                                      '<IMETHODCALL NAME="EnumerateClassNames"'
                                                      + attrs)
        text = self.protocol_fault(body, op_headers("EnumerateClassNames"), 400,
                                   "request-not-well-formed")
        self.assertIn("64 attributes", text)

    def test_huge_and_deep_documents(self):
        deep = imethod("GetClass", '<IPARAMVALUE NAME="ClassName">%s%s</IPARAMVALUE>'
                       % ("<VALUE.ARRAY>" * 5000, "</VALUE.ARRAY>" * 5000))
        self.protocol_fault(deep, op_headers("GetClass"), 400, "request-not-well-formed")
        laughs = ('<?xml version="1.0"?><!DOCTYPE CIM [<!ENTITY a "aaaaaaaaaaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                  '<CIM CIMVERSION="2.0" DTDVERSION="2.0">&c;</CIM>')
        self.protocol_fault(laughs, op_headers("GetClass"), 400, "request-not-valid")
        xxe = ('<?xml version="1.0"?><!DOCTYPE CIM [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               '<CIM CIMVERSION="2.0" DTDVERSION="2.0">&x;</CIM>')
        self.protocol_fault(xxe, op_headers("GetClass"), 400, "request-not-valid")
        huge = imethod("GetClass", '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/>'
                       '</IPARAMVALUE>' % ("A" * (300 * 1024)))
        status, _, _ = self.s.post(huge, op_headers("GetClass"))
        self.assertEqual(status, 413)  # over max_request_kb: the HTTP layer refuses it
        many = imethod("EnumerateClassNames", "".join(
            '<IPARAMVALUE NAME="P%d"><VALUE>x</VALUE></IPARAMVALUE>' % i for i in range(3000)))
        self.cim_fault(many, "EnumerateClassNames", 4, "P0")

    def test_authentication_and_method(self):
        body = imethod("EnumerateClassNames")
        status, h, _ = self.s.post(body, op_headers("EnumerateClassNames"), auth=None)
        self.assertEqual(status, 401)
        self.assertIn("Basic", h.get("www-authenticate", ""))
        status, _, _ = self.s.post(body, op_headers("EnumerateClassNames"),
                                   auth=("admin", "wrong"))
        self.assertEqual(status, 401)
        r = self.s.wbemcli("ecn", "", password="wrong")
        self.assertNotEqual(r.code, 0)
        status, _, _ = self.s.post("", {}, method="GET")
        self.assertIn(status, (405, 501))
        status, _, _ = self.s.post(body, op_headers("EnumerateClassNames"), path="/wsman")
        self.assertEqual(status, 404)


class Https(unittest.TestCase):
    def test_wbemcli_over_tls(self):
        s = Server("cimxml-https", https=True)
        try:
            self.assertNotEqual(s.tls_port, 0)
            r = s.ok("ecn", "", scheme="https", flags=["-noverify"])
            self.assertIn(BOOT, r.out)
            pid = created_id(s.ok("ci", boot("X"), 'Name="tls"', scheme="https",
                                  flags=["-noverify"]))
            self.assertIn(pid, s.ok("ein", BOOT, scheme="https", flags=["-noverify"]).out)
            r = s.wbemcli("ecn", "", scheme="https")  # an unknown certificate is refused
            self.assertNotEqual(r.code, 0)
        finally:
            s.stop()


if __name__ == "__main__":
    if not shutil.which(WBEMCLI):
        print("wbemcli is not installed (Debian package sblim-wbemcli); skipping")
        sys.exit(77)
    unittest.main(verbosity=2)
