import { SchedulerRegistry } from '@nestjs/schedule';
// A test-only import: platform must not depend on the test helpers built on it.
import { eventually, testEnvironment } from '@vidivo/testing';
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { NatsKvPresence, PeriodicJobs, PresenceRecord, PresenceTiming, loadConfig } from '@vidivo/platform';

jest.setTimeout(20_000);

/** Presence between processes on the machine's NATS (JetStream key-value), with short timings. */
describe('NatsKvPresence (real NATS JetStream)', () => {
  const timing: PresenceTiming = { bucket: `presence_test_${randomBytes(4).toString('hex')}`, refreshMs: 300, ttlMs: 1_200 };
  const opened: NatsKvPresence[] = [];
  const replica = async () => {
    const presence = new NatsKvPresence(testEnvironment.natsUrl, new PeriodicJobs(new SchedulerRegistry(), loadConfig({})), timing);
    opened.push(presence);
    await presence.start();
    return presence;
  };

  afterAll(async () => {
    await Promise.all(opened.map((presence) => presence.close()));
    const nc = await connect({ servers: [testEnvironment.natsUrl] });
    await (await nc.jetstreamManager()).streams.delete(`KV_${timing.bucket}`).catch(() => undefined);
    await nc.close();
  });

  it("shows one process's entries to another, and forgets them when withdrawn", async () => {
    const [a, b] = [await replica(), await replica()];
    a.announce('host.H1.c1', { since: 1 });
    expect(
      await eventually(
        async () => b.list('host.H1.'),
        (records) => records.length === 1,
      ),
    ).toEqual([expect.objectContaining({ key: 'host.H1.c1', value: { since: 1 } })]);
    a.withdraw('host.H1.c1');
    expect(
      await eventually(
        async () => b.list('host.H1.'),
        (records) => records.length === 0,
      ),
    ).toEqual([]);
  });

  it('keeps an entry alive while its process refreshes it, past the TTL', async () => {
    const [a, b] = [await replica(), await replica()];
    const lost: PresenceRecord[] = [];
    b.onLost((record) => lost.push(record));
    a.announce('peer.C1.guest', { conn: 'x' });
    await new Promise((resolve) => setTimeout(resolve, timing.ttlMs * 2));
    expect(b.list('peer.C1.')).toHaveLength(1);
    expect(lost).toEqual([]);
    a.withdraw('peer.C1.guest');
  });

  it('reports the entries of a process that died (no withdraw) as lost, everywhere, within the TTL', async () => {
    const [dying, b, c] = [await replica(), await replica(), await replica()];
    const lostAtB: PresenceRecord[] = [];
    const lostAtC: PresenceRecord[] = [];
    b.onLost((record) => lostAtB.push(record));
    c.onLost((record) => lostAtC.push(record));
    dying.announce('peer.C2.host', { conn: 'dies' });
    await eventually(
      async () => b.list('peer.C2.'),
      (records) => records.length === 1,
    );
    const diedAt = Date.now();
    // Killed outright: its connection is gone and nothing is withdrawn or refreshed any more.
    await (dying as unknown as { connection: { close(): Promise<void> } }).connection.close();
    await eventually(
      async () => lostAtB.length + lostAtC.length,
      (count) => count === 2,
      5_000,
    );
    expect(lostAtB).toEqual([expect.objectContaining({ key: 'peer.C2.host', value: { conn: 'dies' } })]);
    expect(lostAtC).toEqual([expect.objectContaining({ key: 'peer.C2.host' })]);
    expect(Date.now() - diedAt).toBeLessThan(timing.ttlMs + 2_000);
    // Lost at its last refresh: what the grace and the abandoned-call rule count from.
    expect(lostAtB[0].refreshedAt).toBeLessThanOrEqual(diedAt);
    expect(b.list('peer.C2.')).toEqual([]);
  });
});
