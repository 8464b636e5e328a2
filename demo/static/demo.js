// The demo page: an Echo in a browser. What the person says goes to the local server, which
// routes it through the skill's interaction model and its Lambda entry point (demo/talk.py);
// the answer is shown, spoken with its pauses kept, drawn on the screen, and the microphone is
// left open or closed as Alexa would leave it.

import { Player } from "./player.js";
import { Screen } from "./screen.js";

// Alexa listens about eight seconds for an answer, then says the reprompt and listens as long
// again; then the session ends (SessionEndedRequest, EXCEEDED_MAX_REPROMPTS).
const LISTEN_SECONDS = 8;
const SUGGESTIONS = [
  "i have a leg cramp", "yes", "next", "repeat", "pause", "walk me through a bedtime stretch",
  "how do i prevent cramps", "what causes leg cramps", "should i see a doctor",
  "my calf is swollen and red", "i have chest pain", "remind me to stretch at nine every night",
  "help", "stop", "open leg cramp helper",
];

const $ = (id) => document.getElementById(id);
const state = {
  talk: null,          // the server's conversation id
  settings: null,
  turn: 0,             // which answer is being played; an older one stops
  skipped: 0,          // seconds skipped ahead since the last request
  listenTimer: null,
  listenSkip: null,
};

const player = new Player({
  onSpeech: (item) => {
    $("pause").hidden = true;
    $("caption").textContent = item.text;
    $("caption").classList.toggle("soft", item.volume < 0.8);
  },
  onPause: () => {
    $("pause").hidden = false;
  },
  onTick: (left, item) => {
    $("pause-left").textContent = String(Math.ceil(left));
    $("pause-bar").value = item.seconds ? 1 - left / item.seconds : 1;
  },
  onIdle: () => {
    $("pause").hidden = true;
    $("caption").textContent = "";
  },
});
const screen = new Screen($("screen-frame"), $("screen"), $("screen-note"));

