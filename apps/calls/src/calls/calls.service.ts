import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  Actor,
  CallDto,
  DEFAULT_PAGE,
  DEFAULT_PER_PAGE,
  EndCallRequest,
  EndCallResponse,
  ErrorCode,
  HistoryQuery,
  HostJoinResponse,
  JoinCallRequest,
  JoinCallResponse,
  LinkClaimDto,
  Page,
  SHORT_CODE_PATTERN,
  SignalingAccess,
  ULID_PATTERN,
  toIsoSeconds,
} from '@vidivo/contracts';
import { parseCents } from '@vidivo/money';
import { AppError, CallRole, MessageBus, Outbox } from '@vidivo/platform';
import { DataSource, In, Repository } from 'typeorm';
import { ulid } from 'ulid';
import { CallAccess } from '../access/call-access';
import { CallTransitions } from './call-transitions';
import { FirstHolds } from './first-holds';
import { CallConnections } from './call-connections';
import { CALLS_SCHEMA } from '../calls.schema';
import { chargeFor } from '../domain/call-charge';
import { CallEntity } from './call.entity';
import { toCallDto, toCallSnapshot } from './call.mapper';

interface Guest {
  id: string;
  displayName: string;
  /** Where the receipt goes, when known (decision 24). */
  email: string | null;
  token?: string;
}

const UNIQUE_VIOLATION = '23505';

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
/** Both peers hear `call_ending` this long before a call reaches its length cap (decision 28). */
const ENDING_WARNING_SECONDS = 60;

@Injectable()
export class CallsService {
  private readonly logger = new Logger('calls');

  constructor(
    @InjectRepository(CallEntity, CALLS_SCHEMA) private readonly calls: Repository<CallEntity>,
    @InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly bus: MessageBus,
    private readonly access: CallAccess,
    private readonly transitions: CallTransitions,
    private readonly firstHolds: FirstHolds,
    private readonly connections: CallConnections,
  ) {}

  /**
   * A guest starts a call from a link: claim a use of the link, record the call, place the first
   * hold. A declined hold fails the call and gives the link use back (decision 9). A card that needs
   * authentication leaves no call and no use behind (decision 25): the guest comes back with the
   * authenticated PaymentIntent, and the call then takes the id that hold was made for.
   */
  async join(actor: Actor | undefined, shortCode: string, request: JoinCallRequest): Promise<JoinCallResponse> {
    if (!SHORT_CODE_PATTERN.test(shortCode)) throw AppError.notFound('Call link');
    if (actor && actor.role === 'admin') throw AppError.forbidden('Administrators cannot join calls as guests');
    const callId = request.payment_intent_id ? (await this.firstHolds.ownerOf(request.payment_intent_id)).call_id : ulid();
    const link = await this.bus.request('links.claim', { short_code: shortCode, call_id: callId });
    let call: CallEntity;
    let guest: Guest;
    try {
      if (actor?.id === link.host_id) throw AppError.forbidden('You cannot join a call on your own link');
      guest = await this.guestFor(actor, request);
      const host = await this.bus.request('identity.users.public-profile', { user_id: link.host_id });
      call = await this.insert(this.newCall(callId, link, host.display_name, guest));
    } catch (error) {
      await this.releaseLink(callId);
      throw error;
    }

    try {
      await this.firstHolds.place(call, request, guest.email, { link: link.link_id }, `/c/${link.short_code}`);
    } catch (error) {
      if (leavesNoCall(request, error)) await this.calls.delete({ id: call.id, status: 'waiting' });
      // Unless the no-show sweep got there first while Stripe was slow, the call fails here.
      else await this.transitions.applyIfPossible(call.id, 'billing_failed', (_, now) => ({ endedAt: now, endReason: 'billing_error' }));
      await this.releaseLink(callId);
      throw error;
    }

    await this.dataSource.transaction((transaction) => this.outbox.add(transaction, 'calls.call.created', { call: toCallSnapshot(call) }));
    return { call: toCallDto(call), ...this.access.grant(call, 'guest'), ...(guest.token ? { guest_token: guest.token } : {}) };
  }

  /** The host picks up: the call becomes active and the timer starts (decision 10). */
  async hostJoin(actor: Actor, callId: string): Promise<HostJoinResponse> {
    const existing = await this.findReadable(actor, callId);
    if (existing.hostId !== actor.id) throw AppError.forbidden('Only the host of this call can join it as host');
    const call = await this.transitions.apply(callId, 'started', (_, now) => ({ startedAt: now, hostJoinedAt: now }));
    return { call: toCallDto(call), ...this.access.grant(call, 'host') };
  }

