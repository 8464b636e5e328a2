#!/usr/bin/env node
// Validate a batch of APL documents (and their datasources) with apl-suggester, in one process.
//
// stdin:  a JSON array of {"document": {...}, "datasources": {...} or null}
// stdout: a JSON array of the same length, each {"document": [...], "datasources": [...],
//         "channel": [...]}: what StaticAplTemplateValidator's validate() and
//         validateDataSources() returned, and what it sent to its error controller, a channel
//         it discards by default (an unknown component type goes only there).
//
// Imported packages (alexa-layouts) would be fetched from the network; offline they are skipped.
"use strict";

const { readStdin } = require("./stdin");

const { StaticAplTemplateValidator, ErrorController } = require("apl-suggester");

let channel = [];
const trigger = ErrorController.prototype.triggerValidationError;
ErrorController.prototype.triggerValidationError = function (code, details) {
  channel.push({ code, details: JSON.parse(JSON.stringify(details || {}, (k, v) =>
    k === "item" ? undefined : v)) });
  return trigger ? trigger.apply(this, arguments) : undefined;
};


async function main() {
  const input = JSON.parse(await readStdin());
  if (!Array.isArray(input)) {
    throw new Error("check_apl.js expects a JSON array of {document, datasources} on stdin");
  }
  const validator = new StaticAplTemplateValidator();
  const results = [];
  for (const { document, datasources } of input) {
    channel = [];
    const documentErrors = await validator.validate(document);
    const sourceErrors = datasources ? await validator.validateDataSources(datasources) : [];
    results.push({ document: documentErrors || [], datasources: sourceErrors || [],
                   channel });
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
