#!/usr/bin/env node
// Route people's phrasings through virtual-alexa 0.7.8 and each locale's model, in one process.
//
// usage:  node tests/js/route_phrasings.js < batches.json
// stdin:  [{"model": "interaction_models/en-GB.json", "utterances": ["my calf's gone into cramp", ...]}, ...]
// stdout: one list per batch, one record per utterance:
//   {"utterance", "sent_by": "utter" | "intend", "request_type", "intent",
//    "slots": {slotName: {"value": words, "ids": [resolved value ids]}}, "error"}
//
// As in route_utterances.js: words virtual-alexa would take for a launch (ask/open/launch/tell/
// talk to, even inside a word) are matched by its own matcher and sent with intend(). Each
// utterance starts from a fresh dialog state, so no slot is carried over from the last one.
// fast_matching.js makes virtual-alexa's matcher fast enough for a model this size.
"use strict";

const fs = require("fs");
const path = require("path");
const { recordingAlexa } = require("./recording_alexa");
require("./fast_matching");
const { Utterance } = require(require.resolve("virtual-core", {
  paths: [path.dirname(require.resolve("virtual-alexa/package.json"))],
}));

const LAUNCH_WORDS = /(ask|open|launch|talk to|tell)/i;

async function routeBatch(batch) {
  const { alexa, send } = recordingAlexa(batch.model);
  const out = [];
  for (const utterance of batch.utterances) {
    const record = { utterance, sent_by: "utter", request_type: null, intent: null, slots: {}, error: null };
    const launchy = LAUNCH_WORDS.test(utterance);
    if (launchy) record.sent_by = "intend";
    out.push(await send(record, async () => {
      if (launchy) {
        const match = new Utterance(alexa.context().interactionModel(), utterance);
        if (!match.matched()) throw new Error(`Unable to match utterance: ${utterance} to an intent`);
        await alexa.intend(match.intent(), match.toJSON());
      } else {
        await alexa.utter(utterance);
      }
    }));
  }
  return out;
}

async function main() {
  const batches = JSON.parse(fs.readFileSync(0, "utf8"));
  const results = [];
  for (const batch of batches) results.push(await routeBatch(batch));
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
