// A finished card's "Download ▾" menu: a disclosure button and a list of plain links, one per
// artifact (video, exports, subtitles, chapters). The links are same-origin GETs, so they carry
// the sign-in cookie by themselves, as the <video> element's src does: no owner token is needed.

import { endpoints } from "./api.js";
import { h, uid } from "./dom.js";

/** What the menu offers, in order: [testid, label, href, file name]. Subtitles only when the
 * generation has them (the server answers 404 otherwise). */
export function downloadItems(id, links, hasSubtitles) {
  const items = [
    ["download", "Video (MP4)", links.video, `${id}.mp4`],
    ["download-pptx", "Slides (PPTX, with speaker notes)", endpoints.export(id, "pptx"), `${id}.pptx`],
    ["download-pdf", "Slides (PDF)", endpoints.export(id, "pdf"), `${id}.pdf`],
    [
      "download-handout",
      "Handout (PDF with narration)",
      endpoints.export(id, "pdf", { handout: true }),
      `${id}-handout.pdf`,
    ],
    ["download-zip", "Everything (ZIP)", endpoints.export(id, "zip"), `${id}.zip`],
  ];
  if (hasSubtitles) {
    items.push(
      ["download-subtitles-vtt", "Subtitles (VTT)", links.subtitles, `${id}.vtt`],
      ["download-subtitles-srt", "Subtitles (SRT)", `${links.subtitles}?format=srt`, `${id}.srt`],
    );
  }
  items.push(
    ["download-chapters-vtt", "Chapters (VTT)", links.chapters, `${id}-chapters.vtt`],
    ["chapters-link", "Chapters (YouTube lines)", `${links.chapters}?format=youtube`, `${id}-chapters.txt`],
  );
  return items;
}

/**
 * The menu of one card. The button toggles the list (aria-expanded); opening it moves focus to
 * the first link, ArrowUp/ArrowDown/Home/End move between links, Escape closes it and gives the
 * focus back to the button; a click outside or focus leaving the menu closes it.
 * @param {{id: string, topic: string, links: object, hasSubtitles: boolean}} opts
 */
export function buildDownloadMenu({ id, topic, links, hasSubtitles }) {
  const listId = uid("downloads");
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small download-toggle",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-label": `Download: ${topic}`,
      "data-testid": "download-menu-button",
    },
    ["Download ", h("span", { "aria-hidden": "true", text: "▾" })],
  );
  const anchors = downloadItems(id, links, hasSubtitles).map(([testid, label, href, filename]) =>
    h("a", { href, download: filename, "data-testid": testid, text: label }),
  );
  const list = h(
    "ul",
    { class: "download-list", id: listId, hidden: true, "data-testid": "download-menu" },
    anchors.map((a) => h("li", {}, a)),
  );
  const root = h("div", { class: "download-menu" }, [button, list]);

  const isOpen = () => button.getAttribute("aria-expanded") === "true";
  const onOutside = (event) => {
    if (!root.contains(event.target)) close({ focus: false });
  };
  function open() {
    button.setAttribute("aria-expanded", "true");
    list.hidden = false;
    // Listen only while open: a page of many cards keeps no idle document listeners.
    document.addEventListener("pointerdown", onOutside, true);
    anchors[0]?.focus();
  }
  function close({ focus }) {
    if (!isOpen()) return;
    button.setAttribute("aria-expanded", "false");
    list.hidden = true;
    document.removeEventListener("pointerdown", onOutside, true);
    if (focus) button.focus();
  }

  button.addEventListener("click", () => (isOpen() ? close({ focus: false }) : open()));
  root.addEventListener("keydown", (event) => {
    if (!isOpen()) return;
    if (event.key === "Escape") {
      event.preventDefault();
      close({ focus: true });
      return;
    }
    const at = anchors.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: anchors.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    anchors[(next + anchors.length) % anchors.length].focus();
  });
  root.addEventListener("focusout", (event) => {
    // Tabbing past the last link (or away) closes it; focus moving inside the menu does not.
    if (event.relatedTarget && !root.contains(event.relatedTarget)) close({ focus: false });
  });
  return root;
}
