// Make virtual-alexa 0.7.8's utterance matching fast enough for models with thousands of samples,
// without changing what it matches. virtual-core builds a new RegExp for every sample on every
// utterance and runs it; here each sample's RegExp is built once, and a sample whose literal words
// are not all in the utterance (a condition its RegExp needs anyway) is skipped before the RegExp.
// One change to what it matches, below: a sample's words match whole words, as Alexa hears them.
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

// virtual-core joins a sample's words to its slots without the spaces between ("my {Muscle} so
// {Symptom}" becomes /^my(.*)so(.*)$/), and takes the first match its greedy RegExp finds: "my foot
// so sore" then matches "so" inside "sore" and is refused, where Alexa hears words. So a sample's
// words next to a slot match whole words only; nothing else changes.
const WORD_END = "(?![\\w'])";
const WORD_START = "(?<![\\w'])";
SamplePhrase.prototype.regex = function regex() {
  if (!this._fastRegex) {
    const original = originalRegex.call(this);
    const parts = original.source.split("(.*)");
    const source = parts.map((part, index) => {
      let words = part;
      if (index > 0 && /^[\w']/.test(words)) words = WORD_START + words;
      if (index < parts.length - 1 && /[\w']$/.test(words)) words += WORD_END;
      return words;
    }).join("(.*)");
    this._fastRegex = new RegExp(source, original.flags);
  }
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
