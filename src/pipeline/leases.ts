// Partition ownership for scale-out. Several workers share one database; each partition
// (a hash of the community, src/pipeline/partition.ts) is owned by one worker at a time
// through a row of the `leases` table that the owner renews. A worker takes its fair share
// (partitions / live workers) of free or expired partitions, gives back what is above its
// share so that a new worker gets some, and takes over the partitions of a worker that
// stopped renewing (died) once their lease expired.
import { sql } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { Db } from "../store/db.ts";
import { DEFAULT_PARTITIONS } from "./partition.ts";

export interface LeaseOptions {
  partitions?: number;
  /** How long a lease lives without renewal. */
  ttlMs?: number;
  /** How often leases are renewed and partitions claimed (well under ttlMs). */
  renewMs?: number;
}

export interface OwnershipChange {
  gained: number[];
  /** Lapsed (not renewed in time, maybe taken by another worker): this worker's unwritten state of them is stale. */
  lost: number[];
  /** Given back in good order (above the fair share): still owned until releaseExcess resolves. */
  released: number[];
}

/** A partition's lease was found gone inside a scoring transaction (see confirm). */
export class LeaseLost extends Error {
  constructor(readonly partitions: number[]) {
    super(`lease of partitions ${partitions.join(", ")} lost`);
  }
}

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => ((r as { rows?: Row[] }).rows ?? (r as Row[])) ?? [];

