// Says a speech plan (demo/speech_plan.py) as Alexa would: each piece of speech in its voice
// (softer and slower at night), each pause really kept, with a countdown.
//
// The browser's speech synthesis speaks when the computer has a voice of its own for the locale
// (an on-device voice: one that would send the words away is never used). Without one, or with
// the voice switched off, each piece takes the seconds the skill's own model of Alexa's pace
// gives it, so the captions, the pauses and the screen's countdown keep Alexa's timing.

const TICK_MS = 100;

export class Player {
  constructor({ onSpeech, onPause, onTick, onIdle }) {
    this.onSpeech = onSpeech;   // (item) a piece of speech starts
    this.onPause = onPause;     // (item) a pause starts
    this.onTick = onTick;       // (secondsLeft, item) while a pause runs, every tick
    this.onIdle = onIdle;       // () nothing is being said
    this.voiceOn = true;
    this.voices = [];
    this.current = null;        // { item, started, seconds, finish }
    this.run = 0;
  }

  /** Waits (a second at most) for the browser's voices, which Chrome lists late. */
  async loadVoices() {
    const synth = window.speechSynthesis;
    if (!synth) return [];
    let voices = synth.getVoices();
    if (!voices.length) {
      await new Promise((resolve) => {
        const done = () => resolve();
        synth.addEventListener("voiceschanged", done, { once: true });
        setTimeout(done, 1000);
      });
      voices = synth.getVoices();
    }
    this.voices = voices.filter((voice) => voice.localService);
    return this.voices;
  }

  /** The on-device voice for a locale: the exact one, else one of the same language. */
  voiceFor(locale) {
    const tag = (voice) => voice.lang.replace("_", "-");
    return this.voices.find((voice) => tag(voice) === locale)
      || this.voices.find((voice) => tag(voice).split("-")[0] === locale.split("-")[0])
      || null;
  }

  /** Says every item in turn. Resolves true when all was said, false if it was stopped. */
  async play(plan, locale) {
    const run = ++this.run;
    for (const item of plan) {
      if (run !== this.run) return false;
      if (item.kind === "pause") {
        this.onPause(item);
        await this.wait(item, item.seconds, run);
      } else if (item.kind === "speech") {
        this.onSpeech(item);
        await this.say(item, locale, run);
      } else {
        this.onSpeech({ ...item, text: "(a sound plays)" });
        await this.wait(item, item.seconds, run);
      }
    }
    const finished = run === this.run;
    if (finished) {
      this.current = null;
      this.onIdle();
    }
    return finished;
  }

  /** A pause, or speech paced without a voice: `seconds` of real time, skippable. */
  wait(item, seconds, run) {
    return new Promise((resolve) => {
      const started = performance.now();
      const timer = setInterval(() => {
        const left = seconds - (performance.now() - started) / 1000;
        if (run !== this.run || left <= 0) return finish();
        if (item.kind === "pause") this.onTick(left, item);
      }, TICK_MS);
      const finish = () => {
        clearInterval(timer);
        resolve();
      };
      this.current = { item, started, seconds, finish };
      if (item.kind === "pause") this.onTick(seconds, item);
    });
  }

  say(item, locale, run) {
    const voice = this.voiceOn && window.speechSynthesis ? this.voiceFor(locale) : null;
    if (!voice || !item.say) return this.wait(item, item.seconds, run);
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(item.say);
      utterance.voice = voice;
      utterance.lang = item.lang || locale;
      utterance.rate = item.rate;
      utterance.pitch = item.pitch;
      utterance.volume = item.volume;
      const started = performance.now();
      // A voice that never says it has finished must not stall the conversation.
      const watchdog = setTimeout(() => finish(), (item.seconds * 2 + 5) * 1000);
      const finish = (ended) => {
        clearTimeout(watchdog);
        utterance.onend = utterance.onerror = null;
        if (!ended) window.speechSynthesis.cancel();  // skipped, stopped, or stuck
        resolve();
      };
      utterance.onend = utterance.onerror = () => finish(true);
      this.current = { item, started, seconds: item.seconds, finish };
      // Held while it speaks: Chrome may drop an utterance no one holds, and its end event.
      this.utterance = utterance;
      window.speechSynthesis.speak(utterance);
    });
  }

  /** Skips what is being said or kept silent now. Returns the seconds skipped: what was left
   *  of it, by Alexa's pace (the device's clock moves on by as much). */
  skip() {
    const current = this.current;
    if (!current) return 0;
    const left = Math.max(0, current.seconds - (performance.now() - current.started) / 1000);
    this.current = null;
    current.finish();
    return left;
  }

  /** Stops everything (the person spoke over Alexa, or started over). */
  stop() {
    this.run++;
    const current = this.current;
    this.current = null;
    if (current) current.finish();
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    this.onIdle();
  }
}
