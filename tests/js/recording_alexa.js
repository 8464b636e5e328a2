// A VirtualAlexa over an interaction model, with a skill that only records the request it gets:
// for each utterance, what Alexa would send (its type, intent and the ids its slots resolved
// to). Shared by route_utterances.js (every sample) and route_phrasings.js (people's phrasings).
const path = require("path");
const { VirtualAlexa } = require("virtual-alexa");

function receivedSlots(request) {
  const slots = {};
  const raw = (request.intent && request.intent.slots) || {};
  for (const name of Object.keys(raw)) {
    const slot = raw[name];
    if (slot.value === undefined || slot.value === null) continue;
    const ids = [];
    const rpa = (slot.resolutions && slot.resolutions.resolutionsPerAuthority) || [];
    for (const authority of rpa) {
      if (authority.status && authority.status.code === "ER_SUCCESS_MATCH") {
        for (const v of authority.values || []) ids.push(v.value.id);
      }
    }
    slots[name] = { value: slot.value, ids };
  }
  return slots;
}

function recordingAlexa(modelPath) {
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
    .interactionModelFile(path.resolve(modelPath))
    .create();

  // Runs `fn` (an utter or intend) in a fresh dialog and fills `record` with what was sent.
  async function send(record, fn) {
    lastRequest = null;
    alexa.context().dialogManager().reset();
    try {
      await fn();
      record.request_type = lastRequest ? lastRequest.type : null;
      record.intent = lastRequest && lastRequest.intent ? lastRequest.intent.name : null;
      record.slots = lastRequest ? receivedSlots(lastRequest) : {};
    } catch (err) {
      record.error = String(err && err.message ? err.message : err);
    }
    return record;
  }

  return { alexa, send };
}

module.exports = { recordingAlexa };
