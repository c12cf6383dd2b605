import { Injectable } from '@nestjs/common';
import { PublicProfileDto } from '@vidivo/contracts';
import { MessageBus } from '@vidivo/platform';

/** How long a host's public profile is reused: a renamed host shows the new name on joins within this. */
const KEEP_MS = 60_000;
/** Profiles kept at most; the oldest goes first. */
const MAX_KEPT = 10_000;

/**
 * Hosts' public profiles as identity gives them, kept a minute (issue 14): every join on a link
 * names its host, and asking identity each time costs a bus hop and its queries.
 */
@Injectable()
export class HostProfiles {
  private readonly kept = new Map<string, { profile: Promise<PublicProfileDto>; until: number }>();

  constructor(private readonly bus: MessageBus) {}

  of(hostId: string, now = Date.now()): Promise<PublicProfileDto> {
    const kept = this.kept.get(hostId);
    if (kept && kept.until > now) return kept.profile;
    const profile = this.bus.request('identity.users.public-profile', { user_id: hostId });
    this.keep(hostId, profile, now);
    // A failed answer is not kept: the next join asks again.
    profile.catch(() => this.kept.get(hostId)?.profile === profile && this.kept.delete(hostId));
    return profile;
  }

  private keep(hostId: string, profile: Promise<PublicProfileDto>, now: number): void {
    this.kept.delete(hostId);
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(hostId, { profile, until: now + KEEP_MS });
  }
}
