// Reads a POST body as a plain object, from a form or JSON, so one zod schema validates both.
import type { Ctx } from "./context.ts";
import { HttpError } from "./http-errors.ts";

export async function readBody(c: Ctx): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      const body: unknown = await c.req.json();
      return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    } catch {
      throw new HttpError(400, "The request body is not valid JSON");
    }
  }
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  }
  return {};
}
