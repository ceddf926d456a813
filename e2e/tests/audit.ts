import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's impacts that fail a page (the issue's bar: no serious violation, let alone a critical one). */
const FAILING = new Set(["serious", "critical"]);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical WCAG violations on the page as it is now, one line each. */
export async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated over CDP, not as a <script>: the app's CSP (script-src 'self') stays as it is.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: { exclude: string[][] }, options: object) => Promise<{ violations: Violation[] }> } }
    ).axe;
    // Toasts are left out: they animate in and out (axe would measure a half-faded colour) and go in seconds.
    const result = await axe.run(
      { exclude: [["[data-sonner-toaster]"]] },
      {
        resultTypes: ["violations"],
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      },
    );
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((n) => ({ target: n.target })) }));
  });
  return violations
    .filter((v) => FAILING.has(v.impact ?? ""))
    .map(
      (v) =>
        `axe ${v.impact} ${v.id} (${v.help}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}${v.nodes.length > 3 ? `, +${v.nodes.length - 3} more` : ""}`,
    );
}

/** The page scrolls sideways: how wide it is and the elements that stick out past the viewport. */
export async function overflowProblems(page: Page): Promise<string[]> {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const describe = (el: Element) => {
      const id = el.getAttribute("data-testid");
      const cls = typeof el.className === "string" ? el.className.split(/\s+/).slice(0, 3).join(".") : "";
      return id ? `[data-testid=${id}]` : `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ""}`;
    };
    // The outermost elements whose right edge passes the viewport (their children would only repeat them).
    const outermost: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (el.getBoundingClientRect().right <= width + 0.5) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 0.5) continue;
      outermost.push(describe(el));
      if (outermost.length === 3) break;
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, outermost };
  });
  return found
    ? [
        `scrolls sideways: ${found.scrollWidth} px wide in a ${found.width} px viewport (${found.outermost.join(", ") || "no element found"})`,
      ]
    : [];
}
