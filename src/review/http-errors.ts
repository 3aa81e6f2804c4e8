// Errors a route throws to end a request with a status and a message people can act on.
import type { z } from "zod";

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 503,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Parses request data with a zod schema; a failure is a 400 naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : "request";
  throw new HttpError(400, `Invalid ${field}: ${issue.message}`);
}
