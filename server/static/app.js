// videogen web page: the form, this browser's generation cards and the recent generations list,
// behind a sign-in form when the server has keys (it answers 401 until this browser signs in).

import { api, endpoints, onUnauthorized, signIn, signOut, startGeneration, whoAmI } from "./api.js";
import { GenerationCard, statusKind, statusLabel } from "./card.js";
import { formatBytes, h } from "./dom.js";
import { forgetGeneration, rememberGeneration, savedGenerations } from "./store.js";
import { SourceUploads } from "./uploads.js";

const $ = (selector) => document.querySelector(selector);

const form = $("#generate-form");
const submitBtn = $("#submit");
const formError = $("#form-error");
const cardsEl = $("#cards");
const emptyEl = $("#cards-empty");
const recentEl = $("#recent");
const recentStatus = $("#recent-status");
const liveEl = $("#live");
const serverState = $("#server-state");
const formPanel = $("#form-panel");
const gensPanel = $("#gens-panel");
const signinPanel = $("#signin-panel");
const signinForm = $("#signin-form");
const signinKey = $("#signin-key");
const signinError = $("#signin-error");
const signinSubmit = $("#signin-submit");
const account = $("#account");
const accountName = $("#account-name");

const FIELDS = [
  "topic",
  "num_slides",
  "language",
  "tone",
  "aspect_ratio",
  "resolution",
  "theme",
  "knowledge",
  "sources",
  "source_text",
  "slides",
];
// Fields inside the "Your documents, notes or slides" box: opened to show their errors.
const MORE_FIELDS = new Set(["sources", "source_text", "slides"]);
const RESOLUTION_LABELS = { "720p": "720p (fastest)", "1080p": "1080p HD", "2160p": "2160p 4K (slow)" };
const ASPECT_LABELS = { "16:9": "16:9 wide", "9:16": "9:16 tall", "1:1": "1:1 square" };

/** id → GenerationCard, for this browser's generations. */
const cards = new Map();
/** Language name → BCP 47 code, for the subtitle track's srclang. */
const languageCodes = new Map([["english", "en"]]);

const uploads = new SourceUploads({
  zone: $("#drop-zone"),
  input: $("#source-files"),
  button: $("#sources"),
  list: $("#uploads"),
  live: $("#uploads-live"),
});
uploads.onChange = () => clearFieldError("sources");

const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);

let announceTimer = null;
function announce(text) {
  // Clear first so the same words twice are still read out.
  liveEl.textContent = "";
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    liveEl.textContent = text;
  }, 60);
}

// ---- options ------------------------------------------------------------------------------------

function fillSelect(select, items, current) {
  const keep = select.value || current;
  select.replaceChildren(
    ...items.map((item) =>
      h("option", { value: item.value, disabled: item.disabled || false, text: item.label }),
    ),
  );
  const usable = items.find((item) => item.value === keep && !item.disabled);
  select.value = usable ? keep : items.find((item) => !item.disabled)?.value ?? "";
}

async function loadOptions() {
  let options;
  try {
    options = await api(endpoints.options());
  } catch (err) {
    showFormError(`Could not load the choices from the server: ${err.message}`);
    return;
  }
  const languages = Array.isArray(options.languages) ? options.languages : [];
  for (const lang of languages) languageCodes.set(lang.name, lang.code);
  fillSelect(
    $("#language"),
    languages.map((lang) => {
      const missing = [];
      if (lang.voice_available === false) missing.push("no voice");
      if (lang.font_available === false) missing.push("no font");
      return {
        value: lang.name,
        label: capitalize(lang.name) + (missing.length ? ` (${missing.join(", ")})` : ""),
        disabled: missing.length > 0,
      };
    }),
    "english",
  );
  fillSelect($("#tone"), (options.tones || []).map((t) => ({ value: t, label: capitalize(t) })), "formal");
  fillSelect(
    $("#aspect_ratio"),
    (options.aspect_ratios || []).map((a) => ({ value: a, label: ASPECT_LABELS[a] || a })),
    "16:9",
  );
  fillSelect(
    $("#resolution"),
    (options.resolutions || ["720p"]).map((r) => ({ value: r, label: RESOLUTION_LABELS[r] || r })),
    "720p",
  );
  fillSelect($("#theme"), (options.themes || []).map((t) => ({ value: t, label: capitalize(t) })), "classic");
  const slides = options.limits?.num_slides;
  if (slides) {
    const input = $("#num_slides");
    input.min = String(slides.min ?? 1);
    input.max = String(slides.max ?? 30);
    $("#num_slides-hint").textContent = `${input.min} to ${input.max}`;
  }
  if (options.limits?.topic_chars) $("#topic").maxLength = options.limits.topic_chars;
  const uploadBytes = Number(options.limits?.upload_bytes);
  uploads.configure({ uploadBytes, maxFiles: Number(options.limits?.sources) });
  $("#upload-limit").textContent = uploadBytes > 0 ? `, up to ${formatBytes(uploadBytes)} each` : "";
  showKnowledgeSources(options.sources);
}

