"""Every WS-Management operation against the real smsprovd, driven with
python3-winrm and Windows-shaped envelopes: Identify, Get (both resource URI
forms), Put with Set-CimInstance's modified-properties list, Create,
Delete, Enumerate/Pull/Release (optimized, EPR modes, WQL and selector
filters, envelope limits, expiry), Invoke (static, instance, arrays),
GetClass, values (nil, IsNullArray, embedded instances, both datetime
forms) and faults (MSFT_WmiError, mustUnderstand, timeouts)."""
import time
import unittest
import xml.etree.ElementTree as ET

import requests
from winrm.exceptions import InvalidCredentialsError, WinRMOperationTimeoutError

from wsman_harness import (CIM_URI, CLASS_SCHEMA_URI, DMTF_URI, NS, PACKAGE_ID, SITE_NS, T,
                           WMI_URI, WQL, E, MI_OPTIONS, Fault, Items, Server, as_list,
                           body_child, create, delete, embedded, enumerate_, enumerate_all,
                           envelope, get, identify_raw, invoke, ns_selectors, package_id_of,
                           props_of, pull, put, release, selectors_of, wql_filter)

BOOT = "SMS_BootImagePackage"
OSIP = "SMS_OperatingSystemInstallPackage"
NOT_FOUND = 0x80338000


class WsmanTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.__name__.lower(), extra=cls.extra())
        cls.client = cls.server.client()

    @classmethod
    def extra(cls):
        return None

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def create_boot(self, name, *props):
        root = self.client.send(create(BOOT, [("Name", name)] + list(props)))
        return package_id_of(root)

    def get_props(self, cls, package_id, client=None, **kw):
        root = (client or self.client).send(get(CIM_URI + cls, [("PackageID", package_id)], **kw))
        return props_of(body_child(root))


class IdentifyAndAuthTest(WsmanTest):
    def test_identify_without_credentials(self):
        r = identify_raw(self.server.endpoint, {"WSMANIDENTIFY": "unauthenticated"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("application/soap+xml"))
        root = ET.fromstring(r.content)
        self.assertEqual(root.findtext(".//wsmid:ProtocolVersion", namespaces=NS), NS["w"])
        self.assertIn("Stack: 3.0", root.findtext(".//wsmid:ProductVersion", namespaces=NS))

    def test_anonymous_calls_get_a_basic_challenge(self):
        r = identify_raw(self.server.endpoint)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.headers["WWW-Authenticate"], 'Basic realm="WSMAN"')
        r = requests.post(self.server.endpoint, data=get(CIM_URI + BOOT, [("PackageID", "X")]),
                          headers={"WSMANIDENTIFY": "unauthenticated"}, timeout=30)
        self.assertEqual(r.status_code, 401)

    def test_identify_with_credentials_and_wrong_password(self):
        r = identify_raw(self.server.endpoint, auth=("admin", "s3cret-Pa55"))
        self.assertEqual(r.status_code, 200)
        bad = self.server.client(password="nope")
        with self.assertRaises(InvalidCredentialsError):
            bad.protocol.send_message(get(CIM_URI + BOOT, [("PackageID", "LAB00001")]))

    def test_only_post_on_wsman(self):
        r = requests.get(self.server.endpoint, auth=("admin", "s3cret-Pa55"), timeout=30)
        self.assertEqual(r.status_code, 405)
        r = requests.post(self.server.endpoint.replace("/wsman", "/other"), data="x",
                          auth=("admin", "s3cret-Pa55"), timeout=30)
        self.assertEqual(r.status_code, 404)


