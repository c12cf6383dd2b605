import { ActiveLinkDto, LinkClaimDto, LinkDto, LinkInfoDto, PublicProfileDto, toIsoSeconds, toIsoSecondsOrNull } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { LinkEntity } from './link.entity';
import { isUsable } from './link.policy';
import type { ClaimedLink } from './links.repository';

export function linkUrl(publicWebUrl: string, shortCode: string): string {
  return `${publicWebUrl}/c/${shortCode}`;
}

export function toLinkDto(link: LinkEntity, publicWebUrl: string, now: Date): LinkDto {
  return {
    id: link.id,
    short_code: link.shortCode,
    url: linkUrl(publicWebUrl, link.shortCode),
    host_id: link.hostId,
    rate_per_minute: formatCents(link.rateCents),
    window_size_minutes: link.windowSizeMinutes,
    expires_at: toIsoSecondsOrNull(link.expiresAt),
    max_uses: link.maxUses,
    use_count: link.useCount,
    label: link.label,
    is_active: isUsable(link, now),
    created_at: toIsoSeconds(link.createdAt),
  };
}

export function toLinkInfo(link: LinkEntity, host: PublicProfileDto, hostOnline: boolean, now: Date): LinkInfoDto {
  return {
    short_code: link.shortCode,
    host: { display_name: host.display_name, avatar_url: host.avatar_url, username: host.username },
    rate_per_minute: formatCents(link.rateCents),
    window_size_minutes: link.windowSizeMinutes,
    is_active: isUsable(link, now),
    host_online: hostOnline,
  };
}

export function toActiveLink(link: LinkEntity, host: PublicProfileDto, hostOnline: boolean, publicWebUrl: string, now: Date): ActiveLinkDto {
  return { ...toLinkInfo(link, host, hostOnline, now), url: linkUrl(publicWebUrl, link.shortCode) };
}

export function toLinkClaim(link: ClaimedLink): LinkClaimDto {
  return {
    link_id: link.id,
    short_code: link.shortCode,
    host_id: link.hostId,
    rate_per_minute: formatCents(link.rateCents),
    window_size_minutes: link.windowSizeMinutes,
  };
}