/** Under the encyclopedia checkbox: what this server would search ({name, kind, languages, license}). */
function showKnowledgeSources(sources) {
  if (!Array.isArray(sources)) return; // a server that does not say: keep the general hint
  const hint = $("#knowledge-hint");
  if (!sources.length) {
    hint.textContent = "This server has no encyclopedia: the slides are a structured outline, or drawn from your own documents.";
    return;
  }
  const describe = (source) => {
    const details = [];
    const langs = Array.isArray(source.languages) ? source.languages : [];
    if (langs.length) details.push(langs.join(", "));
    if (source.license) details.push(source.license);
    return details.length ? `${source.name} (${details.join("; ")})` : String(source.name);
  };
  hint.replaceChildren(
    "Searched: ",
    h("span", { "data-testid": "knowledge-sources", text: sources.map(describe).join(" · ") }),
    ". Each video lists the sources it drew on.",
  );
}

async function checkHealth() {
  try {
    const response = await fetch(endpoints.health(), { headers: { Accept: "application/json" } });
    const body = await response.json();
    const running = body.generations?.running ?? 0;
    const queued = body.generations?.queued ?? 0;
    const failing = Object.entries(body.checks || {})
      .filter(([, v]) => v !== "ok")
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ");
    if (response.ok) {
      // "degraded": it works, but something it leans on (the artifact store, the LLM) fails.
      const degraded = body.status === "degraded" && failing ? ` · degraded — ${failing}` : "";
      serverState.textContent = `Server ready · ${running} running${queued ? ` · ${queued} queued` : ""}${degraded}`;
      serverState.classList.remove("is-down");
    } else {
      serverState.textContent = `Server problem${failing ? ` — ${failing}` : ""}`;
      serverState.classList.add("is-down");
    }
  } catch {
    serverState.textContent = "Server unreachable";
    serverState.classList.add("is-down");
  }
  serverState.hidden = false;
}

// ---- the form -----------------------------------------------------------------------------------

/** "# Title\ntext\n> narration" blocks → [{title, content_text, narration}], or {error}. */
export function parseSlides(text) {
  const slides = [];
  let current = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^#{1,6}\s*(.*)$/.exec(line);
    if (heading) {
      current = { title: heading[1].trim(), body: [], narration: [] };
      slides.push(current);
    } else if (!current) {
      if (line) return { error: "Start each slide with a line like “# Title”." };
    } else if (line.startsWith(">")) {
      current.narration.push(line.replace(/^>\s?/, ""));
    } else {
      current.body.push(raw.trimEnd());
    }
  }
  return {
    slides: slides.map((s) => {
      const slide = { title: s.title, content_text: s.body.join("\n").trim() };
      const narration = s.narration.join(" ").trim();
      if (narration) slide.narration = narration;
      return slide;
    }),
  };
}

