// This browser's own generations, kept in localStorage so their cards come back after a reload.

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

/** Newest first: [{id, topic, addedAt}]. */
export function savedGenerations() {
  return read();
}

export function rememberGeneration(id, topic) {
  const list = read().filter((g) => g.id !== id);
  list.unshift({ id, topic, addedAt: Date.now() });
  write(list);
}

export function forgetGeneration(id) {
  write(read().filter((g) => g.id !== id));
}

export function isRemembered(id) {
  return read().some((g) => g.id === id);
}
