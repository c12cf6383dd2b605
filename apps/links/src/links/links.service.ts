import { Injectable } from '@nestjs/common';
import { Actor, ActiveLinkDto, CreateLinkRequest, LinkDto, LinkInfoDto, SHORT_CODE_PATTERN, ULID_PATTERN } from '@vidivo/contracts';
import { parseCents } from '@vidivo/money';
import { AppConfig, AppError, MessageBus, Presence, hostPresencePrefix, isUniqueViolation } from '@vidivo/platform';
import { toActiveLink, toLinkDto, toLinkInfo } from './link.mapper';
import { LinksRepository } from './links.repository';
import { newShortCode } from './short-code';

const LINK_ROLES = new Set(['host', 'admin']);
/** With 2.2 billion codes a collision is rare; five in a row means something else is wrong. */
const SHORT_CODE_ATTEMPTS = 5;

@Injectable()
export class LinksService {
  private readonly publicWebUrl: string;

  constructor(
    private readonly links: LinksRepository,
    private readonly bus: MessageBus,
    private readonly presence: Presence,
    config: AppConfig,
  ) {
    this.publicWebUrl = config.publicWebUrl;
  }

  async create(actor: Actor, request: CreateLinkRequest): Promise<LinkDto> {
    if (!LINK_ROLES.has(actor.role)) throw AppError.forbidden('Only hosts can create call links');
    const now = new Date();
    const expiresAt = request.expires_at ? new Date(request.expires_at) : null;
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= now)) {
      throw AppError.validation('The request is not valid', [{ field: 'expires_at', message: 'expires_at must be a valid time in the future' }]);
    }

    for (let attempt = 1; ; attempt++) {
      try {
        const link = await this.links.insert({
          shortCode: newShortCode(),
          hostId: actor.id,
          rateCents: parseCents(request.rate_per_minute)!,
          windowSizeMinutes: request.window_size_minutes,
          expiresAt,
          maxUses: request.max_uses ?? null,
          useCount: 0,
          label: request.label || null,
          isActive: true,
          deactivatedAt: null,
        });
        return toLinkDto(link, this.publicWebUrl, now);
      } catch (error) {
        if (!isUniqueViolation(error, 'call_links_short_code_key') || attempt === SHORT_CODE_ATTEMPTS) throw error;
      }
    }
  }

  async listMine(actor: Actor): Promise<LinkDto[]> {
    if (!LINK_ROLES.has(actor.role)) throw AppError.forbidden('Only hosts have call links');
    const now = new Date();
    const links = await this.links.listOfHost(actor.id);
    return links.map((link) => toLinkDto(link, this.publicWebUrl, now));
  }

  /** Soft delete: the link stays for history but starts no new call. Repeating it changes nothing. */
  async deactivate(actor: Actor, linkId: string): Promise<void> {
    const link = ULID_PATTERN.test(linkId) ? await this.links.findById(linkId) : null;
    if (!link) throw AppError.notFound('Call link');
    if (link.hostId !== actor.id && actor.role !== 'admin') throw AppError.forbidden('This call link belongs to another host');
    await this.links.deactivate(link.id);
  }

  async info(shortCode: string): Promise<LinkInfoDto> {
    const link = SHORT_CODE_PATTERN.test(shortCode) ? await this.links.findByShortCode(shortCode) : null;
    if (!link) throw AppError.notFound('Call link');
    const host = await this.bus.request('identity.users.public-profile', { user_id: link.hostId });
    return toLinkInfo(link, host, this.isOnline(link.hostId), new Date());
  }

  /** The host's newest link that can still start a call. */
  async activeByUsername(username: string): Promise<ActiveLinkDto> {
    const host = await this.bus.request('identity.users.public-profile-by-username', { username });
    const link = await this.links.newestUsableOfHost(host.id);
    if (!link) throw AppError.notFound('Active call link');
    return toActiveLink(link, host, this.isOnline(host.id), this.publicWebUrl, new Date());
  }

  /** A live `/signal/notify` connection of the host, anywhere (decision 29). */
  private isOnline(hostId: string): boolean {
    return this.presence.list(hostPresencePrefix(hostId)).length > 0;
  }
}