function buildRequest() {
  const data = new FormData(form);
  const rawSlides = String(data.get("num_slides") ?? "").trim();
  const request = {
    topic: String(data.get("topic") ?? ""),
    // An integer goes as a number; anything else as typed, so the server names the problem.
    num_slides: /^-?\d+$/.test(rawSlides) ? Number(rawSlides) : rawSlides,
    language: String(data.get("language") || "english"),
    tone: String(data.get("tone") || "formal"),
    aspect_ratio: String(data.get("aspect_ratio") || "16:9"),
    resolution: String(data.get("resolution") || "720p"),
    theme: String(data.get("theme") || "classic"),
    knowledge: $("#knowledge").checked ? "auto" : "none",
  };
  // Review first: the server stops after the slides and the narration, awaiting review.
  if ($("#review").checked) request.render = false;
  const documents = uploads.sources();
  if (documents.length) request.sources = documents;
  const notes = String(data.get("source_text") ?? "");
  if (notes.trim()) request.source_text = notes;
  const slidesText = String(data.get("slides") ?? "");
  if (slidesText.trim()) {
    const parsed = parseSlides(slidesText);
    if (parsed.error) return { error: { field: "slides", label: "My own slides", msg: parsed.error } };
    request.slides = parsed.slides;
  }
  return { request };
}

function clearErrors() {
  formError.hidden = true;
  formError.replaceChildren();
  for (const field of FIELDS) clearFieldError(field);
}

function clearFieldError(field) {
  const control = document.getElementById(field);
  const message = document.getElementById(`${field}-error`);
  control?.removeAttribute("aria-invalid");
  if (message) {
    message.hidden = true;
    message.textContent = "";
  }
}

function showFormError(text, items = []) {
  formError.replaceChildren(h("p", { text }));
  if (items.length) {
    formError.append(h("ul", {}, items.map((f) => h("li", { text: `${f.label}: ${f.msg}` }))));
  }
  formError.hidden = false;
}

/** 422 items next to their fields (and all of them in the summary); focus the first field. */
function showFieldErrors(items) {
  let first = null;
  for (const item of items) {
    const control = document.getElementById(item.field);
    const message = document.getElementById(`${item.field}-error`);
    if (!control || !message) continue;
    const numbered = item.label.startsWith("Slide ") || item.label.startsWith("Document ");
    const text = numbered ? `${item.label}: ${item.msg}` : item.msg;
    message.textContent = message.hidden || !message.textContent ? text : `${message.textContent}; ${text}`;
    message.hidden = false;
    control.setAttribute("aria-invalid", "true");
    if (MORE_FIELDS.has(item.field)) $("#more-options").open = true;
    first = first || control;
  }
  showFormError(
    items.length === 1 ? "Please correct this field:" : "Please correct these fields:",
    items,
  );
  (first || formError).focus();
}

async function onSubmit(event) {
  event.preventDefault();
  clearErrors();
  submitBtn.disabled = true;
  submitBtn.setAttribute("aria-busy", "true");
  try {
    if (uploads.pending) {
      // The request names uploads by their id: it goes once every file has its answer.
      announce("Waiting for the uploads to finish…");
      await uploads.settled();
    }
    const built = buildRequest();
    if (built.error) {
      showFieldErrors([built.error]);
      return;
    }
    const { request } = built;
    const accepted = await startGeneration(request);
    // Remembered first: the card's Cancel needs the owner token, shown only in this answer.
    rememberGeneration(accepted.generation_id, request.topic.trim(), accepted.owner_token);
    const card = addCard(accepted.generation_id, {
      topic: request.topic.trim(),
      links: accepted.links,
      fresh: true,
    });
    announce(`Started: ${request.topic.trim()}`);
    card.el.scrollIntoView({ block: "nearest", behavior: "smooth" });
    loadRecent();
    checkHealth();
  } catch (err) {
    if (err.fields?.length) {
      showFieldErrors(err.fields);
    } else {
      showFormError(err.message || "The request failed.");
      formError.focus();
    }
    announce(`Not started: ${err.message}`);
  } finally {
    submitBtn.disabled = false;
    submitBtn.removeAttribute("aria-busy");
  }
}

// ---- cards --------------------------------------------------------------------------------------

function updateEmpty() {
  emptyEl.hidden = cards.size > 0;
}

