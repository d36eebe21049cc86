// This browser's own generations, kept in localStorage so their cards come back after a reload,
// each with the owner token the server showed once when it was created (it lets Cancel work).

const KEY = "videogen.generations.v1";
const MAX_KEPT = 50;

function read() {
  try {
    const raw = window.localStorage.getItem(KEY);
    const list = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? list.filter((g) => g && typeof g.id === "string") : [];
  } catch {
    return [];
  }
}

function write(list) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX_KEPT)));
  } catch {
    // Storage full or disabled (private mode): the cards simply do not survive a reload.
  }
}

/** Newest first: [{id, topic, addedAt, ownerToken?}]. */
export function savedGenerations() {
  return read();
}

/** Remember (or move to the top) a generation; a token remembered before is kept. */
export function rememberGeneration(id, topic, ownerToken = null) {
  const list = read();
  const before = list.find((g) => g.id === id);
  const token = ownerToken || before?.ownerToken || null;
  const entry = { id, topic, addedAt: Date.now() };
  if (token) entry.ownerToken = token;
  write([entry, ...list.filter((g) => g.id !== id)]);
}

/** The owner token of a generation this browser started, or null. */
export function ownerTokenOf(id) {
  const found = read().find((g) => g.id === id);
  return typeof found?.ownerToken === "string" ? found.ownerToken : null;
}

export function forgetGeneration(id) {
  write(read().filter((g) => g.id !== id));
}

export function isRemembered(id) {
  return read().some((g) => g.id === id);
}
