// The Echo Show's screen: the skill's APL document and datasources, drawn by Amazon's own APL
// renderer for the web (npm apl-viewhost-web, loaded only when the device has a screen), at the
// viewport the request announced (localdev/envelopes.py: 1280 x 800 at 160 dpi), scaled to fit.
//
// Amazon's fonts are not part of the package: the server hands the renderer this computer's
// own fonts in their place (demo/server.py), so it never reaches for Amazon's.

const VIEWPORT = { width: 1280, height: 800, dpi: 160, shape: "RECTANGLE", mode: "HUB" };
const ENGINE_TIMEOUT_MS = 20000;

export class Screen {
  constructor(frame, view, note) {
    this.frame = frame;
    this.view = view;
    this.note = note;
    this.renderer = null;
    this.engine = null;
    this.shown = 0;
    new ResizeObserver(() => this.fit()).observe(frame);
  }

  fit() {
    const scale = this.frame.clientWidth / VIEWPORT.width;
    this.view.style.transform = `scale(${scale})`;
    this.frame.style.height = `${Math.round(VIEWPORT.height * scale)}px`;
  }

  /** Loads the renderer and starts its engine, once. */
  load() {
    if (!this.engine) {
      this.engine = this.start();
      this.engine.catch((error) => this.say(`The screen cannot be shown: ${error.message}.`));
    }
    return this.engine;
  }

  async start() {
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/vendor/apl-viewhost-web.js";
      script.onload = resolve;
      script.onerror = () => reject(new Error(
        "Amazon's APL renderer is not installed here (npm ci installs it)"));
      document.head.append(script);
    });
    let timeout;
    const late = new Promise((_, reject) => {
      timeout = setTimeout(() => reject(new Error("the APL engine did not start")),
                           ENGINE_TIMEOUT_MS);
    });
    await Promise.race([window.AplRenderer.initEngine(), late]);
    clearTimeout(timeout);
    return window.AplRenderer;
  }

  /** A RenderDocument directive's document and datasources, from the moment the voice starts. */
  async show(directive) {
    const shown = ++this.shown;
    let apl;
    try {
      apl = await this.load();
    } catch {
      return;
    }
    if (shown !== this.shown) return;
    this.clear();
    const content = apl.Content.create(JSON.stringify(directive.document));
    for (const name of directive.document.mainTemplate?.parameters || []) {
      const data = (directive.datasources || {})[name];
      content.addData(name, JSON.stringify(data === undefined ? {} : data));
    }
    const host = document.createElement("div");
    host.className = "apl-host";
    this.view.append(host);
    const renderer = apl.default.create({
      content,
      view: host,
      environment: { agentName: "Leg Cramp Helper demo", agentVersion: "1.0",
                     allowOpenUrl: false, disallowVideo: true },
      viewport: VIEWPORT,
      // The fonts are this computer's own (see above): nothing to wait for.
      notLoadFonts: true,
      theme: directive.document.theme || "dark",
      developerToolOptions: { mappingKey: "id", writeKeys: [] },
      utcTime: Date.now(),
      localTimeAdjustment: -new Date().getTimezoneOffset() * 60 * 1000,
    });
    this.renderer = renderer;
    this.say("");
    try {
      await renderer.init();
      this.view.dataset.rendered = String(shown);
    } catch (error) {
      this.say(`The screen's document could not be drawn: ${error}.`);
    }
  }

  /** An answer with no document of the skill's: an Echo Show shows a display of its own, with
   *  the skill's name and the answer's card, if it has one. */
  showDefault(skillName, card) {
    this.shown++;
    this.clear();
    const box = document.createElement("div");
    box.className = "default-display";
    const title = document.createElement("p");
    title.className = "default-title";
    title.textContent = card?.title || skillName;
    box.append(title);
    if (card) {
      const text = document.createElement("p");
      text.textContent = card.content || card.text || "";
      box.append(text);
    }
    this.view.append(box);
  }

  /** The screen's clock moves on with the voice when the person skips ahead. (The renderer
   *  counts APL's elapsedTime from its startTime; this renderer version keeps it there.) */
  advance(seconds) {
    if (this.renderer && typeof this.renderer.startTime === "number" && seconds > 0) {
      this.renderer.startTime -= seconds * 1000;
    }
  }

  clear() {
    if (this.renderer) {
      try {
        this.renderer.destroy();
      } catch {
        // already gone
      }
      this.renderer = null;
    }
    this.view.replaceChildren();
    delete this.view.dataset.rendered;
  }

  say(message) {
    this.note.textContent = message;
  }
}
