// The fake Discord's state: guilds, channels, roles, members and messages, with builders
// for the API objects Discord sends (shapes after discord-api-types v10).
import { compareSnowflakes, Snowflakes } from "./snowflake.ts";

export const ChannelTypes = { GuildText: 0, PublicThread: 11 } as const;
export const MessageTypes = { Default: 0, Reply: 19 } as const;

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  /** Permission bits as a bigint; serialised as a decimal string like Discord does. */
  permissions: bigint;
  position: number;
}

export interface FakeChannel {
  id: string;
  guildId: string;
  name: string;
  type: number;
  parentId: string | null;
  position: number;
}

export interface FakeMember {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
  communicationDisabledUntil: string | null;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, FakeRole>;
  channels: Map<string, FakeChannel>;
  members: Map<string, FakeMember>;
  bans: Map<string, { reason: string | null; deleteMessageSeconds: number }>;
  commands: Record<string, unknown>[];
}

export type ApiMessage = Record<string, unknown> & { id: string; channel_id: string; content: string };

export class World {
  readonly ids = new Snowflakes();
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  /** Messages per channel, oldest first. */
  readonly messages = new Map<string, ApiMessage[]>();
  readonly applicationId: string;
  readonly botUser: FakeUser;

  constructor(botName = "Haven") {
    this.applicationId = this.ids.next();
    this.botUser = { id: this.applicationId, username: botName, global_name: null, bot: true };
    this.users.set(this.botUser.id, this.botUser);
  }

  // --- building the world -------------------------------------------------------------

  addUser(opts: { username: string; globalName?: string; bot?: boolean; id?: string }): FakeUser {
    const user: FakeUser = { id: opts.id ?? this.ids.next(), username: opts.username, global_name: opts.globalName ?? null };
    if (opts.bot) user.bot = true;
    this.users.set(user.id, user);
    return user;
  }

  addGuild(opts: { name: string; ownerId?: string; id?: string }): FakeGuild {
    const id = opts.id ?? this.ids.next();
    const owner = opts.ownerId ?? this.addUser({ username: `${opts.name}-owner` }).id;
    const guild: FakeGuild = {
      id,
      name: opts.name,
      ownerId: owner,
      roles: new Map(),
      channels: new Map(),
      members: new Map(),
      bans: new Map(),
      commands: [],
    };
    // @everyone shares the guild's id; it grants nothing special here.
    guild.roles.set(id, { id, name: "@everyone", permissions: 0n, position: 0 });
    this.guilds.set(id, guild);
    this.joinMember(guild, owner, []);
    this.joinMember(guild, this.botUser.id, []);
    return guild;
  }

  addRole(guildId: string, opts: { name: string; permissions: bigint }): FakeRole {
    const guild = this.guild(guildId);
    const role: FakeRole = { id: this.ids.next(), name: opts.name, permissions: opts.permissions, position: guild.roles.size };
    guild.roles.set(role.id, role);
    return role;
  }

  addChannel(guildId: string, opts: { name: string; type?: number; parentId?: string }): FakeChannel {
    const guild = this.guild(guildId);
    const channel: FakeChannel = {
      id: this.ids.next(),
      guildId,
      name: opts.name,
      type: opts.type ?? ChannelTypes.GuildText,
      parentId: opts.parentId ?? null,
      position: guild.channels.size,
    };
    guild.channels.set(channel.id, channel);
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
    return channel;
  }

  joinMember(guild: FakeGuild, userId: string, roles: string[]): FakeMember {
    const member: FakeMember = { userId, roles, nick: null, joinedAt: new Date().toISOString(), communicationDisabledUntil: null };
    guild.members.set(userId, member);
    return member;
  }

