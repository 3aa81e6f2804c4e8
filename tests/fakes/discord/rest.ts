// The fake REST API (v10): the routes Haven's discord.js client uses, each call recorded,
// with injectable failures shaped like Discord's (500 bodies, 429 with retry-after and
// x-ratelimit-* headers).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiMessage, World } from "./world.ts";
import { compareSnowflakes } from "./snowflake.ts";

export interface RecordedCall {
  method: string;
  /** Path below /api/v10, e.g. /channels/123/messages. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  auditLogReason: string | null;
  at: number;
}

export interface FailureRule {
  method?: string;
  /** Matches the path below /api/v10 (substring or regular expression). */
  path?: string | RegExp;
  status: 500 | 502 | 503 | 429 | 400 | 403 | 404;
  /** How many matching requests fail before the rule is used up. */
  count: number;
  /** For 429: seconds in retry-after (default 0.05). */
  retryAfter?: number;
  global?: boolean;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  guildId: string;
  channelId: string;
  userId: string;
  /** The message a component belongs to. */
  messageId: string | null;
  /** Callback types received, in order (4 reply, 5 deferred, 6 deferred update, 7 update). */
  callbacks: { type: number; data: Record<string, unknown> | null }[];
  /** Latest content of the original response (reply or edited deferral). */
  response: Record<string, unknown> | null;
  followUps: Record<string, unknown>[];
}

type Handler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: unknown;
}
interface RouteResult {
  status: number;
  body?: unknown;
}

export interface RestHooks {
  /** Gateway fan-out for changes the REST API makes (Discord echoes these as dispatches). */
  dispatch(guildId: string, t: string, d: Record<string, unknown>, intent: number): void;
  gatewayUrl(): string;
  shards: number;
  /** Identifies allowed per 5 s (Discord gives large bots more). */
  maxConcurrency: number;
}

const GUILD_MESSAGES = 1 << 9;
const GUILD_MEMBERS = 1 << 1;
const GUILD_MODERATION = 1 << 2;

export class FakeRest {
  readonly calls: RecordedCall[] = [];
  readonly failures: FailureRule[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];

