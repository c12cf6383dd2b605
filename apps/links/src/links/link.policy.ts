/** What decides whether a link can start a call (decision 9). */
export interface LinkUsage {
  isActive: boolean;
  expiresAt: Date | null;
  maxUses: number | null;
  useCount: number;
}

export function isExpired(link: LinkUsage, now: Date): boolean {
  return link.expiresAt !== null && link.expiresAt.getTime() <= now.getTime();
}

export function isUsedUp(link: LinkUsage): boolean {
  return link.maxUses !== null && link.useCount >= link.maxUses;
}

/** Active, not expired, and with a use left. */
export function isUsable(link: LinkUsage, now: Date): boolean {
  return link.isActive && !isExpired(link, now) && !isUsedUp(link);
}
