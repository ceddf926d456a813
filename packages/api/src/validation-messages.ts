import type { ZodError } from "zod";

type Issue = ZodError["issues"][number];

/** `slowModeSeconds` → `Slow mode seconds`; `input` for the whole input. */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[._]/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`;
const units: Record<string, [string, string?]> = { string: ["character"], array: ["item"], set: ["item"], file: ["byte"] };

/**
 * What is wrong, as the rest of a sentence whose subject is the field ("is required", "can be at most
 * 140 characters"). Messages written in the schemas start lowercase and are kept; zod's defaults
 * ("Too big: expected string to have <=140 characters") are rewritten.
 */
export function issuePredicate(issue: Issue): string {
  if (/^[a-z]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "too_big": {
      const unit = units[issue.origin];
      const limit = unit ? plural(issue.maximum, unit[0], unit[1]) : String(issue.maximum);
      if (issue.inclusive === false) return `must be less than ${limit}`;
      return `${issue.origin === "array" || issue.origin === "set" ? "can have" : "can be"} at most ${limit}`;
    }
    case "too_small": {
      const unit = units[issue.origin];
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "is required";
      const limit = unit ? plural(issue.minimum, unit[0], unit[1]) : String(issue.minimum);
      return issue.inclusive === false ? `must be more than ${limit}` : `must be at least ${limit}`;
    }
    case "invalid_type":
      // zod leaves the input out of issues; its own message says "received undefined" for a missing field.
      if (/received undefined/.test(issue.message)) return "is required";
      return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}`;
    case "invalid_format":
      return issue.format === "url" ? "must be a valid URL" : `must be a valid ${issue.format}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "unrecognized_keys":
      return `has unknown ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.join(", ")}`;
    default:
      return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  }
}

/**
 * A validation error for people: each field's problems as sentences ("Title can be at most 140
 * characters"), and one message naming the fields ("title: can be at most 140 characters").
 */
export function describeZodError(error: ZodError): { message: string; fieldErrors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  const predicates: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "input";
    const predicate = issuePredicate(issue);
    (predicates[field] ??= []).push(predicate);
    (fieldErrors[field] ??= []).push(`${fieldLabel(String(issue.path.at(-1) ?? "input"))} ${predicate}`);
  }
  const message = Object.entries(predicates)
    .map(([field, list]) => `${field}: ${list.join(", ")}`)
    .join("; ");
  return { message, fieldErrors };
}