class TransferTest(WsmanTest):
    def test_create_then_get_both_uri_forms(self):
        pid = self.create_boot("Boot create", ("Description", "made by New-CimInstance"))
        self.assertRegex(pid, PACKAGE_ID)
        p = self.get_props(BOOT, pid)
        self.assertEqual(p["PackageID"], pid)
        self.assertEqual(p["PackageType"], "258")
        self.assertEqual(p["SourceVersion"], "1")
        self.assertEqual(p["SecuredScopeNames"], "Default")
        self.assertEqual(p["Description"], "made by New-CimInstance")
        # the wmi/ form carries the namespace in the URI
        root = self.client.send(envelope(T + "Get", WMI_URI + BOOT,
                                         selectors=[("PackageID", pid)]))
        inst = body_child(root)
        self.assertEqual(inst.tag, "{%s%s}%s" % (WMI_URI, BOOT, BOOT))
        self.assertEqual(props_of(inst)["Name"], "Boot create")
        # namespaces compare case-insensitively, with \ or /
        for ns in ("ROOT\\SMS\\SITE_lab", "root/SMS/site_LAB"):
            self.assertEqual(self.get_props(BOOT, pid, namespace=ns)["PackageID"], pid)
        # the dmtf.org form too, and the base class finds the child's instance
        root = self.client.send(get(DMTF_URI + "SMS_PackageBaseclass", [("PackageID", pid)]))
        self.assertEqual(body_child(root).tag, "{%s%s}%s" % (DMTF_URI, BOOT, BOOT))

    def test_get_of_an_unknown_package_is_not_found_with_wmi_error(self):
        f = self.client.fault(get(CIM_URI + BOOT, [("PackageID", "LABFFFFF")]))
        self.assertEqual((f.code, f.subcode), ("s:Sender", "a:DestinationUnreachable"))
        self.assertEqual(f.wsman_code, NOT_FOUND)
        self.assertEqual(f.wmi["CIMStatusCode"], "6")
        self.assertEqual(f.wmi["MessageID"], "HRESULT 0x80041002")
        self.assertEqual(f.wmi["error_Code"], str(0x80041002))
        self.assertEqual(f.wmi["error_Category"], "13")
        self.assertIn("LABFFFFF", f.wmi["Message"])
        self.assertEqual(f.extended["Operation"], "GetObject")
        self.assertIn("LABFFFFF", f.extended["Description"])

    def test_selector_errors(self):
        f = self.client.fault(get(CIM_URI + BOOT, []))
        self.assertEqual(f.subcode, "w:InvalidSelectors")
        self.assertTrue(f.detail.endswith("InsufficientSelectors"))
        self.assertEqual(f.wsman_code, 0x8033805A)
        f = self.client.fault(get(CIM_URI + BOOT, [("PackageID", "LAB00001"), ("Name", "x")]))
        self.assertTrue(f.detail.endswith("UnexpectedSelectors"))
        self.assertEqual(f.wsman_code, 0x8033805B)
        f = self.client.fault(envelope(T + "Get", CIM_URI + BOOT, selectors=[
            ("__cimnamespace", SITE_NS), ("PackageID", "A"), ("packageid", "B")]))
        self.assertTrue(f.detail.endswith("DuplicateSelectors"))

    def test_unknown_class_and_namespace(self):
        f = self.client.fault(get(CIM_URI + "SMS_NoSuchClass", [("PackageID", "X")]))
        self.assertEqual(f.subcode, "a:DestinationUnreachable")
        self.assertEqual(f.wmi["CIMStatusCode"], "5")
        self.assertEqual(f.wmi["error_Category"], "10")
        f = self.client.fault(get(CIM_URI + BOOT, [("PackageID", "X")], namespace="root/nowhere"))
        self.assertEqual(f.wmi["CIMStatusCode"], "3")
        f = self.client.fault(envelope(T + "Get", "http://example.com/some/Class",
                                       selectors=[("PackageID", "X")]))
        self.assertTrue(f.detail.endswith("InvalidResourceURI"))

    def test_put_with_modified_properties_list(self):
        pid = self.create_boot("Boot put", ("Description", "before"), ("ScratchSpace", "64"))
        before = self.get_props(BOOT, pid)
        # Set-CimInstance sends every property (here some nil, a uint32 typed
        # as cimString) and names the changed ones in options.
        body = [("PackageID", pid), ("Name", None), ("Description", "after"),
                ("ScratchSpace", "128"), ("Priority", None)]
        root = self.client.send(put(BOOT, [("PackageID", pid)], body,
                                    modified=["Description", "ScratchSpace"]))
        after = props_of(body_child(root))
        self.assertEqual(after["Description"], "after")
        self.assertEqual(after["ScratchSpace"], "128")
        self.assertEqual(after["Name"], "Boot put")  # nil but not modified: kept
        self.assertEqual(after["Priority"], before["Priority"])
        self.assertNotEqual(after["SedoObjectVersion"], before["SedoObjectVersion"])
        self.assertEqual(self.get_props(BOOT, pid)["Description"], "after")

    def test_put_without_list_writes_what_is_sent(self):
        pid = self.create_boot("Boot put2", ("Description", "keep me"))
        root = self.client.send(envelope(T + "Put", CIM_URI + BOOT,
                                         '<p:SMS_BootImagePackage xmlns:p="%s%s"><p:Name>renamed'
                                         '</p:Name><p:SourceVersion>99</p:SourceVersion>'
                                         '</p:SMS_BootImagePackage>' % (CIM_URI, BOOT),
                                         selectors=ns_selectors([("PackageID", pid)])))
        p = props_of(body_child(root))
        self.assertEqual(p["Name"], "renamed")
        self.assertEqual(p["Description"], "keep me")
        self.assertEqual(p["SourceVersion"], "1")  # read-only: ignored

    def test_put_errors(self):
        pid = self.create_boot("Boot put3")
        f = self.client.fault(put(BOOT, [("PackageID", pid)], [("ScratchSpace", "lots")],
                                  modified=["ScratchSpace"]))
        self.assertEqual(f.subcode, "w:SchemaValidationError")
        self.assertEqual(f.wsman_code, 0x80338041)
        self.assertIn("ScratchSpace", f.reason)
        f = self.client.fault(put(BOOT, [("PackageID", pid)], [("ScratchSpace", "100")],
                                  modified=["ScratchSpace"]))
        self.assertEqual((f.code, f.subcode), ("s:Receiver", "w:InternalError"))
        self.assertEqual(f.wmi["CIMStatusCode"], "4")
        self.assertEqual(f.wmi["error_Category"], "5")
        self.assertIn("ScratchSpace", f.wmi["Message"])
        self.assertEqual(f.extended["ParameterInfo"], "ScratchSpace")
        f = self.client.fault(put(BOOT, [("PackageID", pid)], [("NoSuchProperty", "1")]))
        self.assertIn("NoSuchProperty", f.reason)
        f = self.client.fault(put(BOOT, [("PackageID", pid)], [("PackageID", "LAB0FFFF")]))
        self.assertEqual(f.subcode, "x:InvalidRepresentation")
        f = self.client.fault(put(BOOT, [("PackageID", "LAB0FFFF")], [("Name", "x")],
                                  modified=["Name"]))
        self.assertEqual(f.wmi["CIMStatusCode"], "6")
        self.assertEqual(self.get_props(BOOT, pid)["Name"], "Boot put3")

    def test_create_errors(self):
        f = self.client.fault(create(BOOT, [("PackageType", "259"), ("Name", "bad type")]))
        self.assertIn("PackageType", f.reason)
        f = self.client.fault(create("SMS_PackageBaseclass", [("Name", "abstract")]))
        self.assertIsNotNone(f.wmi["CIMStatusCode"])
        self.assertIn("abstract", f.reason.lower())
        f = self.client.fault(envelope(T + "Create", CIM_URI + BOOT, '<p:Other xmlns:p="x"/>',
                                       selectors=ns_selectors()))
        self.assertEqual(f.subcode, "x:InvalidRepresentation")

    def test_delete(self):
        pid = self.create_boot("Boot delete")
        root = self.client.send(delete(BOOT, [("PackageID", pid)]))
        self.assertEqual(root.findtext("s:Header/a:Action", namespaces=NS), T + "DeleteResponse")
        self.assertEqual(len(root.find("s:Body", NS)), 0)
        f = self.client.fault(delete(BOOT, [("PackageID", pid)]))
        self.assertEqual(f.wsman_code, NOT_FOUND)

    def test_relates_to_and_fresh_message_id(self):
        pid = self.create_boot("Boot relates")
        mid = "uuid:11111111-2222-3333-4444-555555555555"
        root = self.client.send(get(CIM_URI + BOOT, [("PackageID", pid)], message_id=mid))
        self.assertEqual(root.findtext("s:Header/a:RelatesTo", namespaces=NS), mid)
        self.assertNotEqual(root.findtext("s:Header/a:MessageID", namespaces=NS), mid)
        self.assertEqual(root.findtext("s:Header/a:Action", namespaces=NS), T + "GetResponse")
        f = self.client.fault(get(CIM_URI + BOOT, [("PackageID", "LABFFFFF")], message_id=mid))
        self.assertEqual(f.root.findtext("s:Header/a:RelatesTo", namespaces=NS), mid)


