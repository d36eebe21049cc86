// The public HTTP API of the server, and its error messages in words a person can act on.

/** An HTTP error: `detail` is the server's message; `fields` the 422 items as {field, loc, msg}. */
export class ApiError extends Error {
  constructor(status, message, { detail = null, fields = [], retryAfter = null, body = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    // The whole JSON answer (a 409 of a stale draft edit carries the current `version`).
    this.body = body;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

const FIELD_LABELS = {
  topic: "Topic",
  num_slides: "Number of slides",
  language: "Language",
  tone: "Tone",
  aspect_ratio: "Aspect ratio",
  resolution: "Resolution",
  theme: "Theme",
  source_text: "My own notes",
  slides: "My own slides",
  voice: "Voice",
  speech_rate: "Speech rate",
  subtitles: "Subtitles",
  sources: "My own documents",
  knowledge: "Offline encyclopedia",
  file: "File",
  title: "Title",
  content_text: "Bullets",
  narration: "Narration",
  edits: "Edits",
};

/** One 422 item → {field: the form field it belongs to, label: where, msg: what is wrong}. */
export function describeValidationItem(item) {
  const loc = Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body") : [];
  const field = typeof loc[0] === "string" ? loc[0] : "";
  let label = FIELD_LABELS[field] || (field ? field.replaceAll("_", " ") : "Request");
  if (field === "slides" && typeof loc[1] === "number") {
    label = `Slide ${loc[1] + 1}`;
    if (typeof loc[2] === "string") {
      label += ` ${loc[2] === "content_text" ? "text" : loc[2]}`;
    }
  }
  if (field === "sources" && typeof loc[1] === "number") label = `Document ${loc[1] + 1}`;
  if (field === "edits" && typeof loc[1] === "number") {
    label = `Edit ${loc[1] + 1}`;
    if (typeof loc[2] === "string") label += ` ${FIELD_LABELS[loc[2]] || loc[2].replaceAll("_", " ")}`;
  }
  return { field, label, msg: String(item.msg ?? "is invalid") };
}

function retryAfterSeconds(response) {
  const raw = response.headers.get("Retry-After");
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const detail = body && "detail" in body ? body.detail : null;
  const retryAfter = retryAfterSeconds(response);
  if (Array.isArray(detail)) {
    const fields = detail.map(describeValidationItem);
    const message = fields.map((f) => `${f.label}: ${f.msg}`).join("; ");
    return new ApiError(response.status, message || "The request is invalid", {
      detail,
      fields,
      retryAfter,
      body,
    });
  }
  let message = typeof detail === "string" && detail ? detail : `${response.status} ${response.statusText || "error"}`;
  if (response.status === 429 || response.status === 503) {
    const wait = retryAfter === null ? "in a moment" : `in ${retryAfter} s`;
    const lead = response.status === 503 ? "The server is busy" : "Too many requests";
    if (typeof detail !== "string" || !detail) message = lead;
    message += `. Please try again ${wait}.`;
  } else if (response.status >= 500 && (typeof detail !== "string" || !detail)) {
    message = `The server failed (${response.status}). Please try again.`;
  }
  return new ApiError(response.status, message, { detail, retryAfter, body });
}

// Called with the error of every 401: the server has keys and this browser is not signed in
// (or its session ended). The page shows its sign-in form.
let unauthorizedHandler = null;

export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** `fetch` for the JSON API: the parsed body, or an `ApiError` (status 0: no connection).
 * Same-origin requests carry the session cookie of a sign-in by themselves (and the browser's
 * own Origin header, which the server checks on every POST). A `FormData` body goes as
 * multipart/form-data: the browser writes that Content-Type itself, with its boundary. */
export async function api(path, { method = "GET", body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, signal };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "Cannot reach the server. Check that it is running, then try again.");
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

const enc = encodeURIComponent;

export const endpoints = {
  options: () => "/api/options",
  health: () => "/health",
  generate: () => "/api/generate",
  generations: (limit) => `/api/generations?limit=${limit}`,
  status: (id) => `/api/status/${enc(id)}`,
  progress: (id) => `/api/progress/${enc(id)}`,
  content: (id) => `/api/content/${enc(id)}`,
  script: (id) => `/api/script/${enc(id)}`,
  subtitles: (id) => `/api/subtitles/${enc(id)}`,
  chapters: (id) => `/api/chapters/${enc(id)}`,
  video: (id) => `/api/video/${enc(`${id}.mp4`)}`,
  // A finished generation's exports (`kind`: pptx, pdf or zip); the PDF's handout adds a page
  // of narration after each slide.
  export: (id, kind, { handout = false } = {}) =>
    `/api/export/${enc(`${id}.${kind}`)}${handout ? "?handout=1" : ""}`,
  cancel: (id) => `/api/cancel/${enc(id)}`,
  session: () => "/api/session",
  // Review before rendering, and revisions: a draft's slides, its render, a new revision.
  slides: (id) => `/api/generations/${enc(id)}/slides`,
  slide: (id, n) => `/api/generations/${enc(id)}/slides/${Number(n)}`,
  render: (id) => `/api/generations/${enc(id)}/render`,
  revisions: (id) => `/api/generations/${enc(id)}/revisions`,
  uploads: () => "/api/uploads",
};

/** Who this browser is signed in as: {user, admin, keys}; an `ApiError` 401 when it is not. */
export function whoAmI() {
  return api(endpoints.session());
}

/** Sign in with a key: the server answers with an HttpOnly session cookie. */
export function signIn(key) {
  return api(endpoints.session(), { method: "POST", body: { key } });
}

/** Sign out: the server forgets the session and clears the cookie. */
export function signOut() {
  return api(endpoints.session(), { method: "DELETE" });
}

/** The header proving ownership, when this browser has the generation's owner token (a
 * signed-in admin needs none: the session cookie goes by itself). */
function ownerHeaders(ownerToken) {
  return ownerToken ? { "X-Owner-Token": ownerToken } : {};
}

/** Cancel a generation, proving ownership with its owner token (when this browser has it). */
export function cancelGeneration(url, ownerToken) {
  return api(url, { method: "POST", headers: ownerHeaders(ownerToken) });
}

// A draft's edits are made against its version (the ETag of its answers), sent as If-Match:
// one made against a version that is no longer current is refused (409, with the current one)
// instead of overwriting someone else's. Each answers the draft: {version, content_data,
// script_data}.

function draftHeaders(ownerToken, version) {
  const headers = ownerHeaders(ownerToken);
  if (Number.isInteger(version)) headers["If-Match"] = `"${version}"`;
  return headers;
}

/** PATCH slide `n` of a draft with any of title, content_text, narration. */
export function editDraftSlide(id, n, fields, { version, ownerToken } = {}) {
  return api(endpoints.slide(id, n), {
    method: "PATCH",
    body: fields,
    headers: draftHeaders(ownerToken, version),
  });
}

/** Insert `slide` ({title, content_text?, narration?}) into a draft as slide `position`. */
export function insertDraftSlide(id, slide, position, { version, ownerToken } = {}) {
  return api(endpoints.slides(id), {
    method: "POST",
    body: { slide, position },
    headers: draftHeaders(ownerToken, version),
  });
}

/** Remove slide `n` of a draft. */
export function deleteDraftSlide(id, n, { version, ownerToken } = {}) {
  return api(endpoints.slide(id, n), { method: "DELETE", headers: draftHeaders(ownerToken, version) });
}

/** Render a reviewed draft: 202; its progress stream goes on to the render's terminal event. */
export function renderDraft(id, ownerToken) {
  return api(endpoints.render(id), { method: "POST", headers: ownerHeaders(ownerToken) });
}

/** A new generation from a finished one with `edits` ([{slide_number, title?, content_text?,
 * narration?}]) applied, rendered at once: 202 {generation_id, owner_token, parent_id, links}. */
export function reviseGeneration(id, edits, ownerToken) {
  return api(endpoints.revisions(id), {
    method: "POST",
    body: { edits, render: true },
    headers: ownerHeaders(ownerToken),
  });
}

/** Start a generation without waiting for it: 202 {generation_id, owner_token, links}. */
export function startGeneration(request) {
  return api(endpoints.generate(), {
    method: "POST",
    body: request,
    headers: { Prefer: "respond-async" },
  });
}

/** Upload one document (`file` field, multipart): 201 {upload_id, filename, bytes, title}.
 * `signal` aborts it (the file was removed from the list while it was on its way). */
export function uploadFile(file, { signal } = {}) {
  const body = new FormData();
  body.append("file", file, file.name);
  return api(endpoints.uploads(), { method: "POST", body, signal });
}
