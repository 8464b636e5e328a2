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
const { VirtualAlexa } = require("virtual-alexa");
require("./fast_matching");
const { Utterance } = require(require.resolve("virtual-core", {
  paths: [path.dirname(require.resolve("virtual-alexa/package.json"))],
}));

const LAUNCH_WORDS = /(ask|open|launch|talk to|tell)/i;

function receivedSlots(request) {
  const slots = {};
  const raw = (request.intent && request.intent.slots) || {};
  for (const name of Object.keys(raw)) {
    const slot = raw[name];
    if (slot.value === undefined || slot.value === null) continue;
    const ids = [];
    for (const authority of (slot.resolutions && slot.resolutions.resolutionsPerAuthority) || []) {
      if (authority.status && authority.status.code === "ER_SUCCESS_MATCH") {
        for (const v of authority.values || []) ids.push(v.value.id);
      }
    }
    slots[name] = { value: slot.value, ids };
  }
  return slots;
}

async function routeBatch(batch) {
  let lastRequest = null;
  const handler = (event, context, callback) => {
    lastRequest = event.request;
    callback(null, {
      version: "1.0",
      response: {
        outputSpeech: { type: "SSML", ssml: "<speak>ok</speak>" },
        reprompt: { outputSpeech: { type: "SSML", ssml: "<speak>ok</speak>" } },
        shouldEndSession: false,
      },
    });
  };
  const alexa = VirtualAlexa.Builder()
    .handler(handler)
    .interactionModelFile(path.resolve(batch.model))
    .create();
  const out = [];
  for (const utterance of batch.utterances) {
    const record = { utterance, sent_by: "utter", request_type: null, intent: null, slots: {}, error: null };
    lastRequest = null;
    alexa.context().dialogManager().reset();
    try {
      if (LAUNCH_WORDS.test(utterance)) {
        record.sent_by = "intend";
        const match = new Utterance(alexa.context().interactionModel(), utterance);
        if (!match.matched()) throw new Error(`Unable to match utterance: ${utterance} to an intent`);
        await alexa.intend(match.intent(), match.toJSON());
      } else {
        await alexa.utter(utterance);
      }
      record.request_type = lastRequest ? lastRequest.type : null;
      record.intent = lastRequest && lastRequest.intent ? lastRequest.intent.name : null;
      record.slots = lastRequest ? receivedSlots(lastRequest) : {};
    } catch (err) {
      record.error = String(err && err.message ? err.message : err);
    }
    out.push(record);
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
