"""A real MIT Kerberos KDC in a temporary folder, and a gss-ntlmssp user
file, for tests of Negotiate, Kerberos and NTLM against smsprovd.

The realm EXAMPLE.TEST gets the users alice and bob (password PASSWORD)
and the service principal HTTP/localhost, whose keys go to a keytab;
krb5kdc listens on a free loopback port and alice holds a ticket-granting
ticket in her own credential cache.  Everything lives in the folder and
uses it through KRB5_CONFIG, KRB5_KDC_PROFILE and KRB5CCNAME, so the
machine's /etc/krb5.conf is never read.  NTLM: the file holds SMSTEST\\alice
with PASSWORD's NT hash, written by `smsprovd ntlm-adduser` (smsprovd
announces SMSTEST through NETBIOS_COMPUTER_NAME)."""
import os
import secrets
import socket
import subprocess
import time

REALM = "EXAMPLE.TEST"
PASSWORD = "Passw0rd-Kdc!"
NETBIOS = "SMSTEST"
SBIN = ["/usr/sbin", "/usr/bin"]


def tool(name):
    for d in SBIN:
        path = os.path.join(d, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(name + " (install krb5-kdc, krb5-admin-server, krb5-user)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# python3-ntlm-auth hashes with MD4, which OpenSSL 3 keeps in its legacy
# provider; the client side of the tests needs it switched on.
OPENSSL_LEGACY = """openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
"""


class Kdc:
    def __init__(self, folder):
        self.dir = folder
        os.makedirs(folder, exist_ok=True)
        self.port = free_port()
        self.krb5_conf = os.path.join(folder, "krb5.conf")
        self.kdc_conf = os.path.join(folder, "kdc.conf")
        self.keytab = os.path.join(folder, "http.keytab")
        self.ccache = os.path.join(folder, "ccache")
        self.ntlm_users = os.path.join(folder, "ntlm_users")
        self.openssl_conf = os.path.join(folder, "openssl.cnf")
        with open(self.krb5_conf, "w") as f:
            f.write("[libdefaults]\n default_realm = %s\n dns_lookup_kdc = false\n"
                    " dns_lookup_realm = false\n dns_canonicalize_hostname = false\n"
                    " rdns = false\n qualify_shortname = \"\"\n udp_preference_limit = 1\n"
                    "[realms]\n %s = {\n  kdc = 127.0.0.1:%d\n }\n"
                    "[domain_realm]\n localhost = %s\n" % (REALM, REALM, self.port, REALM))
        with open(self.kdc_conf, "w") as f:
            f.write("[kdcdefaults]\n kdc_listen = 127.0.0.1:%d\n kdc_tcp_listen = 127.0.0.1:%d\n"
                    "[realms]\n %s = {\n  database_name = %s/principal\n"
                    "  key_stash_file = %s/stash\n  acl_file = %s/kadm5.acl\n"
                    "  supported_enctypes = aes256-cts-hmac-sha1-96:normal "
                    "aes128-cts-hmac-sha1-96:normal\n }\n[logging]\n kdc = FILE:%s/kdc.log\n"
                    % (self.port, self.port, REALM, folder, folder, folder, folder))
        open(os.path.join(folder, "kadm5.acl"), "w").close()
        # smbpasswd lines with the NT hash, as `smsprovd ntlm-adduser` writes them
        subprocess.run([os.environ.get("SMSPROVD", "smsprovd"), "ntlm-adduser", self.ntlm_users,
                        NETBIOS + "\\alice"], input=PASSWORD + "\n", text=True, check=True,
                       capture_output=True)
        with open(self.openssl_conf, "w") as f:
            f.write(OPENSSL_LEGACY)
        self.env = dict(os.environ, KRB5_CONFIG=self.krb5_conf, KRB5_KDC_PROFILE=self.kdc_conf,
                        KRB5CCNAME="FILE:" + self.ccache)
        self.run("kdb5_util", "create", "-s", "-r", REALM, "-P", secrets.token_hex(16))
        for user in ("alice", "bob"):
            self.kadmin("addprinc -pw %s %s" % (PASSWORD, user))
        self.kadmin("addprinc -randkey HTTP/localhost")
        self.kadmin("ktadd -k %s HTTP/localhost" % self.keytab)
        os.chmod(self.keytab, 0o600)
        self.proc = subprocess.Popen([tool("krb5kdc"), "-n"], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kinit("alice")

    def run(self, name, *args, **kw):
        return subprocess.run([tool(name)] + list(args), env=kw.pop("env", self.env), check=True,
                              capture_output=True, text=True, **kw)

    def kadmin(self, query):
        self.run("kadmin.local", "-r", REALM, "-q", query)

    def kinit(self, user, ccache=None):
        """A ticket for user in ccache (default: the folder's), once the KDC answers."""
        env = dict(self.env, KRB5CCNAME="FILE:" + (ccache or self.ccache))
        deadline = time.time() + 30
        while True:
            r = subprocess.run([tool("kinit"), user], input=PASSWORD + "\n", env=env,
                               capture_output=True, text=True)
            if r.returncode == 0:
                return
            if time.time() > deadline or self.proc.poll() is not None:
                raise AssertionError("kinit %s failed: %s" % (user, r.stderr))
            time.sleep(0.1)

    def client_environment(self):
        """What the test process (the client) needs in os.environ."""
        return {"KRB5_CONFIG": self.krb5_conf, "KRB5CCNAME": "FILE:" + self.ccache}

    def server_environment(self):
        """What smsprovd needs: the realm's krb5.conf, a replay cache folder it may
        write, and the NetBIOS name its NTLM challenge announces."""
        return {"KRB5_CONFIG": self.krb5_conf, "KRB5RCACHEDIR": self.dir,
                "NETBIOS_COMPUTER_NAME": NETBIOS}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
