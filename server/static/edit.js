// Editing a deck's slides on its card: a draft awaiting review (saved slide by slide with PATCH
// against the draft's version, slides inserted, moved and removed, then rendered), and a finished
// video (the same fields, sent as a revision: a new generation redoing only the changed slides).
// The card owns the editor's element; the editor owns its fields and talks to the API only.

import {
  api,
  deleteDraftSlide,
  editDraftSlide,
  endpoints,
  insertDraftSlide,
  renderDraft,
  reviseGeneration,
} from "./api.js";
import { h, uid } from "./dom.js";

/** What a slide's fields are called, in the order they are shown (API name → label). */
export const SLIDE_FIELDS = [
  ["title", "Title"],
  ["content_text", "Bullets"],
  ["narration", "Narration"],
];

const NOT_OWNER =
  "Only the browser that made this video (or an admin) can change it: this browser has no owner token for it.";

/** A draft's or a finished deck's slides as the editor shows them: [{number, title,
 * content_text, narration}], in order; narration from the script (by slide number). */
export function slideRows(content, script) {
  const spoken = new Map();
  for (const s of script?.slide_scripts || []) spoken.set(s.slide_number, String(s.narration_text ?? ""));
  return [...(content?.slides || [])]
    .sort((a, b) => a.slide_number - b.slide_number)
    .map((s) => ({
      number: s.slide_number,
      title: String(s.title ?? ""),
      content_text: String(s.content_text ?? ""),
      narration: spoken.get(s.slide_number) ?? "",
    }));
}

/** The fields of `values` (number → {field: text}) that differ from `rows`, as edits:
 * [{slide_number, field: text, ...}] with only the changed fields, in slide order. */
export function changedEdits(rows, values) {
  const edits = [];
  for (const row of rows) {
    const now = values.get(row.number);
    if (!now) continue;
    const edit = {};
    for (const [field] of SLIDE_FIELDS) {
      if (field in now && now[field] !== row[field]) edit[field] = now[field];
    }
    if (Object.keys(edit).length) edits.push({ slide_number: row.number, ...edit });
  }
  return edits;
}

/** "1, 3 and 5" */
function listed(numbers) {
  if (numbers.length <= 1) return numbers.join("");
  return `${numbers.slice(0, -1).join(", ")} and ${numbers[numbers.length - 1]}`;
}

/** What a revision with changes to `numbers` (of `total` slides) will redo, said beforehand. */
export function redoSentence(numbers, total) {
  if (!numbers.length) return "No changes yet: edit a slide to make a new version.";
  if (numbers.length >= total) return "Every slide will be redone.";
  const which = numbers.length === 1 ? `Slide ${numbers[0]} will` : `Slides ${listed(numbers)} will`;
  return `${which} be redone; the rest comes from the cache.`;
}

/** The words for an API error of an edit, a render or a revision. */
function problem(err, doing) {
  if (err?.status === 403) return NOT_OWNER;
  return `Could not ${doing}: ${err?.message || "the request failed"}`;
}

/** One slide's fieldset: a legend with its number and a labelled input per field. `tools`
 * are extra controls (the draft's "+ slide after" and "delete"). */
function slideFieldset(row, onInput, tools = []) {
  const inputs = {};
  const fields = SLIDE_FIELDS.map(([field, label]) => {
    const id = uid(`slide-${field}`);
    const attrs = {
      id,
      name: field,
      class: "slide-input",
      "data-field": field,
      "data-testid": `slide-${field}`,
      oninput: onInput,
    };
    const input =
      field === "title"
        ? h("input", { ...attrs, type: "text", maxlength: 300, autocomplete: "off" })
        : h("textarea", { ...attrs, rows: 3, maxlength: 4000 });
    input.value = row[field];
    inputs[field] = input;
    return h("div", { class: "slide-field" }, [
      h("label", { for: id, text: `Slide ${row.number} ${label.toLowerCase()}` }),
      input,
    ]);
  });
  const legend = h("legend", { text: `Slide ${row.number}` });
  const el = h(
    "fieldset",
    { class: "slide-edit", "data-testid": "slide-edit", "data-slide": row.number },
    [legend, ...fields, tools.length ? h("div", { class: "slide-tools" }, tools) : null],
  );
  return { el, inputs };
}