export class PartitionLeases {
  readonly partitions: number;
  readonly ttlMs: number;
  readonly renewMs: number;
  private owned = new Set<number>();
  /** Local deadline: past it, ownership is not assumed even if the database row says so. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<OwnershipChange> | null = null;

  constructor(
    private readonly db: Db,
    readonly owner: string,
    private readonly log: Logger,
    /** Called with partitions gained and lost; lost ones are given back only after it resolves. */
    private readonly onChange: (change: OwnershipChange, releaseExcess: () => Promise<void>) => Promise<void>,
    opts: LeaseOptions = {},
  ) {
    this.partitions = opts.partitions ?? DEFAULT_PARTITIONS;
    this.ttlMs = opts.ttlMs ?? 15_000;
    this.renewMs = opts.renewMs ?? Math.floor(this.ttlMs / 3);
  }

  owns(partition: number, now = Date.now()): boolean {
    return now < this.validUntil && this.owned.has(partition);
  }

  /**
   * Fencing, inside a scoring transaction: locks this worker's lease rows of these partitions
   * (FOR SHARE, so another worker's takeover waits for the commit) and throws LeaseLost for
   * those no longer held. Time alone (validUntil) cannot guard a transaction that stalls.
   */
  async confirm(tx: Db, partitions: number[]): Promise<void> {
    if (!partitions.length) return;
    const list = sql.join(partitions.map((p) => sql`${p}::int`), sql`, `);
    const held = new Set(
      rowsOf(await tx.execute(sql`select partition from leases where owner = ${this.owner} and partition in (${list}) and expires_at > now() for share`)).map((r) =>
        Number(r.partition),
      ),
    );
    const gone = partitions.filter((p) => !held.has(p));
    if (!gone.length) return;
    for (const p of gone) this.owned.delete(p);
    throw new LeaseLost(gone);
  }

  /** Partitions found lost by a fenced write (as confirm finds them): not owned from now on. */
  forget(partitions: number[]): void {
    for (const p of partitions) this.owned.delete(p);
  }

  get ownedPartitions(): number[] {
    return Date.now() < this.validUntil ? [...this.owned].sort((a, b) => a - b) : [];
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      void this.tick()
        .catch((err) => this.log.warn({ err: String(err) }, "leases: cannot renew; partitions lapse if the database stays away"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, this.renewMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stops renewing. With `release`, gives the partitions back at once (a clean shutdown); without, they expire (as when a worker dies). */
  async stop(release = true): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => {});
    if (release) {
      try {
        await this.db.execute(sql`delete from leases where owner = ${this.owner}`);
      } catch {
        // The database is away: the leases lapse after their TTL instead.
      }
    }
    this.owned.clear();
    this.validUntil = 0;
  }

  /** Renews, claims a fair share, gives back the excess. Returns what changed. */
  tick(): Promise<OwnershipChange> {
    this.ticking ??= this.renewAndClaim().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async renewAndClaim(): Promise<OwnershipChange> {
    const started = Date.now();
    const ttl = sql`now() + ${this.ttlMs} * interval '1 millisecond'`;
    // A presence row (negative partition number) tells the others this worker is alive and
    // wants its share, before it owns anything.
    await this.db.execute(sql`
      insert into leases (partition, owner, expires_at) values (${presenceSlot(this.owner)}::int, ${this.owner}, ${ttl})
      on conflict (partition) do update set owner = excluded.owner, expires_at = excluded.expires_at`);
    const renewed = rowsOf(await this.db.execute(sql`update leases set expires_at = ${ttl} where owner = ${this.owner} and partition >= 0 and expires_at > now() returning partition`)).map(
      (r) => Number(r.partition),
    );
    const others = Number(
      rowsOf(await this.db.execute(sql`select count(distinct owner)::int as n from leases where owner <> ${this.owner} and expires_at > now()`))[0]?.n ?? 0,
    );
    const share = Math.ceil(this.partitions / (others + 1));
    let claimed: number[] = [];
    if (renewed.length < share) {
      claimed = rowsOf(
        await this.db.execute(sql`
          insert into leases (partition, owner, expires_at)
          select p, ${this.owner}, ${ttl} from generate_series(0, ${this.partitions - 1}::int) p
          where not exists (select 1 from leases l where l.partition = p and l.expires_at > now())
          order by p limit ${share - renewed.length}
          on conflict (partition) do update set owner = excluded.owner, expires_at = excluded.expires_at where leases.expires_at <= now()
          returning partition`),
      ).map((r) => Number(r.partition));
    }
    const now = new Set([...renewed, ...claimed]);
    const gained = [...now].filter((p) => !this.owned.has(p) || Date.now() >= this.validUntil);
    const lost = [...this.owned].filter((p) => !now.has(p));
    // Above the fair share while others wait for partitions: give the highest back.
    const excess = others > 0 ? [...now].sort((a, b) => b - a).slice(0, Math.max(0, now.size - share)) : [];
    const change = { gained: gained.filter((p) => !excess.includes(p)), lost, released: excess };
    // Gained partitions count as owned only once onChange has set aside what the pipeline
    // remembered of them (in its serial order): none of their messages is scored before.
    this.owned = new Set([...now].filter((p) => !excess.includes(p) && !change.gained.includes(p)));
    this.validUntil = started + this.ttlMs - this.renewMs;
    const release = async (list: number[]) => {
      if (!list.length) return;
      for (const p of list) this.owned.delete(p);
      await this.db.execute(sql`delete from leases where owner = ${this.owner} and partition in (${sql.join(list.map((p) => sql`${p}::int`), sql`, `)})`);
    };
    if (change.gained.length || change.lost.length || change.released.length) {
      this.log.info({ owner: this.owner, ...change, owned: now.size - excess.length }, "leases: partitions changed hands");
      await this.onChange(change, () => release(excess));
    }
    for (const p of change.gained) this.owned.add(p);
    return change;
  }
}

/** Messages waiting for the owner of their partition (a metric: growing means a partition has no live owner). */
export async function pendingHandoffs(db: Db): Promise<number> {
  return Number(rowsOf(await db.execute(sql`select count(*)::int as n from handoffs`))[0]?.n ?? 0);
}

/** The negative lease row that marks a worker as alive (FNV-1a of its name). */
function presenceSlot(owner: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < owner.length; i++) {
    h ^= owner.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return -1 - ((h >>> 0) % 2_000_000_000);
}
