// Display names of the moderators who pressed buttons, so "confirmed by telegram:123"
// reads "confirmed by @olivia". Memory only: after a restart the id is shown instead.
import { LRUCache } from "lru-cache";

export class ModeratorNames {
  private readonly names = new LRUCache<string, string>({ max: 10_000 });

  /** Remembers the name for an actor label as the pipeline writes it ("telegram:<id>"). */
  remember(userId: string, name: string): void {
    this.names.set(`telegram:${userId}`, name);
  }

  /** A readable name for a decidedBy label, or the label itself. */
  show(label: string): string {
    return this.names.get(label) ?? label;
  }
}
