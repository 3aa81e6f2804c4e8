// A fake Telegram Bot API on 127.0.0.1 that the real grammY client talks to unmodified
// (`client: { apiRoot }`). It keeps users, chats, members with admin rights, messages
// (ids per chat), an update queue with getUpdates offset/long-poll semantics or webhook
// delivery, and answers errors in Telegram's shape. Tests drive it as users would:
// userSends, userEdits, pressButton; and break it on purpose with injectError.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type {
  Chat,
  ChatMember,
  ChatPermissions,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  MessageOrigin,
  Update,
  User,
} from "grammy/types";
import { readParams, type Params } from "./body.ts";
import { htmlToText, ParseError } from "./parseMode.ts";

export interface ApiCall {
  method: string;
  params: Params;
  ok: boolean;
  error_code?: number;
  description?: string;
}

export interface AdminRights {
  can_manage_chat: boolean;
  can_delete_messages: boolean;
  can_restrict_members: boolean;
  can_promote_members: boolean;
  can_change_info: boolean;
  can_invite_users: boolean;
  can_pin_messages: boolean;
}

const ALL_RIGHTS: AdminRights = {
  can_manage_chat: true,
  can_delete_messages: true,
  can_restrict_members: true,
  can_promote_members: true,
  can_change_info: true,
  can_invite_users: true,
  can_pin_messages: true,
};

type MemberState =
  | { status: "creator" }
  | { status: "administrator"; rights: AdminRights }
  | { status: "member" }
  | { status: "restricted"; until_date: number; permissions: ChatPermissions }
  | { status: "left" }
  | { status: "kicked"; until_date: number };

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, Message>;
  members: Map<number, MemberState>;
  /** Set when a basic group was upgraded: calls on the old id fail with migrate_to_chat_id. */
  migratedTo?: number;
}

export interface InjectedError {
  code: number;
  description?: string;
  retry_after?: number;
  /** How many calls fail (default 1). */
  times?: number;
}

export interface SendOptions {
  replyTo?: Message;
  /** Users named in the text by first name get a text_mention entity (users without @username). */
  textMentions?: User[];
  /** Extra raw entities. @username and /command entities are computed from the text like Telegram does. */
  entities?: MessageEntity[];
  /** The text becomes the caption of this attachment. */
  attachment?: "photo" | "video" | "document" | "sticker" | "animation" | "voice";
  forwardFrom?: User | Chat | string;
  /** Message date in seconds (default: the fake's clock). */
  date?: number;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
    readonly migrateTo?: number,
  ) {
    super(description);
  }
}

const bad = (what: string) => new ApiError(400, `Bad Request: ${what}`);

interface Waiter {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  offset: number;
  limit: number;
}

export interface FakeBotApiOptions {
  token?: string;
  botUsername?: string;
  /** BotFather privacy mode: a non-admin bot only sees commands and replies to itself in groups. Default true, like Telegram. */
  privacyMode?: boolean;
  now?: () => number;
}

export class FakeBotApi {
  readonly token: string;
  readonly botUser: User;
  readonly calls: ApiCall[] = [];
  privacyMode: boolean;
  private readonly now: () => number;
  private server!: Server;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly users = new Map<number, User>();
  private readonly chats = new Map<number, ChatState>();
  private readonly started = new Set<number>();
  private nextUserId = 100_000_001;
  private nextGroup = 1;
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private allowedUpdates: string[] | null = null;
  private waiter: Waiter | null = null;
  private readonly errors = new Map<string, InjectedError[]>();
  private readonly queries = new Map<string, { answered: boolean; text?: string; show_alert?: boolean; from: User; data: string }>();
  private nextQuery = 1;
  private webhook: { url: string; secret?: string } | null = null;
  private webhookBusy = false;
  private commands = new Map<string, unknown[]>();
  private stopped = false;

  private constructor(opts: FakeBotApiOptions) {
    const botId = 7_000_000_001;
    this.token = opts.token ?? `${botId}:AAFakeTokenForTestsOnly_abcdefghijklmnop`;
    const username = opts.botUsername ?? "haven_test_bot";
    this.privacyMode = opts.privacyMode ?? true;
    this.now = opts.now ?? Date.now;
    this.botUser = { id: Number(this.token.split(":")[0]), is_bot: true, first_name: "Haven", username };
    this.users.set(this.botUser.id, this.botUser);
  }