/** The shared part of both editors: the slides' fieldsets, a status line and the buttons. */
class SlidesForm {
  constructor({ heading, testid }) {
    const headId = uid("editor");
    this.rows = [];
    this.sets = new Map(); // slide number → {el, inputs}
    this.list = h("div", { class: "slide-edits" });
    this.statusEl = h("p", { class: "editor-status", role: "status", "data-testid": "editor-status" });
    this.errorEl = h("p", { class: "card-error", role: "alert", "data-testid": "editor-error", hidden: true });
    this.buttons = h("div", { class: "editor-actions" });
    this.el = h("section", { class: "editor", "data-testid": testid, "aria-labelledby": headId }, [
      h("h4", { class: "editor-head", id: headId, text: heading }),
      this.list,
      this.statusEl,
      this.errorEl,
      this.buttons,
    ]);
  }

  /** Show `rows`; `keep` (number → {field: text}) are values typed and not saved, put back. */
  fill(rows, keep = new Map(), toolsFor = () => []) {
    const focused = document.activeElement;
    const focus = this.el.contains(focused)
      ? { slide: focused.closest("fieldset")?.dataset.slide, field: focused.dataset.field }
      : null;
    this.rows = rows;
    this.sets = new Map();
    this.list.replaceChildren(
      ...rows.map((row) => {
        const set = slideFieldset(row, () => this.changed(), toolsFor(row));
        for (const [field, text] of Object.entries(keep.get(row.number) || {})) {
          if (text !== row[field]) set.inputs[field].value = text;
        }
        this.sets.set(row.number, set);
        return set.el;
      }),
    );
    this.changed();
    if (focus?.field) {
      this.list.querySelector(`fieldset[data-slide="${focus.slide}"] [data-field="${focus.field}"]`)?.focus();
    }
  }

  /** number → {field: text} of what the fields hold now. */
  values() {
    const values = new Map();
    for (const [number, set] of this.sets) {
      const now = {};
      for (const [field] of SLIDE_FIELDS) now[field] = set.inputs[field].value;
      values.set(number, now);
    }
    return values;
  }

  edits() {
    return changedEdits(this.rows, this.values());
  }

  /** number → {field: text} of only the fields that differ from `since` (default: what was
   * loaded): what the user typed and has not saved. */
  unsaved(since = null) {
    const keep = new Map();
    const now = this.values();
    const base = since || new Map(this.rows.map((row) => [row.number, row]));
    for (const [number, fields] of now) {
      const before = base.get(number) || {};
      const changed = Object.fromEntries(Object.entries(fields).filter(([field, text]) => text !== before[field]));
      if (Object.keys(changed).length) keep.set(number, changed);
    }
    return keep;
  }

  /** Mark the fields that differ from what was loaded (unsaved, or to be sent). */
  changed() {
    const edits = this.edits();
    const dirty = new Set(edits.flatMap((e) => Object.keys(e).filter((k) => k !== "slide_number").map((k) => `${e.slide_number}:${k}`)));
    for (const [number, set] of this.sets) {
      for (const [field, input] of Object.entries(set.inputs)) {
        input.classList.toggle("is-changed", dirty.has(`${number}:${field}`));
      }
    }
    this.onChanged?.(edits);
  }

  say(text) {
    this.statusEl.textContent = text;
  }

  fail(text) {
    this.errorEl.textContent = text;
    this.errorEl.hidden = !text;
  }

  busy(on) {
    // A button marked data-ends (moving the first slide up, deleting the only one) stays off.
    for (const b of this.el.querySelectorAll("button")) b.disabled = on || b.dataset.ends === "off";
    this.el.setAttribute("aria-busy", String(on));
  }
}

