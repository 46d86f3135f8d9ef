"""Starts the real smsprovd on a free loopback port and talks WS-Management
to it with Debian's python3-winrm, sending envelopes shaped as the Windows
client writes them.

Configured from the environment ctest sets: SMSPROVD, SMSPROV_SCRATCH,
SMSPROV_MOF_DIR, SMSPROV_MKWINPE."""
import os
import re
import signal
import subprocess
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET

import requests
import winrm
from winrm.exceptions import WinRMTransportError

SMSPROVD = os.environ.get("SMSPROVD", "smsprovd")
MKWINPE = os.environ.get("SMSPROV_MKWINPE")
SCRATCH = os.environ.get("SMSPROV_SCRATCH", tempfile.gettempdir())
MOF_DIR = os.environ.get("SMSPROV_MOF_DIR")

USER, PASSWORD = "admin", "s3cret-Pa55"

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "n": "http://schemas.xmlsoap.org/ws/2004/09/enumeration",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "b": "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "cim": "http://schemas.dmtf.org/wbem/wscim/1/common",
    "f": "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
    "wsmid": "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd",
}
XSI_NIL = "{%s}nil" % NS["xsi"]

SITE_NS = "root/sms/site_LAB"
CIM_URI = "http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/"
DMTF_URI = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
WMI_URI = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/sms/site_LAB/"
CLASS_SCHEMA_URI = "http://schemas.dmtf.org/wbem/cim-xml/2/cim-schema/2/*"
WQL = "http://schemas.microsoft.com/wbem/wsman/1/WQL"

T = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
E = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/"


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