class ValuesTest(WsmanTest):
    def test_nil_precise_arrays_and_embedded_instances(self):
        drivers = [embedded("SMS_Driver_Details", [("ID", "5"), ("SourcePath", r"\\lab\drv\a")]),
                   embedded("SMS_Driver_Details", [("ID", "7"), ("SourcePath", r"\\lab\drv\b")])]
        pid = self.create_boot("Boot values", ("ReferencedDrivers", drivers),
                               ("OptionalComponents", ["27", "29"]))
        root = self.client.send(get(CIM_URI + BOOT, [("PackageID", pid)], options=MI_OPTIONS))
        inst = body_child(root)
        p = props_of(inst)
        self.assertEqual(as_list(p["OptionalComponents"]), ["27", "29"])
        refs = as_list(p["ReferencedDrivers"])
        self.assertEqual(len(refs), 2)
        xsi_type = refs[0].get("{%s}type" % NS["xsi"])
        self.assertTrue(xsi_type.endswith(":SMS_Driver_Details_Type"), xsi_type)
        self.assertEqual(props_of(refs[1])["ID"], "7")
        self.assertEqual(inst.get("{%s}type" % NS["xsi"]).split(":")[1], BOOT + "_Type")
        # nulls: nil scalars, and nil arrays marked IsNullArray with UsePreciseArrays
        self.assertIsNone(p["PkgSourcePath"])
        icon = [c for c in inst if c.tag.endswith("}Icon")][0]
        self.assertEqual(icon.get("{%s}IsNullArray" % NS["p"]), "true")
        root = self.client.send(get(CIM_URI + BOOT, [("PackageID", pid)]))
        icon = [c for c in body_child(root) if c.tag.endswith("}Icon")][0]
        self.assertIsNone(icon.get("{%s}IsNullArray" % NS["p"]))
        self.assertEqual(icon.get("{%s}nil" % NS["xsi"]), "true")

    def test_embedded_instance_of_the_wrong_class_is_refused(self):
        bad = [embedded("SMS_ST_RecurInterval", [("DaySpan", "1")])]
        f = self.client.fault(create(BOOT, [("Name", "bad"), ("ReferencedDrivers", bad)]))
        self.assertEqual(f.subcode, "w:SchemaValidationError")
        self.assertIn("SMS_Driver_Details", f.reason)

    def test_datetimes_both_forms(self):
        schedule = ("xml", 'xmlns:q="%sSMS_ST_RecurInterval" xsi:type="SMS_ST_RecurInterval_Type"'
                    % DMTF_URI,
                    '<q:DaySpan>1</q:DaySpan><q:StartTime xsi:type="cim:cimDateTime">'
                    '<CIM_DateTime>20240131120000.000000+000</CIM_DateTime></q:StartTime>')
        pid = self.create_boot("Boot dt", ("PkgSourceFlag", "2"),
                               ("PkgSourcePath", r"\\lab\share\src"), ("RefreshSchedule", [schedule]))
        winrm = self.server.client(user_agent="Microsoft WinRM Client")
        p = self.get_props(BOOT, pid, client=winrm)
        token = p["RefreshSchedule"]
        start = [c for c in token if c.tag.endswith("}StartTime")][0]
        self.assertEqual(start.findtext("cim:Datetime", namespaces=NS), "2024-01-31T12:00:00.000000Z")
        source = p["SourceDate"]
        self.assertIsNotNone(source.find("cim:Datetime", NS))
        # other clients get the bare xs:dateTime
        p = self.get_props(BOOT, pid)
        self.assertRegex(p["SourceDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        start = [c for c in p["RefreshSchedule"] if c.tag.endswith("}StartTime")][0]
        self.assertEqual(start.text, "2024-01-31T12:00:00.000000Z")
        # an xs:dateTime with an offset in, a DMTF value with that offset out
        schedule2 = ("xml", schedule[1], '<q:DaySpan>2</q:DaySpan><q:StartTime>'
                     '<cim:Datetime xmlns:cim="%s">2024-02-01T08:30:00+02:00</cim:Datetime>'
                     '</q:StartTime>' % NS["cim"])
        self.client.send(put(BOOT, [("PackageID", pid)], [("RefreshSchedule", [schedule2])],
                             modified=["RefreshSchedule"]))
        p = self.get_props(BOOT, pid)
        start = [c for c in p["RefreshSchedule"] if c.tag.endswith("}StartTime")][0]
        self.assertEqual(start.text, "2024-02-01T08:30:00.000000+02:00")
        f = self.client.fault(create(BOOT, [("Name", "bad dt"), ("PkgSourceFlag", "2"),
                                            ("PkgSourcePath", r"\\a\b"), ("RefreshSchedule", [
                                                ("xml", schedule[1], '<q:StartTime>yesterday'
                                                 '</q:StartTime>')])]))
        self.assertIn("StartTime", f.reason)


class EnumerationTest(WsmanTest):
    @classmethod
    def extra(cls):
        return {"server": {"enumeration_timeout": "2"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = []
        for i in range(5):
            root = cls.client.send(create(BOOT, [("Name", "Enum %d" % i)]))
            cls.ids.append(package_id_of(root))
        cls.client.send(create(OSIP, [("Name", "OS one"), ("PkgSourceFlag", "2"),
                                      ("PkgSourcePath", r"\\lab\share\os")]))

    def test_optimized_batches_and_pulls(self):
        root = self.client.send(enumerate_(CIM_URI + BOOT, max_elements=2))
        resp = root.find("s:Body/n:EnumerateResponse", NS)
        self.assertEqual(len(resp.find("w:Items", NS)), 2)
        self.assertIsNone(resp.find("w:EndOfSequence", NS))
        ctx = resp.findtext("n:EnumerationContext", namespaces=NS)
        root = self.client.send(pull(CIM_URI + BOOT, ctx, 2))
        resp = root.find("s:Body/n:PullResponse", NS)
        self.assertEqual(root.findtext("s:Header/a:Action", namespaces=NS), E + "PullResponse")
        self.assertEqual(len(resp.find("n:Items", NS)), 2)
        root = self.client.send(pull(CIM_URI + BOOT, ctx, 2))
        resp = root.find("s:Body/n:PullResponse", NS)
        self.assertEqual(len(resp.find("n:Items", NS)), 1)
        self.assertIsNotNone(resp.find("n:EndOfSequence", NS))
        f = self.client.fault(pull(CIM_URI + BOOT, ctx, 2))
        self.assertEqual((f.code, f.subcode), ("s:Receiver", "n:InvalidEnumerationContext"))
        self.assertEqual(f.wsman_code, 0x8033801B)

    def test_enumerate_without_optimization_and_release(self):
        root = self.client.send(enumerate_(CIM_URI + BOOT, optimize=False))
        resp = root.find("s:Body/n:EnumerateResponse", NS)
        self.assertIsNone(resp.find("w:Items", NS))
        ctx = resp.findtext("n:EnumerationContext", namespaces=NS)
        root = self.client.send(release(CIM_URI + BOOT, ctx))
        self.assertEqual(root.findtext("s:Header/a:Action", namespaces=NS), E + "ReleaseResponse")
        f = self.client.fault(pull(CIM_URI + BOOT, ctx))
        self.assertEqual(f.subcode, "n:InvalidEnumerationContext")

    def test_all_items_and_base_class_children(self):
        items = enumerate_all(self.client, CIM_URI + BOOT)
        self.assertEqual(sorted(props_of(i)["PackageID"] for i in items), sorted(self.ids))
        items = enumerate_all(self.client, CIM_URI + "SMS_PackageBaseclass")
        tags = {i.tag.split("}")[1] for i in items}
        self.assertEqual(tags, {BOOT, OSIP})
        # each instance in the URI of its own class
        osip = [i for i in items if i.tag.endswith(OSIP)][0]
        self.assertEqual(osip.tag, "{%s%s}%s" % (CIM_URI, OSIP, OSIP))
        # lazy properties are nil in an enumeration
        self.assertIsNone(props_of(items[0])["ImageProperty"] if BOOT in items[0].tag
                          else None)
        shallow = enumerate_all(self.client, CIM_URI + "SMS_PackageBaseclass",
                                "<b:PolymorphismMode>None</b:PolymorphismMode>")
        self.assertEqual(shallow, [])
        narrow = enumerate_all(self.client, CIM_URI + "SMS_PackageBaseclass",
                               "<b:PolymorphismMode>ExcludeSubClassProperties</b:PolymorphismMode>")
        self.assertEqual(len(narrow), 6)
        self.assertTrue(all(i.tag.endswith("}SMS_PackageBaseclass") for i in narrow))
        self.assertNotIn("ImagePath", props_of(narrow[0]))

    def test_epr_modes(self):
        items = enumerate_all(self.client, CIM_URI + BOOT, mode="EnumerateEPR")
        self.assertEqual(len(items), 5)
        self.assertTrue(all(i.tag == "{%s}EndpointReference" % NS["a"] for i in items))
        sel = selectors_of(items[0])
        self.assertEqual(sel["__cimnamespace"], SITE_NS)
        self.assertIn(sel["PackageID"], self.ids)
        self.assertEqual(items[0].findtext(".//w:ResourceURI", namespaces=NS), CIM_URI + BOOT)
        items = enumerate_all(self.client, CIM_URI + BOOT, mode="EnumerateObjectAndEPR")
        self.assertTrue(all(i.tag == "{%s}Item" % NS["w"] for i in items))
        self.assertEqual(props_of(items[0][0])["PackageID"], selectors_of(items[0][1])["PackageID"])

    def test_wql_filters(self):
        items = enumerate_all(self.client, "http://schemas.dmtf.org/wbem/wscim/1/*",
                              wql_filter("SELECT * FROM SMS_BootImagePackage WHERE Name = 'Enum 3'"),
                              mode="EnumerateObjectAndEPR")
        self.assertEqual(len(items), 1)
        self.assertEqual(items[0][0].tag, "{%s%s}%s" % (DMTF_URI, BOOT, BOOT))
        items = enumerate_all(self.client, WMI_URI + "*",
                              wql_filter("select * from SMS_PackageBaseclass where Name like 'OS%'"),
                              namespace="ignored/by/the/uri")
        self.assertEqual([props_of(i)["Name"] for i in items], ["OS one"])
        f = self.client.fault(enumerate_(CIM_URI + BOOT, wql_filter("SELEC nothing")))
        self.assertEqual(f.subcode, "n:CannotProcessFilter")
        self.assertEqual(f.wsman_code, 0x8033801A)
        self.assertEqual(f.wmi["CIMStatusCode"], "15")
        f = self.client.fault(enumerate_(CIM_URI + BOOT,
                                         '<w:Filter Dialect="http://schemas.dmtf.org/wbem/cql/1/'
                                         'dsp0202.pdf">x</w:Filter>'))
        self.assertEqual(f.subcode, "n:FilterDialectRequestedUnavailable")
        sel = ('<w:Filter Dialect="http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter">'
               '<w:SelectorSet><w:Selector Name="PackageID">%s</w:Selector></w:SelectorSet>'
               '</w:Filter>' % self.ids[2])
        items = enumerate_all(self.client, CIM_URI + BOOT, sel)
        self.assertEqual([props_of(i)["PackageID"] for i in items], [self.ids[2]])

    def test_envelope_size_limits(self):
        items = enumerate_all(self.client, CIM_URI + BOOT, max_size=8192, max_elements=100)
        self.assertEqual(len(items), 5)
        root = self.client.send(enumerate_(CIM_URI + BOOT, max_elements=100, max_size=8192))
        self.assertLessEqual(len(ET.tostring(root)), 8192 + 1024)
        self.assertLess(len(root.find("s:Body/n:EnumerateResponse/w:Items", NS)), 5)
        f = self.client.fault(enumerate_(CIM_URI + BOOT, max_size=4000))
        self.assertEqual(f.subcode, "w:EncodingLimit")
        self.assertTrue(f.detail.endswith("MinimumEnvelopeLimit"))

    def test_contexts_expire(self):
        root = self.client.send(enumerate_(CIM_URI + BOOT, optimize=False))
        ctx = root.findtext(".//n:EnumerationContext", namespaces=NS)
        time.sleep(3.2)
        f = self.client.fault(pull(CIM_URI + BOOT, ctx))
        self.assertEqual(f.subcode, "n:InvalidEnumerationContext")

    def test_operation_timeout_expires(self):
        with self.assertRaises(WinRMOperationTimeoutError):
            self.client.protocol.send_message(enumerate_(CIM_URI + "SMS_PackageBaseclass",
                                                         timeout="PT0.000001S"))
        f = self.client.fault(enumerate_(CIM_URI + BOOT, timeout="PT0.000001S"))
        self.assertEqual((f.code, f.subcode), ("s:Receiver", "w:TimedOut"))
        self.assertEqual(f.wsman_code, 0x80338029)
        f = self.client.fault(enumerate_(CIM_URI + BOOT, timeout="soon"))
        self.assertEqual(f.subcode, "a:InvalidMessageInformationHeader")


class InvokeAndClassTest(WsmanTest):
    def test_instance_method_and_return_value(self):
        root = self.client.send(create(OSIP, [("Name", "OS refresh"), ("PkgSourceFlag", "2"),
                                              ("PkgSourcePath", r"\\lab\share\os")]))
        pid = package_id_of(root)
        root = self.client.send(invoke(OSIP, "RefreshPkgSource", keys=[("PackageID", pid)]))
        self.assertEqual(root.findtext("s:Header/a:Action", namespaces=NS),
                         CIM_URI + OSIP + "/RefreshPkgSourceResponse")
        out = body_child(root)
        self.assertEqual(out.tag, "{%s%s}RefreshPkgSource_OUTPUT" % (CIM_URI, OSIP))
        self.assertEqual(props_of(out)["ReturnValue"], "0")
        self.assertEqual(self.get_props(OSIP, pid)["SourceVersion"], "2")
        # the wmi/ URI form, with a parameter
        root = self.client.send(envelope(WMI_URI + OSIP + "/SetSourceSite", WMI_URI + OSIP,
                                         '<p:SetSourceSite_INPUT xmlns:p="%s%s"><p:SourceSite>ABC'
                                         '</p:SourceSite></p:SetSourceSite_INPUT>' % (WMI_URI, OSIP),
                                         selectors=[("PackageID", pid)]))
        self.assertEqual(props_of(body_child(root))["ReturnValue"], "0")
        self.assertEqual(self.get_props(OSIP, pid)["SourceSite"], "ABC")

    def test_method_faults(self):
        pid = package_id_of(self.client.send(create(BOOT, [("Name", "B inv")])))
        f = self.client.fault(invoke(BOOT, "NoSuchMethod", keys=[("PackageID", pid)]))
        self.assertEqual(f.subcode, "a:ActionNotSupported")
        self.assertEqual(f.wmi["CIMStatusCode"], "17")
        f = self.client.fault(invoke(BOOT, "SetSourceSite", [("Nope", "x")],
                                     keys=[("PackageID", pid)]))
        self.assertEqual(f.subcode, "w:SchemaValidationError")
        self.assertIn("Nope", f.reason)
        f = self.client.fault(invoke(BOOT, "QueryOSDBinaryInjectionStatus",
                                     [("ContextID", ["a", "b"])]))
        self.assertEqual(f.subcode, "w:SchemaValidationError")
        f = self.client.fault(invoke(BOOT, "SetSourceSite", [("SourceSite", "ABC")]))
        self.assertIn("instance method", f.reason)  # called on the class
        f = self.client.fault(invoke(BOOT, "SetSourceSite", [("SourceSite", "ABC")],
                                     keys=[("PackageID", "LAB0FFFF")]))
        self.assertEqual(f.wsman_code, NOT_FOUND)

    def test_static_method_and_array_parameters(self):
        # The status of an unknown context is "no status" (3) once servicing
        # has landed; before, the method answers WBEM_E_NOT_SUPPORTED.
        status, root = self.client.raw(invoke(BOOT, "QueryOSDBinaryInjectionStatus",
                                              [("ContextID", "{00000000-0000-0000-0000-0000000000AA}")]))
        if status == 200:
            out = props_of(body_child(root))
            self.assertEqual(out["Status"], "3")
            self.assertEqual(out["ReturnValue"], "0")
        else:
            f = Fault(status, root, "")
            self.assertEqual(f.subcode, "w:UnsupportedFeature")
            self.assertEqual(f.wmi["CIMStatusCode"], "7")
        pid = package_id_of(self.client.send(create(BOOT, [("Name", "B arr")])))
        status, root = self.client.raw(invoke(BOOT, "UpdateOptionalComponents",
                                              [("ComponentIds", ["27", "29"])],
                                              keys=[("PackageID", pid)]))
        if status == 200:
            self.assertEqual(props_of(body_child(root))["ReturnValue"], "0")
        else:
            self.assertIn(Fault(status, root, "").subcode,
                          ("w:UnsupportedFeature", "w:InternalError"))

    def test_get_class_as_cim_xml(self):
        root = self.client.send(envelope(T + "Get", CLASS_SCHEMA_URI,
                                         selectors=[("__cimnamespace", SITE_NS),
                                                    ("ClassName", BOOT)],
                                         options=[("IncludeInheritanceHierarchy", "xs:boolean", "true"),
                                                  ("IncludeInheritedElements", "xs:boolean", "true"),
                                                  ("IncludeQualifiers", "xs:boolean", "true")]))
        cls = body_child(root)
        self.assertEqual(cls.tag, "CLASS")
        self.assertEqual(cls.get("NAME"), BOOT)
        self.assertEqual(cls.get("SUPERCLASS"), "SMS_PackageBaseclass")
        self.assertEqual(cls.get("DERIVATION"), "SMS_PackageBaseclass,SMS_BaseClass")
        props = cls.findall("PROPERTY") + cls.findall("PROPERTY.ARRAY")
        self.assertEqual(len(props), 58)
        self.assertEqual(len(cls.findall("METHOD")), 13)
        drivers = [p for p in props if p.get("NAME") == "ReferencedDrivers"][0]
        self.assertEqual(drivers.find("QUALIFIER[@NAME='EmbeddedInstance']/VALUE").text,
                         "SMS_Driver_Details")
        f = self.client.fault(envelope(T + "Get", CLASS_SCHEMA_URI,
                                       selectors=[("__cimnamespace", SITE_NS),
                                                  ("ClassName", "Nope")]))
        self.assertEqual(f.wmi["CIMStatusCode"], "5")


class ProtocolFaultTest(WsmanTest):
    def test_must_understand(self):
        f = self.client.fault(get(CIM_URI + BOOT, [("PackageID", "X")], extra_headers=
                                  '<w:FragmentTransfer s:mustUnderstand="true">Name</w:FragmentTransfer>'))
        self.assertEqual(f.code, "s:MustUnderstand")
        nu = f.root.find("s:Header/s:NotUnderstood", NS)
        self.assertTrue(nu.get("qname").endswith(":FragmentTransfer"))
        # an unknown header without mustUnderstand is ignored
        f = self.client.fault(get(CIM_URI + BOOT, [("PackageID", "LABFFFFF")], extra_headers=
                                  '<x:Whatever xmlns:x="urn:x" s:mustUnderstand="false">1</x:Whatever>'))
        self.assertEqual(f.wsman_code, NOT_FOUND)

    def test_unknown_action_and_options(self):
        f = self.client.fault(envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Rename",
                                       CIM_URI + BOOT, selectors=ns_selectors()))
        self.assertEqual(f.subcode, "a:ActionNotSupported")
        f = self.client.fault(envelope(T + "Get", CIM_URI + BOOT, selectors=ns_selectors(),
                                       extra_headers='<w:OptionSet s:mustUnderstand="true">'
                                       '<w:Option Name="Frobnicate" MustComply="true">1</w:Option>'
                                       '</w:OptionSet>'))
        self.assertEqual(f.subcode, "w:InvalidOptions")

    def test_reason_uses_the_locale(self):
        env = get(CIM_URI + BOOT, [("PackageID", "LABFFFFF")]).replace(
            '<w:Locale xml:lang="en-US"', '<w:Locale xml:lang="de-DE"')
        f = self.client.fault(env)
        text = f.root.find(".//s:Reason/s:Text", NS)
        self.assertEqual(text.get("{http://www.w3.org/XML/1998/namespace}lang"), "de-DE")


class HttpsTest(unittest.TestCase):
    def test_basic_over_https(self):
        server = Server("https", https=True)
        try:
            self.assertGreater(server.tls_port, 0)
            client = server.client(tls=True)
            items = enumerate_all(client, CIM_URI + "SMS_ProviderLocation", namespace="root\\sms")
            self.assertEqual(props_of(items[0])["SiteCode"], "LAB")
            r = identify_raw("https://127.0.0.1:%d/wsman" % server.tls_port,
                             {"WSMANIDENTIFY": "unauthenticated"}, verify=server.certificate)
            self.assertEqual(r.status_code, 200)
        finally:
            server.stop()
        log = open(server.log, encoding="utf-8").read()
        self.assertRegex(log, r'<!\[LOG\[Listening for WS-Management on https://127\.0\.0\.1:\d+'
                              r'/wsman\]LOG\]!><time="\d\d:\d\d:\d\d\.\d{3}[+-]\d{3}" '
                              r'date="\d\d-\d\d-\d{4}" component="SMS Provider" context="" '
                              r'type="1" thread="\d+" file="serve\.c:\d+">')
        self.assertIn("smsprovd stopped", log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
