// Validate JSON files against a JSON schema with ajv (draft-07, every error
// reported): Bencher's BMF schema (tests/fixtures/export/bmf.schema.json) or
// github-action-benchmark's documented custom format
// (tests/fixtures/export/gab-custom.schema.json).
//
//   node validate.mjs SCHEMA.json FILE...
//
// Prints "ok - FILE" or "not ok - FILE" and ajv's errors per file; exits 1
// when any file is invalid (or not JSON), 2 on a usage error.
import Ajv from "ajv";
import fs from "node:fs";

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || !files.length) {
  console.error("usage: node validate.mjs SCHEMA.json FILE...");
  process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
let failed = 0;
for (const f of files) {
  let doc, err;
  try {
    doc = JSON.parse(fs.readFileSync(f, "utf8"));
  } catch (e) {
    err = String(e);
  }
  if (!err && !validate(doc)) err = ajv.errorsText(validate.errors);
  if (err) {
    failed = 1;
    console.log(`not ok - ${f}`);
    console.log(`#   ${err}`);
  } else console.log(`ok - ${f}`);
}
process.exit(failed);
