import { SchedulerRegistry } from '@nestjs/schedule';
import { DomainEvent, EventSubject } from '@vidivo/contracts';
import { TestDatabase, createTestDatabase, testEnvironment, until } from '@vidivo/testing';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ulid } from 'ulid';
import { InProcessEvents, JetStreamEvents, Outbox, OutboxRelay, PeriodicJobs, createEventTables, loadConfig } from '@vidivo/platform';

jest.setTimeout(30_000);

const probeEvent = (subject: string, marker: string): DomainEvent =>
  ({ id: ulid(), subject, version: 1, occurred_at: new Date().toISOString(), payload: { marker } }) as unknown as DomainEvent;

describe('outbox and relay (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let transport: InProcessEvents;
  let relay: OutboxRelay;
  let outbox: Outbox;
  const handled: DomainEvent[] = [];
  let failuresLeft = 0;
  let whileHandling: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('events');
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    const runner = dataSource.createQueryRunner();
    await runner.query(`CREATE SCHEMA probe`);
    await createEventTables(runner, 'probe');
    await runner.release();
    transport = new InProcessEvents();
    await transport.subscribe({
      consumer: 'probe',
      subject: 'calls.call.created',
      handle: async (event) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('consumer is down');
        }
        await whileHandling?.();
        handled.push(event);
      },
    });
    outbox = new Outbox('probe');
    const config = loadConfig({ DATABASE_URL: database.url });
    relay = new OutboxRelay('probe', dataSource, transport, config, new PeriodicJobs(new SchedulerRegistry(), config));
    await relay.onApplicationBootstrap();
  });

  afterAll(async () => {
    await relay?.onApplicationShutdown();
    await dataSource?.destroy();
    await database?.drop();
  });

  const add = (marker: string) => dataSource.transaction((transaction) => outbox.add(transaction, 'calls.call.created', { marker } as never));

  it('delivers a committed event promptly (woken by NOTIFY, not the poll)', async () => {
    const event = await add('prompt');
    const started = Date.now();
    await until(() => handled.some((e) => e.id === event.id));
    expect(Date.now() - started).toBeLessThan(900);
    const [row] = await dataSource.query(`SELECT published_at, attempts FROM probe.outbox WHERE id = $1`, [event.id]);
    expect(row.published_at).not.toBeNull();
    expect(row.attempts).toBe(0);
  });

  it('never delivers an event whose transaction rolled back', async () => {
    const marker = `rolled-back-${randomBytes(4).toString('hex')}`;
    await expect(
      dataSource.transaction(async (transaction) => {
        await outbox.add(transaction, 'calls.call.created', { marker } as never);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await relay.flush();
    expect(handled.some((e) => (e.payload as unknown as { marker: string }).marker === marker)).toBe(false);
    expect(await dataSource.query(`SELECT 1 FROM probe.outbox WHERE payload->'payload'->>'marker' = $1`, [marker])).toEqual([]);
  });

  it('keeps an event a consumer failed on and delivers it again later, recording why', async () => {
    failuresLeft = 1;
    const event = await add('retried');
    await until(async () => (await dataSource.query(`SELECT attempts FROM probe.outbox WHERE id = $1`, [event.id]))[0].attempts === 1);
    const [failed] = await dataSource.query(`SELECT published_at, last_error FROM probe.outbox WHERE id = $1`, [event.id]);
    expect(failed).toEqual({ published_at: null, last_error: 'consumer is down' });
    await until(() => handled.some((e) => e.id === event.id), 5_000);
    expect(handled.filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('keeps no transaction open while a consumer runs (decision 32)', async () => {
    const seen: string[] = [];
    whileHandling = async () => {
      const rows: Array<{ state: string }> = await dataSource.query(`SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      seen.push(...rows.map((row) => row.state));
    };
    try {
      const event = await add('no-transaction');
      await until(() => handled.some((e) => e.id === event.id));
    } finally {
      whileHandling = undefined;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain('idle in transaction');
  });

  it('sends a row leased by a relay that died again once its lease has run out', async () => {
    const event = await add('leased');
    await until(() => handled.some((e) => e.id === event.id));
    await dataSource.query(`UPDATE probe.outbox SET published_at = NULL, next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [event.id]);
    await relay.flush();
    expect(handled.filter((e) => e.id === event.id)).toHaveLength(1);

    await dataSource.query(`UPDATE probe.outbox SET next_attempt_at = now() WHERE id = $1`, [event.id]);
    await relay.flush();
    expect(handled.filter((e) => e.id === event.id)).toHaveLength(2);
  });

  it('delivers every one of many events exactly once through one relay', async () => {
    const events = await Promise.all(Array.from({ length: 120 }, (_, i) => add(`bulk-${i}`)));
    await until(() => events.every((event) => handled.some((e) => e.id === event.id)));
    for (const event of events) expect(handled.filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('prunes rows published over a week ago by a periodic job, shortly after start, and keeps the newer ones', async () => {
    const [old, recent] = [ulid(), ulid()];
    for (const [id, age] of [
      [old, '8 days'],
      [recent, '6 days'],
    ]) {
      await dataSource.query(`INSERT INTO probe.outbox (id, subject, payload, published_at) VALUES ($1, 'calls.call.created', '{}', now() - $2::interval)`, [id, age]);
    }
    const config = loadConfig({ DATABASE_URL: database.url });
    const jobs = new PeriodicJobs(new SchedulerRegistry(), config);
    const pruner = new OutboxRelay('probe', dataSource, transport, config, jobs);
    await pruner.onApplicationBootstrap();
    try {
      const left = async () => (await dataSource.query<{ id: string }[]>(`SELECT id FROM probe.outbox WHERE id = ANY($1)`, [[old, recent]])).map((row) => row.id);
      await until(async () => !(await left()).includes(old));
      expect(await left()).toEqual([recent]);
    } finally {
      await pruner.onApplicationShutdown();
      await jobs.beforeApplicationShutdown();
    }
  });
});

describe('JetStream event transport (real NATS)', () => {
  let transport: JetStreamEvents;
  // A subject of the stream no app consumes, unique to this run: no history, no other consumer.
  const subject = `billing.payment.probe-${randomBytes(4).toString('hex')}` as EventSubject;
  const received: DomainEvent[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    transport = new JetStreamEvents(testEnvironment.natsUrl);
    await transport.subscribe({
      consumer: `probe-${randomBytes(4).toString('hex')}`,
      subject,
      handle: async (event) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('not yet');
        }
        received.push(event);
      },
    });
  });

  afterAll(() => transport?.close());

  it('carries an event to a durable consumer', async () => {
    const event = probeEvent(subject, 'one');
    await transport.publish(event);
    await until(() => received.some((e) => e.id === event.id));
    expect(received.find((e) => e.id === event.id)).toEqual(event);
  });

  it('drops a second publish of the same event id (a relay resend after a crash)', async () => {
    const event = probeEvent(subject, 'twice');
    await transport.publish(event);
    await transport.publish(event);
    const marker = probeEvent(subject, 'after');
    await transport.publish(marker);
    await until(() => received.some((e) => e.id === marker.id));
    expect(received.filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('redelivers an event whose handler failed until it succeeds', async () => {
    failuresLeft = 2;
    const event = probeEvent(subject, 'retry');
    await transport.publish(event);
    await until(() => received.some((e) => e.id === event.id), 15_000);
    expect(failuresLeft).toBe(0);
    expect(received.filter((e) => e.id === event.id)).toHaveLength(1);
  });
});

describe('JetStream event transport shutting down (real NATS)', () => {
  it('lets the running handler finish and acknowledge before closing, and hands back what it had not started', async () => {
    const run = randomBytes(4).toString('hex');
    const subject = `billing.payment.probe-${run}` as EventSubject;
    const consumer = `probe-stop-${run}`;
    const started: string[] = [];
    const finished: string[] = [];
    const replica = new JetStreamEvents(testEnvironment.natsUrl);
    await replica.subscribe({
      consumer,
      subject,
      handle: async (event) => {
        started.push(event.id);
        await new Promise((resolve) => setTimeout(resolve, 500));
        finished.push(event.id);
      },
    });
    const running = probeEvent(subject, 'running');
    const waiting = probeEvent(subject, 'waiting');
    await replica.publish(running);
    await replica.publish(waiting);
    await until(() => started.length > 0);

    await replica.close();
    expect({ started, finished }).toEqual({ started: [running.id], finished: [running.id] });

    // The next replica gets the event not started (at once, not after the ack wait), never the finished one.
    const next = new JetStreamEvents(testEnvironment.natsUrl);
    const received: string[] = [];
    await next.subscribe({ consumer, subject, handle: async (event) => void received.push(event.id) });
    try {
      await until(() => received.includes(waiting.id), 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toEqual([waiting.id]);
    } finally {
      await next.close();
    }
  });
});
