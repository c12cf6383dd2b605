import { ClientProxy, ClientProxyFactory, MessageHandler, Transport } from '@nestjs/microservices';
import { testEnvironment, sleep, until } from '@vidivo/testing';
import type { NatsConnection } from 'nats';
import { randomBytes } from 'node:crypto';
import { defer, firstValueFrom, timeout } from 'rxjs';
import { GracefulNatsServer } from '@vidivo/platform';

jest.setTimeout(30_000);

describe('GracefulNatsServer (real NATS)', () => {
  const run = randomBytes(4).toString('hex');
  const subject = `probe.slow.${run}`;
  const queue = `probe-${run}`;
  const servers: GracefulNatsServer[] = [];
  let client: ClientProxy;

  /** One replica in the queue group; its handler answers with its name after delayMs, as Nest's router does (an observable run on subscription). */
  const replica = async (name: string, delayMs: number, onStart: () => void = () => undefined, onAnswer: () => void = () => undefined) => {
    const server = new GracefulNatsServer({ servers: [testEnvironment.natsUrl], queue });
    const handler = (async () =>
      defer(async () => {
        onStart();
        await sleep(delayMs);
        onAnswer();
        return { replica: name };
      })) as unknown as MessageHandler;
    server.addHandler(subject, handler);
    await new Promise<void>((resolve, reject) => {
      void server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(`listen failed: ${JSON.stringify(error)}`)) : resolve()));
    });
    await server.unwrap<NatsConnection>().flush();
    servers.push(server);
    return server;
  };

  const ask = () => firstValueFrom(client.send<{ replica: string }>(subject, {}).pipe(timeout(5_000)));

  beforeAll(() => {
    client = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [testEnvironment.natsUrl] } });
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
    await client?.close();
  });

  it('answers the requests it took before closing, while new ones go to the other replicas', async () => {
    let started = false;
    let answering = false;
    const a = await replica(
      'a',
      800,
      () => (started = true),
      () => (answering = true),
    );
    const taken = ask();
    await until(() => started);
    await replica('b', 0);

    // Seen from the server: the client's receipt of the answer may trail the server's close by a moment.
    const closing = a.close().then(() => answering);
    await sleep(200);
    await expect(ask()).resolves.toEqual({ replica: 'b' });

    await expect(taken).resolves.toEqual({ replica: 'a' });
    // close() resolved only once the handler had answered.
    await expect(closing).resolves.toBe(true);
  });
});
