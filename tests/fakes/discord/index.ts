// A local, protocol-faithful Discord for tests: REST (/api/v10) and gateway on one
// 127.0.0.1 port, so the real discord.js client runs against it unmodified:
//   new Client({ intents, rest: { api: fake.apiBase } })
// Helpers act as users (type, edit, delete, press a button, run a slash command) and
// as the network (drop the connection, fail the next requests).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGateway, Intents } from "./gateway.ts";
import { FakeRest, type FailureRule, type InteractionRecord, type RecordedCall } from "./rest.ts";
import { ChannelTypes, Permissions, World, type ApiMessage, type FakeChannel, type FakeGuild, type FakeRole, type FakeUser } from "./world.ts";

export { ChannelTypes, Intents, Permissions };
export type { ApiMessage, FailureRule, FakeChannel, FakeGuild, FakeRole, FakeUser, InteractionRecord, RecordedCall };

export interface FakeDiscordOptions {
  token?: string;
  /** Shard count recommended by GET /gateway/bot. */
  shards?: number;
  /** session_start_limit.max_concurrency; as many as shards lets them identify at once. */
  maxConcurrency?: number;
  heartbeatInterval?: number;
  /** Privileged intents enabled for the application (Intents.GuildMembers | Intents.MessageContent by default). */
  privilegedIntents?: number;
  /** Members sent in GUILD_CREATE: all (a small guild) or only the bot's own (a large one). */
  guildCreateMembers?: "all" | "bot";
}

const OptionTypes = { SubCommand: 1, SubCommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Role: 8, Number: 10 } as const;

export class FakeDiscord {
  readonly world = new World();
  readonly token: string;
  readonly gateway: FakeGateway;
  readonly rest: FakeRest;
  private readonly server: Server;
  private port = 0;