// --- talking to the server -------------------------------------------------------------------

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(answer.error || `the demo server answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return answer;
}

function readControls() {
  return {
    time: document.querySelector("input[name=time]:checked").value,
    locale: $("locale").value || "en-US",
    screen: document.querySelector("input[name=device]:checked").value === "screen",
    clinic: $("clinic").checked,
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  };
}

async function newPerson() {
  const answer = await post("/api/talks", { settings: readControls() });
  state.talk = answer.talk;
  fillLocales(answer.locales, answer.settings.locale);
  applied(answer.settings);
  return answer;
}

function takeSkipped() {
  const skipped = state.skipped;
  state.skipped = 0;
  return skipped;
}

async function talkPost(action, body) {
  try {
    return await post(`/api/talks/${state.talk}/${action}`, { ...body, skipped: takeSkipped() });
  } catch (error) {
    if (error.status !== 404) throw error;
    // The demo server was restarted: the conversation is gone. Start a new one and go on.
    note("The demo server was restarted: a new conversation begins.");
    await newPerson();
    return post(`/api/talks/${state.talk}/${action}`, body);
  }
}

// --- one turn --------------------------------------------------------------------------------

async function say(words) {
  words = words.trim();
  if (!words) return;
  const turn = interrupt();
  addYou(words);
  setMic("thinking");
  let answer;
  try {
    answer = await talkPost("say", { words });
  } catch (error) {
    note(`The demo server did not answer: ${error.message}`);
    setMic("closed");
    return;
  }
  if (turn !== state.turn) return;
  heard(answer);
  await respond(answer, turn);
}

/** Alexa speaks the answer (and the screen shows it), then listens or closes the mic. */
async function respond(answer, turn) {
  $("clock").textContent = answer.at;
  $("json").textContent = JSON.stringify({ request: answer.request, response: answer.response },
                                         null, 2);
  if (state.settings.screen) {
    if (answer.screen) screen.show(answer.screen);
    else screen.showDefault(state.settings.skill_name, answer.card);
  }
  addAlexa(answer.speech, answer.card, answer.failed);
  setMic(answer.ends_session ? "speaking-closing" : "speaking");
  if (!(await player.play(answer.speech.plan, state.settings.locale))) return;
  if (answer.permission) {
    addAlexa(answer.permission, null, false, "Alexa asks (in its own voice)");
    if (!(await player.play(answer.permission.plan, state.settings.locale))) return;
  }
  if (turn !== state.turn) return;
  if (answer.ends_session) {
    setMic("closed");
    return;
  }
  await listen(answer.reprompt || answer.permission, turn);
}

/** The mic is open: a few seconds for the person to answer, then the reprompt, then it ends. */
async function listen(reprompt, turn) {
  for (const last of [false, true]) {
    setMic("listening");
    const answered = await listenWindow(turn);
    if (answered || turn !== state.turn) return;
    if (last || !reprompt) break;
    addAlexa(reprompt, null, false, "Alexa (reprompt)");
    setMic("speaking");
    if (!(await player.play(reprompt.plan, state.settings.locale))) return;
    if (turn !== state.turn) return;
  }
  setMic("closed");
  note("No answer: Alexa closed the microphone and the session ended.");
  try {
    await talkPost("end", { reason: "EXCEEDED_MAX_REPROMPTS" });
  } catch (error) {
    note(`The demo server did not answer: ${error.message}`);
  }
}

/** Resolves false when the listening time runs out, true if the turn moved on meanwhile. */
function listenWindow(turn) {
  return new Promise((resolve) => {
    const started = performance.now();
    $("listening").hidden = false;
    const show = (left) => { $("listen-left").textContent = String(Math.ceil(left)); };
    show(LISTEN_SECONDS);
    const finish = (timedOut) => {
      clearInterval(state.listenTimer);
      state.listenTimer = null;
      state.listenSkip = null;
      $("listening").hidden = true;
      resolve(!timedOut);
    };
    state.listenTimer = setInterval(() => {
      if (turn !== state.turn) return finish(false);
      const left = LISTEN_SECONDS - (performance.now() - started) / 1000;
      if (left <= 0) return finish(true);
      show(left);
    }, 200);
    state.listenSkip = () => {
      const left = Math.max(0, LISTEN_SECONDS - (performance.now() - started) / 1000);
      finish(true);
      return left;
    };
  });
}

/** The person speaks over Alexa (or starts over): whatever she was doing stops. */
function interrupt() {
  state.turn++;
  player.stop();
  if (state.listenTimer) {
    clearInterval(state.listenTimer);
    state.listenTimer = null;
    state.listenSkip = null;
  }
  $("listening").hidden = true;
  return state.turn;
}

function skipAhead() {
  let seconds = 0;
  if (player.current) seconds = player.skip();
  else if (state.listenSkip) seconds = state.listenSkip();
  state.skipped += seconds;
  screen.advance(seconds);
}

// --- what is shown ---------------------------------------------------------------------------

const MIC = {
  closed: "Microphone closed: the session is over. Say something to start again.",
  thinking: "Alexa is thinking",
  speaking: "Alexa is speaking: the microphone opens after the answer",
  "speaking-closing": "Alexa is speaking: the session ends after the answer",
  listening: "Microphone open: Alexa is listening",
};

function setMic(mode) {
  $("mic").dataset.state = mode;
  $("ring").dataset.state = mode;
  $("mic").textContent = MIC[mode];
}

function addYou(words) {
  const item = entry("you", "You");
  const quote = document.createElement("q");
  quote.textContent = words;
  item.append(quote);
  item.dataset.pending = "true";
  $("transcript").append(item);
  scrollTranscript();
}

/** What the model heard the last words as: the intent and slots, or a launch. */
function heard(answer) {
  const item = [...$("transcript").querySelectorAll("li.you")].pop();
  if (!item) return;
  delete item.dataset.pending;
  const meta = document.createElement("p");
  meta.className = "meta";
  const what = answer.heard || {};
  let text = what.request === "IntentRequest" ? `Heard as ${what.intent}` : what.request || "";
  const slots = Object.entries(what.slots || {}).map(([name, value]) => `${name}: ${value}`);
  if (slots.length) text += ` (${slots.join(", ")})`;
  if (what.permission) text = `Alexa's permission question: ${what.permission.toLowerCase()}`;
  meta.textContent = `${text} · device time ${answer.at || ""}`;
  item.append(meta);
}

function addAlexa(speech, card, failed, who = "Alexa") {
  const item = entry("alexa", who);
  const plan = speech.plan || [];
  const said = plan.filter((part) => part.kind === "speech");
  if (said.length && said.every((part) => part.volume < 0.8)) {
    item.classList.add("soft");
    tag(item, said.every((part) => part.rate < 1) ? "softly, slower" : "softly");
  }
  const words = document.createElement("p");
  for (const part of plan) {
    if (part.kind === "pause") {
      const mark = document.createElement("span");
      mark.className = "pause-mark";
      mark.textContent = `${Math.round(part.seconds * 10) / 10} s pause`;
      words.append(" ", mark, " ");
    } else {
      words.append(part.kind === "speech" ? part.text : "(a sound)", " ");
    }
  }
  if (!plan.length) words.textContent = speech.text || "(says nothing)";
  item.append(words);
  if (failed) item.classList.add("failed");
  if (card) {
    const box = document.createElement("div");
    box.className = "card";
    const title = document.createElement("p");
    title.className = "card-title";
    title.textContent = `Card in the Alexa app: ${card.title || card.type}`;
    const text = document.createElement("p");
    text.textContent = card.content || card.text || "";
    box.append(title, text);
    item.append(box);
  }
  $("transcript").append(item);
  scrollTranscript();
}

function entry(kind, who) {
  const item = document.createElement("li");
  item.className = kind;
  const name = document.createElement("span");
  name.className = "who";
  name.textContent = who;
  item.append(name);
  return item;
}

function tag(item, text) {
  const label = document.createElement("span");
  label.className = "tag";
  label.textContent = text;
  item.querySelector(".who").append(" ", label);
}

