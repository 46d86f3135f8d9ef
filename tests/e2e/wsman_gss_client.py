"""A WS-Management client on Debian's python3-gssapi that authenticates as
Windows does and encrypts every message (MS-WSMV 2.2.9.1), on one
keep-alive connection:

  kerberos     scheme Kerberos, a raw Kerberos token (-Authentication Kerberos)
  spnego-krb5  scheme Negotiate, SPNEGO choosing Kerberos
  spnego-ntlm  scheme Negotiate, SPNEGO limited to NTLM (what Windows sends
               to a host outside its domain)

Kerberos takes the ticket in KRB5CCNAME; NTLM the name and password given.
Responses are decrypted strictly: Kerberos with gss_unwrap_iov(HEADER,
DATA), which only takes the Windows layout (the trailer rotated into the
60-byte header)."""
import base64
import http.client
import struct
import xml.etree.ElementTree as ET

import gssapi
import gssapi.raw as graw

from wsman_harness import Client

SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
KRB5 = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")
NTLM = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")
BOUNDARY = b"--Encrypted Boundary"


class AuthFailed(Exception):
    def __init__(self, status, headers):
        super().__init__("authentication refused: HTTP %s" % status)
        self.status = status
        self.headers = headers


class GssClient(Client):
    """The harness's Client (send, fault, raw) over a GSSAPI session."""

    def __init__(self, port, mode, user=None, password=None, host="localhost", source=None):
        self.port, self.mode, self.host = port, mode, host
        self.scheme = "Kerberos" if mode == "kerberos" else "Negotiate"
        self.kerberos = mode != "spnego-ntlm"
        self.protocol_string = ("application/HTTP-Kerberos-session-encrypted"
                                if mode == "kerberos" else
                                "application/HTTP-SPNEGO-session-encrypted")
        self.user, self.password = user, password
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                               source_address=(source, 0) if source else None)
        self.legs = 0
        self.authenticate()

    def context(self):
        target = gssapi.Name("HTTP@" + self.host, gssapi.NameType.hostbased_service)
        flags = [gssapi.RequirementFlag.confidentiality, gssapi.RequirementFlag.integrity,
                 gssapi.RequirementFlag.out_of_sequence_detection,
                 gssapi.RequirementFlag.replay_detection]
        if self.mode == "kerberos":
            return gssapi.SecurityContext(name=target, mech=KRB5, flags=flags + [
                gssapi.RequirementFlag.mutual_authentication], usage="initiate")
        if self.mode == "spnego-krb5":
            creds = gssapi.Credentials(usage="initiate", mechs=[KRB5])
            return gssapi.SecurityContext(name=target, mech=SPNEGO, creds=creds, flags=flags + [
                gssapi.RequirementFlag.mutual_authentication], usage="initiate")
        return gssapi.SecurityContext(name=target, mech=SPNEGO, creds=self.ntlm_credentials(),
                                      flags=flags, usage="initiate")

    _credentials = {}

    def ntlm_credentials(self):
        """SPNEGO credentials limited to NTLM, acquired once per name and
        password (acquiring is the client's own cost, not the server's)."""
        key = (self.user, self.password)
        if key not in self._credentials:
            name = gssapi.Name(self.user, gssapi.NameType.user)
            creds = graw.acquire_cred_with_password(name, self.password.encode(),
                                                    mechs=[SPNEGO, NTLM], usage="initiate").creds
            graw.set_neg_mechs(creds, [NTLM])
            self._credentials[key] = gssapi.Credentials(creds)
        return self._credentials[key]

    def post(self, body=b"", headers=None):
        h = {"Host": "%s:%d" % (self.host, self.port), "Content-Length": str(len(body))}
        h.update(headers or {})
        self.conn.request("POST", "/wsman", body=body, headers=h)
        r = self.conn.getresponse()
        return r.status, r.headers, r.read()

    def server_token(self, headers):
        for value in headers.get_all("WWW-Authenticate") or []:
            scheme, _, token = value.partition(" ")
            if scheme.lower() == self.scheme.lower() and token:
                return base64.b64decode(token)
        return None

    def authenticate(self):
        """The handshake: legs with empty bodies until the 200, whose token
        (Kerberos' AP-REP, SPNEGO's mechListMIC) completes the context."""
        self.ctx = self.context()
        token = self.ctx.step()
        while True:
            self.legs += 1
            status, headers, _ = self.post(b"", {
                "Authorization": "%s %s" % (self.scheme, base64.b64encode(token).decode())})
            reply = self.server_token(headers)
            if status == 200:
                if reply:
                    self.ctx.step(reply)
                if not self.ctx.complete:
                    raise AssertionError("the server's 200 did not complete the context")
                return
            if status != 401 or not reply:
                raise AuthFailed(status, headers)
            token = self.ctx.step(reply)

    # ---- MS-WSMV encryption ------------------------------------------------------

    def seal(self, plain):
        """The multipart body of plain, as Windows writes it."""
        if self.kerberos:
            iov = graw.IOV(graw.IOVBufferType.header, plain, graw.IOVBufferType.padding,
                           std_layout=False)
            graw.wrap_iov(self.ctx, iov, confidential=True)
            signature, sealed = iov[0].value, iov[1].value + (iov[2].value or b"")
        else:
            wrapped = self.ctx.wrap(plain, True).message
            signature, sealed = wrapped[:16], wrapped[16:]
        return (BOUNDARY + b"\r\n\tContent-Type: " + self.protocol_string.encode() + b"\r\n"
                b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=%d\r\n"
                % len(plain) + BOUNDARY + b"\r\n\tContent-Type: application/octet-stream\r\n"
                + struct.pack("<I", len(signature)) + signature + sealed + BOUNDARY + b"--\r\n")

    def content_type(self):
        return ('multipart/encrypted;protocol="%s";boundary="Encrypted Boundary"'
                % self.protocol_string)

    def open_(self, headers, body):
        """The plaintext of an encrypted answer, checked against its framing."""
        ctype = headers.get("Content-Type", "")
        if 'protocol="%s"' % self.protocol_string not in ctype:
            raise AssertionError("answer not encrypted in %s: %r" % (self.protocol_string, ctype))
        head, _, rest = body.partition(b"\tContent-Type: application/octet-stream\r\n")
        length = int(head.split(b"Length=")[1].split(b"\r\n")[0])
        assert rest.endswith(BOUNDARY + b"--\r\n")
        rest = rest[:-len(BOUNDARY) - 4]
        (siglen,) = struct.unpack("<I", rest[:4])
        signature, sealed = rest[4:4 + siglen], rest[4 + siglen:]
        assert len(sealed) == length, (len(sealed), length)
        if self.kerberos:
            assert siglen == 60, siglen  # AES: the header carries the 28-byte rotated trailer
            iov = graw.IOV((graw.IOVBufferType.header, False, signature), sealed,
                           std_layout=False)
            graw.unwrap_iov(self.ctx, iov)
            plain = iov[1].value
        else:
            plain = self.ctx.unwrap(signature + sealed).message
        assert len(plain) == length
        return plain

    def exchange(self, envelope):
        """(status, headers, plaintext answer) of one encrypted request."""
        body = envelope.encode() if isinstance(envelope, str) else envelope
        status, headers, answer = self.post(self.seal(body), {"Content-Type": self.content_type()})
        if answer and status not in (400, 401):
            answer = self.open_(headers, answer)
        return status, headers, answer

    def raw(self, envelope):
        status, headers, answer = self.exchange(envelope)
        if status in (400, 401):
            raise AuthFailed(status, headers)
        return status, ET.fromstring(answer)

    def close(self):
        self.conn.close()
