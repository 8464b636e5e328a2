#!/usr/bin/env node
// Validate a batch of SSML strings with ssml-check-core, in one process.
//
// stdin:  a JSON array of SSML strings
// stdout: a JSON array of the same length: null when the string is valid for Amazon, otherwise the
//         list of error objects ssml-check-core reported (e.g. {"type": "tag", "tag": "break", ...}).
//
// validateAudioFiles stays off: it fetches every <audio> URL over the network.
// ssml-check-core does not enforce Alexa's 8,000-character limit; callers check that themselves.
"use strict";

const { readStdin } = require("./stdin");

const { check } = require("ssml-check-core");


async function main() {
  const input = JSON.parse(await readStdin());
  if (!Array.isArray(input)) {
    throw new Error("check_ssml.js expects a JSON array of SSML strings on stdin");
  }
  const results = [];
  for (const ssml of input) {
    if (typeof ssml !== "string") {
      results.push([{ type: "not a string", value: ssml }]);
      continue;
    }
    try {
      const errors = await check(ssml, { platform: "amazon" });
      results.push(errors && errors.length ? errors : null);
    } catch (err) {
      results.push([{ type: "exception", message: String(err && err.message ? err.message : err) }]);
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