  async end(actor: Actor, callId: string, request: EndCallRequest): Promise<EndCallResponse> {
    const existing = await this.findReadable(actor, callId);
    const role = this.roleOf(actor, existing);
    if (!role) throw AppError.forbidden('Only the participants of this call can end it');
    const reason = request.reason ?? (role === 'host' ? 'host_ended' : 'user_ended');
    if (reason === 'host_declined') return this.decline(role, existing);
    const call = await this.transitions.apply(callId, 'ended', (ending, now) => ({ endedAt: now, endReason: reason, ...chargeFor(ending.startedAt, now, ending.rateCents) }));
    return { call: toCallDto(call) };
  }

  /** The host turns down a call still waiting for them: completed, nothing charged, its holds released by the settlement (decision 30). */
  private async decline(role: CallRole, existing: CallEntity): Promise<EndCallResponse> {
    if (role !== 'host') throw AppError.forbidden('Only the host can decline a call');
    const call = await this.transitions.apply(existing.id, 'declined', (_, now) => ({ endedAt: now, endReason: 'host_declined' }));
    return { call: toCallDto(call) };
  }

  /** Billing could not hold the next window: end the call as failed, charging the minutes used (decision 11). */
  async failForBilling(callId: string): Promise<void> {
    await this.transitions.applyIfPossible(callId, 'billing_failed', (ending, now) => ({
      endedAt: now,
      endReason: 'billing_error',
      ...chargeFor(ending.startedAt, now, ending.rateCents),
    }));
  }

  /** The capture after the call failed for good (decision 11). */
  async failSettlement(callId: string): Promise<void> {
    await this.transitions.applyIfPossible(callId, 'settlement_failed', () => ({}));
  }

