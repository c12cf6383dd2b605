import { Inject, Injectable, Logger } from '@nestjs/common';
import { Actor, ErrorCode, JoinCallRequest, JoinCallResponse, SHORT_CODE_PATTERN } from '@vidivo/contracts';
import { AppError, MessageBus, Outbox } from '@vidivo/platform';
import { ulid } from 'ulid';
import { CallAccess } from '../../access/call-access';
import { CallsSettings, callsSettings } from '../../calls.settings';
import { CallEntity } from '../../calls/call.entity';
import { CallGuest, callFromLink } from '../../calls/call.factory';
import { toCallDto, toCallSnapshot } from '../../calls/call.mapper';
import { CallsRepository } from '../../calls/calls.repository';
import { FailedJoins } from '../../calls/failed-joins';
import { FirstHolds } from '../../calls/first-holds';
import { HostProfiles } from '../../calls/host-profiles';
import { JoinAttemptsRepository } from '../../calls/join-attempts.repository';
import { LinkUses } from '../../calls/link-uses';
import { JoinCallCommand } from './join-call.command';

interface Guest extends CallGuest {
  /** Where the receipt goes, when known (decision 24). */
  email: string | null;
  /** The new guest account's access token, for a caller who came without one (decision 8). */
  token?: string;
}

/**
 * Billing's answer means no hold backs the call yet (decision 25): the card waits for its
 * authentication, or an authenticated PaymentIntent was refused (the guest may bring it again).
 * Any other failure leaves a failed call, whose end event makes billing release what it may hold.
 */
function leavesNoCall(request: JoinCallRequest, error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === ErrorCode.PaymentActionRequired) return true;
  return request.payment_intent_id !== undefined && (error.code === ErrorCode.Conflict || error.code === ErrorCode.StripeError);
}

/**
 * A guest starts a call from a link: claim a use of the link, record the call, place the first
 * hold. A declined hold fails the call and gives the link use back (decision 9). A card that needs
 * authentication leaves no call and no use behind (decision 25): the guest comes back with the
 * authenticated PaymentIntent, and the call then takes the id that hold was made for. A join that
 * dies between the claim and the call loses no use: LinkUses keeps the claim pending (decision 32).
 */
@Injectable()
export class JoinCallUseCase {
  private readonly logger = new Logger('calls');
  private readonly claimGraceSeconds: number;

  constructor(
    private readonly calls: CallsRepository,
    private readonly failedJoins: FailedJoins,
    private readonly firstHolds: FirstHolds,
    private readonly linkUses: LinkUses,
    private readonly bus: MessageBus,
    private readonly outbox: Outbox,
    private readonly access: CallAccess,
    private readonly attempts: JoinAttemptsRepository,
    private readonly hostProfiles: HostProfiles,
    @Inject(callsSettings.token) settings: CallsSettings,
  ) {
    this.claimGraceSeconds = settings.CALL_LINK_CLAIM_GRACE_SECONDS;
  }

  async execute(command: JoinCallCommand): Promise<JoinCallResponse> {
    const { actor, shortCode, request, joinKey } = command;
    if (!SHORT_CODE_PATTERN.test(shortCode)) throw AppError.notFound('Call link');
    if (actor && actor.role === 'admin') throw AppError.forbidden('Administrators cannot join calls as guests');
    const callId = request.payment_intent_id ? (await this.firstHolds.ownerOf(request.payment_intent_id)).call_id : ulid();
    return joinKey ? this.joinOnce(command, joinKey, callId) : this.join(command, callId);
  }

  /**
   * A join the client may retry with its idempotency key (decision 32): a retry whose first answer
   * was lost (the bus or the gateway went down meanwhile) gets that answer, never a second call and
   * hold; one that comes while the first is still at work is asked to come back shortly.
   */
  private async joinOnce(command: JoinCallCommand, joinKey: string, callId: string): Promise<JoinCallResponse> {
    const attempt = await this.attempts.begin(joinKey, callId, this.claimGraceSeconds);
    if ('answered' in attempt) return attempt.answered;
    if ('running' in attempt) throw AppError.serviceUnavailable('This join is still under way; try again shortly');
    let answer: JoinCallResponse;
    try {
      answer = await this.join(command, callId);
    } catch (error) {
      // Nothing to answer a retry with: the call failed or never was, and the link use is given back.
      await this.attempts.forget(joinKey, callId);
      throw error;
    }
    // Kept for a retry; if that fails, this answer still goes out, and a retry waits out the attempt.
    await this.attempts.answer(joinKey, callId, answer).catch((error: unknown) => this.logger.warn(`join answer not kept for retries: ${String(error)}`));
    return answer;
  }

  private async join({ actor, shortCode, request }: JoinCallCommand, callId: string): Promise<JoinCallResponse> {
    const link = await this.linkUses.claim(shortCode, callId);
    let call: CallEntity;
    let guest: Guest;
    try {
      if (actor?.id === link.host_id) throw AppError.forbidden('You cannot join a call on your own link');
      guest = await this.guestFor(actor, request);
      const host = await this.hostProfiles.of(link.host_id);
      call = callFromLink(callId, link, host.display_name, guest, new Date());
      // A call id already taken means its first hold already backs a call.
      if (!(await this.linkUses.recordCall(call))) throw AppError.conflict('This payment already backs a call');
    } catch (error) {
      await this.linkUses.giveBack(callId);
      throw error;
    }

    try {
      await this.firstHolds.place(call, request, guest.email, { link: link.link_id }, `/c/${link.short_code}`);
    } catch (error) {
      if (leavesNoCall(request, error)) {
        await this.linkUses.dropWaitingCall(call.id);
        throw error;
      }
      await this.failedJoins.fail(call.id);
      throw error;
    }

    await this.calls.transaction((transaction) => this.outbox.add(transaction, 'calls.call.created', { call: toCallSnapshot(call) }));
    return { call: toCallDto(call), ...this.access.grant(call, 'guest'), ...(guest.token ? { guest_token: guest.token } : {}) };
  }

  private async guestFor(actor: Actor | undefined, request: JoinCallRequest): Promise<Guest> {
    if (actor) {
      const [contact] = await this.bus.request('identity.users.contacts', { user_ids: [actor.id] });
      return { id: actor.id, displayName: request.guest_name ?? contact.display_name, email: request.guest_email ?? contact.email };
    }
    const created = await this.bus.request('identity.auth.guest', { display_name: request.guest_name, email: request.guest_email });
    return { id: created.user.id, displayName: created.user.display_name, email: request.guest_email ?? null, token: created.access_token };
  }
}