/**
 * The editor of a draft awaiting review. "Save" PATCHes each changed slide with If-Match;
 * "Move up"/"Move down", "+ slide after" and "delete" move, insert and remove (saving
 * first); "Render" saves, then starts
 * the render (the card's progress stream goes on by itself).
 * @param {{id: string, ownerToken: () => string|null, onRendered: () => void}} opts
 */
export class DraftEditor extends SlidesForm {
  constructor(opts) {
    super({ heading: "Review the script", testid: "draft-editor" });
    this.opts = opts;
    this.version = null;
    this.saveBtn = h("button", {
      type: "button",
      class: "btn btn-small",
      "data-testid": "draft-save",
      text: "Save changes",
      onclick: () => this.run(() => this.save()),
    });
    this.renderBtn = h("button", {
      type: "button",
      class: "btn btn-small btn-primary",
      "data-testid": "draft-render",
      text: "Render",
      onclick: () => this.run(() => this.render()),
    });
    this.buttons.append(this.saveBtn, this.renderBtn);
    this.onChanged = (edits) => {
      this.saveBtn.disabled = !edits.length;
    };
  }

  token() {
    return this.opts.ownerToken();
  }

  /** Load the draft as it stands (its version from the status). Raises `ApiError`. */
  async load(keep = new Map()) {
    const [status, content, script] = await Promise.all([
      api(endpoints.status(this.opts.id)),
      api(endpoints.content(this.opts.id)),
      api(endpoints.script(this.opts.id)),
    ]);
    this.version = Number.isInteger(status.version) ? status.version : null;
    this.show(slideRows(content, script), keep);
  }

  show(rows, keep = new Map()) {
    const last = rows.length ? rows[rows.length - 1].number : 0;
    this.fill(rows, keep, (row) => [
      h("button", {
        type: "button",
        class: "btn btn-small btn-ghost",
        "data-testid": "slide-up",
        text: "Move up",
        "aria-label": `Move slide ${row.number} up`,
        disabled: row.number <= 1,
        "data-ends": row.number <= 1 ? "off" : "on",
        onclick: () => this.run(() => this.move(row.number, row.number - 1)),
      }),
      h("button", {
        type: "button",
        class: "btn btn-small btn-ghost",
        "data-testid": "slide-down",
        text: "Move down",
        "aria-label": `Move slide ${row.number} down`,
        disabled: row.number >= last,
        "data-ends": row.number >= last ? "off" : "on",
        onclick: () => this.run(() => this.move(row.number, row.number + 1)),
      }),
      h("button", {
        type: "button",
        class: "btn btn-small btn-ghost",
        "data-testid": "slide-insert",
        text: "+ slide after",
        "aria-label": `Add a slide after slide ${row.number}`,
        onclick: () => this.run(() => this.insertAfter(row.number)),
      }),
      h("button", {
        type: "button",
        class: "btn btn-small btn-ghost btn-danger-text",
        "data-testid": "slide-delete",
        text: "delete",
        "aria-label": `Delete slide ${row.number}`,
        disabled: rows.length <= 1, // a draft keeps one slide (cancel it instead)
        "data-ends": rows.length <= 1 ? "off" : "on",
        onclick: () => this.run(() => this.remove(row.number)),
      }),
    ]);
  }

  /** A draft answer ({version, content_data, script_data}): the new baseline. */
  took(answer, keep) {
    this.version = answer.version;
    this.show(slideRows(answer.content_data, answer.script_data), keep);
  }

  /** Run one action with the buttons disabled; a stale version reloads the draft, keeping
   * every text typed and not saved in its field (and saying so). */
  async run(action) {
    this.busy(true);
    this.fail("");
    try {
      await action();
    } catch (err) {
      if (err?.status === 409 && err.body && Number.isInteger(err.body.version)) {
        const typed = this.unsaved();
        try {
          await this.load(typed);
          this.fail("");
          this.say(
            "This draft was changed elsewhere — reloaded. What you typed is kept in the marked fields: check it, then save again.",
          );
        } catch (again) {
          this.fail(problem(again, "reload the draft"));
        }
      } else {
        this.fail(problem(err, "save the draft"));
      }
    } finally {
      if (!this.closed) {
        this.busy(false);
        this.changed();
      }
    }
  }