  private constructor(opts: FakeDiscordOptions) {
    this.token = opts.token ?? "fake-bot-token";
    this.world.guildCreateMembers = opts.guildCreateMembers ?? "all";
    this.gateway = new FakeGateway(this.world, {
      token: this.token,
      heartbeatInterval: opts.heartbeatInterval ?? 41_250,
      baseUrl: () => this.baseUrl,
      privilegedIntents: opts.privilegedIntents ?? Intents.GuildMembers | Intents.MessageContent,
    });
    this.rest = new FakeRest(this.world, this.token, {
      dispatch: (g, t, d, intent) => this.gateway.dispatchGuildEvent(g, t, d, intent),
      gatewayUrl: () => this.gateway.url,
      shards: opts.shards ?? 1,
      maxConcurrency: opts.maxConcurrency ?? 1,
    });
    this.server = createServer((req, res) => {
      this.rest.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ message: `fake discord: ${String(error)}`, code: 0 }));
      });
    });
    this.server.on("upgrade", (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What discord.js takes as `rest.api`. */
  get apiBase(): string {
    return `${this.baseUrl}/api`;
  }

  get botUser(): FakeUser {
    return this.world.botUser;
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- the world ----------------------------------------------------------------------

  /** Adds a guild; when clients are connected it arrives as a GUILD_CREATE (the bot joined). */
  addGuild(name: string, opts: { shard?: [id: number, count: number] } = {}): FakeGuild {
    let id: string | undefined;
    if (opts.shard) {
      // A guild belongs to shard (id >> 22) % count; step the snowflake's millisecond until it lands there.
      const [shardId, count] = opts.shard;
      for (let ms = Date.now(); id === undefined || Number((BigInt(id) >> 22n) % BigInt(count)) !== shardId; ms += 1) id = this.world.ids.next(ms);
    }
    const guild = this.world.addGuild({ name, ...(id ? { id } : {}) });
    this.gateway.dispatchGuildEvent(guild.id, "GUILD_CREATE", this.world.apiGuild(guild), Intents.Guilds);
    return guild;
  }

  addRole(guild: FakeGuild, name: string, permissions: bigint): FakeRole {
    const role = this.world.addRole(guild.id, { name, permissions });
    this.gateway.dispatchGuildEvent(guild.id, "GUILD_ROLE_CREATE", { guild_id: guild.id, role: this.world.apiRole(role) }, Intents.Guilds);
    return role;
  }

  addChannel(guild: FakeGuild, name: string, opts: { thread?: boolean; parent?: FakeChannel } = {}): FakeChannel {
    const channel = this.world.addChannel(guild.id, {
      name,
      type: opts.thread ? ChannelTypes.PublicThread : ChannelTypes.GuildText,
      ...(opts.parent ? { parentId: opts.parent.id } : {}),
    });
    const t = opts.thread ? "THREAD_CREATE" : "CHANNEL_CREATE";
    this.gateway.dispatchGuildEvent(guild.id, t, this.world.apiChannel(channel), Intents.Guilds);
    return channel;
  }

  addMember(guild: FakeGuild, username: string, roles: FakeRole[] = [], opts: { bot?: boolean } = {}): FakeUser {
    const user = this.world.addUser({ username, ...(opts.bot ? { bot: true } : {}) });
    const member = this.world.joinMember(guild, user.id, roles.map((r) => r.id));
    this.gateway.dispatchGuildEvent(guild.id, "GUILD_MEMBER_ADD", { guild_id: guild.id, ...this.world.apiMember(guild, member) }, Intents.GuildMembers);
    return user;
  }

  // --- users acting -------------------------------------------------------------------

  /** A user posts a message: stored (REST history) and dispatched as MESSAGE_CREATE. */
  userTypes(
    channel: FakeChannel,
    author: FakeUser,
    text: string,
    opts: { replyTo?: string; mentions?: FakeUser[]; attachments?: number; webhookId?: string; at?: number } = {},
  ): ApiMessage {
    const message = this.world.buildMessage({
      channelId: channel.id,
      authorId: author.id,
      content: text,
      ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
      ...(opts.mentions ? { mentions: opts.mentions.map((u) => u.id) } : {}),
      ...(opts.attachments ? { attachments: opts.attachments } : {}),
      ...(opts.webhookId ? { webhookId: opts.webhookId } : {}),
      ...(opts.at ? { at: opts.at } : {}),
    });
    this.world.storeMessage(message);
    this.gateway.dispatchGuildEvent(channel.guildId, "MESSAGE_CREATE", message, Intents.GuildMessages);
    return message;
  }

  userEdits(message: ApiMessage, text: string): void {
    message.content = text;
    message.edited_timestamp = new Date().toISOString();
    this.gateway.dispatchGuildEvent(String(message.guild_id), "MESSAGE_UPDATE", { ...message }, Intents.GuildMessages);
  }

  userDeletes(message: ApiMessage): void {
    this.world.removeMessage(message.channel_id, message.id);
    this.gateway.dispatchGuildEvent(String(message.guild_id), "MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, guild_id: message.guild_id }, Intents.GuildMessages);
  }

  /** A member presses a button on a message; returns the interaction record to await its answer. */
  pressButton(message: { id: string; channel_id: string }, customId: string, member: FakeUser): InteractionRecord {
    const stored = this.world.findMessage(message.channel_id, message.id);
    if (!stored) throw new Error(`fake discord: no message ${message.id} to press a button on`);
    const exists = JSON.stringify(stored.components ?? []).includes(JSON.stringify(customId));
    if (!exists) throw new Error(`fake discord: message ${message.id} has no button ${customId}`);
    return this.interact(stored.channel_id, member, 3, { custom_id: customId, component_type: 2 }, stored);
  }

  /**
   * A member runs a registered slash command, e.g. runSlashCommand(channel, admin, "haven", "threshold", { value: 0.4 }).
   * Option types come from the command the bot registered for the guild, as Discord does.
   */
  runSlashCommand(channel: FakeChannel, member: FakeUser, name: string, subcommand: string | null, options: Record<string, string | number | boolean> = {}): InteractionRecord {
    const guild = this.world.guild(channel.guildId);
    const command = guild.commands.find((c) => c.name === name);
    if (!command) throw new Error(`fake discord: /${name} is not registered in guild ${guild.name}`);
    // Discord itself refuses a command to members lacking its default_member_permissions.
    const required = command.default_member_permissions ? BigInt(String(command.default_member_permissions)) : 0n;
    if ((this.world.permissionsOf(guild, member.id) & required) !== required) {
      throw new Error(`fake discord: ${member.username} lacks the permissions /${name} requires; Discord would not offer it`);
    }
    let defs = (command.options as OptionDef[] | undefined) ?? [];
    let sub: OptionDef | undefined;
    if (subcommand) {
      sub = defs.find((o) => o.name === subcommand && o.type === OptionTypes.SubCommand);
      if (!sub) throw new Error(`fake discord: /${name} has no subcommand ${subcommand}`);
      defs = sub.options ?? [];
    }
    const resolved: Record<string, Record<string, unknown>> = {};
    const values = Object.entries(options).map(([key, value]) => {
      const def = defs.find((o) => o.name === key);
      if (!def) throw new Error(`fake discord: /${name} ${subcommand ?? ""} has no option ${key}`);
      if (def.type === OptionTypes.Channel) {
        const c = this.world.channel(String(value));
        (resolved.channels ??= {})[c.id] = { id: c.id, name: c.name, type: c.type, permissions: "0", parent_id: c.parentId };
      } else if (def.type === OptionTypes.Role) {
        const role = guild.roles.get(String(value));
        if (!role) throw new Error(`fake discord: no role ${String(value)}`);
        (resolved.roles ??= {})[role.id] = this.world.apiRole(role);
      } else if (def.type === OptionTypes.User) {
        (resolved.users ??= {})[String(value)] = this.world.apiUser(this.world.user(String(value)));
      }
      return { name: key, type: def.type, value };
    });
    for (const def of defs) {
      if (def.required && !(def.name in options)) throw new Error(`fake discord: option ${def.name} is required`);
    }
    const data: Record<string, unknown> = {
      id: command.id,
      name,
      type: 1,
      guild_id: guild.id,
      options: sub ? [{ name: subcommand, type: OptionTypes.SubCommand, options: values }] : values,
      ...(Object.keys(resolved).length ? { resolved } : {}),
    };
    return this.interact(channel.id, member, 2, data, null);
  }

  private interact(channelId: string, user: FakeUser, type: number, data: Record<string, unknown>, message: ApiMessage | null): InteractionRecord {
    const channel = this.world.channel(channelId);
    const guild = this.world.guild(channel.guildId);
    const member = guild.members.get(user.id);
    if (!member) throw new Error(`fake discord: ${user.username} is not a member of ${guild.name}`);
    const id = this.world.ids.next();
    const token = `itoken-${id}`;
    const record: InteractionRecord = {
      id,
      token,
      type,
      guildId: guild.id,
      channelId,
      userId: user.id,
      messageId: message?.id ?? null,
      callbacks: [],
      response: null,
      followUps: [],
    };
    this.rest.interactions.set(id, record);
    const plainMessage: Record<string, unknown> = { ...(message ?? {}) };
    delete plainMessage.member;
    delete plainMessage.guild_id;
    this.gateway.dispatchGuildEvent(
      guild.id,
      "INTERACTION_CREATE",
      {
        id,
        application_id: this.world.applicationId,
        type,
        data,
        guild_id: guild.id,
        guild: { id: guild.id, locale: "en-US", features: [] },
        channel_id: channelId,
        channel: this.world.apiChannel(channel),
        member: { ...this.world.apiMember(guild, member), permissions: this.world.permissionsOf(guild, user.id).toString() },
        token,
        version: 1,
        ...(message ? { message: plainMessage } : {}),
        app_permissions: this.world.permissionsOf(guild, this.world.botUser.id).toString(),
        locale: "en-US",
        guild_locale: "en-US",
        entitlements: [],
        authorizing_integration_owners: { "0": guild.id },
        context: 0,
        attachment_size_limit: 10_485_760,
      },
      // Interactions reach a bot whatever its intents.
      0xffffffff,
    );
    return record;
  }

  // --- the network --------------------------------------------------------------------

  /** Cuts every gateway connection; with resumable false the sessions are gone and clients must re-identify. */
  dropConnection(opts: { resumable?: boolean } = {}): void {
    this.gateway.dropConnections({ resumable: opts.resumable ?? true });
  }

  /** The next `count` requests matching method/path fail with `status`. */
  failNext(rule: FailureRule): void {
    this.rest.failures.push({ ...rule });
  }

  /** Recorded REST calls, optionally filtered. */
  calls(filter: { method?: string; path?: string | RegExp; status?: number } = {}): RecordedCall[] {
    return this.rest.calls.filter(
      (c) =>
        (!filter.method || c.method === filter.method) &&
        (!filter.path || (typeof filter.path === "string" ? c.path.includes(filter.path) : filter.path.test(c.path))) &&
        (filter.status === undefined || c.status === filter.status),
    );
  }

  /** Messages currently in a channel, oldest first. */
  messagesIn(channel: FakeChannel): ApiMessage[] {
    return [...(this.world.messages.get(channel.id) ?? [])];
  }

  /** Gateway opcodes received (2 identify, 6 resume, 1 heartbeat). */
  opsReceived(op: number): number {
    return this.gateway.received.filter((r) => r.op === op).length;
  }
}

interface OptionDef {
  name: string;
  type: number;
  required?: boolean;
  options?: OptionDef[];
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