function addCard(id, { topic, links, fresh = false, atEnd = false, parentId = null, before = null }) {
  const existing = cards.get(id);
  if (existing) return existing;
  const card = new GenerationCard(id, {
    topic,
    links,
    parentId,
    languageCodes,
    announce,
    onRevision: showRevision,
    showParent: (parent) => showFromRecent(parent, cards.get(parent)?.topic || topic),
    onChange: (c) => updateRecentItem(c.id, c.status, c.progress),
    onTerminal: (c) => {
      loadRecent();
      checkHealth();
      // A revision is ready: it takes its parent's place on the page.
      if (c.parentId && c.status === "completed") {
        const parent = cards.get(c.parentId);
        if (parent) replaceWithRevision(parent, c);
        announce(`The new version of ${c.topic} is ready`);
      }
    },
    onRemove: (c) => {
      for (const other of cards.values()) if (other.supersededBy === c.id) other.unfold();
      cards.delete(c.id);
      forgetGeneration(c.id);
      updateEmpty();
      renderRecentButtons();
      announce(`Removed ${c.topic} from the list`);
    },
  });
  cards.set(id, card);
  if (before?.el?.parentNode === cardsEl) before.el.before(card.el);
  else if (atEnd) cardsEl.append(card.el);
  else cardsEl.prepend(card.el);
  updateEmpty();
  if (fresh) card.follow();
  else card.restore();
  renderRecentButtons();
  return card;
}

/** A revision was made of `parent`: its own card, just above the parent's (which stays). */
function showRevision(parent, accepted) {
  // Remembered first: its edits and Cancel need the owner token, shown only in this answer.
  rememberGeneration(accepted.generation_id, parent.topic, accepted.owner_token);
  const card = addCard(accepted.generation_id, {
    topic: parent.topic,
    links: accepted.links,
    fresh: true,
    parentId: parent.id,
    before: parent,
  });
  announce(`Making a new version of ${parent.topic}`);
  card.el.scrollIntoView({ block: "nearest", behavior: "smooth" });
  loadRecent();
}

/** The finished `revision` replaces `parent` on the page: the parent's card folds away (its
 * "previous version" link on the revision's card brings it back), and the new video picks up
 * where the old one was — same time, playing if it played, focused if the focus was there. A
 * parent the user brought back is left alone. */
async function replaceWithRevision(parent, revision) {
  if (parent.unfoldedByUser || parent.supersededBy) return;
  const old = parent.video;
  const at = old && !old.ended ? old.currentTime : 0;
  const playing = Boolean(old && !old.paused && !old.ended);
  const focused = parent.el.contains(document.activeElement);
  old?.pause();
  await revision.playerReady;
  if (!cards.has(parent.id) || !cards.has(revision.id) || parent.unfoldedByUser) return;
  parent.fold(revision.id);
  const video = revision.video;
  if (video && at > 0) {
    const seek = () => {
      video.currentTime = Math.min(at, video.duration || at);
    };
    if (video.readyState >= 1) seek();
    else video.addEventListener("loadedmetadata", seek, { once: true });
  }
  if (video && playing) video.play().catch(() => {});
  if (focused) (video || revision.el).focus({ preventScroll: true });
}

function restoreCards() {
  for (const saved of savedGenerations()) {
    addCard(saved.id, { topic: saved.topic, atEnd: true });
  }
}

// ---- recent generations -------------------------------------------------------------------------

