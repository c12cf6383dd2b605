import { Actor, CallStatus, ErrorCode } from '@vidivo/contracts';
import { ulid } from 'ulid';
import { CallEntity } from '../../calls/call.entity';
import { callFromLink } from '../../calls/call.factory';
import { CallsFakes, aLinkClaim, anActor, callsFakes, standIn } from '../../testing';
import { EndCallUseCase } from './end-call.use-case';

describe('EndCallUseCase', () => {
  let fakes: CallsFakes;
  let endCall: EndCallUseCase;
  let host: Actor;
  let guest: Actor;

  beforeEach(() => {
    fakes = callsFakes();
    endCall = new EndCallUseCase(standIn(fakes.calls), fakes.transitions);
    host = anActor('host');
    guest = anActor('user');
  });

  /** A call on a $1.50/minute link; an active one started `startedSecondsAgo` ago. */
  function callIn(status: CallStatus, startedSecondsAgo?: number): CallEntity {
    const call = callFromLink(ulid(), aLinkClaim(host.id), 'Hana Host', { id: guest.id, displayName: 'Gus Guest' }, new Date());
    const startedAt = startedSecondsAgo === undefined ? null : new Date(Date.now() - startedSecondsAgo * 1000);
    Object.assign(call, { status, startedAt, hostJoinedAt: startedAt });
    fakes.calls.seed(call);
    return call;
  }

  it('ends an active call, billing every started minute since host-join', async () => {
    const call = callIn('active', 150);

    const { call: ended } = await endCall.execute({ actor: guest, callId: call.id, request: {} });

    expect(ended).toMatchObject({ status: 'completed', end_reason: 'user_ended', billed_minutes: 3, total_charged: '4.50' });
    expect(ended.duration_seconds).toBeGreaterThanOrEqual(150);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.ended']);
  });

  it('records who ended it: host_ended when the host does', async () => {
    const call = callIn('active', 10);

    const { call: ended } = await endCall.execute({ actor: host, callId: call.id, request: {} });

    expect(ended).toMatchObject({ status: 'completed', end_reason: 'host_ended', billed_minutes: 1 });
  });

  it('charges nothing for a call ended before the host joined', async () => {
    const call = callIn('waiting');

    const { call: ended } = await endCall.execute({ actor: guest, callId: call.id, request: {} });

    expect(ended).toMatchObject({ status: 'completed', billed_minutes: 0, total_charged: '0.00', duration_seconds: 0 });
  });

  it('refuses to end a call twice (409), announcing the end once', async () => {
    const call = callIn('active', 30);
    await endCall.execute({ actor: guest, callId: call.id, request: {} });
    const afterFirst = fakes.calls.stored(call.id);

    await expect(endCall.execute({ actor: host, callId: call.id, request: {} })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
      message: expect.stringMatching(/^The call has already ended/),
    });

    expect(fakes.calls.stored(call.id)).toEqual(afterFirst);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.ended']);
  });

  it('lets the host decline a call still waiting: completed, nothing charged', async () => {
    const call = callIn('ringing');

    const { call: declined } = await endCall.execute({ actor: host, callId: call.id, request: { reason: 'host_declined' } });

    expect(declined).toMatchObject({ status: 'completed', end_reason: 'host_declined', total_charged: '0.00' });
    expect(fakes.outbox.subjects()).toEqual(['calls.call.ended']);
  });

  it('lets only the host decline, and only a call not yet started', async () => {
    const waiting = callIn('waiting');
    await expect(endCall.execute({ actor: guest, callId: waiting.id, request: { reason: 'host_declined' } })).rejects.toMatchObject({ code: ErrorCode.Forbidden });

    const active = callIn('active', 30);
    await expect(endCall.execute({ actor: host, callId: active.id, request: { reason: 'host_declined' } })).rejects.toMatchObject({ code: ErrorCode.Conflict });

    expect(fakes.calls.stored(waiting.id)?.status).toBe('waiting');
    expect(fakes.calls.stored(active.id)?.status).toBe('active');
    expect(fakes.outbox.events).toEqual([]);
  });

  it('keeps out those who are not participants: 403 for strangers and administrators alike', async () => {
    const call = callIn('active', 30);

    for (const actor of [anActor('user'), anActor('admin')]) {
      await expect(endCall.execute({ actor, callId: call.id, request: {} })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    expect(fakes.calls.stored(call.id)?.status).toBe('active');
  });
});
