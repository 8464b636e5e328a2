#!/usr/bin/env node
// Route every sample utterance of an interaction model through virtual-alexa 0.7.8, in one process.
//
// usage:  node tests/js/route_utterances.js interaction_models/en-US.json
// stdout: a JSON array, one record per request sent:
//   {
//     "source":          "sample" | "builtin-check",
//     "expected_intent": intent the sample belongs to,
//     "sample":          the sample as written in the model ("{Muscle}" unfilled),
//     "utterance":       the words sent (slots filled),
//     "sent_by":         "utter" | "intend",
//     "intend_reason":   why "intend" was used (virtual-alexa would treat the words as a launch),
//     "slots_sent":      {slotName: {"value": words, "type": slot type, "id": expected value id or null}},
//     "request_type":    request type the handler received (IntentRequest, LaunchRequest, ...),
//     "intent":          intent name the handler received, or null,
//     "slots":           {slotName: {"value": ..., "ids": [resolved value ids]}} as received,
//     "error":           error message, or null
//   }
//
// Quirks handled (see /work/shared/TOOLS.md):
// - virtual-alexa treats any utterance containing ask/open/launch/tell/talk to (even inside a word,
//   e.g. "task") as a launch. For such samples we run virtual-alexa's own matcher (virtual-core's
//   Utterance, the same code utter() uses after its launch check) on the words, then send the intent
//   and slots it matched with alexa.intend(...), and mark the record sent_by "intend". So they are
//   still routed by their words, only the launch heuristic is bypassed.
// - Custom slot values must equal a value or synonym of the type. Each slot type's fillers are its
//   values' canonical names and one synonym each (rotating through the synonyms); with several
//   slots in one sample, the canonical names only. A one-slot sample is sent twice, any other
//   once, each slot taking the next filler of its type in turn, so that across an intent's samples every value id is sent (a
//   model has thousands of slotted samples: sending each with every filler would take minutes).
// - A slot is never filled with the words just before it (see expand).
// - Every request starts from a fresh dialog state: virtual-alexa keeps the slots of an intent that
//   is in the dialog model from one request to the next, which no real device does across turns
//   that are not a dialog.
// - fast_matching.js makes virtual-alexa's matcher fast enough for a model this size, matching the
//   same.
// - AMAZON.TIME takes any words; we send spoken forms such as "nine p m".
"use strict";

const fs = require("fs");
const path = require("path");
const { recordingAlexa } = require("./recording_alexa");
require("./fast_matching");
// virtual-alexa's own dependency (pinned by it): the matcher utter() uses.
const { Utterance } = require(require.resolve("virtual-core", {
  paths: [path.dirname(require.resolve("virtual-alexa/package.json"))],
}));

// Same test virtual-alexa 0.7.8 applies in VirtualAlexa.parseLaunchRequest.
const LAUNCH_WORDS = /(ask|open|launch|talk to|tell)/i;
const TIME_VALUES = ["nine p m", "nine", "ten thirty p m", "nine thirty", "eight fifteen p m"];
const BUILTIN_CHECKS = [
  ["help", "AMAZON.HelpIntent"],
  ["stop", "AMAZON.StopIntent"],
  ["cancel", "AMAZON.CancelIntent"],
];

function loadModel(modelPath) {
  const json = JSON.parse(fs.readFileSync(modelPath, "utf8"));
  return json.interactionModel.languageModel;
}

// Values to try for a slot type: [{value, id}], for the n-th slotted sample of the model. With
// `canonical`, only each value's own name (for samples with several slots, where two synonyms side
// by side would make nonsense). Possessive synonyms ("calf's", for "my calf's gone into cramp") are
// left out: in most samples they read as nonsense ("my calf's is cramping").
function slotFillers(languageModel, type, n, canonical) {
  if (type === "AMAZON.TIME") {
    return [
      { value: TIME_VALUES[n % TIME_VALUES.length], id: null },
      { value: TIME_VALUES[(n + 1) % TIME_VALUES.length], id: null },
    ];
  }
  const custom = (languageModel.types || []).find((t) => t.name === type);
  if (!custom) {
    throw new Error(`slot type ${type} is neither custom nor one this script knows how to fill`);
  }
  const fillers = [];
  for (const v of custom.values) {
    fillers.push({ value: v.name.value, id: v.id || v.name.value });
    const synonyms = (v.name.synonyms || []).filter((s) => !s.endsWith("'s"));
    if (synonyms.length && !canonical) {
      fillers.push({ value: synonyms[n % synonyms.length], id: v.id || v.name.value });
    }
  }
  return fillers;
}

