// Which partition a community belongs to. A community's messages share engine state (an
// actor is tracked across its channels), so the community is the unit of ownership.
// FNV-1a: stable across processes and versions, unlike anything seeded.

export const DEFAULT_PARTITIONS = 64;

export function partitionOf(platform: string, communityId: string, partitions = DEFAULT_PARTITIONS): number {
  let h = 0x811c9dc5;
  const s = `${platform}:${communityId}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
