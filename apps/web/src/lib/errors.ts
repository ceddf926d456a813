import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  fieldErrors?: Record<string, string[]>;
}

function dataOf(error: unknown): ErrorData | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data ?? undefined) as ErrorData | undefined;
}

/** The tRPC error code ("NOT_FOUND", "FORBIDDEN"…), if the error came from the server. */
export function errorCode(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

/** BAD_REQUEST input errors by field: `{ title: ["Too small…"] }`. */
export function fieldErrors(error: unknown): Record<string, string[]> {
  return dataOf(error)?.fieldErrors ?? {};
}

/** A sentence to show a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (!dataOf(error)) return "Can't reach OnAir right now. Check your connection and try again.";
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
