import { describe, expect, it } from "vitest";
import { countOf, formatCount, formText, isHttpUrl, timeAgo } from "./utils";

describe("formatters", () => {
  it("formatCount: whole numbers below a thousand as they are, then compact with one decimal", () => {
    expect([0, 7, 999, 1000, 1234, 15_049, 2_500_000].map(formatCount)).toEqual(["0", "7", "999", "1K", "1.2K", "15K", "2.5M"]);
  });

  it("countOf: singular only for exactly one, the plural given or made with an s", () => {
    expect(countOf(1, "follower")).toBe("1 follower");
    expect(countOf(0, "follower")).toBe("0 followers");
    expect(countOf(1234, "viewer")).toBe("1.2K viewers");
    expect(countOf(2, "reply", "replies")).toBe("2 replies");
  });

  it("timeAgo: the largest whole unit, relative to the given now; under a minute is just now", () => {
    const now = Date.UTC(2026, 0, 10, 12, 0, 0);
    const ago = (seconds: number) => timeAgo(new Date(now - seconds * 1000), now);
    expect(ago(0)).toBe("just now");
    expect(ago(59)).toBe("just now");
    expect(ago(60)).toBe("1 minute ago");
    expect(ago(5 * 60 + 20)).toBe("5 minutes ago");
    expect(ago(3 * 3600)).toBe("3 hours ago");
    expect(ago(86_400)).toBe("yesterday");
    expect(ago(40 * 86_400)).toBe("last month");
    expect(ago(800 * 86_400)).toBe("2 years ago");
    expect(timeAgo(new Date(now + 120_000), now)).toBe("in 2 minutes");
  });

  it("isHttpUrl: http and https only; other schemes and non-URLs are refused", () => {
    expect(isHttpUrl("https://cdn.example.com/a.png")).toBe(true);
    expect(isHttpUrl("http://localhost:3000/x")).toBe(true);
    for (const value of [
      "javascript:alert(1)",
      "data:image/png;base64,AAAA",
      "ftp://example.com/a.png",
      "/relative.png",
      "",
      "not a url",
    ]) {
      expect(isHttpUrl(value), value).toBe(false);
    }
  });

  it("formText: the field's text, or empty when absent or a file", () => {
    const form = new FormData();
    form.set("title", "Hello");
    form.set("thumbnail", new Blob(["x"]), "x.png");
    expect(formText(form, "title")).toBe("Hello");
    expect(formText(form, "missing")).toBe("");
    expect(formText(form, "thumbnail")).toBe("");
  });
});
