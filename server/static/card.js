// One generation's card: live progress from its own EventSource, Cancel, then the player.

import { api, cancelGeneration, endpoints } from "./api.js";
import { clock, h, uid } from "./dom.js";
import { buildDownloadMenu } from "./downloads.js";
import { DraftEditor, RevisionEditor } from "./edit.js";
import { ownerTokenOf } from "./store.js";

export const TERMINAL = new Set(["completed", "error", "cancelled", "interrupted"]);

const LABELS = {
  accepted: "Accepted",
  connecting: "Connecting",
  connected: "Connected",
  waiting: "Waiting to start",
  queued: "Queued",
  started: "Starting",
  generating_content: "Writing the slides",
  generating_scripts: "Writing the narration",
  awaiting_review: "Awaiting your review",
  generating_audio: "Recording the narration",
  combining_audio: "Combining the audio",
  generating_media: "Drawing the slides",
  generating_animation: "Animating the slides",
  fetching_image: "Fetching images",
  generating_slide: "Drawing the slides",
  composing_video: "Encoding the video",
  completed: "Completed",
  error: "Failed",
  cancelled: "Cancelled",
  interrupted: "Interrupted",
  missing: "Not found",
};

export function statusLabel(status) {
  return LABELS[status] || String(status || "").replaceAll("_", " ");
}

/** The colour family of a status: running, waiting, completed, error or stopped. */
export function statusKind(status) {
  if (status === "completed") return "completed";
  if (status === "error") return "error";
  if (status === "cancelled" || status === "interrupted" || status === "missing") return "stopped";
  if (["accepted", "connecting", "connected", "waiting", "queued", "awaiting_review"].includes(status)) {
    return "waiting";
  }
  return "running";
}

// ---- EventSource slots -----------------------------------------------------------------------
// Each running card has its own EventSource, but a browser opens at most 6 HTTP/1.1 connections
// per server: past MAX_STREAMS the extra cards poll /api/status until a stream slot frees up,
// so fetches and video requests are never starved.

const MAX_STREAMS = 4;
const streaming = new Set();
const waitingForSlot = [];

function requestSlot(card) {
  if (streaming.has(card) || waitingForSlot.includes(card)) return;
  if (streaming.size < MAX_STREAMS) {
    streaming.add(card);
    card.openStream();
  } else {
    waitingForSlot.push(card);
    card.startPolling();
  }
}

function releaseSlot(card) {
  streaming.delete(card);
  const at = waitingForSlot.indexOf(card);
  if (at >= 0) waitingForSlot.splice(at, 1);
  while (streaming.size < MAX_STREAMS && waitingForSlot.length) {
    const next = waitingForSlot.shift();
    if (next.terminal) continue;
    next.stopPolling();
    streaming.add(next);
    next.openStream();
  }
}

const MAX_LOG = 400;

/** The server's message without its leading emoji: the stage label already says what it is. */
export function cleanMessage(text) {
  return String(text ?? "").replace(/^[\p{Extended_Pictographic}\uFE0F\u200D\s]+(?=\S)/u, "");
}