function when(iso) {
  const parsed = Date.parse(String(iso || "").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  if (Number.isNaN(parsed)) return "";
  const date = new Date(parsed);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function badgeText(status, progress) {
  const label = statusLabel(status);
  const kind = statusKind(status);
  return kind === "running" || kind === "waiting" ? `${label} · ${progress}%` : label;
}

function updateRecentItem(id, status, progress) {
  const item = recentEl.querySelector(`li[data-generation-id="${CSS.escape(id)}"]`);
  if (!item || status === "connecting" || status === "accepted" || status === "connected") return;
  const badge = item.querySelector(".badge");
  badge.dataset.kind = statusKind(status);
  badge.textContent = badgeText(status, progress);
  item.dataset.status = status;
}

function renderRecentButtons() {
  for (const item of recentEl.children) {
    const button = item.querySelector("button");
    if (!button) continue;
    const shown = cards.has(item.dataset.generationId);
    const topic = item.querySelector(".r-topic")?.textContent || "";
    button.textContent = shown ? "View" : "Show";
    button.setAttribute("aria-label", `${shown ? "Go to" : "Show"} ${topic}`);
  }
}

/** A generation's card, shown and focused ("Show" in the list, a revision's "previous
 * version"); a card its revision replaced comes back (and stays). */
function showFromRecent(id, topic) {
  const known = cards.has(id);
  const card = addCard(id, { topic });
  if (!known) rememberGeneration(id, topic);
  if (card.supersededBy) {
    card.unfoldedByUser = true;
    card.unfold();
    announce(`Showing the previous version of ${card.topic}`);
  }
  card.el.scrollIntoView({ block: "nearest", behavior: "smooth" });
  card.el.focus({ preventScroll: true });
}

function renderRecent(list) {
  recentEl.replaceChildren(
    ...list.map((g) => {
      const open = h("button", {
        type: "button",
        class: "btn btn-small",
        "data-testid": "recent-open",
        "aria-label": `Show ${g.topic}`,
        text: "Show",
        onclick: () => showFromRecent(g.generation_id, g.topic),
      });
      return h(
        "li",
        { "data-testid": "recent-item", "data-generation-id": g.generation_id, "data-status": g.status },
        [
          h("div", { class: "r-main" }, [
            h("div", { class: "r-topic", text: g.topic, title: g.topic }),
            h("div", { class: "r-when", text: when(g.created_at) }),
          ]),
          h("span", { class: "badge", "data-kind": statusKind(g.status), text: badgeText(g.status, g.progress) }),
          open,
        ],
      );
    }),
  );
  renderRecentButtons();
}

let recentRequest = 0;
async function loadRecent() {
  const mine = ++recentRequest;
  try {
    const page = await api(endpoints.generations(20));
    if (mine !== recentRequest) return;
    const list = page.generations || [];
    recentStatus.textContent = list.length ? "" : "No generations on this server yet.";
    renderRecent(list);
  } catch (err) {
    if (mine !== recentRequest) return;
    recentStatus.textContent = `Could not load the recent generations: ${err.message}`;
  }
}

// ---- signing in ---------------------------------------------------------------------------------

let started = false;

function markReady() {
  document.documentElement.dataset.ready = "true";
}

function showSignIn(message = "") {
  formPanel.hidden = true;
  gensPanel.hidden = true;
  account.hidden = true;
  signinPanel.hidden = false;
  signinError.hidden = !message;
  signinError.textContent = message;
  signinKey.focus();
  markReady();
}

function showAccount(who) {
  account.hidden = !who.keys;
  accountName.textContent = who.admin ? "Signed in as admin" : `Signed in as ${who.user}`;
}

async function onSignIn(event) {
  event.preventDefault();
  const key = signinKey.value.trim();
  if (!key) {
    showSignIn("Enter your key.");
    return;
  }
  signinSubmit.disabled = true;
  try {
    const who = await signIn(key);
    signinKey.value = "";
    signinPanel.hidden = true;
    formPanel.hidden = false;
    gensPanel.hidden = false;
    showAccount(who);
    announce(accountName.textContent);
    startPage();
  } catch (err) {
    showSignIn(err.status === 401 ? "That key is not valid on this server." : err.message);
  } finally {
    signinSubmit.disabled = false;
  }
}

async function onSignOut() {
  try {
    await signOut();
  } finally {
    // A fresh page: no card of this session stays on screen for whoever signs in next.
    window.location.reload();
  }
}

// ---- start --------------------------------------------------------------------------------------

/** Load what the page shows; again after a sign-in (cards already shown are kept). */
function startPage() {
  if (!started) {
    started = true;
    restoreCards();
    updateEmpty();
  }
  loadRecent();
  checkHealth();
  loadOptions().finally(markReady);
}

form.addEventListener("submit", onSubmit);
for (const field of FIELDS) {
  document.getElementById(field)?.addEventListener("input", () => clearFieldError(field));
}
$("#recent-refresh").addEventListener("click", () => {
  loadRecent();
  checkHealth();
});
signinForm.addEventListener("submit", onSignIn);
$("#sign-out").addEventListener("click", onSignOut);
// Any 401 later on (the session expired, the server restarted): ask for the key again.
onUnauthorized(() => {
  if (signinPanel.hidden) showSignIn(started ? "Your session has ended: please sign in again." : "");
});

checkHealth();
whoAmI()
  .then((who) => {
    showAccount(who);
    startPage();
  })
  .catch((err) => {
    if (err.status !== 401) startPage();
  });
