// Login attempts: after too many failures for one account from one address (or from one
// address overall) sign-in is refused for a while, even with the right password.

export interface RateLimitOptions {
  maxPerKey: number;
  maxPerAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: RateLimitOptions = { maxPerKey: 5, maxPerAddress: 30, windowMs: 15 * 60_000 };

export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: RateLimitOptions = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(address: string, username: string): number {
    const byKey = this.recent(`${address}\n${username.toLowerCase()}`);
    const byAddress = this.recent(address);
    const blockedBy = (list: number[], max: number) => (list.length >= max ? list[list.length - max]! + this.opts.windowMs - this.now() : 0);
    return Math.max(0, blockedBy(byKey, this.opts.maxPerKey), blockedBy(byAddress, this.opts.maxPerAddress));
  }

  recordFailure(address: string, username: string): void {
    for (const key of [`${address}\n${username.toLowerCase()}`, address]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
  }

  recordSuccess(address: string, username: string): void {
    this.failures.delete(`${address}\n${username.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}
