// The form's "My own documents": a drop area and a "Choose files" button. Each file is uploaded
// at once (`POST /api/uploads`, one file a request) and listed as a removable chip; the ready ones
// go with the generate request as `sources`, in the order they were added.

import { ApiError, uploadFile } from "./api.js";
import { formatBytes, h, uid } from "./dom.js";

// What `accept` on the file input lets through; a dropped file is checked against it too
// (by its name's ending, or its type when the name has none the server would know).
const EXTENSIONS = [".md", ".markdown", ".txt", ".pdf", ".html", ".htm"];
const TYPES = ["text/markdown", "text/x-markdown", "text/plain", "application/pdf", "text/html"];
const KINDS = "Markdown, text, PDF or HTML";

/** Why this file is not even sent (null: send it). `limit`: the server's largest upload. */
export function refusal(file, limit) {
  const name = file.name.toLowerCase();
  const known = EXTENSIONS.some((ext) => name.endsWith(ext)) || TYPES.includes(file.type);
  if (!known) return `Not a document this page can send: choose a ${KINDS} file.`;
  if (file.size === 0) return "This file is empty.";
  if (limit && file.size > limit) {
    let size = formatBytes(file.size);
    let most = formatBytes(limit);
    if (size === most) {
      size = `${file.size.toLocaleString("en")} bytes`;
      most = `${limit.toLocaleString("en")} bytes`;
    }
    return `Too big to upload: ${size}, and this server takes at most ${most} a file.`;
  }
  return null;
}

/** The server's refusal of an upload in words for the chip (no "File:" prefix: it is next to it). */
export function uploadErrorText(err, limit) {
  if (err instanceof ApiError && err.fields.length) return err.fields.map((f) => f.msg).join("; ");
  if (err instanceof ApiError && err.status === 413 && typeof err.detail !== "string") {
    return limit ? `Too big for this server: at most ${formatBytes(limit)} a file.` : "Too big for this server.";
  }
  return err?.message || "The upload failed.";
}

let keys = 0;

/** A message as a sentence, so several read out together stay apart. */
const sentence = (text) => (/[.!?…]$/.test(text) ? text : `${text}.`);

export class SourceUploads {
  /**
   * @param {object} els {zone, input, button, list, live}: the drop area, the file input, the
   *   "Choose files" button, the chips' <ul> and the aria-live line that tells what happened.
   */
  constructor({ zone, input, button, list, live }) {
    this.zone = zone;
    this.input = input;
    this.button = button;
    this.list = list;
    this.live = live;
    /** The chips in order: {key, file, state: uploading | ready | error, upload, el, ...}. */
    this.items = [];
    this.limit = 0;
    this.maxFiles = 10;
    this.onChange = null;
    this.toSay = [];
    this.sayTimer = null;
    this.bind();
  }

  /** The server's limits, from `GET /api/options`: bytes a file, documents a request. */
  configure({ uploadBytes, maxFiles }) {
    if (Number.isFinite(uploadBytes) && uploadBytes > 0) this.limit = uploadBytes;
    if (Number.isFinite(maxFiles) && maxFiles > 0) this.maxFiles = maxFiles;
  }

