// Make virtual-alexa 0.7.8's utterance matching fast enough for models with thousands of samples,
// without changing what it matches. virtual-core builds a new RegExp for every sample on every
// utterance and runs it; here each sample's RegExp is built once, and a sample whose literal words
// are not all in the utterance (a condition its RegExp needs anyway) is skipped before the RegExp.
"use strict";

const path = require("path");

const samples = require(require.resolve("virtual-core/lib/src/SampleUtterances.js", {
  paths: [path.dirname(require.resolve("virtual-alexa/package.json"))],
}));
const { SamplePhrase } = samples;
// The characters virtual-core's SamplePhraseTest strips from an utterance before matching.
const STRIPPED = /[\!\"\¿\?|\#\$\%\/\(\)\=\+\-\_\<\>\*\{\}\·\¡\[\]\.\,\;\:]/g;
const NO_MATCH = { matches: () => false };
let lastUtterance = null;
let lastClean = null;

const originalRegex = SamplePhrase.prototype.regex;
const originalMatches = SamplePhrase.prototype.matchesUtterance;

SamplePhrase.prototype.regex = function regex() {
  if (!this._fastRegex) this._fastRegex = originalRegex.call(this);
  return this._fastRegex;
};

SamplePhrase.prototype.matchesUtterance = function matchesUtterance(utterance) {
  if (!this._literals) {
    const parts = this._regex.split("(.*)").map((part) => part.toLowerCase());
    this._literals = parts.filter(Boolean);
    // The RegExp is anchored at both ends: a sample that starts (or ends) with words needs the
    // utterance to start (or end) with them.
    this._head = parts[0];
    this._tail = parts.length > 1 ? parts[parts.length - 1] : "";
  }
  if (utterance !== lastUtterance) {
    lastUtterance = utterance;
    lastClean = utterance.replace(STRIPPED, "").toLowerCase();
  }
  const clean = lastClean;
  if (!clean.startsWith(this._head) || !clean.endsWith(this._tail)) return NO_MATCH;
  for (const literal of this._literals) {
    if (!clean.includes(literal)) return NO_MATCH;
  }
  return originalMatches.call(this, utterance);
};
