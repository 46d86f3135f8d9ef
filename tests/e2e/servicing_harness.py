"""A site set up for boot image servicing: synthetic ADK and ConfigMgr
trees and WinPE images made by mkwinpe, shares mapping \\\\lab\\sources and
\\\\lab\\content to local folders, and the checks the servicing tests share
(independent readers: wimlib-imagex, 7z, ElementTree over osdinjection.xml).

Configured from the environment ctest sets: SMSPROV_MKWINPE besides the
cli_harness variables."""
import hashlib
import os
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from cli_harness import SCRATCH, Site

MKWINPE = os.environ.get("SMSPROV_MKWINPE", "mkwinpe")
BOOT = "SMS_BootImagePackage"
SOURCES_UNC = "\\\\lab\\sources"
CONTENT_UNC = "\\\\lab\\content"


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300, **kw)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def package_path(package_id, cls=BOOT):
    return f'{cls}.PackageID="{package_id}"'


class InputTrees:
    """ADK and ConfigMgr trees mkwinpe made earlier under path (adk/,
    configmgr/): what expected_files reads of Inputs."""

    def __init__(self, path):
        self.adk = os.path.join(path, "adk")
        self.configmgr = os.path.join(path, "configmgr")

    def manifest(self):
        return os.path.join(self.configmgr, "bin", "x64", "osdinjection.xml")


class Inputs(InputTrees):
    """The ADK and ConfigMgr trees and source images, made once per run."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix=name + "-inputs-", dir=SCRATCH)
        super().__init__(self.dir)
        self.sources = os.path.join(self.dir, "sources")
        os.makedirs(self.sources)
        for tree, path in (("adk", self.adk), ("configmgr", self.configmgr)):
            r = run(MKWINPE, tree, path)
            assert r.returncode == 0, r.stderr

    def image(self, name, *options):
        """Makes sources/<name> with mkwinpe image options; returns its UNC path."""
        path = os.path.join(self.sources, name)
        if not os.path.exists(path):
            r = run(MKWINPE, "image", path, *options)
            assert r.returncode == 0, r.stderr
        return SOURCES_UNC + "\\" + name

    def local(self, unc):
        assert unc.lower().startswith(SOURCES_UNC)
        return os.path.join(self.sources, unc[len(SOURCES_UNC) + 1:].replace("\\", "/"))


class ServicingSite(Site):
    """A fresh site whose every smsprov call carries the servicing options."""

    def __init__(self, name, inputs, workers=None):
        super().__init__(name)
        self.inputs = inputs
        self.content = os.path.join(self.dir, "content")
        self.workers = workers

    def base_args(self, json_output=False, namespace=None):
        args = super().base_args(json_output, namespace)
        extra = ["--adk", self.inputs.adk, "--configmgr", self.inputs.configmgr,
                 "--content", self.content,
                 "--share", f"{SOURCES_UNC}={self.inputs.sources}",
                 "--share", f"{CONTENT_UNC}={self.content}"]
        if self.workers:
            extra += ["--workers", str(self.workers)]
        return args[:1] + extra + args[1:]

    def content_wim(self, package_id):
        return os.path.join(self.content, f"boot.{package_id}.wim")

    def status(self, context):
        return self.ok("invoke", BOOT, "QueryOSDBinaryInjectionStatus", f"ContextID={context}",
                       json_output=True).json()


# ---- independent checks of a content WIM -------------------------------------

class PublishedWimsVerified(unittest.TestCase):
    """After each test, every WIM the site published (boot.*.wim in its
    content folder) passes wimlib-imagex verify: nothing the provider
    publishes may fail verification, whatever the test did."""

    def tearDown(self):
        site = getattr(self, "site", None)
        content = getattr(site, "content", None)
        if not content or not os.path.isdir(content):
            return
        for name in sorted(os.listdir(content)):
            if name.startswith("boot.") and name.endswith(".wim"):
                ok, out = verify_with_wimlib(os.path.join(content, name))
                self.assertTrue(ok, f"published {name} fails verification: {out}")


def wim_files(wim):
    """Every path of image 1, lower-cased, from wimlib-imagex dir."""
    r = run("wimlib-imagex", "dir", wim, "1")
    assert r.returncode == 0, r.stderr
    return {line.strip().lower() for line in r.stdout.splitlines() if line.strip()}


def wim_info(wim):
    r = run("wimlib-imagex", "info", wim)
    assert r.returncode == 0, r.stderr
    info = {}
    for line in r.stdout.splitlines():
        if ":" in line:
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    return info


def wim_text(wim, path, scratch):
    """A file of image 1 extracted with wimlib-imagex, as text."""
    dest = tempfile.mkdtemp(dir=scratch)
    r = run("wimlib-imagex", "extract", wim, "1", path, f"--dest-dir={dest}", "--no-acls")
    assert r.returncode == 0, r.stderr
    name = path.rsplit("/", 1)[-1]
    with open(os.path.join(dest, name), encoding="utf-8", errors="replace") as f:
        text = f.read()
    shutil.rmtree(dest)
    return text


def verify_with_wimlib(wim):
    r = run("wimlib-imagex", "verify", wim)
    return r.returncode == 0, r.stdout + r.stderr


def verify_with_7z(wim):
    r = run("7z", "t", wim)
    return r.returncode == 0 and "Everything is Ok" in r.stdout, r.stdout + r.stderr


def expected_files(inputs, img_arch, lcids):
    """The image paths osdinjection.xml lists for img_arch (lower-cased)."""
    kit = os.path.join(inputs.adk, "Assessment and Deployment Kit")
    roots = {"WPE": os.path.join(kit, "Windows Preinstallation Environment"),
             "WDT": os.path.join(kit, "Deployment Tools"),
             "SCCM": inputs.configmgr}
    out = set()
    tree = ET.parse(inputs.manifest())
    for arch in tree.getroot().findall("Architecture"):
        if arch.get("imgArch") != img_arch:
            continue
        for file_list in arch.findall("FileList"):
            root = roots[file_list.get("source")]
            for f in file_list.findall("File"):
                if f.findtext("DebugBinary", "false").strip().lower() == "true":
                    continue
                name = f.get("name")
                src = f.findtext("Source").strip().replace("\\", "/")
                dst = "/" + f.findtext("Destination").strip().replace("\\", "/")
                if name == "*":
                    for entry in os.listdir(os.path.join(root, src)):
                        out.add(f"{dst}/{entry}".lower())
                elif f.findtext("LocaleNeeded", "false").strip().lower() == "true":
                    for lcid in lcids:
                        out.add(f"{dst}/{lcid}/{name}".lower())
                else:
                    out.add(f"{dst}/{name}".lower())
    assert len(out) > 40, out
    return out