  guild(id: string): FakeGuild {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`fake discord: no guild ${id}`);
    return guild;
  }

  channel(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`fake discord: no channel ${id}`);
    return channel;
  }

  user(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake discord: no user ${id}`);
    return user;
  }

  /** Guild permissions of a member: owner has all; otherwise the union of its roles and @everyone. */
  permissionsOf(guild: FakeGuild, userId: string): bigint {
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    const member = guild.members.get(userId);
    let bits = guild.roles.get(guild.id)?.permissions ?? 0n;
    for (const roleId of member?.roles ?? []) bits |= guild.roles.get(roleId)?.permissions ?? 0n;
    if (bits & ADMINISTRATOR) return ALL_PERMISSIONS;
    return bits;
  }

  // --- messages -----------------------------------------------------------------------

  storeMessage(message: ApiMessage): void {
    const list = this.messages.get(message.channel_id);
    if (!list) throw new Error(`fake discord: no channel ${message.channel_id}`);
    list.push(message);
    list.sort((a, b) => compareSnowflakes(a.id, b.id));
  }

  findMessage(channelId: string, messageId: string): ApiMessage | undefined {
    return this.messages.get(channelId)?.find((m) => m.id === messageId);
  }

  removeMessage(channelId: string, messageId: string): boolean {
    const list = this.messages.get(channelId);
    const index = list?.findIndex((m) => m.id === messageId) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  // --- API object builders ------------------------------------------------------------

  apiUser(user: FakeUser): Record<string, unknown> {
    return {
      id: user.id,
      username: user.username,
      discriminator: "0",
      global_name: user.global_name,
      avatar: null,
      ...(user.bot ? { bot: true } : {}),
      public_flags: 0,
    };
  }

  apiRole(role: FakeRole): Record<string, unknown> {
    return {
      id: role.id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: false,
      mentionable: false,
      flags: 0,
    };
  }

  apiChannel(channel: FakeChannel): Record<string, unknown> {
    const base: Record<string, unknown> = {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: channel.parentId,
      last_message_id: this.messages.get(channel.id)?.at(-1)?.id ?? null,
      rate_limit_per_user: 0,
      flags: 0,
    };
    if (channel.type === ChannelTypes.PublicThread) {
      base.owner_id = this.botUser.id;
      base.message_count = 0;
      base.member_count = 1;
      base.thread_metadata = {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      };
    } else {
      base.topic = null;
    }
    return base;
  }

  /** A member object; `withUser` false gives the partial member Discord puts in MESSAGE_CREATE. */
  apiMember(guild: FakeGuild, member: FakeMember, withUser = true): Record<string, unknown> {
    return {
      ...(withUser ? { user: this.apiUser(this.user(member.userId)) } : {}),
      nick: member.nick,
      avatar: null,
      roles: member.roles,
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: member.communicationDisabledUntil,
    };
  }

  /**
   * Large guilds (or bots without the presence intent) get only a few members in GUILD_CREATE,
   * so a client cannot rely on its member cache. "bot" sends only the bot's own member.
   */
  guildCreateMembers: "all" | "bot" = "all";

  apiGuild(guild: FakeGuild): Record<string, unknown> {
    const channels = [...guild.channels.values()];
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()].map((r) => this.apiRole(r)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: "en-US",
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      // GUILD_CREATE extras
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      members: [...guild.members.values()].filter((m) => this.guildCreateMembers === "all" || m.userId === this.botUser.id).map((m) => this.apiMember(guild, m)),
      channels: channels.filter((c) => c.type !== ChannelTypes.PublicThread).map((c) => this.apiChannel(c)),
      threads: channels.filter((c) => c.type === ChannelTypes.PublicThread).map((c) => this.apiChannel(c)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Discord's message object, as sent on the gateway (guild_id and partial member included). */
  buildMessage(opts: {
    channelId: string;
    authorId: string;
    content: string;
    replyTo?: string | null;
    mentions?: string[];
    attachments?: number;
    embeds?: unknown[];
    components?: unknown[];
    webhookId?: string;
    at?: number;
  }): ApiMessage {
    const channel = this.channel(opts.channelId);
    const guild = this.guild(channel.guildId);
    const author = this.user(opts.authorId);
    const id = this.ids.next(opts.at);
    const member = guild.members.get(author.id);
    const replied = opts.replyTo ? this.findMessage(channel.id, opts.replyTo) : undefined;
    const message: ApiMessage = {
      id,
      channel_id: channel.id,
      guild_id: guild.id,
      author: this.apiUser(author),
      ...(member && !opts.webhookId ? { member: this.apiMember(guild, member, false) } : {}),
      content: opts.content,
      timestamp: new Date(opts.at ?? Date.now()).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: (opts.mentions ?? []).map((uid) => this.apiUser(this.user(uid))),
      mention_roles: [],
      attachments: Array.from({ length: opts.attachments ?? 0 }, (_, i) => ({
        id: this.ids.next(),
        filename: `image${i}.png`,
        size: 1024,
        url: `https://cdn.discordapp.com/attachments/${channel.id}/${id}/image${i}.png`,
        proxy_url: `https://media.discordapp.net/attachments/${channel.id}/${id}/image${i}.png`,
        content_type: "image/png",
      })),
      embeds: opts.embeds ?? [],
      components: opts.components ?? [],
      pinned: false,
      type: opts.replyTo ? MessageTypes.Reply : MessageTypes.Default,
      flags: 0,
      ...(opts.webhookId ? { webhook_id: opts.webhookId } : {}),
      ...(opts.replyTo
        ? {
            message_reference: { type: 0, message_id: opts.replyTo, channel_id: channel.id, guild_id: guild.id },
            referenced_message: replied ?? null,
          }
        : {}),
    };
    return message;
  }
}

// Permission bits Haven cares about (Discord's values).
export const Permissions = {
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ManageMessages: 1n << 13n,
  ReadMessageHistory: 1n << 16n,
  ModerateMembers: 1n << 40n,
} as const;
const ADMINISTRATOR = Permissions.Administrator;
const ALL_PERMISSIONS = (1n << 50n) - 1n;