  bind() {
    this.button.addEventListener("click", () => this.input.click());
    this.input.addEventListener("change", () => {
      this.add([...this.input.files]);
      // Emptied, so choosing the same file again is a change too.
      this.input.value = "";
    });
    let depth = 0; // dragenter/dragleave fire for every child the pointer crosses
    const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");
    this.zone.addEventListener("dragenter", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      this.zone.classList.add("is-over");
    });
    this.zone.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    });
    this.zone.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) this.zone.classList.remove("is-over");
    });
    this.zone.addEventListener("drop", (event) => {
      event.preventDefault();
      depth = 0;
      this.zone.classList.remove("is-over");
      this.add([...(event.dataTransfer?.files || [])]);
    });
    // A file dropped just beside the area would make the browser open it instead of this page
    // (and lose the form): outside the area a drop of files does nothing.
    for (const type of ["dragover", "drop"]) {
      window.addEventListener(type, (event) => {
        if (hasFiles(event) && !this.zone.contains(event.target)) event.preventDefault();
      });
    }
  }

  say(text) {
    // Cleared first so the same words twice are still read out; what is said meanwhile (a
    // refusal, then an upload's answer) is read out together, not lost.
    this.toSay.push(text);
    if (this.sayTimer) return;
    this.live.textContent = "";
    this.sayTimer = setTimeout(() => {
      this.sayTimer = null;
      this.live.textContent = this.toSay.splice(0).join(" ");
    }, 60);
  }

  /** Files chosen or dropped: each is refused here, or uploaded at once. */
  add(files) {
    const said = [];
    for (const file of files) {
      const taken = this.items.filter((i) => i.state !== "error").length;
      let why = refusal(file, this.limit);
      if (!why && taken >= this.maxFiles) why = `Not added: at most ${this.maxFiles} documents a video.`;
      const item = { key: `u${++keys}`, file, state: why ? "error" : "uploading", upload: null };
      this.items.push(item);
      this.list.append(this.chip(item));
      if (why) {
        this.fail(item, why);
        said.push(`${file.name} not uploaded: ${why}`);
      } else {
        this.send(item);
        said.push(`Uploading ${file.name}…`);
      }
    }
    if (said.length) this.say(said.map(sentence).join(" "));
    this.onChange?.();
  }

  send(item) {
    item.controller = new AbortController();
    item.done = (async () => {
      try {
        const answer = await uploadFile(item.file, { signal: item.controller.signal });
        if (item.removed) return;
        item.upload = answer;
        this.ready(item);
        this.say(`Uploaded ${answer.filename || item.file.name} (${formatBytes(answer.bytes ?? item.file.size)}).`);
      } catch (err) {
        if (item.removed || err?.name === "AbortError") return;
        const why = uploadErrorText(err, this.limit);
        this.fail(item, why);
        this.say(sentence(`${item.file.name} not uploaded: ${why}`));
      } finally {
        this.onChange?.();
      }
    })();
    return item.done;
  }

  chip(item) {
    const statusId = uid("upload-status");
    item.nameEl = h("span", { class: "chip-name", text: item.file.name, title: item.file.name });
    item.metaEl = h("span", { class: "chip-meta", text: formatBytes(item.file.size) });
    item.statusEl = h("span", { class: "chip-status", id: statusId, "data-testid": "upload-status", text: "Uploading…" });
    const remove = h("button", {
      type: "button",
      class: "chip-remove",
      "data-testid": "upload-remove",
      "aria-label": `Remove ${item.file.name}`,
      "aria-describedby": statusId,
      onclick: () => this.remove(item),
    });
    remove.innerHTML = '<svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14"><path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>';
    item.removeBtn = remove;
    item.el = h("li", { class: "chip", "data-testid": "upload-chip", "data-state": item.state }, [
      h("div", { class: "chip-text" }, [item.nameEl, item.metaEl, item.statusEl]),
      remove,
    ]);
    return item.el;
  }

  ready(item) {
    const { upload } = item;
    item.state = "ready";
    item.el.dataset.state = "ready";
    item.el.dataset.uploadId = upload.upload_id;
    if (upload.filename) item.nameEl.textContent = upload.filename;
    const parts = [formatBytes(upload.bytes ?? item.file.size)];
    const title = typeof upload.title === "string" ? upload.title.trim() : "";
    if (title && title !== upload.filename) parts.push(title);
    item.metaEl.textContent = parts.join(" · ");
    item.statusEl.textContent = "Ready";
  }

  fail(item, why) {
    item.state = "error";
    item.el.dataset.state = "error";
    item.statusEl.textContent = why;
  }

  remove(item) {
    item.removed = true;
    item.controller?.abort();
    const at = this.items.indexOf(item);
    this.items.splice(at, 1);
    item.el.remove();
    // Focus stays in the list (the next chip's button), else goes back to "Choose files".
    const next = this.items[at] || this.items[at - 1];
    (next ? next.removeBtn : this.button).focus();
    this.say(`Removed ${item.file.name}.`);
    this.onChange?.();
  }

  /** How many files are still on their way. */
  get pending() {
    return this.items.filter((i) => i.state === "uploading").length;
  }

  /** Resolves once every upload started so far has answered (or was removed). */
  async settled() {
    await Promise.allSettled(this.items.map((i) => i.done).filter(Boolean));
  }

  /** The request's `sources`: the uploaded files, in the order they were added. */
  sources() {
    return this.items
      .filter((i) => i.state === "ready")
      .map((i) => ({ type: "upload", upload_id: i.upload.upload_id }));
  }
}
