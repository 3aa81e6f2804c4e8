// A Haven (real pipeline, engine and outbox on a test database) wired to the Discord adapter,
// which runs the real discord.js client against the fake Discord.
import { createHaven, type Haven } from "../../../src/app.ts";
import { silentLogger, type Logger } from "../../../src/log.ts";
import type { Database } from "../../../src/store/db.ts";
import type { ChatMessage, HavenService } from "../../../src/types.ts";
import { startDiscord, type RunningDiscord } from "../../../adapters/discord/index.ts";
import { eventually, FakeDiscord, Permissions, type FakeDiscordOptions, type ApiMessage, type FakeChannel, type FakeGuild, type FakeRole, type FakeUser } from "../../fakes/discord/index.ts";

export interface World {
  fake: FakeDiscord;
  haven: Haven;
  /** Every message the adapter handed to Haven, with the author roles it passed. */
  ingested: { msg: ChatMessage; roles: string[] }[];
  discord: RunningDiscord;
  guild: FakeGuild;
  general: FakeChannel;
  modChannel: FakeChannel;
  modRole: FakeRole;
  adminRole: FakeRole;
  /** The adult who grooms in the tests. */
  suspect: FakeUser;
  child: FakeUser;
  /** Manage Messages, Moderate Members, Ban Members. */
  moderator: FakeUser;
  /** Manage Server only. */
  admin: FakeUser;
  /** No rights. */
  member: FakeUser;
  close(): Promise<void>;
}

/** What the invite link grants the bot (view, send, embed, read history) unless a test says otherwise. */
export const BOT_PERMISSIONS = Permissions.ViewChannel | Permissions.SendMessages | Permissions.EmbedLinks | Permissions.ReadMessageHistory;

export async function startWorld(database: Database, opts: { configure?: boolean; log?: Logger; botPermissions?: bigint; fake?: FakeDiscordOptions } = {}): Promise<World> {
  const fake = await FakeDiscord.start(opts.fake);
  const guild = fake.addGuild("Pixel Art Club");
  // The bot's own (managed) role, as the invite link creates it.
  guild.members.get(fake.botUser.id)!.roles.push(fake.addRole(guild, "Haven", opts.botPermissions ?? BOT_PERMISSIONS).id);
  const general = fake.addChannel(guild, "general");
  const modChannel = fake.addChannel(guild, "mod-alerts");
  const modRole = fake.addRole(guild, "Moderators", Permissions.ManageMessages | Permissions.ModerateMembers | Permissions.BanMembers);
  const adminRole = fake.addRole(guild, "Admins", Permissions.ManageGuild | Permissions.ManageMessages);
  const suspect = fake.addMember(guild, "sunny_mentor");
  const child = fake.addMember(guild, "pixelpip");
  const moderator = fake.addMember(guild, "mod_ann", [modRole]);
  const admin = fake.addMember(guild, "admin_ben", [adminRole]);
  const member = fake.addMember(guild, "random_rae");
  // Tiny back-off so a failed delivery is due again at the next drain.
  const haven = await createHaven({ database, log: silentLogger, outbox: { baseDelayMs: 1, maxDelayMs: 5 }, retentionEveryMs: 0 });
  if (opts.configure !== false) {
    await haven.service.changeSettings("discord", guild.id, { modChannel: modChannel.id }, { via: "cli", id: "test", rights: ["configure"] });
  }
  const ingested: World["ingested"] = [];
  // The adapter's calls pass through, recorded: what Haven was handed, with the author's roles.
  const service = new Proxy(haven.service, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "ingest") {
        return (...args: Parameters<HavenService["ingest"]>) => {
          ingested.push({ msg: args[0], roles: args[1]?.authorRoles ?? [] });
          return target.ingest(...args);
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const discord = await startDiscord({ token: fake.token, apiBase: fake.apiBase, service, log: opts.log ?? silentLogger });
  return {
    fake,
    haven,
    ingested,
    discord,
    guild,
    general,
    modChannel,
    modRole,
    adminRole,
    suspect,
    child,
    moderator,
    admin,
    member,
    async close() {
      await discord.stop();
      await haven.stop();
      await fake.close();
    },
  };
}

/** A clearly escalating grooming conversation (non-explicit): trust → age/school → secrecy and a move to private → alone? → photo request. */
export function groomingScript(w: World): { author: FakeUser; text: string }[] {
  const { suspect: a, child: c } = w;
  return [
    { author: a, text: "hey pixelpip your dragon sprite is amazing, you're really talented" },
    { author: c, text: "thanks!! took me all weekend" },
    { author: a, text: "you're so mature for your age. how old are you btw?" },
    { author: c, text: "12, i'm in 7th grade" },
    { author: a, text: "what school do you go to? i might live near you" },
    { author: a, text: "you can trust me, i'm not like other adults. this is just between us, don't tell your parents ok" },
    { author: a, text: "let's move to snapchat, it's more private there. add me" },
    { author: a, text: "are you home alone right now?" },
    { author: c, text: "yeah my mom is at work" },
    { author: a, text: "send me a pic of you, just for me. and delete our chat after" },
  ];
}

export function benignScript(w: World): { author: FakeUser; text: string }[] {
  const { suspect: a, child: c, member: m } = w;
  return [
    { author: c, text: "finished my dragon sprite, what do you all think?" },
    { author: m, text: "the colours are great! maybe a darker outline on the wings" },
    { author: a, text: "nice work, the shading on the tail is clean" },
    { author: c, text: "thanks, i'll try the darker outline tonight" },
    { author: m, text: "anyone joining the pixel jam on saturday?" },
    { author: a, text: "yes, our team is doing a space theme this time" },
  ];
}

/** Types a script into a channel, each message replying to the previous one of the other person, and waits until Haven stored the last. */
export async function typeScript(w: World, channel: FakeChannel, script: { author: FakeUser; text: string }[]): Promise<ApiMessage[]> {
  const sent: ApiMessage[] = [];
  for (const line of script) {
    const previous = [...sent].reverse().find((m) => (m.author as { id: string }).id !== line.author.id);
    sent.push(w.fake.userTypes(channel, line.author, line.text, previous ? { replyTo: previous.id } : {}));
  }
  await waitStored(w, channel, sent.at(-1)!.id);
  return sent;
}

export async function waitStored(w: World, channel: FakeChannel, messageId: string): Promise<void> {
  await eventually(async () => (await w.haven.service.lastMessageId("discord", channel.id)) === messageId, `message ${messageId} stored`);
}

/** Messages the bot posted in a channel that carry an embed (alerts). */
export function alertMessages(w: World): ApiMessage[] {
  return w.fake.messagesIn(w.modChannel).filter((m) => (m.author as { id: string }).id === w.fake.botUser.id && (m.embeds as unknown[]).length > 0);
}

export function buttonsOf(message: ApiMessage): { label: string; custom_id: string; disabled: boolean }[] {
  return (message.components as { components: { label: string; custom_id: string; disabled?: boolean }[] }[]).flatMap((row) =>
    row.components.map((b) => ({ label: b.label, custom_id: b.custom_id, disabled: Boolean(b.disabled) })),
  );
}

export function embedOf(message: ApiMessage): { title: string; fields: { name: string; value: string }[]; color: number } {
  return (message.embeds as { title: string; fields: { name: string; value: string }[]; color: number }[])[0]!;
}

export { eventually };

export { recordingLogger } from "../recordingLogger.ts";