/** A source's origin as a link when it is a web address (http or https), else null. */
function webAddress(origin) {
  try {
    const url = new URL(String(origin));
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** "Sources": what the deck rests on (content.grounded, sources and faithfulness), or null for
 * content from before sources were recorded. */
export function buildSources(content) {
  if (!content || typeof content.grounded !== "boolean") return null;
  const headId = uid("sources");
  const head = h("h4", { class: "sources-head", id: headId }, ["Sources"]);
  const parts = [head];
  if (content.grounded) {
    head.append(
      h("span", {
        class: "badge",
        "data-kind": "grounded",
        "data-testid": "grounded-badge",
        title: "Every slide was written from the sources below",
        text: "Grounded",
      }),
    );
  } else {
    parts.push(h("p", { class: "sources-note", "data-testid": "ungrounded-note", text: "No source found: a structured outline" }));
  }
  const sources = Array.isArray(content.sources) ? content.sources : [];
  if (sources.length) {
    parts.push(
      h(
        "ol",
        { class: "source-list", "data-testid": "source-list", "aria-labelledby": headId },
        sources.map((source) => {
          const title = String(source.title || source.origin || source.id || "Untitled");
          const href = webAddress(source.origin);
          const name = href
            ? h("a", { href, rel: "noopener noreferrer", target: "_blank", class: "source-title", text: title })
            : h("span", { class: "source-title", text: title });
          const details = [];
          if (href) {
            details.push(h("span", { class: "source-origin", text: new URL(href).hostname }));
          } else if (source.origin && source.origin !== title) {
            details.push(h("span", { class: "source-origin", "data-testid": "source-origin", text: source.origin }));
          }
          if (source.license) {
            details.push(h("span", { class: "source-license", "data-testid": "source-license", text: source.license }));
          }
          return h("li", { "data-testid": "source-item", "data-source-id": source.id }, [name, ...details]);
        }),
      ),
    );
  }
  const f = content.faithfulness;
  if (f && Number.isFinite(f.sentences) && Number.isFinite(f.supported)) {
    parts.push(
      h("p", {
        class: "faithfulness",
        "data-testid": "faithfulness",
        text: `${f.supported} of ${f.sentences} statements matched to a source`,
      }),
    );
    const flagged = Array.isArray(f.flagged) ? f.flagged : [];
    if (flagged.length) {
      parts.push(
        h("details", { class: "flagged" }, [
          h("summary", { text: `Not matched (${flagged.length})` }),
          h(
            "ul",
            {},
            flagged.map((u) => h("li", { text: `Slide ${u.slide_number}: ${u.text}` })),
          ),
        ]),
      );
    }
  }
  return h("section", { class: "sources", "data-testid": "sources", "aria-labelledby": headId }, parts);
}

export class GenerationCard {
  /**
   * @param {string} id generation id
   * @param {object} opts {topic, links, parentId (of a revision), languageCodes: Map name→BCP 47,
   *   announce(text), onChange(card), onTerminal(card), onRemove(card),
   *   onRevision(card, accepted): a revision was made of it, showParent(id): go to a parent}
   */
  constructor(id, opts) {
    this.id = id;
    this.topic = opts.topic || id;
    this.links = {
      status: endpoints.status(id),
      progress: endpoints.progress(id),
      content: endpoints.content(id),
      script: endpoints.script(id),
      subtitles: endpoints.subtitles(id),
      chapters: endpoints.chapters(id),
      video: endpoints.video(id),
      cancel: endpoints.cancel(id),
      ...(opts.links || {}),
    };
    this.opts = opts;
    this.status = "connecting";
    this.progress = 0;
    this.lastSeq = 0;
    this.terminal = false;
    this.source = null;
    this.pollTimer = null;
    this.retryTimer = null;
    this.resultShown = false;
    this.build();
  }

  // ---- DOM --------------------------------------------------------------------------------

  build() {
    const titleId = uid("card-title");
    this.titleEl = h("h3", { class: "card-title", id: titleId, text: this.topic });
    this.badge = h("span", { class: "badge", "data-testid": "status-badge" });
    this.bar = h("div", { class: "progress-bar" });
    this.progressEl = h(
      "div",
      {
        class: "progress",
        role: "progressbar",
        "aria-valuemin": 0,
        "aria-valuemax": 100,
        "aria-valuenow": 0,
        "aria-labelledby": titleId,
        "data-testid": "progress",
      },
      this.bar,
    );
    this.pctEl = h("span", { class: "progress-pct", "aria-hidden": "true", text: "0%" });
    this.stageEl = h("span", { class: "stage", "data-testid": "stage" });
    this.messageEl = h("span", { class: "message", "data-testid": "message" });
    this.errorEl = h("p", { class: "card-error", "data-testid": "card-error", role: "alert", hidden: true });
    this.logEl = h("ol", { class: "log", "data-testid": "log", tabindex: 0, "aria-label": `Activity log of ${this.topic}` });
    this.logCount = h("span", { text: "" });
    this.logBox = h("details", { class: "log-box", open: true }, [
      h("summary", {}, ["Activity ", this.logCount]),
      this.logEl,
    ]);
    this.cancelBtn = h("button", {
      type: "button",
      class: "btn btn-small btn-danger",
      "data-testid": "cancel",
      text: "Cancel",
      "aria-label": `Cancel ${this.topic}`,
      onclick: () => this.cancel(),
    });
    this.removeBtn = h("button", {
      type: "button",
      class: "btn btn-small btn-ghost",
      "data-testid": "remove",
      text: "Remove from list",
      "aria-label": `Remove ${this.topic} from this list`,
      onclick: () => this.remove(),
    });
    this.actions = h("div", { class: "card-actions" }, [this.cancelBtn]);
    this.playerSlot = h("div", { class: "player-slot" });
    this.editorSlot = h("div", { class: "editor-slot" });
    this.parentEl = h("p", { class: "card-meta card-parent", hidden: true });
    this.editBtn = h("button", {
      type: "button",
      class: "btn btn-small",
      "data-testid": "edit",
      text: "Edit",
      "aria-label": `Edit the slides of ${this.topic}`,
      onclick: () => this.openRevisionEditor(),
    });
    this.el = h(
      "article",
      {
        class: "card",
        "data-testid": "generation-card",
        "data-generation-id": this.id,
        "aria-labelledby": titleId,
        tabindex: -1,
      },
      [
        h("div", { class: "card-head" }, [
          h("div", {}, [this.titleEl, h("p", { class: "card-meta", text: this.id }), this.parentEl]),
          this.badge,
        ]),
        h("div", { class: "progress-row" }, [this.progressEl, this.pctEl]),
        h("p", { class: "stage-line" }, [this.stageEl, this.messageEl]),
        this.errorEl,
        this.playerSlot,
        this.editorSlot,
        this.logBox,
        this.actions,
      ],
    );
    this.render("connecting", 0, "Connecting to the progress stream…");
    this.setParent(this.opts.parentId);
  }

  /** A revision's card links its parent: "previous version" (its video; on this page, its card). */
  setParent(parentId) {
    if (!parentId || this.parentId === parentId) return;
    this.parentId = parentId;
    const link = h("a", {
      href: endpoints.video(parentId),
      "data-testid": "previous-version",
      "data-parent-id": parentId,
      text: "previous version",
      onclick: (event) => {
        if (!this.opts.showParent) return;
        event.preventDefault();
        this.opts.showParent(parentId);
      },
    });
    this.parentEl.replaceChildren("A new version of this video · ", link);
    this.parentEl.hidden = false;
  }

  /** Replaced on the page by its new version, the card of revision `byId`: folded away, its
   * video stopped (kept: the revision's "previous version" brings it back). */
  fold(byId) {
    this.video?.pause();
    this.supersededBy = byId;
    this.el.dataset.supersededBy = byId;
    this.el.hidden = true;
  }

  /** Shown again (its revision's "previous version", or the revision's card removed). */
  unfold() {
    if (!this.supersededBy) return;
    this.supersededBy = null;
    delete this.el.dataset.supersededBy;
    this.el.hidden = false;
  }

  // ---- review and revisions (the editors live in edit.js) ------------------------------------

  /** A draft awaiting review shows its editor; once it renders (here or elsewhere) it goes. */
  reviewing(status) {
    if (status === "awaiting_review" && !this.draftEditor && !this.terminal) {
      const editor = new DraftEditor({
        id: this.id,
        ownerToken: () => ownerTokenOf(this.id),
        onRendered: () => {
          this.draftEditor = null;
          this.messageEl.textContent = "Rendering the reviewed script…";
          this.opts.announce?.(`${this.topic}: rendering`);
        },
      });
      this.draftEditor = editor;
      this.editorSlot.replaceChildren(editor.el);
      editor.load().catch((err) => editor.fail(`Could not load the draft: ${err.message}`));
    } else if (status !== "awaiting_review" && this.draftEditor && !this.draftEditor.closed) {
      this.draftEditor.close();
      this.draftEditor = null;
    }
  }

  /** "Edit" on a finished card: the same fields, from the finished content and script. */
  async openRevisionEditor() {
    if (this.revisionEditor) {
      this.revisionEditor.el.querySelector("input, textarea")?.focus();
      return;
    }
    this.editBtn.disabled = true;
    try {
      this.contentData ||= await api(this.links.content);
      this.scriptData ||= await api(this.links.script);
    } catch (err) {
      this.editBtn.disabled = false;
      this.showError(`Could not load the slides to edit: ${err.message}`);
      return;
    }
    const editor = new RevisionEditor({
      id: this.id,
      content: this.contentData,
      script: this.scriptData,
      ownerToken: () => ownerTokenOf(this.id),
      onRevision: (accepted) => this.opts.onRevision?.(this, accepted),
      onClose: () => {
        this.revisionEditor = null;
        this.editBtn.disabled = false;
        this.editBtn.setAttribute("aria-expanded", "false");
      },
    });
    this.revisionEditor = editor;
    this.editBtn.setAttribute("aria-expanded", "true");
    this.editorSlot.replaceChildren(editor.el);
    editor.el.querySelector("input, textarea")?.focus();
  }

  setTopic(topic) {
    if (!topic || topic === this.topic) return;
    this.topic = topic;
    this.titleEl.textContent = topic;
  }

  render(status, progress, message) {
    this.status = status;
    const value = Math.max(this.progress, Math.min(100, Math.max(0, Math.round(Number(progress) || 0))));
    this.progress = value;
    const label = statusLabel(status);
    const kind = statusKind(status);
    this.el.dataset.status = status;
    this.el.dataset.kind = kind;
    this.badge.dataset.kind = kind;
    this.badge.textContent = label;
    this.bar.style.width = `${value}%`;
    this.pctEl.textContent = `${value}%`;
    this.progressEl.setAttribute("aria-valuenow", String(value));
    this.progressEl.setAttribute("aria-valuetext", `${value}%, ${label}`);
    this.stageEl.textContent = label;
    if (message !== undefined) this.messageEl.textContent = cleanMessage(message);
    this.reviewing(status);
    this.opts.onChange?.(this);
  }

  addLog(time, message) {
    if (!message) return;
    const el = this.logEl;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    el.append(h("li", {}, [h("time", { text: time || "" }), h("span", { text: cleanMessage(message) })]));
    while (el.children.length > MAX_LOG) el.firstElementChild.remove();
    this.logCount.textContent = `(${el.children.length})`;
    if (atBottom) el.scrollTop = el.scrollHeight;
  }

  showError(text) {
    this.errorEl.textContent = text;
    this.errorEl.hidden = !text;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** A generation this page just submitted: follow its stream at once. */
  follow() {
    this.render("accepted", 0, "Accepted by the server");
    requestSlot(this);
  }

  /** A generation remembered from before a reload: ask its status, then follow or show it. */
  async restore() {
    let status;
    try {
      status = await api(this.links.status);
    } catch (err) {
      if (err.status === 404) {
        this.markMissing();
        return;
      }
      requestSlot(this); // the stream will tell (or retry on its own)
      return;
    }
    this.setTopic(status.topic);
    this.setParent(status.parent_id);
    if (TERMINAL.has(status.status)) {
      this.render(status.status, status.progress, status.message);
      this.addLog(status.timestamp, status.message);
      this.finish(status.status, status.error || status.message);
    } else {
      this.render(status.status, status.progress, status.message);
      requestSlot(this);
    }
  }

  openStream() {
    this.closeStream();
    const url = new URL(this.links.progress, window.location.href);
    if (this.lastSeq > 0) url.searchParams.set("last_event_id", String(this.lastSeq));
    const source = new EventSource(url.toString());
    this.source = source;
    source.onmessage = (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handle(data);
    };
    source.onopen = () => {
      if (this.reconnecting) {
        this.reconnecting = false;
        this.showError("");
      }
    };
    source.onerror = () => {
      if (this.source !== source || this.terminal) return;
      if (source.readyState === EventSource.CLOSED) {
        // Not an event stream (e.g. an HTTP error): ask the status, then try again later.
        this.closeStream();
        releaseSlot(this);
        this.retryLater();
      } else {
        // The browser reconnects by itself and resumes after Last-Event-ID.
        this.reconnecting = true;
        this.showError("Connection lost: reconnecting…");
      }
    };
  }

  closeStream() {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  retryLater() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(async () => {
      await this.refreshStatus();
      if (!this.terminal) requestSlot(this);
    }, 3000);
  }

  startPolling() {
    this.stopPolling();
    this.refreshStatus();
    this.pollTimer = setInterval(() => this.refreshStatus(), 2000);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  async refreshStatus() {
    if (this.terminal) return;
    let status;
    try {
      status = await api(this.links.status);
    } catch (err) {
      if (err.status === 404) this.markMissing();
      return;
    }
    if (this.terminal) return;
    this.setTopic(status.topic);
    let message = status.message;
    if (status.status === "queued" && status.queue_position) {
      message = `${message} (position ${status.queue_position})`;
    }
    this.render(status.status, status.progress, message);
    if (TERMINAL.has(status.status)) {
      this.addLog(status.timestamp, status.message);
      this.finish(status.status, status.error || status.message);
    }
  }

  /** One progress event from the stream. */
  handle(event) {
    const status = event.status;
    if (status === "done") {
      this.closeStream();
      releaseSlot(this);
      if (!this.terminal) this.refreshStatus();
      return;
    }
    if (this.terminal) return;
    if (status === "connected") {
      if (this.status === "connecting" || this.status === "accepted") {
        this.render("connected", this.progress, event.message);
      }
      return;
    }
    if (status === "waiting") {
      this.render("waiting", this.progress, event.message);
      return;
    }
    const seq = Number(event.seq) || 0;
    if (seq > 0 && seq <= this.lastSeq) return; // already shown (replay after a reconnect)
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.render(status, event.progress, event.message);
    this.addLog(event.timestamp, event.message);
    if (TERMINAL.has(status)) this.finish(status, event.message);
  }

  finish(status, message) {
    if (this.terminal) return;
    this.terminal = true;
    this.closeStream();
    this.stopPolling();
    clearTimeout(this.retryTimer);
    releaseSlot(this);
    this.reviewing(status);
    this.actions.replaceChildren(...(status === "completed" ? [this.editBtn] : []), this.removeBtn);
    if (status === "error") {
      this.showError(message || "The generation failed.");
    } else if (status === "interrupted") {
      this.showError("The server stopped while this video was being made. Please start it again.");
    } else {
      this.showError("");
    }
    if (status === "completed") {
      this.logBox.open = false;
      this.playerReady = this.showResult();
    }
    this.opts.announce?.(`${this.topic}: ${statusLabel(status)}`);
    this.opts.onTerminal?.(this);
  }

  markMissing() {
    this.render("missing", this.progress, "This generation is no longer on the server.");
    this.finish("missing", "");
  }

  async cancel() {
    if (this.terminal) return;
    this.cancelBtn.disabled = true;
    this.cancelBtn.textContent = "Cancelling…";
    try {
      await cancelGeneration(this.links.cancel, ownerTokenOf(this.id));
      // The stream brings the `cancelled` event; ask the status if it has not by then.
      setTimeout(() => this.refreshStatus(), 1500);
    } catch (err) {
      if (err.status === 409 || err.status === 404) {
        this.refreshStatus();
        if (!this.terminal) this.showError(err.message);
      } else if (err.status === 403) {
        this.cancelBtn.disabled = false;
        this.cancelBtn.textContent = "Cancel";
        this.showError("Only the browser that started this video (or an admin) can cancel it.");
      } else {
        this.cancelBtn.disabled = false;
        this.cancelBtn.textContent = "Cancel";
        this.showError(`Could not cancel: ${err.message}`);
      }
    }
  }

  remove() {
    this.destroy();
    this.opts.onRemove?.(this);
  }

  destroy() {
    this.destroyed = true;
    this.terminal = true;
    this.closeStream();
    this.stopPolling();
    clearTimeout(this.retryTimer);
    releaseSlot(this);
    if (this.video) {
      this.video.pause();
      this.video.removeAttribute("src");
      this.video.load();
    }
    this.el.remove();
  }

  // ---- the finished video -------------------------------------------------------------------

  async showResult() {
    if (this.resultShown) return;
    this.resultShown = true;
    const [script, content, subtitles] = await Promise.allSettled([
      api(this.links.script),
      api(this.links.content),
      fetch(this.links.subtitles, { method: "GET" }).then((r) => r.ok),
    ]);
    if (this.destroyed) return;
    const scriptData = script.status === "fulfilled" ? script.value : null;
    const contentData = content.status === "fulfilled" ? content.value : null;
    const hasSubtitles = subtitles.status === "fulfilled" && subtitles.value === true;
    // Kept for "Edit": a revision starts from the finished content and script.
    this.scriptData = scriptData;
    this.contentData = contentData;
    if (!scriptData) this.showError("The video is ready, but its slide timings could not be loaded.");
    this.playerSlot.replaceChildren(
      ...[this.buildPlayer(scriptData, contentData, hasSubtitles), buildSources(contentData)].filter(Boolean),
    );
  }

  buildPlayer(script, content, hasSubtitles) {
    const video = h("video", {
      controls: true,
      preload: "metadata",
      playsinline: true,
      src: this.links.video,
      "data-testid": "video",
      "aria-label": `Video: ${this.topic}`,
    });
    this.video = video;
    const frame = h("div", { class: "video-frame" }, video);
    video.addEventListener("loadedmetadata", () => {
      frame.classList.toggle("is-portrait", video.videoHeight > video.videoWidth);
    });
    video.addEventListener("error", () => {
      this.showError("This browser could not play the video: use the Download menu instead.");
    });

    const tools = h("div", { class: "player-tools" });
    if (hasSubtitles) {
      const langName = script?.language || "english";
      const code = this.opts.languageCodes?.get(langName) || "en";
      const track = h("track", {
        kind: "subtitles",
        src: this.links.subtitles,
        srclang: code,
        label: langName.charAt(0).toUpperCase() + langName.slice(1),
      });
      video.append(track);
      track.track.mode = "hidden";
      const toggle = h("button", {
        type: "button",
        class: "btn btn-small",
        "aria-pressed": "false",
        "data-testid": "subtitles-toggle",
        text: "Subtitles",
      });
      toggle.addEventListener("click", () => {
        const on = toggle.getAttribute("aria-pressed") !== "true";
        track.track.mode = on ? "showing" : "hidden";
        toggle.setAttribute("aria-pressed", String(on));
      });
      tools.append(toggle);
    }
    // A chapter per slide (after the subtitles: they stay textTracks[0]). Hidden, so its cues
    // load and the timeline can follow them, without the browser drawing anything.
    const chapters = h("track", { kind: "chapters", src: this.links.chapters, label: "Slides" });
    video.append(chapters);
    chapters.track.mode = "hidden";
    this.chapters = chapters;
    tools.append(h("span", { class: "spacer" }));
    // Everything this generation can be taken away as (a revision's card offers its own).
    tools.append(buildDownloadMenu({ id: this.id, topic: this.topic, links: this.links, hasSubtitles }));

    const parts = [frame, tools];
    if (script && Array.isArray(script.slide_scripts)) {
      parts.push(...this.buildTimeline(video, script, content));
    }
    return h("div", { class: "player", "data-testid": "player" }, parts);
  }

  buildTimeline(video, script, content) {
    const titles = new Map();
    for (const slide of content?.slides || []) titles.set(slide.slide_number, slide.title);
    const slides = [...script.slide_scripts].sort((a, b) => a.slide_number - b.slide_number);
    const headId = uid("timeline");
    const list = h("ol", { class: "timeline", "aria-labelledby": headId, "data-testid": "timeline" });
    const buttons = [];
    for (const s of slides) {
      const title = titles.get(s.slide_number) || `Slide ${s.slide_number}`;
      const length = Math.max(0, s.end_time - s.start_time);
      const button = h(
        "button",
        {
          type: "button",
          "data-testid": "timeline-slide",
          "data-slide": s.slide_number,
          "data-start": s.start_time,
          "data-end": s.end_time,
          "aria-label": `Slide ${s.slide_number}: ${title}, at ${clock(s.start_time)}`,
          title,
          onclick: () => {
            // Land just inside the slide so the frame shown is this slide's, not the previous.
            const target = length > 0.3 ? s.start_time + 0.1 : s.start_time + length / 2;
            video.currentTime = target;
          },
        },
        [
          h("span", { class: "t-time", text: clock(s.start_time) }),
          h("span", { class: "t-title", text: `${s.slide_number}. ${title}` }),
        ],
      );
      buttons.push({ button, start: s.start_time, end: s.end_time });
      list.append(h("li", { style: `--grow: ${Math.max(1, Math.round(length))}` }, button));
    }
    const mark = () => {
      const t = video.currentTime;
      for (const b of buttons) {
        const current = t >= b.start && t < b.end;
        if (current) b.button.setAttribute("aria-current", "true");
        else b.button.removeAttribute("aria-current");
      }
    };
    video.addEventListener("timeupdate", mark);
    video.addEventListener("seeked", mark);
    // The chapters track's cues are the slides' spans as the MP4 carries them: once loaded, the
    // timeline's marks follow them (a cue per slide, in order) and change exactly on a cue edge.
    const track = this.chapters?.track;
    this.chapters?.addEventListener("load", () => {
      const cues = [...(track.cues || [])];
      if (cues.length !== buttons.length) return;
      cues.forEach((cue, i) => {
        buttons[i].start = cue.startTime;
        buttons[i].end = cue.endTime;
        buttons[i].button.dataset.chapter = cue.text;
      });
      track.addEventListener("cuechange", mark);
      mark();
    });
    const total = Number(script.total_duration) || 0;
    return [
      h("h4", {
        class: "timeline-head",
        id: headId,
        text: `Slides · ${slides.length} · ${clock(total)}`,
      }),
      list,
    ];
  }
}