function note(text) {
  const item = entry("note", "");
  item.querySelector(".who").remove();
  item.append(text);
  $("transcript").append(item);
  scrollTranscript();
}

function scrollTranscript() {
  const list = $("transcript");
  list.scrollTop = list.scrollHeight;
}

// --- the controls ----------------------------------------------------------------------------

function fillLocales(locales, chosen) {
  const select = $("locale");
  if (select.options.length) return;
  const names = new Intl.DisplayNames(["en"], { type: "language" });
  for (const locale of locales) {
    select.append(new Option(`${names.of(locale)} (${locale})`, locale));
  }
  select.value = chosen;
}

function applied(settings) {
  state.settings = settings;
  $("clock").textContent = settings.at;
  $("screen-frame").hidden = !settings.screen;
  $("screen-note").hidden = !settings.screen;
  if (settings.screen) screen.load();
  else screen.clear();
  const clinic = settings.clinic_details || {};
  $("clinic-note").textContent = settings.clinic
    ? `Deployed by ${clinic.name}: ${[clinic.phone, clinic.booking_url].filter(Boolean).join(", ")}.`
    : "Deployed with no clinic's details: the skill gives general advice only.";
  describeVoice();
  describeListening();
}

async function changeSettings() {
  interrupt();
  setMic("closed");
  const answer = await post(`/api/talks/${state.talk}/settings`, readControls());
  if (answer.ended) note("The session ended (the device changed).");
  applied(answer.settings);
}

async function startOver() {
  interrupt();
  if (state.talk) {
    try {
      await post(`/api/talks/${state.talk}/end`, { reason: "USER_INITIATED" });
    } catch {
      // a conversation the server no longer has is over anyway
    }
  }
  $("transcript").replaceChildren();
  $("json").textContent = "";
  screen.clear();
  setMic("closed");
  await newPerson();
  $("words").focus();
}

function describeVoice() {
  const voice = player.voiceFor(state.settings.locale);
  $("voice-note").textContent = !$("voice").checked
    ? "Voice off: the words are shown as captions, at Alexa's pace."
    : voice
      ? `Speaking with ${voice.name}, on this computer.`
      : `This computer has no voice of its own for ${state.settings.locale}: the words are shown `
        + "as captions, at Alexa's pace.";
}

// Speaking to the page, only with speech recognition on this computer (an online recogniser
// would send the person's voice away).
const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;

async function describeListening() {
  const locale = state.settings.locale;
  const onDevice = Recognition && "processLocally" in Recognition.prototype
    && typeof Recognition.available === "function";
  let availability = "unavailable";
  if (onDevice) {
    try {
      availability = await Recognition.available({ langs: [locale], processLocally: true });
    } catch {
      availability = "unavailable";
    }
  }
  $("listen").hidden = availability !== "available";
  $("setup-listening").hidden = availability !== "downloadable";
  $("listen-note").textContent = availability === "available"
    ? "Speak uses this computer's own speech recognition."
    : availability === "downloadable"
      ? "To speak instead of typing, your browser can set up speech recognition on this computer."
      : "Type what you would say: this browser offers no speech recognition on this computer.";
}

function listenToSpeech() {
  const recognition = new Recognition();
  recognition.lang = state.settings.locale;
  recognition.processLocally = true;
  recognition.interimResults = false;
  recognition.onresult = (event) => {
    const words = event.results[0][0].transcript;
    $("words").value = "";
    say(words);
  };
  recognition.onerror = (event) => note(`Speech recognition: ${event.error}`);
  interrupt();
  setMic("listening");
  recognition.start();
}

async function setUpListening() {
  try {
    await Recognition.install({ langs: [state.settings.locale], processLocally: true });
  } catch (error) {
    note(`Speech recognition could not be set up: ${error.message}`);
  }
  describeListening();
}

function fillSuggestions() {
  for (const words of SUGGESTIONS) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.textContent = words;
    button.addEventListener("click", () => say(words));
    item.append(button);
    $("suggestions").append(item);
  }
}

async function start() {
  fillSuggestions();
  $("say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const words = $("words").value;
    $("words").value = "";
    say(words);
  });
  $("skip").addEventListener("click", skipAhead);
  // Escape skips ahead from anywhere, the words box included.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) skipAhead();
  });
  $("start-over").addEventListener("click", startOver);
  $("listen").addEventListener("click", listenToSpeech);
  $("setup-listening").addEventListener("click", setUpListening);
  $("voice").addEventListener("change", () => {
    player.voiceOn = $("voice").checked;
    describeVoice();
  });
  for (const control of document.querySelectorAll(
    "input[name=time], input[name=device], #clinic, #locale")) {
    control.addEventListener("change", changeSettings);
  }
  const voices = player.loadVoices();
  await newPerson();
  setMic("closed");
  document.body.dataset.ready = "true";
  await voices;
  describeVoice();
}

start().catch((error) => note(`The demo could not start: ${error.message}`));
