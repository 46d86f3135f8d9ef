"""Runs the real smsprov command-line client against a scratch site database.

Shared by the end-to-end tests; configured from the environment that ctest
sets (SMSPROV_CLI, SMSPROV_SCRATCH, SMSPROV_MOF_DIR)."""
import json
import os
import subprocess
import tempfile

CLI = os.environ.get("SMSPROV_CLI", "smsprov")
SCRATCH = os.environ.get("SMSPROV_SCRATCH", tempfile.gettempdir())
MOF_DIR = os.environ.get("SMSPROV_MOF_DIR")


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code}\nstdout: {self.out}\nstderr: {self.err}"


class Site:
    """A fresh site database in its own scratch folder."""

    def __init__(self, name, shares=None):
        """shares: {UNC prefix: folder name in the site's folder}."""
        self.dir = tempfile.mkdtemp(prefix=name + "-", dir=SCRATCH)
        self.db = os.path.join(self.dir, "site.db")
        self.shares = []
        for unc, folder in (shares or {}).items():
            local = os.path.join(self.dir, folder)
            os.makedirs(local, exist_ok=True)
            self.shares += ["--share", f"{unc}={local}"]

    def base_args(self, json_output=False, namespace=None):
        args = [CLI, "--db", self.db] + self.shares
        if MOF_DIR:
            args += ["--mof", MOF_DIR]
        if namespace:
            args += ["--namespace", namespace]
        if json_output:
            args.append("--json")
        return args

    def run(self, *words, json_output=False, namespace=None, timeout=60):
        args = self.base_args(json_output, namespace) + list(words)
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        return Result(proc)

    def ok(self, *words, **kw):
        r = self.run(*words, **kw)
        if r.code != 0:
            raise AssertionError(f"smsprov {' '.join(words)} failed: {r!r}")
        return r

    def get(self, path):
        return self.ok("get", path, json_output=True).json()

    def create(self, cls, *assignments):
        return self.ok("create", cls, *assignments).out.strip()