// Expand one sample into the concrete utterances to send: [{utterance, slots: {name: {value,type,id}}}].
// `turn` counts, per slot type, the fillers handed out so far.
function expand(languageModel, intent, sample, n, turn) {
  const slotNames = [...sample.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (slotNames.length === 0) {
    return [{ utterance: sample, slots: {} }];
  }
  const declared = {};
  for (const s of intent.slots || []) declared[s.name] = s.type;
  const undeclared = slotNames.find((name) => !(name in declared));
  if (undeclared) {
    return [{ utterance: sample, slots: {}, error: `slot {${undeclared}} is not declared on ${intent.name}` }];
  }
  const out = [];
  const times = slotNames.length === 1 ? 2 : 1;
  for (let i = 0; i < times; i++) {
    let utterance = sample;
    const slots = {};
    for (const name of slotNames) {
      const type = declared[name];
      const fillers = slotFillers(languageModel, type, n, slotNames.length > 1);
      // A filler that repeats the words just before its slot ("my {Muscle} won't stop
      // {Symptom}" with "won't stop") is skipped: no one says it twice, and virtual-alexa's greedy
      // match would swallow the first into the previous slot, a miss Alexa would not make.
      const before = utterance.slice(0, utterance.indexOf(`{${name}}`)).trimEnd();
      let filler;
      do {
        const at = turn[type] || 0;
        turn[type] = at + 1;
        filler = fillers[at % fillers.length];
      } while (fillers.length > 1 && ` ${before}`.endsWith(` ${filler.value}`));
      utterance = utterance.replace(`{${name}}`, filler.value);
      slots[name] = { value: filler.value, type, id: filler.id };
    }
    out.push({ utterance, slots });
  }
  return out;
}

async function main() {
  const modelPath = process.argv[2];
  if (!modelPath) {
    throw new Error("usage: node tests/js/route_utterances.js <interaction model JSON>");
  }
  const languageModel = loadModel(modelPath);

  const { alexa, send } = recordingAlexa(modelPath);

  const results = [];
  let slotted = 0;
  const turn = {};
  for (const intent of languageModel.intents) {
    for (const sample of intent.samples || []) {
      const n = /\{\w+\}/.test(sample) ? slotted++ : 0;
      for (const item of expand(languageModel, intent, sample, n, turn)) {
        const record = {
          source: "sample",
          expected_intent: intent.name,
          sample,
          utterance: item.utterance,
          sent_by: "utter",
          intend_reason: null,
          slots_sent: item.slots,
          request_type: null,
          intent: null,
          slots: {},
          error: item.error || null,
        };
        if (record.error) {
          results.push(record);
          continue;
        }
        if (LAUNCH_WORDS.test(item.utterance)) {
          record.sent_by = "intend";
          record.intend_reason =
            `contains "${item.utterance.match(LAUNCH_WORDS)[1]}", which virtual-alexa treats as a launch`;
          results.push(await send(record, () => {
            const match = new Utterance(alexa.context().interactionModel(), item.utterance);
            if (!match.matched()) {
              throw new Error(`Unable to match utterance: ${item.utterance} to an intent`);
            }
            return alexa.intend(match.intent(), match.toJSON());
          }));
        } else {
          results.push(await send(record, () => alexa.utter(item.utterance)));
        }
      }
    }
  }
  for (const [words, expected] of BUILTIN_CHECKS) {
    const record = {
      source: "builtin-check",
      expected_intent: expected,
      sample: words,
      utterance: words,
      sent_by: "utter",
      intend_reason: null,
      slots_sent: {},
      request_type: null,
      intent: null,
      slots: {},
      error: null,
    };
    results.push(await send(record, () => alexa.utter(words)));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