  constructor(
    private readonly world: World,
    private readonly token: string,
    private readonly hooks: RestHooks,
  ) {
    this.defineRoutes();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    // discord.js encodes "@original" as %40original.
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ""));
    const query = Object.fromEntries(url.searchParams.entries());
    let body: unknown = null;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return this.reply(res, { method, path, query, body: raw, req }, { status: 400, body: { message: "400: Bad Request (body is not JSON)", code: 50109 } });
      }
    }
    const call = { method, path, query, body, req };
    if (!url.pathname.startsWith("/api/v10/")) {
      return this.reply(res, call, { status: 404, body: { message: "404: Not Found (fake discord serves /api/v10 only)", code: 0 } });
    }
    // Interaction callbacks and webhooks authenticate by their token in the path, like Discord.
    const tokenInPath = path.startsWith("/interactions/") || path.startsWith("/webhooks/");
    if (!tokenInPath && req.headers.authorization !== `Bot ${this.token}`) {
      return this.reply(res, call, { status: 401, body: { message: "401: Unauthorized", code: 0 } });
    }
    const failure = this.takeFailure(method, path);
    if (failure) return this.fail(res, call, failure);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      try {
        const result = await route.handler({ params: match.slice(1), query: url.searchParams, body });
        return this.reply(res, call, result);
      } catch (error) {
        if (error instanceof ApiError) return this.reply(res, call, { status: error.status, body: { message: error.message, code: error.code } });
        return this.reply(res, call, { status: 500, body: { message: `500: fake discord crashed: ${String(error)}`, code: 0 } });
      }
    }
    return this.reply(res, call, { status: 404, body: { message: `404: Not Found (${method} ${path} is not faked)`, code: 0 } });
  }

  private takeFailure(method: string, path: string): FailureRule | null {
    for (const rule of this.failures) {
      if (rule.count <= 0) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !(typeof rule.path === "string" ? path.includes(rule.path) : rule.path.test(path))) continue;
      rule.count -= 1;
      return rule;
    }
    return null;
  }

  private fail(res: ServerResponse, call: PendingCall, rule: FailureRule): void {
    if (rule.status === 429) {
      const retryAfter = rule.retryAfter ?? 0.05;
      res.setHeader("retry-after", String(retryAfter));
      res.setHeader("x-ratelimit-limit", "5");
      res.setHeader("x-ratelimit-remaining", "0");
      res.setHeader("x-ratelimit-reset-after", String(retryAfter));
      res.setHeader("x-ratelimit-bucket", "fakebucket");
      res.setHeader("x-ratelimit-scope", rule.global ? "global" : "user");
      if (rule.global) res.setHeader("x-ratelimit-global", "true");
      return this.reply(res, call, { status: 429, body: { message: "You are being rate limited.", retry_after: retryAfter, global: Boolean(rule.global) } });
    }
    const text: Record<number, string> = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 400: "Bad Request", 403: "Missing Permissions", 404: "Unknown Message" };
    const code: Record<number, number> = { 403: 50013, 404: 10008 };
    return this.reply(res, call, { status: rule.status, body: { message: `${rule.status}: ${text[rule.status]}`, code: code[rule.status] ?? 0 } });
  }

  private reply(res: ServerResponse, call: PendingCall, result: RouteResult): void {
    const reason = call.req.headers["x-audit-log-reason"];
    this.calls.push({
      method: call.method,
      path: call.path,
      query: call.query,
      body: call.body,
      status: result.status,
      auditLogReason: typeof reason === "string" ? decodeURIComponent(reason) : null,
      at: Date.now(),
    });
    if (result.status !== 429) {
      res.setHeader("x-ratelimit-limit", "50");
      res.setHeader("x-ratelimit-remaining", "49");
      res.setHeader("x-ratelimit-reset-after", "1");
      res.setHeader("x-ratelimit-bucket", "fakebucket-ok");
    }
    if (result.status === 204 || result.body === undefined) {
      res.statusCode = result.status === 200 ? 204 : result.status;
      res.end();
      return;
    }
    res.statusCode = result.status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(result.body));
  }

  private route(method: string, path: string, handler: Handler): void {
    // ":x" segments capture one id (or @original / @me).
    const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}$`);
    this.routes.push({ method, pattern, handler });
  }

  private defineRoutes(): void {
    const w = this.world;

    this.route("GET", "/gateway/bot", () => ({
      status: 200,
      body: {
        url: this.hooks.gatewayUrl(),
        shards: this.hooks.shards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.hooks.maxConcurrency },
      },
    }));
    this.route("GET", "/gateway", () => ({ status: 200, body: { url: this.hooks.gatewayUrl() } }));
    this.route("GET", "/users/@me", () => ({ status: 200, body: w.apiUser(w.botUser) }));

    this.route("GET", "/guilds/:g", ({ params }) => {
      const guild = w.guilds.get(params[0]!) ?? notFound("Unknown Guild", 10004);
      const { members: _m, channels: _c, threads: _t, ...rest } = w.apiGuild(guild);
      return { status: 200, body: rest };
    });

    this.route("GET", "/channels/:c", ({ params }) => ({ status: 200, body: w.apiChannel(w.channels.get(params[0]!) ?? notFound("Unknown Channel", 10003)) }));

    this.route("GET", "/channels/:c/messages", ({ params, query }) => {
      const list = w.messages.get(params[0]!) ?? notFound("Unknown Channel", 10003);
      const limit = Math.min(Math.max(Number(query.get("limit") ?? 50), 1), 100);
      const after = query.get("after");
      const before = query.get("before");
      let page: ApiMessage[];
      if (after) {
        // The oldest `limit` messages after the id; Discord still lists them newest first.
        page = list.filter((m) => compareSnowflakes(m.id, after) > 0).slice(0, limit);
      } else {
        const older = before ? list.filter((m) => compareSnowflakes(m.id, before) < 0) : list;
        page = older.slice(-limit);
      }
      return { status: 200, body: [...page].reverse().map(withoutGatewayFields) };
    });

    this.route("GET", "/channels/:c/messages/:m", ({ params }) => {
      const message = w.findMessage(params[0]!, params[1]!) ?? notFound("Unknown Message", 10008);
      return { status: 200, body: withoutGatewayFields(message) };
    });

    this.route("POST", "/channels/:c/messages", ({ params, body }) => {
      const channel = w.channels.get(params[0]!) ?? notFound("Unknown Channel", 10003);
      const data = asRecord(body);
      const reference = asRecord(data.message_reference);
      const message = w.buildMessage({
        channelId: channel.id,
        authorId: w.botUser.id,
        content: String(data.content ?? ""),
        embeds: (data.embeds as unknown[]) ?? [],
        components: (data.components as unknown[]) ?? [],
        replyTo: typeof reference.message_id === "string" ? reference.message_id : null,
      });
      if (!message.content && !(message.embeds as unknown[]).length && !(message.components as unknown[]).length) {
        throw new ApiError(400, "Cannot send an empty message", 50006);
      }
      w.storeMessage(message);
      this.hooks.dispatch(channel.guildId, "MESSAGE_CREATE", message, GUILD_MESSAGES);
      return { status: 200, body: withoutGatewayFields(message) };
    });

    this.route("PATCH", "/channels/:c/messages/:m", ({ params, body }) => {
      const message = w.findMessage(params[0]!, params[1]!) ?? notFound("Unknown Message", 10008);
      if ((message.author as { id: string }).id !== w.botUser.id) throw new ApiError(403, "Cannot edit a message authored by another user", 50005);
      this.applyEdit(message, asRecord(body));
      return { status: 200, body: withoutGatewayFields(message) };
    });

    this.route("DELETE", "/channels/:c/messages/:m", ({ params }) => {
      const channel = w.channels.get(params[0]!) ?? notFound("Unknown Channel", 10003);
      if (!w.removeMessage(channel.id, params[1]!)) notFound("Unknown Message", 10008);
      this.hooks.dispatch(channel.guildId, "MESSAGE_DELETE", { id: params[1]!, channel_id: channel.id, guild_id: channel.guildId }, GUILD_MESSAGES);
      return { status: 204 };
    });

    this.route("PUT", "/applications/:a/guilds/:g/commands", ({ params, body }) => {
      if (params[0] !== w.applicationId) throw new ApiError(403, "Missing Access", 50001);
      const guild = w.guilds.get(params[1]!) ?? notFound("Unknown Guild", 10004);
      if (!Array.isArray(body)) throw new ApiError(400, "Invalid Form Body: expected an array of commands", 50035);
      guild.commands = body.map((c) => ({
        ...asRecord(c),
        id: w.ids.next(),
        application_id: w.applicationId,
        guild_id: guild.id,
        version: w.ids.next(),
        type: asRecord(c).type ?? 1,
        default_member_permissions: asRecord(c).default_member_permissions ?? null,
      }));
      return { status: 200, body: guild.commands };
    });

    this.route("GET", "/applications/:a/guilds/:g/commands", ({ params }) => {
      const guild = w.guilds.get(params[1]!) ?? notFound("Unknown Guild", 10004);
      return { status: 200, body: guild.commands };
    });

    this.route("GET", "/guilds/:g/members/:u", ({ params }) => {
      const guild = w.guilds.get(params[0]!) ?? notFound("Unknown Guild", 10004);
      const member = guild.members.get(params[1]!) ?? notFound("Unknown Member", 10007);
      return { status: 200, body: w.apiMember(guild, member) };
    });

    this.route("PATCH", "/guilds/:g/members/:u", ({ params, body }) => {
      const guild = w.guilds.get(params[0]!) ?? notFound("Unknown Guild", 10004);
      const member = guild.members.get(params[1]!) ?? notFound("Unknown Member", 10007);
      const data = asRecord(body);
      if ("communication_disabled_until" in data) {
        if (guild.ownerId === member.userId) throw new ApiError(403, "Missing Permissions", 50013);
        member.communicationDisabledUntil = (data.communication_disabled_until as string | null) ?? null;
      }
      if ("nick" in data) member.nick = (data.nick as string | null) ?? null;
      const payload = { guild_id: guild.id, ...w.apiMember(guild, member) };
      this.hooks.dispatch(guild.id, "GUILD_MEMBER_UPDATE", payload, GUILD_MEMBERS);
      return { status: 200, body: w.apiMember(guild, member) };
    });

    this.route("PUT", "/guilds/:g/bans/:u", ({ params, body }) => {
      const guild = w.guilds.get(params[0]!) ?? notFound("Unknown Guild", 10004);
      const user = w.users.get(params[1]!) ?? notFound("Unknown User", 10013);
      if (guild.ownerId === user.id) throw new ApiError(403, "Missing Permissions", 50013);
      const data = asRecord(body);
      guild.bans.set(user.id, { reason: null, deleteMessageSeconds: Number(data.delete_message_seconds ?? 0) });
      if (guild.members.delete(user.id)) {
        this.hooks.dispatch(guild.id, "GUILD_MEMBER_REMOVE", { guild_id: guild.id, user: w.apiUser(user) }, GUILD_MEMBERS);
      }
      this.hooks.dispatch(guild.id, "GUILD_BAN_ADD", { guild_id: guild.id, user: w.apiUser(user) }, GUILD_MODERATION);
      return { status: 204 };
    });

    this.route("POST", "/interactions/:i/:t/callback", ({ params, query, body }) => {
      const interaction = this.interactions.get(params[0]!);
      if (!interaction || interaction.token !== params[1]) throw new ApiError(404, "Unknown interaction", 10062);
      if (interaction.callbacks.length) throw new ApiError(400, "Interaction has already been acknowledged.", 40060);
      const data = asRecord(body);
      const type = Number(data.type);
      const payload = data.data === undefined ? null : asRecord(data.data);
      interaction.callbacks.push({ type, data: payload });
      let resource: Record<string, unknown> | null = null;
      if (type === 4) {
        interaction.response = payload;
        resource = { type, message: { id: w.ids.next(), ...payload } };
      } else if (type === 7 && interaction.messageId) {
        const message = w.findMessage(interaction.channelId, interaction.messageId) ?? notFound("Unknown Message", 10008);
        this.applyEdit(message, payload ?? {});
        resource = { type, message: withoutGatewayFields(message) };
      } else if (type !== 5 && type !== 6) {
        throw new ApiError(400, `Invalid Form Body: interaction callback type ${type} is not faked`, 50035);
      }
      if (query.get("with_response") !== "true") return { status: 204 };
      return {
        status: 200,
        body: {
          interaction: {
            id: interaction.id,
            type: interaction.type,
            activity_instance_id: null,
            response_message_id: (resource?.message as { id?: string } | undefined)?.id ?? null,
            response_message_loading: type === 5,
            response_message_ephemeral: Boolean(Number(payload?.flags ?? 0) & 64),
          },
          ...(resource ? { resource } : {}),
        },
      };
    });

    const original = ({ params, body }: RouteContext, edit: boolean): RouteResult => {
      const interaction = [...this.interactions.values()].find((i) => i.token === params[1]);
      if (!interaction || params[0] !== w.applicationId) throw new ApiError(404, "Unknown Webhook", 10015);
      if (!interaction.callbacks.length) throw new ApiError(404, "Unknown Message", 10008);
      if (edit) {
        const last = interaction.callbacks.at(-1)!;
        if ((last.type === 7 || last.type === 6) && interaction.messageId) {
          const message = w.findMessage(interaction.channelId, interaction.messageId) ?? notFound("Unknown Message", 10008);
          this.applyEdit(message, asRecord(body));
          return { status: 200, body: withoutGatewayFields(message) };
        }
        // A deferred reply keeps the flags (ephemeral) it was deferred with.
        const deferredFlags = interaction.callbacks[0]?.type === 5 ? interaction.callbacks[0].data?.flags : undefined;
        interaction.response = { ...(deferredFlags !== undefined ? { flags: deferredFlags } : {}), ...(interaction.response ?? {}), ...asRecord(body) };
      }
      return { status: 200, body: this.responseMessage(interaction) };
    };
    this.route("PATCH", "/webhooks/:a/:t/messages/@original", (ctx) => original(ctx, true));
    this.route("GET", "/webhooks/:a/:t/messages/@original", (ctx) => original(ctx, false));
    this.route("POST", "/webhooks/:a/:t", ({ params, body }) => {
      const interaction = [...this.interactions.values()].find((i) => i.token === params[1]);
      if (!interaction || params[0] !== w.applicationId) throw new ApiError(404, "Unknown Webhook", 10015);
      const data = asRecord(body);
      interaction.followUps.push(data);
      return { status: 200, body: { ...this.responseMessage(interaction), ...data, id: w.ids.next() } };
    });
  }

  private responseMessage(interaction: InteractionRecord): Record<string, unknown> {
    return {
      id: interaction.id,
      channel_id: interaction.channelId,
      author: this.world.apiUser(this.world.botUser),
      content: "",
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      type: 20,
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      ...(interaction.response ?? {}),
    };
  }

  private applyEdit(message: ApiMessage, data: Record<string, unknown>): void {
    if ("content" in data) message.content = String(data.content ?? "");
    for (const key of ["embeds", "components"] as const) if (key in data) message[key] = data[key] ?? [];
    if ("flags" in data) message.flags = data.flags ?? 0;
    message.edited_timestamp = new Date().toISOString();
    const channel = this.world.channel(message.channel_id);
    this.hooks.dispatch(channel.guildId, "MESSAGE_UPDATE", { ...message }, GUILD_MESSAGES);
  }
}

/** REST message objects carry no member/guild_id; the gateway's do. */
function withoutGatewayFields(message: ApiMessage): Record<string, unknown> {
  const { member: _member, guild_id: _guild, ...rest } = message;
  return rest;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function notFound(what: string, code: number): never {
  throw new ApiError(404, what, code);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

interface PendingCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  req: IncomingMessage;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

