// odata_client.js - a real OData v4 client from npm (o.js, package "odata")
// against the AdminService: a filtered, projected read, create, PATCH, a
// keyed read, DELETE and an unknown class.  Prints one JSON object of what it
// saw for test_adminservice.py to check.
// Usage: NODE_PATH=<dir>/node_modules node odata_client.js BASE USER PASSWORD
"use strict";
const { o } = require("odata");

const [base, user, password] = process.argv.slice(2);
const auth = "Basic " + Buffer.from(user + ":" + password).toString("base64");
const handler = () => o(base, { headers: { Authorization: auth, "Content-Type": "application/json" } });
const OSIP = "SMS_OperatingSystemInstallPackage";

// The HTTP status a failing request rejects with ("answered" if it did not fail).
async function status(request) {
  try {
    await request;
    return "answered";
  } catch (e) {
    return e.status !== undefined ? e.status : String(e);
  }
}

(async () => {
  const seen = {};
  seen.listed = await handler().get("SMS_BootImagePackage")
    .query({ $filter: "Name eq 'Default only'", $select: "PackageID, Name" });
  const created = await handler().post(OSIP, {
    Name: "made by o.js", PkgSourceFlag: 2, PkgSourcePath: "\\\\lab\\share\\os",
  }).query();
  seen.created = created;
  const key = `${OSIP}('${created.PackageID}')`;
  seen.patched = await handler().patch(key, { Description: "patched by o.js" }).query();
  seen.got = await handler().get(key).query();
  await handler().delete(key).query();
  seen.afterDelete = await status(handler().get(key).query());
  seen.unknown = await status(handler().get("SMS_NoSuchClass").query());
  process.stdout.write(JSON.stringify(seen) + "\n");
})().catch((e) => {
  process.stderr.write("odata_client: " + (e && e.stack ? e.stack : JSON.stringify(e)) + "\n");
  process.exit(1);
});