  static async start(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const api = new FakeBotApi(opts);
    api.server = createServer((req, res) => void api.handle(req, res));
    api.server.on("connection", (s) => {
      api.sockets.add(s);
      s.on("close", () => api.sockets.delete(s));
    });
    await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
    api.port = (api.server.address() as AddressInfo).port;
    return api;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.waiter) this.finishWaiter([]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  // ---- world building -------------------------------------------------------

  createUser(firstName: string, opts: { username?: string; lastName?: string } = {}): User {
    const user: User = { id: this.nextUserId++, is_bot: false, first_name: firstName };
    if (opts.username) user.username = opts.username;
    if (opts.lastName) user.last_name = opts.lastName;
    this.users.set(user.id, user);
    return user;
  }

  /** A supergroup (id -100…) by default; `type: "group"` for a basic group. */
  createGroup(title: string, opts: { type?: "group" | "supergroup"; username?: string; creator?: User } = {}): Chat {
    const n = this.nextGroup++;
    const chat: Chat =
      opts.type === "group"
        ? { id: -(400_000_000 + n), type: "group", title }
        : { id: -(1_000_000_000_000 + 1_700_000_000 + n), type: "supergroup", title, ...(opts.username ? { username: opts.username } : {}) };
    this.chats.set(chat.id, { chat, nextMessageId: 1, messages: new Map(), members: new Map() });
    if (opts.creator) this.setMember(chat, opts.creator, "creator");
    return chat;
  }

  /** Upgrades a basic group to a supergroup, as Telegram does when admins change some settings: new id, same members. */
  upgradeToSupergroup(chat: Chat): Chat {
    const old = this.chatState(chat.id);
    if (old.chat.type !== "group") throw new Error(`upgradeToSupergroup: chat ${chat.id} is not a basic group`);
    const title = old.chat.title;
    const next = this.createGroup(title);
    const state = this.chatState(next.id);
    for (const [id, m] of old.members) state.members.set(id, m);
    old.migratedTo = next.id;
    // The service messages Telegram sends in both chats, from the admin who caused the upgrade.
    const by = [...old.members].find(([, m]) => m.status === "creator")?.[0];
    const from = (by !== undefined ? this.users.get(by) : undefined) ?? this.botUser;
    const inOld = { ...this.newMessage(old, from), migrate_to_chat_id: next.id } as Message;
    const inNew = { ...this.newMessage(state, from), migrate_from_chat_id: chat.id } as Message;
    old.messages.set(inOld.message_id, inOld);
    state.messages.set(inNew.message_id, inNew);
    this.pushUpdate({ update_id: this.nextUpdateId++, message: inOld } as Update);
    this.pushUpdate({ update_id: this.nextUpdateId++, message: inNew } as Update);
    return next;
  }

  /** The private chat between a user and the bot; the user has pressed Start. */
  privateChat(user: User): Chat {
    const existing = this.chats.get(user.id);
    if (existing) return existing.chat;
    const chat: Chat = { id: user.id, type: "private", first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
    this.chats.set(chat.id, { chat, nextMessageId: 1, messages: new Map(), members: new Map([[user.id, { status: "member" }], [this.botUser.id, { status: "member" }]]) });
    this.started.add(user.id);
    return chat;
  }

  setMember(chat: Chat, user: User, status: "creator" | "administrator" | "member" | "left", rights: Partial<AdminRights> = {}): void {
    const state = this.chatState(chat.id);
    if (status === "administrator") state.members.set(user.id, { status, rights: { ...ALL_RIGHTS, can_promote_members: false, ...rights } });
    else state.members.set(user.id, { status });
  }

  /** Adds the bot to a group, as an administrator when rights are given. */
  addBot(chat: Chat, rights?: Partial<AdminRights>): void {
    this.setMember(chat, this.botUser, rights ? "administrator" : "member", rights ?? {});
  }

  /** Pushes an arbitrary (possibly malformed) update, for robustness tests. */
  pushRawUpdate(update: Record<string, unknown>): void {
    this.pushUpdate({ ...update, update_id: this.nextUpdateId++ } as unknown as Update);
  }

  // ---- users acting ---------------------------------------------------------

  userSends(chat: Chat, user: User, text: string, opts: SendOptions = {}): Message {
    const state = this.chatState(chat.id);
    const member = state.members.get(user.id);
    if (!member) state.members.set(user.id, { status: "member" });
    const msg = this.newMessage(state, user, opts.date);
    const entities = [...computeEntities(text), ...textMentionEntities(text, opts.textMentions ?? []), ...(opts.entities ?? [])];
    if (opts.attachment) {
      Object.assign(msg, attachmentOf(opts.attachment));
      if (text) {
        msg.caption = text;
        if (entities.length) msg.caption_entities = entities;
      }
    } else {
      msg.text = text;
      if (entities.length) msg.entities = entities;
    }
    if (opts.replyTo) msg.reply_to_message = stripReply(this.chatState(opts.replyTo.chat.id).messages.get(opts.replyTo.message_id) ?? opts.replyTo);
    if (opts.forwardFrom !== undefined) msg.forward_origin = this.originOf(opts.forwardFrom, msg.date);
    state.messages.set(msg.message_id, msg);
    if (this.botSees(state, msg)) this.pushUpdate({ update_id: this.nextUpdateId++, message: msg } as Update);
    return msg;
  }

  userEdits(message: Message, text: string, opts: { date?: number } = {}): Message {
    const state = this.chatState(message.chat.id);
    const current = state.messages.get(message.message_id);
    if (!current) throw new Error(`userEdits: message ${message.message_id} is not in chat ${message.chat.id}`);
    const entities = computeEntities(text);
    const edited: Message = { ...current, edit_date: opts.date ?? this.seconds() };
    if (current.caption !== undefined || current.photo || current.video || current.document) {
      edited.caption = text;
      if (entities.length) edited.caption_entities = entities;
      else delete edited.caption_entities;
    } else {
      edited.text = text;
      if (entities.length) edited.entities = entities;
      else delete edited.entities;
    }
    state.messages.set(edited.message_id, edited);
    if (this.botSees(state, edited)) this.pushUpdate({ update_id: this.nextUpdateId++, edited_message: edited } as Update);
    return edited;
  }

  /** A user presses an inline button; any callback data can be sent (modified clients can forge it). Returns the query id. */
  pressButton(message: Message, callbackData: string, user: User): string {
    const state = this.chatState(message.chat.id);
    const current = state.messages.get(message.message_id);
    if (!current) throw new Error(`pressButton: message ${message.message_id} is gone from chat ${message.chat.id}`);
    const id = `${this.botUser.id}${String(this.nextQuery++).padStart(6, "0")}`;
    this.queries.set(id, { answered: false, from: user, data: callbackData });
    this.pushUpdate({
      update_id: this.nextUpdateId++,
      callback_query: { id, from: user, message: current, chat_instance: `ci${message.chat.id}`, data: callbackData },
    });
    return id;
  }

  callbackAnswer(queryId: string): { answered: boolean; text?: string; show_alert?: boolean } | undefined {
    return this.queries.get(queryId);
  }

  injectError(method: string, err: InjectedError): void {
    const key = method.toLowerCase();
    this.errors.set(key, [...(this.errors.get(key) ?? []), err]);
  }

  // ---- inspection -----------------------------------------------------------

  messagesIn(chat: Chat): Message[] {
    return [...this.chatState(chat.id).messages.values()];
  }

  botMessagesIn(chat: Chat): Message[] {
    return this.messagesIn(chat).filter((m) => m.from?.id === this.botUser.id);
  }

  member(chat: Chat, user: User): ChatMember {
    return this.memberView(this.chatState(chat.id), user);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase());
  }

  /** Whether a getUpdates long poll is waiting (a client that stopped has closed it). */
  get pollOpen(): boolean {
    return this.waiter !== null;
  }

  get pendingUpdates(): number {
    return this.updates.length;
  }

  myCommands(scopeKey = "default"): unknown[] | undefined {
    return this.commands.get(scopeKey);
  }

  // ---- HTTP -----------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return this.reply(res, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = m as unknown as [string, string, string];
    if (token !== this.token) return this.reply(res, { ok: false, error_code: 401, description: "Unauthorized" });
    let params: Params;
    try {
      params = await readParams(req, url);
    } catch {
      return this.reply(res, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
    }
    const call: ApiCall = { method, params, ok: true };
    this.calls.push(call);
    try {
      this.takeInjectedError(method);
      if (method.toLowerCase() === "getupdates") return this.getUpdates(params, res);
      const result = this.dispatch(method.toLowerCase(), params);
      this.reply(res, { ok: true, result });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      call.ok = false;
      call.error_code = err.code;
      call.description = err.description;
      this.reply(res, {
        ok: false,
        error_code: err.code,
        description: err.description,
        ...(err.retryAfter !== undefined ? { parameters: { retry_after: err.retryAfter } } : {}),
        ...(err.migrateTo !== undefined ? { parameters: { migrate_to_chat_id: err.migrateTo } } : {}),
      });
    }
  }

  private reply(res: ServerResponse, body: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: unknown }): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(body.ok ? 200 : (body.error_code ?? 500), { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private takeInjectedError(method: string): void {
    const list = this.errors.get(method.toLowerCase());
    const next = list?.[0];
    if (!list || !next) return;
    const left = (next.times ?? 1) - 1;
    if (left <= 0) list.shift();
    else next.times = left;
    if (next.code === 429) {
      const after = next.retry_after ?? 1;
      throw new ApiError(429, next.description ?? `Too Many Requests: retry after ${after}`, after);
    }
    throw new ApiError(next.code, next.description ?? (next.code === 403 ? "Forbidden: bot was blocked" : "Internal Server Error"));
  }

  private dispatch(method: string, p: Params): unknown {
    switch (method) {
      case "getme":
        return { ...this.botUser, can_join_groups: true, can_read_all_group_messages: !this.privacyMode, supports_inline_queries: false };
      case "deletewebhook":
        this.webhook = null;
        if (p.drop_pending_updates === true || p.drop_pending_updates === "true") this.updates = [];
        return true;
      case "setwebhook": {
        const url = str(p.url);
        if (!url) {
          this.webhook = null;
          return true;
        }
        if (!/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) throw bad("bad webhook: this fake only delivers to loopback addresses");
        this.webhook = { url, ...(str(p.secret_token) ? { secret: str(p.secret_token) } : {}) };
        if (p.drop_pending_updates === true || p.drop_pending_updates === "true") this.updates = [];
        void this.deliverWebhook();
        return true;
      }
      case "getwebhookinfo":
        return { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.updates.length };
      case "getchat": {
        const state = this.requireChat(p.chat_id);
        return { ...state.chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
      }
      case "sendmessage":
        return this.sendMessage(p);
      case "editmessagetext":
        return this.editMessage(p, true);
      case "editmessagereplymarkup":
        return this.editMessage(p, false);
      case "answercallbackquery": {
        const q = this.queries.get(str(p.callback_query_id) ?? "");
        if (!q || q.answered) throw bad("query is too old and response timeout expired or query ID is invalid");
        q.answered = true;
        if (str(p.text)) q.text = str(p.text);
        if (p.show_alert === true || p.show_alert === "true") q.show_alert = true;
        return true;
      }
      case "getchatmember": {
        const state = this.requireChat(p.chat_id);
        const user = this.users.get(int(p.user_id, "user_id"));
        if (!user) throw bad("user not found");
        return this.memberView(state, user);
      }
      case "getchatadministrators": {
        const state = this.requireChat(p.chat_id);
        if (state.chat.type === "private") throw bad("there are no administrators in the private chat");
        const out: ChatMember[] = [];
        for (const [id, m] of state.members) {
          if (m.status === "creator" || m.status === "administrator") out.push(this.memberView(state, this.users.get(id)!));
        }
        return out;
      }
      case "restrictchatmember":
        return this.restrict(p);
      case "banchatmember":
        return this.ban(p);
      case "deletemessage":
        return this.deleteMessage(p);
      case "setmycommands": {
        const list = p.commands;
        if (!Array.isArray(list)) throw bad("parameter \"commands\" is required");
        for (const c of list as { command?: unknown; description?: unknown }[]) {
          if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad("BOT_COMMAND_INVALID");
          if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) throw bad("command description is empty");
        }
        this.commands.set(scopeKey(p.scope), list);
        return true;
      }
      case "getmycommands":
        return this.commands.get(scopeKey(p.scope)) ?? [];
      case "deletemycommands":
        this.commands.delete(scopeKey(p.scope));
        return true;
      default:
        throw new ApiError(404, "Not Found");
    }
  }

  // ---- getUpdates and webhook ------------------------------------------------

  private getUpdates(p: Params, res: ServerResponse): void {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = (p.allowed_updates as unknown[]).filter((x): x is string => typeof x === "string");
    const offset = p.offset === undefined ? 0 : int(p.offset, "offset");
    const limit = Math.min(100, Math.max(1, p.limit === undefined ? 100 : int(p.limit, "limit")));
    const timeout = p.timeout === undefined ? 0 : int(p.timeout, "timeout");
    this.confirm(offset);
    if (this.waiter) {
      // Telegram ends the older long poll when a newer one arrives.
      const old = this.waiter;
      this.waiter = null;
      clearTimeout(old.timer);
      this.reply(old.res, { ok: false, error_code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" });
    }
    const ready = this.visibleUpdates(offset, limit);
    if (ready.length || timeout <= 0 || this.stopped) return this.reply(res, { ok: true, result: ready });
    const waiter: Waiter = {
      res,
      offset,
      limit,
      timer: setTimeout(() => this.finishWaiter([]), timeout * 1000),
    };
    this.waiter = waiter;
    res.on("close", () => {
      if (this.waiter === waiter) {
        clearTimeout(waiter.timer);
        this.waiter = null;
      }
    });
  }

  /** offset confirms every update with a smaller id; a negative offset keeps only the last -offset updates. */
  private confirm(offset: number): void {
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);
  }

  private visibleUpdates(offset: number, limit: number): Update[] {
    const allowed = this.allowedUpdates && this.allowedUpdates.length ? new Set(this.allowedUpdates) : null;
    const defaultsOff = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
    return this.updates
      .filter((u) => offset <= 0 || u.update_id >= offset)
      .filter((u) => {
        const kind = Object.keys(u).find((k) => k !== "update_id") ?? "";
        return allowed ? allowed.has(kind) : !defaultsOff.has(kind);
      })
      .slice(0, limit);
  }

  private finishWaiter(result: Update[]): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = null;
    clearTimeout(w.timer);
    this.reply(w.res, { ok: true, result });
  }

  private pushUpdate(update: Update): void {
    this.updates.push(update);
    if (this.webhook) {
      void this.deliverWebhook();
      return;
    }
    const w = this.waiter;
    if (w) {
      const ready = this.visibleUpdates(w.offset, w.limit);
      if (ready.length) this.finishWaiter(ready);
    }
  }

  /** Webhook mode: POST updates one at a time, in order, retrying until the bot answers 2xx. */
  private async deliverWebhook(): Promise<void> {
    if (this.webhookBusy) return;
    this.webhookBusy = true;
    try {
      let failures = 0;
      while (this.webhook && this.updates.length && !this.stopped) {
        const update = this.updates[0]!;
        let ok = false;
        try {
          const res = await fetch(this.webhook.url, {
            method: "POST",
            headers: { "content-type": "application/json", ...(this.webhook.secret ? { "x-telegram-bot-api-secret-token": this.webhook.secret } : {}) },
            body: JSON.stringify(update),
          });
          await res.arrayBuffer();
          ok = res.ok;
        } catch {
          ok = false;
        }
        if (ok) {
          failures = 0;
          if (this.updates[0] === update) this.updates.shift();
        } else {
          failures += 1;
          if (failures > 50) return;
          await new Promise((r) => setTimeout(r, 20 * failures));
        }
      }
    } finally {
      this.webhookBusy = false;
    }
  }

  // ---- methods -----------------------------------------------------------

  private sendMessage(p: Params): Message {
    const state = this.requireChat(p.chat_id);
    this.requireBotCanPost(state);
    const { text, entities } = this.formatted(p.text, p.parse_mode, p.entities);
    const markup = parseMarkup(p.reply_markup);
    const msg = this.newMessage(state, this.botUser);
    msg.text = text;
    if (entities?.length) msg.entities = entities;
    if (markup) msg.reply_markup = markup;
    const replyId =
      (p.reply_parameters as { message_id?: unknown } | undefined)?.message_id ?? (p.reply_to_message_id !== undefined ? p.reply_to_message_id : undefined);
    if (replyId !== undefined) {
      const target = state.messages.get(int(replyId, "reply_parameters.message_id"));
      const allow = (p.reply_parameters as { allow_sending_without_reply?: unknown } | undefined)?.allow_sending_without_reply === true;
      if (target) msg.reply_to_message = stripReply(target);
      else if (!allow) throw bad("message to be replied not found");
    }
    state.messages.set(msg.message_id, msg);
    return msg;
  }

  private editMessage(p: Params, withText: boolean): Message {
    if (p.inline_message_id !== undefined) throw bad("MESSAGE_ID_INVALID");
    const state = this.requireChat(p.chat_id);
    const id = int(p.message_id, "message_id");
    const current = state.messages.get(id);
    if (!current) throw bad("message to edit not found");
    if (current.from?.id !== this.botUser.id) throw bad("message can't be edited");
    const next: Message = { ...current };
    if (withText) {
      const { text, entities } = this.formatted(p.text, p.parse_mode, p.entities);
      next.text = text;
      if (entities?.length) next.entities = entities;
      else delete next.entities;
    }
    // Like Telegram: an edit without reply_markup removes the inline keyboard.
    const markup = parseMarkup(p.reply_markup);
    if (markup && markup.inline_keyboard.length) next.reply_markup = markup;
    else delete next.reply_markup;
    if (next.text === current.text && JSON.stringify(next.reply_markup ?? null) === JSON.stringify(current.reply_markup ?? null)) {
      throw bad(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    next.edit_date = this.seconds();
    state.messages.set(id, next);
    return next;
  }

  private restrict(p: Params): true {
    const state = this.requireChat(p.chat_id);
    if (state.chat.type !== "supergroup") throw bad("method is available only for supergroups");
    const user = this.targetUser(state, p.user_id, "restrict/unrestrict");
    const permissions = p.permissions;
    if (typeof permissions !== "object" || permissions === null) throw bad("parameter \"permissions\" is required");
    const until = p.until_date === undefined ? 0 : int(p.until_date, "until_date");
    state.members.set(user.id, { status: "restricted", until_date: until, permissions: permissions as ChatPermissions });
    return true;
  }

  private ban(p: Params): true {
    const state = this.requireChat(p.chat_id);
    if (state.chat.type === "private") throw bad("method is available for supergroup and channel chats only");
    const user = this.targetUser(state, p.user_id, "restrict/unrestrict");
    const until = p.until_date === undefined ? 0 : int(p.until_date, "until_date");
    state.members.set(user.id, { status: "kicked", until_date: until });
    return true;
  }

  private deleteMessage(p: Params): true {
    const state = this.requireChat(p.chat_id);
    const id = int(p.message_id, "message_id");
    const msg = state.messages.get(id);
    if (!msg) throw bad("message to delete not found");
    if (msg.from?.id !== this.botUser.id && state.chat.type !== "private") {
      const bot = state.members.get(this.botUser.id);
      const can = bot?.status === "creator" || (bot?.status === "administrator" && bot.rights.can_delete_messages);
      if (!can) throw bad("message can't be deleted");
    }
    state.messages.delete(id);
    return true;
  }

  // ---- helpers ---------------------------------------------------------------

  private targetUser(state: ChatState, userId: unknown, verb: string): User {
    const bot = state.members.get(this.botUser.id);
    const can = bot?.status === "creator" || (bot?.status === "administrator" && bot.rights.can_restrict_members);
    if (!can) throw bad(`not enough rights to ${verb} chat member`);
    const user = this.users.get(int(userId, "user_id"));
    if (!user) throw bad("user not found");
    const member = state.members.get(user.id);
    if (member?.status === "creator") throw bad("can't remove chat owner");
    if (member?.status === "administrator") throw bad("user is an administrator of the chat");
    return user;
  }

  private formatted(textParam: unknown, parseMode: unknown, entities: unknown): { text: string; entities?: MessageEntity[] } {
    const raw = typeof textParam === "number" ? String(textParam) : str(textParam);
    if (!raw || !raw.trim()) throw bad("message text is empty");
    let text = raw;
    const mode = str(parseMode);
    if (mode) {
      if (mode.toLowerCase() !== "html") {
        if (!["markdown", "markdownv2"].includes(mode.toLowerCase())) throw bad(`unsupported parse_mode`);
        throw bad("can't parse entities: this fake only implements parse_mode HTML");
      }
      try {
        text = htmlToText(raw);
      } catch (err) {
        if (err instanceof ParseError) throw bad(`can't parse entities: ${err.message}`);
        throw err;
      }
    }
    if (!text.trim()) throw bad("text must be non-empty");
    if (text.length > 4096) throw bad("message is too long");
    return { text, ...(Array.isArray(entities) ? { entities: entities as MessageEntity[] } : {}) };
  }

  private requireChat(chatId: unknown): ChatState {
    if (chatId === undefined || chatId === null || chatId === "") throw bad("chat_id is empty");
    let state: ChatState | undefined;
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      state = [...this.chats.values()].find((c) => "username" in c.chat && c.chat.username === chatId.slice(1) && c.chat.type !== "private");
    } else {
      const id = Number(chatId);
      if (!Number.isSafeInteger(id)) throw bad("chat not found");
      state = this.chats.get(id);
    }
    if (!state) throw bad("chat not found");
    if (state.migratedTo !== undefined) throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", undefined, state.migratedTo);
    return state;
  }

  private requireBotCanPost(state: ChatState): void {
    if (state.chat.type === "private") {
      if (!this.started.has(state.chat.id)) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
      return;
    }
    const bot = state.members.get(this.botUser.id);
    if (!bot || bot.status === "left") {
      throw new ApiError(403, `Forbidden: bot is not a member of the ${state.chat.type === "supergroup" ? "supergroup" : "group"} chat`);
    }
    if (bot.status === "kicked") throw new ApiError(403, `Forbidden: bot was kicked from the ${state.chat.type} chat`);
  }

  private memberView(state: ChatState, user: User): ChatMember {
    const m = state.members.get(user.id) ?? { status: "left" as const };
    switch (m.status) {
      case "creator":
        return { status: "creator", user, is_anonymous: false };
      case "administrator":
        return {
          status: "administrator",
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_video_chats: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_send_welcome_messages: false,
          ...m.rights,
        } as ChatMember;
      case "member":
        return { status: "member", user };
      case "left":
        return { status: "left", user };
      case "kicked":
        return { status: "kicked", user, until_date: m.until_date };
      case "restricted":
        return {
          status: "restricted",
          user,
          is_member: true,
          until_date: m.until_date,
          can_send_messages: m.permissions.can_send_messages ?? false,
          can_send_audios: m.permissions.can_send_audios ?? false,
          can_send_documents: m.permissions.can_send_documents ?? false,
          can_send_photos: m.permissions.can_send_photos ?? false,
          can_send_videos: m.permissions.can_send_videos ?? false,
          can_send_video_notes: m.permissions.can_send_video_notes ?? false,
          can_send_voice_notes: m.permissions.can_send_voice_notes ?? false,
          can_send_polls: m.permissions.can_send_polls ?? false,
          can_send_other_messages: m.permissions.can_send_other_messages ?? false,
          can_add_web_page_previews: m.permissions.can_add_web_page_previews ?? false,
          can_change_info: m.permissions.can_change_info ?? false,
          can_invite_users: m.permissions.can_invite_users ?? false,
          can_pin_messages: m.permissions.can_pin_messages ?? false,
          can_manage_topics: m.permissions.can_manage_topics ?? false,
        } as ChatMember;
    }
  }

  /** Privacy mode: a bot that is not an admin sees only commands, replies to its own messages and its @mentions. */
  private botSees(state: ChatState, msg: Message): boolean {
    if (state.chat.type === "private") return true;
    const bot = state.members.get(this.botUser.id);
    if (!bot || bot.status === "left" || bot.status === "kicked") return false;
    if (!this.privacyMode || bot.status === "administrator" || bot.status === "creator") return true;
    if (msg.migrate_to_chat_id !== undefined || msg.migrate_from_chat_id !== undefined) return true; // service messages reach every bot
    const text = msg.text ?? msg.caption ?? "";
    return text.startsWith("/") || msg.reply_to_message?.from?.id === this.botUser.id || text.includes(`@${this.botUser.username}`);
  }

  private newMessage(state: ChatState, from: User, date?: number): Message {
    return { message_id: state.nextMessageId++, from, chat: state.chat, date: date ?? this.seconds() } as Message;
  }

  private originOf(from: User | Chat | string, date: number): MessageOrigin {
    if (typeof from === "string") return { type: "hidden_user", sender_user_name: from, date };
    if ("type" in from) return { type: "channel", chat: from as Extract<Chat, { type: "channel" }>, message_id: 1, date };
    return { type: "user", sender_user: from, date };
  }

  private chatState(id: number): ChatState {
    const state = this.chats.get(id);
    if (!state) throw new Error(`FakeBotApi: chat ${id} does not exist; create it with createGroup/privateChat first`);
    return state;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function int(v: unknown, name: string): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw bad(`invalid ${name} specified`);
  return n;
}

function scopeKey(scope: unknown): string {
  return scope && typeof scope === "object" ? JSON.stringify(scope) : "default";
}

function parseMarkup(v: unknown): InlineKeyboardMarkup | undefined {
  if (v === undefined || v === null) return undefined;
  const markup = typeof v === "string" ? (JSON.parse(v) as unknown) : v;
  if (typeof markup !== "object" || markup === null) throw bad("can't parse reply keyboard markup JSON object");
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return undefined; // other keyboards are not modelled
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw bad("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array");
  for (const row of rows as unknown[][]) {
    for (const b of row as { text?: unknown; callback_data?: unknown; url?: unknown }[]) {
      if (typeof b.text !== "string" || !b.text) throw bad("can't find field \"text\"");
      if (b.callback_data !== undefined) {
        if (typeof b.callback_data !== "string" || Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64) {
          throw bad("BUTTON_DATA_INVALID");
        }
      } else if (b.url === undefined) {
        throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
    }
  }
  return { inline_keyboard: rows as InlineKeyboardMarkup["inline_keyboard"] };
}

function stripReply(m: Message): NonNullable<Message["reply_to_message"]> {
  const copy = { ...m };
  delete copy.reply_to_message;
  return copy as NonNullable<Message["reply_to_message"]>;
}

function attachmentOf(kind: NonNullable<SendOptions["attachment"]>): Partial<Message> {
  const file = { file_id: `F${kind}${Math.random().toString(36).slice(2, 10)}`, file_unique_id: `U${kind}` };
  switch (kind) {
    case "photo":
      return { photo: [{ ...file, width: 90, height: 90 }, { ...file, width: 800, height: 800 }] };
    case "video":
      return { video: { ...file, width: 640, height: 360, duration: 5 } };
    case "document":
      return { document: { ...file, file_name: "file.pdf" } };
    case "sticker":
      return { sticker: { ...file, type: "regular", width: 512, height: 512, is_animated: false, is_video: false } };
    case "animation":
      return { animation: { ...file, width: 320, height: 240, duration: 2 } };
    case "voice":
      return { voice: { ...file, duration: 3 } };
  }
}

/** The entities Telegram's server derives from plain text: /commands and @usernames. */
function computeEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const m of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)/g)) {
    out.push({ type: "bot_command", offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  for (const m of text.matchAll(/(^|[^A-Za-z0-9_/])(@[A-Za-z0-9_]{5,32})/g)) {
    // Telegram marks every @username-shaped word, whether or not the user exists.
    out.push({ type: "mention", offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

function textMentionEntities(text: string, users: User[]): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const user of users) {
    const at = text.indexOf(user.first_name);
    if (at < 0) throw new Error(`userSends: text does not contain "${user.first_name}" to mention`);
    out.push({ type: "text_mention", offset: at, length: user.first_name.length, user });
  }
  return out;
}
