import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export type Encoding = "br" | "gzip" | "identity";

/** Brotli if the client takes it, else gzip, else none (`;q=0` refuses one, `*` stands for the rest). */
export function negotiate(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return "identity";
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim());
    const q = params.find((p) => p.startsWith("q="));
    weights.set(name, q ? Number(q.slice(2)) : 1);
  }
  const takes = (name: string) => (weights.get(name) ?? weights.get("*") ?? 0) > 0;
  return takes("br") ? "br" : takes("gzip") ? "gzip" : "identity";
}

/** An HTML page, compressed for each encoding on first use. */
export class Page {
  readonly etag: string;
  private readonly bodies = new Map<Encoding, Buffer>();
  constructor(
    readonly html: string,
    /** Brotli quality: the best for the shell (compressed once), fast for per-request pages. */
    private readonly quality: number,
  ) {
    this.etag = `W/"${createHash("sha1").update(html).digest("base64url").slice(0, 27)}"`;
  }

  body(encoding: Encoding): Buffer {
    let body = this.bodies.get(encoding);
    if (!body) {
      const raw = Buffer.from(this.html);
      body =
        encoding === "br"
          ? brotliCompressSync(raw, {
              params: { [constants.BROTLI_PARAM_QUALITY]: this.quality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
            })
          : encoding === "gzip"
            ? gzipSync(raw, { level: this.quality >= 9 ? 9 : 6 })
            : raw;
      this.bodies.set(encoding, body);
    }
    return body;
  }
}

/**
 * JSON safe inside `<script type="application/json">`: no `<` (so no `</script>` or `<!--`), no `>`
 * or `&`, and no U+2028/U+2029; JSON.parse reads the escapes back as the same characters.
 */
export function inlineJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** The build's index.html, and the chunks a module needs beyond the entry's (from Vite's manifest). */
export class WebBuild {
  readonly shell: Page;
  private readonly manifest: Record<string, ManifestChunk>;
  private readonly entryFiles: Set<string>;

  constructor(readonly dist: string) {
    this.shell = new Page(readFileSync(path.join(dist, "index.html"), "utf8"), constants.BROTLI_MAX_QUALITY);
    const manifestFile = path.join(dist, ".vite", "manifest.json");
    this.manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, ManifestChunk>) : {};
    this.entryFiles = this.closure(["index.html"]);
  }

  /** The `/assets/…` file built from this source module (an entry of its own), if the build has it. */
  fileOf(source: string): string | undefined {
    const file = this.manifest[source]?.file;
    return file && `/${file}`;
  }

  /** `/assets/…` files of these source modules and everything they import statically, minus the entry's. */
  chunksOf(sources: string[]): string[] {
    return [...this.closure(sources)].filter((file) => !this.entryFiles.has(file)).map((file) => `/${file}`);
  }

  private closure(keys: string[]): Set<string> {
    const files = new Set<string>();
    const seen = new Set<string>();
    const visit = (key: string) => {
      const chunk = this.manifest[key];
      if (!chunk || seen.has(key)) return;
      seen.add(key);
      if (chunk.file.endsWith(".js")) files.add(chunk.file);
      chunk.imports?.forEach(visit);
    };
    keys.forEach(visit);
    return files;
  }

  /** The shell with `first` before its own scripts (the app's entry and its preloads) and `tags` at the end of <head>. */
  withHead(tags: string[], first: string[] = []): string {
    const indent = (list: string[]) => list.map((tag) => `${tag}\n    `).join("");
    return this.shell.html
      .replace("<script", `${indent(first)}<script`)
      .replace("</head>", `${tags.map((tag) => `    ${tag}\n`).join("")}  </head>`);
  }
}