  /** Marks calls whose host never came as missed; each in its own transaction, skipping rows another replica holds. */
  async sweepNoShows(thresholdSeconds: number): Promise<number> {
    const overdue: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM calls.calls WHERE status IN ('waiting', 'ringing') AND expected_at <= now() - $1 * interval '1 second' ORDER BY expected_at LIMIT 100`,
      [thresholdSeconds],
    );
    let missed = 0;
    for (const { id } of overdue) {
      const changed = await this.transitions.applyIfPossible(id, 'no_show', (_, now) => ({ endedAt: now, endReason: 'timeout' }), { skipLocked: true });
      if (changed) missed++;
    }
    return missed;
  }

  /**
   * Calls are bounded (decision 28): a minute before CALL_MAX_MINUTES both peers are warned
   * (`calls.call.ending`), and at the limit the call ends with reason `max_duration`, billed to
   * that very moment. Safe with several replicas: the warning is claimed by one UPDATE, the end
   * goes through the state machine under SKIP LOCKED row locks.
   */
  async sweepOverlong(maxMinutes: number): Promise<number> {
    const limitSeconds = maxMinutes * 60;
    await this.dataSource.transaction(async (transaction) => {
      const [warned]: [Array<{ id: string; started_at: Date }>, number] = await transaction.query(
        `UPDATE calls.calls SET ending_warned_at = now()
          WHERE status = 'active' AND ending_warned_at IS NULL AND started_at <= now() - $1 * interval '1 second'
          RETURNING id, started_at`,
        [Math.max(0, limitSeconds - ENDING_WARNING_SECONDS)],
      );
      for (const call of warned) {
        const at = toIsoSeconds(new Date(call.started_at.getTime() + limitSeconds * 1000));
        await this.outbox.add(transaction, 'calls.call.ending', { call_id: call.id, reason: 'max_duration', at });
      }
    });
    const overlong: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM calls.calls WHERE status = 'active' AND started_at <= now() - $1 * interval '1 second' ORDER BY started_at LIMIT 100`,
      [limitSeconds],
    );
    let ended = 0;
    for (const { id } of overlong) {
      const changed = await this.transitions.applyIfPossible(
        id,
        'ended',
        (call) => {
          const endedAt = new Date(call.startedAt!.getTime() + limitSeconds * 1000);
          return { endedAt, endReason: 'max_duration', ...chargeFor(call.startedAt, endedAt, call.rateCents) };
        },
        { skipLocked: true },
      );
      if (changed) ended++;
    }
    return ended;
  }

  /**
   * Active calls a participant has left (decision 28): no signaling connection for `seconds`, the
   * resume grace included. The call ends `abandoned` at the moment that participant went, billed to
   * it, so nobody pays for time alone; once, whichever replica gets there first.
   */
  async sweepAbandoned(seconds: number): Promise<number> {
    let ended = 0;
    for (const { callId, goneSince } of await this.connections.goneFor(seconds, 100)) {
      const changed = await this.transitions.applyIfPossible(
        callId,
        'ended',
        (call) => ({ endedAt: goneSince, endReason: 'abandoned', ...chargeFor(call.startedAt, goneSince, call.rateCents) }),
        { skipLocked: true },
      );
      if (changed) ended++;
    }
    return ended;
  }

  /** For the signaling edge, which holds a token for the call and needs its current state. */
  async status(callId: string): Promise<CallDto> {
    return toCallDto(await this.find(callId));
  }

  /** An incoming_call notification reached a live host connection (decision 13); repeats change nothing. */
  async markRinging(callId: string): Promise<CallDto> {
    await this.transitions.applyIfPossible(callId, 'host_notified', () => ({}));
    return this.status(callId);
  }

  /** Calls a host has not picked up yet, oldest first, for a notification channel that just opened. */
  async waitingForHost(hostId: string): Promise<CallDto[]> {
    const calls = await this.calls.find({ where: { hostId, status: In(['waiting', 'ringing']) }, order: { createdAt: 'ASC' }, take: 20 });
    return calls.map(toCallDto);
  }

  async get(actor: Actor, callId: string): Promise<CallDto> {
    return toCallDto(await this.findReadable(actor, callId));
  }

  async history(actor: Actor, query: HistoryQuery): Promise<Page<CallDto>> {
    const page = query.page ?? DEFAULT_PAGE;
    const perPage = query.per_page ?? DEFAULT_PER_PAGE;
    const builder = this.calls
      .createQueryBuilder('call')
      .where('(call.host_id = :me OR call.guest_id = :me)', { me: actor.id })
      .orderBy('call.created_at', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .skip((page - 1) * perPage)
      .take(perPage);
    if (query.status) builder.andWhere('call.status = :status', { status: query.status });
    const [calls, total] = await builder.getManyAndCount();
    return { data: calls.map(toCallDto), page, per_page: perPage, total };
  }

  /** A fresh signaling token for a participant of a call that is not over (decision 15). */
  async signalingToken(actor: Actor, callId: string): Promise<SignalingAccess> {
    const call = await this.findReadable(actor, callId);
    const role = this.roleOf(actor, call);
    if (!role) throw AppError.forbidden('Only the participants of this call can connect to it');
    if (!['waiting', 'ringing', 'active'].includes(call.status)) throw AppError.conflict('The call has already ended');
    return this.access.grant(call, role);
  }

  private async guestFor(actor: Actor | undefined, request: JoinCallRequest): Promise<Guest> {
    if (actor) {
      const [contact] = await this.bus.request('identity.users.contacts', { user_ids: [actor.id] });
      return { id: actor.id, displayName: request.guest_name ?? contact.display_name, email: request.guest_email ?? contact.email };
    }
    const created = await this.bus.request('identity.auth.guest', { display_name: request.guest_name, email: request.guest_email });
    return { id: created.user.id, displayName: created.user.display_name, email: request.guest_email ?? null, token: created.access_token };
  }

  /** A call id already taken means its first hold already backs a call. */
  private async insert(call: CallEntity): Promise<CallEntity> {
    try {
      await this.calls.insert(call);
      return call;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) throw AppError.conflict('This payment already backs a call');
      throw error;
    }
  }

  private newCall(id: string, link: LinkClaimDto, hostName: string, guest: Guest): CallEntity {
    const now = new Date();
    return this.calls.create({
      id,
      status: 'waiting',
      linkId: link.link_id,
      shortCode: link.short_code,
      bookingId: null,
      hostId: link.host_id,
      hostName,
      guestId: guest.id,
      guestName: guest.displayName,
      rateCents: parseCents(link.rate_per_minute)!,
      windowSizeMinutes: link.window_size_minutes,
      createdAt: now,
      expectedAt: now,
      hostJoinedAt: null,
      guestJoinedAt: now,
      startedAt: null,
      endedAt: null,
      endReason: null,
      durationSeconds: 0,
      billedMinutes: 0,
      totalChargedCents: 0,
    });
  }

  /** Gives a claimed link use back; links also does it from the call's failed event if this is lost. */
  private async releaseLink(callId: string): Promise<void> {
    await this.bus.request('links.release', { call_id: callId }).catch((error) => this.logger.warn(`link use of ${callId} not released yet: ${(error as Error).message}`));
  }

  /** 404 for a call that does not exist, 403 for one the caller has no part in (decision 14). */
  private async findReadable(actor: Actor, callId: string): Promise<CallEntity> {
    const call = await this.find(callId);
    if (!this.roleOf(actor, call) && actor.role !== 'admin') throw AppError.forbidden('You are not a participant of this call');
    return call;
  }

  /** A malformed id is simply an unknown call. */
  private async find(callId: string): Promise<CallEntity> {
    const call = ULID_PATTERN.test(callId) ? await this.calls.findOneBy({ id: callId }) : null;
    if (!call) throw AppError.notFound('Call');
    return call;
  }

  private roleOf(actor: Actor, call: CallEntity): CallRole | null {
    if (actor.id === call.hostId) return 'host';
    if (actor.id === call.guestId) return 'guest';
    return null;
  }
}
