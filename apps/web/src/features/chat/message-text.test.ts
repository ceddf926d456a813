import { describe, expect, it } from "vitest";
import { mentions, parseMessage, safeHref } from "./message-text";

const joined = (text: string) =>
  parseMessage(text, "pixel_fan")
    .map((p) => p.text)
    .join("");

describe("parseMessage: links", () => {
  it("finds http and https links inside text, leaving sentence punctuation outside", () => {
    expect(parseMessage("see https://example.com/a?b=1#c, and http://x.io/path.")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1#c", href: "https://example.com/a?b=1#c" },
      { kind: "text", text: ", and " },
      { kind: "link", text: "http://x.io/path", href: "http://x.io/path" },
      { kind: "text", text: "." },
    ]);
  });

  it("keeps a closing parenthesis that belongs to the URL, drops one that closes the sentence", () => {
    expect(parseMessage("(https://en.wikipedia.org/wiki/Tea_(drink))").filter((p) => p.kind === "link")).toEqual([
      { kind: "link", text: "https://en.wikipedia.org/wiki/Tea_(drink)", href: "https://en.wikipedia.org/wiki/Tea_(drink)" },
    ]);
    expect(parseMessage("(see https://example.com)")[1]).toEqual({
      kind: "link",
      text: "https://example.com",
      href: "https://example.com/",
    });
  });

  it("never makes a link of another scheme, a bare domain or a broken URL", () => {
    for (const text of [
      "javascript:alert(1)",
      "javascript://example.com/%0Aalert(1)",
      "data:text/html,<script>alert(1)</script>",
      "JaVaScRiPt:alert(1)",
      "vbscript:msgbox",
      "file:///etc/passwd",
      "www.example.com",
      "https://",
      "http://[::1",
      "xhttps://example.com",
    ]) {
      expect(parseMessage(text).some((p) => p.kind === "link")).toBe(false);
    }
  });

  it("gives a link's href only as a parsed http(s) URL", () => {
    expect(safeHref("HTTPS://Example.com/x")).toBe("https://example.com/x");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("ftp://example.com")).toBeNull();
  });

  it("gives back the exact text, whatever it is", () => {
    for (const text of ["plain", "a https://b.c/d) e", "@@pixel_fan!", "<b>x</b> http://a.b/<img>", "emoji 🎉 https://x.y/🎉"]) {
      expect(joined(text)).toBe(text);
    }
  });
});

describe("parseMessage: mentions", () => {
  it("marks @username as self for the one mentioned, in any case", () => {
    expect(parseMessage("hi @Pixel_Fan and @nightowl!", "pixel_fan")).toEqual([
      { kind: "text", text: "hi " },
      { kind: "mention", text: "@Pixel_Fan", username: "Pixel_Fan", self: true },
      { kind: "text", text: " and " },
      { kind: "mention", text: "@nightowl", username: "nightowl", self: false },
      { kind: "text", text: "!" },
    ]);
  });

  it("needs a whole name at a word boundary: not a longer name, not an email address", () => {
    expect(mentions("@pixel_fans hello", "pixel_fan")).toBe(false);
    expect(mentions("mail me: me@pixel_fan.com", "pixel_fan")).toBe(false);
    expect(mentions("hey @pixel_fan, welcome", "pixel_fan")).toBe(true);
    expect(mentions("@pixel_fan", "PIXEL_FAN")).toBe(true);
    expect(mentions("@pixel_fan", undefined)).toBe(false);
    expect(mentions("pixel_fan without the at", "pixel_fan")).toBe(false);
  });
});
