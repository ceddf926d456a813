import { describe, expect, it } from "vitest";
import { guardedLinkTarget, historyIndex, undoMove } from "./navigation-guard";

const ORIGIN = "https://onair.example";
const plain = { defaultPrevented: false, button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false };
const link = (href: string, extra: Partial<{ target: string; download: boolean }> = {}) => ({
  href,
  target: "",
  download: false,
  ...extra,
});

describe("the navigation guard (the Go Live page asks before the app leaves it)", () => {
  it("asks for a plain click on an in-app link to another page, keeping its query and hash", () => {
    expect(guardedLinkTarget(plain, link(`${ORIGIN}/alice?tab=chat#top`), ORIGIN, "/studio")).toBe("/alice?tab=chat#top");
    expect(guardedLinkTarget(plain, link(`${ORIGIN}/`, { target: "_self" }), ORIGIN, "/studio")).toBe("/");
  });

  it("lets be what does not leave the page in this tab: same page, another origin, new tab or window, download", () => {
    expect(guardedLinkTarget(plain, link(`${ORIGIN}/studio#chat`), ORIGIN, "/studio")).toBeNull();
    expect(guardedLinkTarget(plain, link("https://docs.livekit.io/"), ORIGIN, "/studio")).toBeNull();
    expect(guardedLinkTarget(plain, link(`${ORIGIN}/alice`, { target: "_blank" }), ORIGIN, "/studio")).toBeNull();
    expect(guardedLinkTarget(plain, link(`${ORIGIN}/export.csv`, { download: true }), ORIGIN, "/studio")).toBeNull();
    for (const modifier of ["metaKey", "ctrlKey", "shiftKey", "altKey"] as const) {
      expect(guardedLinkTarget({ ...plain, [modifier]: true }, link(`${ORIGIN}/alice`), ORIGIN, "/studio"), modifier).toBeNull();
    }
    expect(guardedLinkTarget({ ...plain, button: 1 }, link(`${ORIGIN}/alice`), ORIGIN, "/studio")).toBeNull();
    expect(guardedLinkTarget({ ...plain, defaultPrevented: true }, link(`${ORIGIN}/alice`), ORIGIN, "/studio")).toBeNull();
  });

  it("reads React Router's history index, and nothing else", () => {
    expect(historyIndex({ idx: 3, key: "abc", usr: null })).toBe(3);
    expect(historyIndex({ idx: "3" })).toBeNull();
    expect(historyIndex(null)).toBeNull();
    expect(historyIndex(undefined)).toBeNull();
  });

  it("undoes Back and Forward by the distance moved, and leaving repeats it", () => {
    expect(undoMove({ idx: 5 }, { idx: 4 })).toEqual({ undo: 1, redo: -1 }); // Back: forward again to stay
    expect(undoMove({ idx: 5 }, { idx: 2 })).toEqual({ undo: 3, redo: -3 }); // several entries back (long press)
    expect(undoMove({ idx: 5 }, { idx: 6 })).toEqual({ undo: -1, redo: 1 }); // Forward
    expect(undoMove({ idx: 5 }, null)).toBeNull(); // a plain #anchor entry: put back another way
  });
});
