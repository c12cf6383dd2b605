import { Actor, CallStatus, ErrorCode } from '@vidivo/contracts';
import { ulid } from 'ulid';
import { CallEntity } from '../../calls/call.entity';
import { callFromLink } from '../../calls/call.factory';
import { CallsFakes, aLinkClaim, anActor, callsFakes, standIn } from '../../testing';
import { HostJoinCallUseCase } from './host-join-call.use-case';

describe('HostJoinCallUseCase', () => {
  let fakes: CallsFakes;
  let hostJoinCall: HostJoinCallUseCase;
  let host: Actor;
  let guest: Actor;

  beforeEach(() => {
    fakes = callsFakes();
    hostJoinCall = new HostJoinCallUseCase(standIn(fakes.calls), fakes.transitions, standIn(fakes.access));
    host = anActor('host');
    guest = anActor('user');
  });

  function callIn(status: CallStatus): CallEntity {
    const call = Object.assign(callFromLink(ulid(), aLinkClaim(host.id), 'Hana Host', { id: guest.id, displayName: 'Gus Guest' }, new Date()), { status });
    fakes.calls.seed(call);
    return call;
  }

  it.each(['waiting', 'ringing'] as const)('starts a %s call and its clock, and gives the host signaling access', async (status) => {
    const call = callIn(status);

    const joined = await hostJoinCall.execute({ actor: host, callId: call.id });

    expect(joined.call).toMatchObject({ id: call.id, status: 'active', started_at: expect.any(String) });
    expect(joined.signaling_token).toBe(`st_${call.id}_host`);
    const stored = fakes.calls.stored(call.id)!;
    expect(stored.startedAt).toEqual(stored.hostJoinedAt);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.started']);
  });

  it.each(['active', 'completed', 'missed', 'failed'] as const)('refuses (409) a call that is already %s, changing nothing', async (status) => {
    const call = callIn(status);

    await expect(hostJoinCall.execute({ actor: host, callId: call.id })).rejects.toMatchObject({ code: ErrorCode.Conflict });

    expect(fakes.calls.stored(call.id)).toEqual(call);
    expect(fakes.outbox.events).toEqual([]);
    expect(fakes.access.granted).toEqual([]);
  });

  it('lets only the host in as host: the guest and strangers are refused (403)', async () => {
    const call = callIn('waiting');

    for (const actor of [guest, anActor('host'), anActor('admin')]) {
      await expect(hostJoinCall.execute({ actor, callId: call.id })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    expect(fakes.calls.stored(call.id)?.status).toBe('waiting');
  });

  it('answers 404 for an unknown or malformed call id', async () => {
    await expect(hostJoinCall.execute({ actor: host, callId: ulid() })).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(hostJoinCall.execute({ actor: host, callId: 'not-a-call' })).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});