  /** PATCH every changed slide in turn, each against the version the last answer gave. */
  async save() {
    const edits = this.edits();
    if (!edits.length) return;
    const sent = this.values();
    for (const { slide_number: n, ...fields } of edits) {
      const answer = await editDraftSlide(this.opts.id, n, fields, { version: this.version, ownerToken: this.token() });
      this.version = answer.version;
      this.last = answer;
    }
    // Text typed while the saves were on their way stays in its field.
    this.took(this.last, this.unsaved(sent));
    this.say(edits.length === 1 ? `Slide ${edits[0].slide_number} saved.` : `Slides ${listed(edits.map((e) => e.slide_number))} saved.`);
  }

  async insertAfter(n) {
    await this.save();
    const slide = { title: "New slide", content_text: "", narration: "" };
    const answer = await insertDraftSlide(this.opts.id, slide, n + 1, { version: this.version, ownerToken: this.token() });
    this.took(answer);
    this.say(`Slide ${n + 1} added: give it a title, bullets and narration.`);
    this.sets.get(n + 1)?.inputs.title.focus();
  }

  /** Move slide `n` to number `to` (saving first); the focus follows it to its new place. */
  async move(n, to) {
    await this.save();
    const answer = await editDraftSlide(this.opts.id, n, { position: to }, { version: this.version, ownerToken: this.token() });
    this.took(answer);
    this.say(`Slide ${n} is now slide ${to}.`);
    const moved = this.sets.get(to)?.el.querySelector(`[data-testid="${to < n ? "slide-up" : "slide-down"}"]`);
    (moved && !moved.disabled ? moved : this.sets.get(to)?.inputs.title)?.focus();
  }

  async remove(n) {
    await this.save();
    const answer = await deleteDraftSlide(this.opts.id, n, { version: this.version, ownerToken: this.token() });
    this.took(answer);
    this.say(`Slide ${n} deleted; the slides after it moved up.`);
  }

  async render() {
    await this.save();
    await renderDraft(this.opts.id, this.token());
    this.close();
    this.opts.onRendered?.();
  }

  close() {
    this.closed = true;
    this.el.remove();
  }
}

/**
 * The editor of a finished video: its slides' fields from the finished content and script;
 * "Re-render" sends only the changed fields as a revision, having said which slides will be
 * redone. The parent is never changed.
 * @param {{id: string, content: object, script: object, ownerToken: () => string|null,
 *   onRevision: (accepted: object) => void, onClose: () => void}} opts
 */
export class RevisionEditor extends SlidesForm {
  constructor(opts) {
    super({ heading: "Edit this video", testid: "revision-editor" });
    this.opts = opts;
    this.rerenderBtn = h("button", {
      type: "button",
      class: "btn btn-small btn-primary",
      "data-testid": "rerender",
      text: "Re-render",
      onclick: () => this.rerender(),
    });
    this.closeBtn = h("button", {
      type: "button",
      class: "btn btn-small btn-ghost",
      "data-testid": "edit-close",
      text: "Stop editing",
      onclick: () => this.close(),
    });
    this.buttons.append(this.rerenderBtn, this.closeBtn);
    this.onChanged = (edits) => {
      this.rerenderBtn.disabled = !edits.length;
      this.say(redoSentence(edits.map((e) => e.slide_number), this.rows.length));
    };
    this.fill(slideRows(opts.content, opts.script));
  }

  async rerender() {
    const edits = this.edits();
    if (!edits.length) return;
    this.busy(true);
    this.fail("");
    try {
      const accepted = await reviseGeneration(this.opts.id, edits, this.opts.ownerToken());
      this.close();
      this.opts.onRevision?.(accepted);
    } catch (err) {
      this.fail(problem(err, "make the new version"));
      this.busy(false);
      this.changed();
    }
  }

  close() {
    this.closed = true;
    this.el.remove();
    this.opts.onClose?.();
  }
}