class Server:
    """smsprovd on 127.0.0.1 with a fresh site in its own scratch folder."""

    def __init__(self, name, extra=None, https=False, trees=False, prepare=None):
        """prepare(server), when given, runs just before smsprovd starts
        (to change file modes, say)."""
        self.dir = tempfile.mkdtemp(prefix=name + "-", dir=SCRATCH)
        self.users = os.path.join(self.dir, "users")
        subprocess.run([SMSPROVD, "adduser", self.users, USER], input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True)
        self.log = os.path.join(self.dir, "SMSProv.log")
        self.ports = os.path.join(self.dir, "ports")
        lines = ["[site]", "database = site.db", "content_root = content", "first_admin = " + USER,
                 "[http]", "port = 0", "[auth]", "users_file = users",
                 "[log]", "file = SMSProv.log", "level = info", "stderr = false",
                 "[server]", "shutdown_timeout = 20"]
        if MOF_DIR:
            lines[1:1] = ["mof_dir = " + MOF_DIR]
        if trees:
            self.inputs = os.path.join(self.dir, "inputs")
            subprocess.run([MKWINPE, "all", self.inputs], check=True, capture_output=True)
            lines[1:1] = ["adk_root = inputs/adk", "configmgr_root = inputs/configmgr"]
        # Every server shares \\lab\share: paths clients name (ImagePath,
        # PkgSourcePath...) must lie under a share.
        os.makedirs(os.path.join(self.dir, "share"), exist_ok=True)
        lines += ["[shares]", "\\\\lab\\share = share"]
        if https:
            self.make_certificate()
            lines += ["[https]", "enabled = true", "port = 0",
                      "certificate = cert.pem", "key = key.pem"]
        for section, values in (extra or {}).items():
            lines.append("[%s]" % section)
            lines += ["%s = %s" % kv for kv in values.items()]
        with open(os.path.join(self.dir, "smsprovd.ini"), "w") as f:
            f.write("\n".join(lines) + "\n")
        if prepare:
            prepare(self)
        self.stderr = open(os.path.join(self.dir, "stderr.txt"), "w+")
        self.proc = subprocess.Popen(
            [SMSPROVD, "--config", os.path.join(self.dir, "smsprovd.ini"),
             "--port-file", self.ports], stderr=self.stderr, stdout=subprocess.DEVNULL)
        self.certificate = getattr(self, "certificate", None)
        self.port, self.tls_port = self.wait_ready()
        self.endpoint = "http://127.0.0.1:%d/wsman" % self.port

    def make_certificate(self):
        self.certificate = os.path.join(self.dir, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", os.path.join(self.dir, "key.pem"),
                        "-out", os.path.join(self.dir, "cert.pem"), "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        self.key = os.path.join(self.dir, "key.pem")
        os.chmod(self.key, 0o600)  # smsprovd refuses a key others may read

    def wait_ready(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("smsprovd exited: " + self.read_stderr())
            if os.path.exists(self.ports):
                ports = dict(l.split("=") for l in open(self.ports).read().split())
                return int(ports["http"]), int(ports["https"])
            time.sleep(0.05)
        raise AssertionError("smsprovd did not start: " + self.read_stderr())

    def read_stderr(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM; the server must stop cleanly (and, under ASan, leak nothing)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("smsprovd did not stop on SIGTERM")
        err = self.read_stderr()
        self.stderr.close()
        if self.proc.returncode != 0 or "LeakSanitizer" in err or "runtime error" in err:
            raise AssertionError("smsprovd ended badly (%s): %s" % (self.proc.returncode, err))

    def client(self, user_agent=None, password=PASSWORD, tls=False):
        return Client(self, user_agent, password, tls)


class Fault(Exception):
    def __init__(self, status, root, text):
        super().__init__(text[:300])
        self.status = status
        self.root = root
        self.text = text
        f = root.find("s:Body/s:Fault", NS)
        self.code = f.findtext("s:Code/s:Value", namespaces=NS)
        self.subcode = f.findtext("s:Code/s:Subcode/s:Value", namespaces=NS)
        self.reason = f.findtext("s:Reason/s:Text", namespaces=NS)
        wf = f.find("s:Detail/f:WSManFault", NS)
        self.wsman_code = int(wf.get("Code")) if wf is not None else None
        self.detail = f.findtext("s:Detail/w:FaultDetail", namespaces=NS)
        err = f.find("s:Detail/{*}MSFT_WmiError", NS)
        self.wmi = {c.tag.split("}")[1]: (None if c.get(XSI_NIL) == "true" else c.text)
                    for c in err} if err is not None else None
        ext = f.find(".//f:ExtendedError/*", NS)
        self.extended = {c.tag.split("}")[1]: c.text for c in ext} if ext is not None else None


class Client:
    """python3-winrm's Protocol with Basic over plain HTTP (or HTTPS)."""

    def __init__(self, server, user_agent, password, tls):
        endpoint = server.endpoint if not tls else "https://127.0.0.1:%d/wsman" % server.tls_port
        # HTTPS is verified against the server's self-signed certificate
        self.protocol = winrm.Protocol(endpoint, transport="basic", username=USER,
                                       password=password, message_encryption="never",
                                       server_cert_validation="validate",
                                       ca_trust_path=server.certificate if tls else None)
        if user_agent:
            self.protocol.transport.default_headers["User-Agent"] = user_agent
        self.endpoint = endpoint

    def raw(self, envelope):
        """(status, root) for any answer, 200 or fault."""
        try:
            text = self.protocol.transport.send_message(envelope)
            return 200, ET.fromstring(text)
        except WinRMTransportError as ex:
            return ex.code, ET.fromstring(ex.response_text)

    def send(self, envelope):
        status, root = self.raw(envelope)
        if status != 200:
            f = Fault(status, root, "")
            raise AssertionError("fault %s %s (0x%08X): %s" % (f.code, f.subcode,
                                                              f.wsman_code or 0, f.reason))
        return root

    def fault(self, envelope):
        status, root = self.raw(envelope)
        if status == 200:
            raise AssertionError("expected a fault, got " + ET.tostring(root, encoding="unicode"))
        assert status == 500, status
        return Fault(status, root, ET.tostring(root, encoding="unicode"))


# ---- envelopes as the Windows client writes them ----------------------------

def envelope(action, resource, body="", selectors=None, options=None, timeout="PT60.000S",
             max_size=512000, extra_headers="", message_id=None):
    sel = ""
    if selectors is not None:
        sel = "<w:SelectorSet>%s</w:SelectorSet>" % "".join(
            '<w:Selector Name="%s">%s</w:Selector>' % (esc(k), esc(v)) for k, v in selectors)
    opt = ""
    if options:
        opt = '<w:OptionSet xmlns:xsi="%s">%s</w:OptionSet>' % (NS["xsi"], "".join(
            '<w:Option Name="%s" Type="%s">%s</w:Option>' % (esc(n), t, esc(v))
            for n, t, v in options))
    return (
        '<s:Envelope xmlns:s="{s}" xmlns:a="{a}" xmlns:w="{w}" xmlns:p="{p}" xmlns:n="{n}" '
        'xmlns:b="{b}"><s:Header>'
        '<a:To>http://127.0.0.1/wsman</a:To>'
        '<w:ResourceURI s:mustUnderstand="true">{res}</w:ResourceURI>'
        '<a:ReplyTo><a:Address s:mustUnderstand="true">'
        'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>'
        '<a:Action s:mustUnderstand="true">{action}</a:Action>'
        '<w:MaxEnvelopeSize s:mustUnderstand="true">{size}</w:MaxEnvelopeSize>'
        '<a:MessageID>{mid}</a:MessageID>'
        '<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>'
        '<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>'
        '<p:SessionId s:mustUnderstand="false">uuid:9802F98B-CD2D-4260-82AD-D6FCAB5E1B19</p:SessionId>'
        '<p:OperationID s:mustUnderstand="false">uuid:{op}</p:OperationID>'
        '<p:SequenceId s:mustUnderstand="false">1</p:SequenceId>'
        '{sel}{opt}{timeout}{extra}</s:Header><s:Body>{body}</s:Body></s:Envelope>'
    ).format(res=esc(resource), action=esc(action), size=max_size,
             mid=message_id or "uuid:%s" % str(uuid.uuid4()).upper(),
             op=str(uuid.uuid4()).upper(), sel=sel, opt=opt,
             timeout="<w:OperationTimeout>%s</w:OperationTimeout>" % timeout if timeout else "",
             extra=extra_headers, body=body, **NS)


MI_OPTIONS = [("__MI_CallbackRegistration", "xs:int", "11"),
              ("wmi:__MI_OPERATIONOPTIONS_WRITEERRORMODE", "xs:unsignedInt", "1"),
              ("msftwinrm:UsePreciseArrays", "xs:boolean", "true")]


def ns_selectors(keys=(), namespace=SITE_NS):
    return [("__cimnamespace", namespace)] + list(keys)


def instance_body(cls, props, prefix="p0", uri=CIM_URI):
    """<p0:Class> with properties as the MI client types them; a value is a
    str, None (nil), a list (repeated), or raw XML in a ("xml", text) tuple."""
    parts = []
    for name, value in props:
        items = value if isinstance(value, list) else [value]
        for v in items:
            if v is None:
                parts.append('<%s:%s xsi:nil="true"/>' % (prefix, name))
            elif isinstance(v, tuple):
                parts.append('<%s:%s %s>%s</%s:%s>' % (prefix, name, v[1], v[2], prefix, name))
            else:
                parts.append('<%s:%s xsi:type="cim:cimString">%s</%s:%s>'
                             % (prefix, name, esc(v), prefix, name))
    return ('<{p}:{c} xmlns:xsi="{xsi}" xmlns:{p}="{u}{c}" xsi:type="{p}:{c}_Type">{body}</{p}:{c}>'
            .format(p=prefix, c=cls, u=uri, xsi=NS["xsi"], body="".join(parts)))


def embedded(cls, props, prefix="q"):
    """An embedded instance item: ("xml", attributes, children)."""
    attrs = 'xmlns:%s="%s%s" xsi:type="%s_Type"' % (prefix, DMTF_URI, cls, cls)
    body = "".join('<%s:%s>%s</%s:%s>' % (prefix, k, esc(v), prefix, k) for k, v in props)
    return ("xml", attrs, body)


def get(resource, keys, namespace=SITE_NS, **kw):
    return envelope(T + "Get", resource, selectors=ns_selectors(keys, namespace), **kw)


def enumerate_(resource, body_extra="", optimize=True, max_elements=32000, namespace=SITE_NS,
               mode=None, **kw):
    inner = ""
    if optimize:
        inner += "<w:OptimizeEnumeration/><w:MaxElements>%d</w:MaxElements>" % max_elements
    if mode:
        inner += "<w:EnumerationMode>%s</w:EnumerationMode>" % mode
    return envelope(E + "Enumerate", resource, "<n:Enumerate>%s%s</n:Enumerate>"
                    % (inner, body_extra), selectors=ns_selectors((), namespace), **kw)


def wql_filter(query):
    return '<w:Filter Dialect="%s">%s</w:Filter>' % (WQL, esc(query))


def pull(resource, context, max_elements=32000, **kw):
    return envelope(E + "Pull", resource, "<n:Pull><n:EnumerationContext>%s</n:EnumerationContext>"
                    "<n:MaxElements>%d</n:MaxElements></n:Pull>" % (context, max_elements),
                    selectors=ns_selectors(), **kw)


def release(resource, context):
    return envelope(E + "Release", resource, "<n:Release><n:EnumerationContext>%s"
                    "</n:EnumerationContext></n:Release>" % context, selectors=ns_selectors())


def invoke(cls, method, params=(), keys=(), uri=CIM_URI, **kw):
    body = instance_body(method + "_INPUT", params, uri=uri + cls + "/")
    body = body.replace('xsi:type="p0:%s_INPUT_Type"' % method,
                        'xsi:type="%s_INPUT_Type"' % method)
    return envelope(uri + cls + "/" + method, uri + cls, body, selectors=ns_selectors(keys), **kw)


def create(cls, props, uri=CIM_URI, **kw):
    return envelope(T + "Create", uri + cls, instance_body(cls, props, uri=uri),
                    selectors=ns_selectors(), **kw)


def put(cls, keys, props, modified=None, uri=CIM_URI, **kw):
    options = list(MI_OPTIONS)
    for name in modified or []:
        options.append(("wmiarray:__MIInstanceModifiedPropertiesList", "xs:string", name))
    return envelope(T + "Put", uri + cls, instance_body(cls, props, uri=uri),
                    selectors=ns_selectors(keys), options=options, **kw)


def delete(cls, keys, uri=CIM_URI):
    return envelope(T + "Delete", uri + cls, selectors=ns_selectors(keys))


# ---- reading answers ----------------------------------------------------------

class Items(list):
    """Repeated elements: an array with more than one item."""


def props_of(elem):
    """{name: text | None (nil) | element (embedded) | Items} of an instance element."""
    out = {}
    for child in elem:
        name = child.tag.split("}")[1]
        if child.get(XSI_NIL) == "true":
            value = None
        elif len(child):
            value = child
        else:
            value = child.text or ""
        if name not in out:
            out[name] = value
        elif isinstance(out[name], Items):
            out[name].append(value)
        else:
            out[name] = Items([out[name], value])
    return out


def as_list(value):
    return list(value) if isinstance(value, Items) else ([] if value is None else [value])


def body_child(root):
    return root.find("s:Body", NS)[0]


def selectors_of(epr):
    return {s.get("Name"): s.text for s in epr.iter("{%s}Selector" % NS["w"])}


def enumerate_all(client, resource, body_extra="", namespace=SITE_NS, max_elements=32000,
                  **kw):
    """Every item an Enumerate plus Pulls give: a list of instance elements."""
    root = client.send(enumerate_(resource, body_extra, max_elements=max_elements,
                                  namespace=namespace, **kw))
    resp = root.find("s:Body/n:EnumerateResponse", NS)
    items = list(resp.find("w:Items", NS))
    context = resp.findtext("n:EnumerationContext", namespaces=NS)
    done = resp.find("w:EndOfSequence", NS) is not None
    while not done:
        root = client.send(pull(resource, context, max_elements))
        resp = root.find("s:Body/n:PullResponse", NS)
        items += list(resp.find("n:Items", NS))
        context = resp.findtext("n:EnumerationContext", namespaces=NS)
        done = resp.find("n:EndOfSequence", NS) is not None
    return items


def identify_raw(endpoint, headers=None, auth=None, verify=False):
    body = ('<s:Envelope xmlns:s="%s" xmlns:wsmid="%s"><s:Header/><s:Body><wsmid:Identify/>'
            '</s:Body></s:Envelope>' % (NS["s"], NS["wsmid"]))
    h = {"Content-Type": "application/soap+xml;charset=UTF-8"}
    h.update(headers or {})
    return requests.post(endpoint, data=body, headers=h, auth=auth, verify=verify, timeout=30)


def package_id_of(root):
    """The PackageID selector of a ResourceCreated answer."""
    created = root.find("s:Body/x:ResourceCreated", NS)
    return selectors_of(created)["PackageID"]


PACKAGE_ID = re.compile(r"^LAB[0-9A-F]{5}$")
