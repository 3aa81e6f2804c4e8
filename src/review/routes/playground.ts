// GET/POST /playground: score a conversation without storing it.
import { Hono } from "hono";
import { z } from "zod";
import { HavenError } from "../../types.ts";
import { requireUser } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { HttpError, parseInput } from "../http-errors.ts";
import { parseJsonl, parsePasted, runPlayground } from "../playground.ts";
import { readBody } from "../request-body.ts";
import { playgroundPage, type PlaygroundForm } from "../views/playground.ts";

const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const playgroundSchema = z.object({
  text: z.string().max(200_000).default(""),
  kind: z.enum(["dm", "group"]).default("dm"),
  threshold: z.coerce.number().min(0).max(1).default(0.6),
  minStages: z.coerce.number().int().min(1).max(8).default(2),
  jsonl: z.string().max(MAX_FILE_BYTES).optional(),
});

export function playgroundRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/playground", (c) => {
    const user = requireUser(c);
    return c.html(playgroundPage(user, { text: "", kind: "dm", threshold: 0.6, minStages: 2 }, null, null).value);
  });
  app.post("/playground", async (c) => {
    const user = requireUser(c);
    const body = await readBody(c);
    const file = body.file;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_FILE_BYTES) throw new HttpError(400, "The file is larger than 2 MB; upload one conversation");
      body.jsonl = await file.text();
    }
    delete body.file;
    delete body._csrf;
    const input = parseInput(playgroundSchema, body);
    const form: PlaygroundForm = { text: input.text, kind: input.kind, threshold: input.threshold, minStages: input.minStages };
    try {
      const msgs = input.jsonl ? parseJsonl(input.jsonl) : parsePasted(input.text, input.kind);
      if (input.jsonl) form.text = msgs.map((m) => `${m.authorId.slice(m.authorId.lastIndexOf(":") + 1)}: ${m.text}`).join("\n");
      const result = await runPlayground(c.var.deps.engine, msgs, { threshold: input.threshold, minStages: input.minStages });
      return c.html(playgroundPage(user, form, result, null).value);
    } catch (err) {
      if (!(err instanceof HavenError)) throw err;
      return c.html(playgroundPage(user, form, null, err.message).value, 400);
    }
  });
  return app;
}
