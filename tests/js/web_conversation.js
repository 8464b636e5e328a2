#!/usr/bin/env node
// Drive a whole conversation over HTTP with virtual-alexa 0.7.8, using the interaction model to
// turn words into requests: launch, the cramp answer, the bedtime walkthrough to its end, stop.
//
// usage:  node tests/js/web_conversation.js interaction_models/en-US.json http://127.0.0.1:PORT/
// stdout: a JSON array, one record per turn: {"said": words, "request": envelope sent,
//         "response": the skill's response envelope}
"use strict";

const path = require("path");
const { VirtualAlexa } = require("virtual-alexa");

const MAX_STEPS = 12;

async function main() {
  const [modelPath, url] = process.argv.slice(2);
  if (!modelPath || !url) {
    throw new Error("usage: node tests/js/web_conversation.js <model JSON> <skill URL>");
  }
  const alexa = VirtualAlexa.Builder()
    .skillURL(url)
    .interactionModelFile(path.resolve(modelPath))
    .create();
  let sent = null;
  alexa.filter((request) => {
    sent = JSON.parse(JSON.stringify(request));
  });

  const turns = [];
  async function turn(said, send) {
    sent = null;
    const response = await send();
    turns.push({ said, request: sent, response });
    return response;
  }

  await turn("open leg cramp helper", () => alexa.launch());
  await turn("i have a leg cramp", () => alexa.utter("i have a leg cramp"));
  let reply = await turn("walk me through a bedtime stretch",
    () => alexa.utter("walk me through a bedtime stretch"));
  for (let step = 0; step < MAX_STEPS && !(reply.response && reply.response.shouldEndSession); step++) {
    reply = await turn("next", () => alexa.utter("next"));
  }
  await turn("stop", () => alexa.utter("stop"));
  process.stdout.write(JSON.stringify(turns));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
