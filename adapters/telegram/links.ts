// Which moderators' chat serves which watched group. The durable truth is each group's
// `modChannel` setting; this index is the reverse direction, learnt whenever Haven links,
// delivers or decides, and asked of the service (when it offers the lookup) for chats it
// has not seen, so commands typed in a mod chat reach the right group after a restart.
import { LRUCache } from "lru-cache";

export type ModChannelLookup = (modChatId: string) => Promise<string[]>;

export class ModChatIndex {
  private readonly groupsByModChat = new Map<string, Set<string>>();
  /** Chats already asked about; re-asked after a while in case a link was made elsewhere. */
  private readonly asked = new LRUCache<string, true>({ max: 50_000, ttl: 10 * 60_000 });

  constructor(private readonly lookup?: ModChannelLookup) {}

  learn(groupId: string, modChatId: string): void {
    for (const [mod, groups] of this.groupsByModChat) if (mod !== modChatId) groups.delete(groupId);
    const set = this.groupsByModChat.get(modChatId) ?? new Set<string>();
    set.add(groupId);
    this.groupsByModChat.set(modChatId, set);
  }

  /** Watched groups whose alerts go to this chat. */
  async groupsOf(modChatId: string): Promise<string[]> {
    const known = this.known(modChatId);
    if (known.length || !this.lookup || this.asked.has(modChatId)) return known;
    try {
      for (const groupId of await this.lookup(modChatId)) this.learn(groupId, modChatId);
      this.asked.set(modChatId, true);
    } catch {
      // Database unavailable: answer from memory and ask again next time.
    }
    return this.known(modChatId);
  }

  async isModChat(chatId: string): Promise<boolean> {
    return (await this.groupsOf(chatId)).length > 0;
  }

  private known(modChatId: string): string[] {
    return [...(this.groupsByModChat.get(modChatId) ?? [])];
  }
}
