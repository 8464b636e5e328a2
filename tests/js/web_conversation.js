#!/usr/bin/env node
// Drive a whole conversation over HTTP with virtual-alexa 0.7.8, using the interaction model to
// turn words into requests: launch, the cramp answer, the bedtime walkthrough to its end, stop.
//
// usage:  node tests/js/web_conversation.js interaction_models/en-US.json http://127.0.0.1:PORT/ STEPS
//         (STEPS: how many steps the bedtime routine has; "next" is said after each but the last)
// stdout: a JSON array, one record per turn: {"said": words, "request": envelope sent,
//         "response": the skill's response envelope}
"use strict";

const path = require("path");
const { VirtualAlexa } = require("virtual-alexa");

async function main() {
  const [modelPath, url, stepsArg] = process.argv.slice(2);
  const steps = Number(stepsArg);
  if (!modelPath || !url || !(steps >= 1)) {
    throw new Error("usage: node tests/js/web_conversation.js <model JSON> <skill URL> <steps>");
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
  await turn("walk me through a bedtime stretch",
    () => alexa.utter("walk me through a bedtime stretch"));
  for (let step = 1; step < steps; step++) {
    await turn("next", () => alexa.utter("next"));
  }
  await turn("stop", () => alexa.utter("stop"));
  process.stdout.write(JSON.stringify(turns));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
