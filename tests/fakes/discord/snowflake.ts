// Discord ids are snowflakes: milliseconds since the Discord epoch in the high bits, so
// discord.js derives createdTimestamp from them and `after=` paging compares them.
const DISCORD_EPOCH = 1_420_070_400_000n;

export class Snowflakes {
  private lastMs = 0n;
  private increment = 0n;

  next(at: number = Date.now()): string {
    let ms = BigInt(at) - DISCORD_EPOCH;
    if (ms < this.lastMs) ms = this.lastMs; // never go backwards: ids must stay ordered
    if (ms === this.lastMs) this.increment += 1n;
    else this.increment = 0n;
    this.lastMs = ms;
    return ((ms << 22n) | (this.increment & 0xfffn)).toString();
  }
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
