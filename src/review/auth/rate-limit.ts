// Login attempts: after too many failures for one account from one address (or from one
// address overall) sign-in is refused for a while, even with the right password. Failures
// live in PostgreSQL (`login_failures`), so several console processes behind one load
// balancer share the limit and a restart does not reset it.
import { and, desc, eq, gt, lte } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { loginFailures } from "../../store/schema.ts";

export interface RateLimitOptions {
  maxPerKey: number;
  maxPerAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: RateLimitOptions = { maxPerKey: 5, maxPerAddress: 30, windowMs: 15 * 60_000 };

const accountKey = (address: string, username: string) => `u:${address}\n${username.toLowerCase()}`;
const addressKey = (address: string) => `a:${address}`;

export class LoginRateLimiter {
  constructor(
    private readonly db: Db,
    private readonly opts: RateLimitOptions = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(address: string, username: string): Promise<number> {
    const now = this.now();
    const [byKey, byAddress] = await Promise.all([
      this.blockedFor(accountKey(address, username), this.opts.maxPerKey, now),
      this.blockedFor(addressKey(address), this.opts.maxPerAddress, now),
    ]);
    return Math.max(0, byKey, byAddress);
  }

  async recordFailure(address: string, username: string): Promise<void> {
    const now = this.now();
    const keys = [accountKey(address, username), addressKey(address)];
    await this.db.transaction(async (tx) => {
      await tx.insert(loginFailures).values(keys.map((key) => ({ key, at: new Date(now) })));
      // What the window has forgotten is not needed again (addresses and usernames are personal data).
      await tx.delete(loginFailures).where(lte(loginFailures.at, new Date(now - this.opts.windowMs)));
    });
  }

  async recordSuccess(address: string, username: string): Promise<void> {
    await this.db.delete(loginFailures).where(eq(loginFailures.key, accountKey(address, username)));
  }

  /** Once `max` failures fall in the window, the wait until the oldest of the last `max` leaves it. */
  private async blockedFor(key: string, max: number, now: number): Promise<number> {
    const rows = await this.db
      .select({ at: loginFailures.at })
      .from(loginFailures)
      .where(and(eq(loginFailures.key, key), gt(loginFailures.at, new Date(now - this.opts.windowMs))))
      .orderBy(desc(loginFailures.at))
      .limit(max);
    return rows.length >= max ? rows[max - 1]!.at.getTime() + this.opts.windowMs - now : 0;
  }
}
