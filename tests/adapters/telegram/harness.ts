// One Telegram world for end-to-end tests: the fake Bot API, a real Haven on the test
// database, the real adapter (grammY + runner) between them, and the people: the group's
// owner (also admin of the moderators' chat), a moderator without admin rights, a suspect,
// a child and another member.
import type { Chat, Message, User } from "grammy/types";
import { createHaven, type Haven } from "../../../src/app.ts";
import { silentLogger } from "../../../src/log.ts";
import type { Database } from "../../../src/store/db.ts";
import type { ChatMessage, HavenService, IngestResult } from "../../../src/types.ts";
import { startTelegram, type TelegramHandle, type TelegramOptions } from "../../../adapters/telegram/index.ts";
import { FakeBotApi, waitFor } from "../../fakes/telegram/index.ts";
import type { Line } from "./conversations.ts";

export interface World {
  api: FakeBotApi;
  haven: Haven;
  tg: TelegramHandle;
  service: HavenService;
  /** Ingest/edit calls the adapter made that have finished, with their results (and the messages ingested). */
  done: { ingested: IngestResult[]; edited: IngestResult[]; messages: ChatMessage[] };
  group: Chat;
  modChat: Chat;
  owner: User;
  helper: User;
  suspect: User;
  child: User;
  other: User;
  stop(): Promise<void>;
}

/** Wraps the service so tests can wait until the adapter's calls have completed. */
function counting(service: HavenService, done: World["done"]): HavenService {
  return new Proxy(service, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "ingest") {
        return async (...args: Parameters<HavenService["ingest"]>) => {
          const r = await target.ingest(...args);
          done.messages.push(args[0]);
          done.ingested.push(r);
          return r;
        };
      }
      if (prop === "editMessage") {
        return async (...args: Parameters<HavenService["editMessage"]>) => {
          const r = await target.editMessage(...args);
          done.edited.push(r);
          return r;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

export async function startWorld(database: Database, extra: Partial<TelegramOptions> = {}): Promise<World> {
  const api = await FakeBotApi.start();
  const haven = await createHaven({ database, outbox: { baseDelayMs: 1, maxDelayMs: 1, waitMs: 1 } });
  const done: World["done"] = { ingested: [], edited: [], messages: [] };
  const service = counting(haven.service, done);
  const owner = api.createUser("Olivia", { username: "olivia_owner" });
  const helper = api.createUser("Hank", { username: "hank_helper" });
  const suspect = api.createUser("Sam", { username: "sam_gamer" });
  const child = api.createUser("Tia");
  const other = api.createUser("Omar", { username: "omar_plays" });
  const group = api.createGroup("Art Club", { creator: owner });
  const modChat = api.createGroup("Art Club mods", { creator: owner });
  api.setMember(modChat, helper, "member");
  api.setMember(group, helper, "member");
  api.addBot(group, { can_restrict_members: true, can_delete_messages: true });
  api.addBot(modChat);
  let tg: TelegramHandle;
  try {
    tg = await startTelegram({ token: api.token, apiRoot: api.apiRoot, service, log: silentLogger, pollTimeoutSeconds: 5, ...extra });
  } catch (err) {
    await haven.stop();
    await api.stop();
    throw err;
  }
  return {
    api,
    haven,
    tg,
    service,
    done,
    group,
    modChat,
    owner,
    helper,
    suspect,
    child,
    other,
    async stop() {
      await tg.stop();
      await haven.stop();
      await api.stop();
    },
  };
}

/** The bot's newest message in a chat after `after` messages, once it has arrived. */
export async function botReply(w: World, chat: Chat, after: number, what: string): Promise<Message> {
  return waitFor(what, () => w.api.botMessagesIn(chat).at(after));
}

/** Runs the /haven_link → /haven_modchat flow as the owner. */
export async function link(w: World): Promise<void> {
  const before = w.api.botMessagesIn(w.group).length;
  w.api.userSends(w.group, w.owner, "/haven_link");
  const reply = await botReply(w, w.group, before, "the link code in the group");
  const code = /\/haven_modchat (\S+)/.exec(reply.text ?? "")?.[1];
  if (!code) throw new Error(`no code in: ${reply.text}`);
  const modBefore = w.api.botMessagesIn(w.modChat).length;
  w.api.userSends(w.modChat, w.owner, `/haven_modchat ${code}`);
  const linked = await botReply(w, w.modChat, modBefore, "the link confirmation");
  if (!linked.text?.startsWith("Linked")) throw new Error(`link failed: ${linked.text}`);
}

/** Sends lines (replies go to the previous line) and waits until the pipeline has taken them all. */
export async function say(w: World, lines: Line[], startTs: number): Promise<Message[]> {
  const who = { s: w.suspect, t: w.child, o: w.other };
  const sent: Message[] = [];
  const target = w.done.ingested.length + lines.length;
  lines.forEach((l, i) => {
    const prev = sent.at(-1);
    sent.push(w.api.userSends(w.group, who[l.who], l.text, { date: startTs + i * 60, ...(l.reply && prev ? { replyTo: prev } : {}) }));
  });
  await waitFor(`${lines.length} messages ingested`, () => w.done.ingested.length >= target);
  return sent;
}

/** Bot messages in the mod chat that carry an alert. */
export function alertsIn(w: World): Message[] {
  return w.api.botMessagesIn(w.modChat).filter((m) => m.text?.includes("Haven alert"));
}
