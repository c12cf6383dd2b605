import { Controller, INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, NatsRecordBuilder } from '@nestjs/microservices';
import { headers } from 'nats';
import type { MetricValueWithName } from 'prom-client';
import { firstValueFrom } from 'rxjs';
import { AppError, ErrorEnvelopeFilter } from '../errors';
import { Handles, InProcessBroker, InProcessClient, InProcessContext, InProcessServer, MessageBus } from '../messaging';
import { MessageHandlingInterceptor } from './message-handling.interceptor';
import { metricsRegistry } from './metrics.registry';
import { REQUEST_ID_HEADER, currentRequestId, runWithRequestContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Seen {
  context_id: string | undefined;
  header: string | null;
}

@Controller()
class ProbeHandler {
  @Handles('links.info')
  info(@Ctx() message: InProcessContext): Seen {
    return { context_id: currentRequestId(), header: message.getHeaders()?.get(REQUEST_ID_HEADER) || null };
  }

  @Handles('links.deactivate')
  deactivate(): never {
    throw AppError.notFound('Link');
  }
}

@Module({ controllers: [ProbeHandler] })
class ProbeModule {}

/** The sample count of a histogram series, from the process registry. */
async function samples(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const values = (metric?.values ?? []) as Array<MetricValueWithName<string>>;
  const series = values.find((value) => value.metricName === `${name}_count` && Object.entries(labels).every(([key, expected]) => value.labels[key] === expected));
  return series?.value ?? 0;
}

describe('request ids and bus metrics across request/reply (in-process transport, a real Nest microservice)', () => {
  let broker: InProcessBroker;
  let microservice: INestMicroservice;
  let client: InProcessClient;
  let bus: MessageBus;

  beforeAll(async () => {
    broker = new InProcessBroker();
    microservice = await NestFactory.createMicroservice(ProbeModule, { strategy: new InProcessServer(broker), logger: false });
    microservice.useGlobalFilters(new ErrorEnvelopeFilter());
    microservice.useGlobalInterceptors(new MessageHandlingInterceptor());
    await microservice.listen();
    client = new InProcessClient(broker);
    bus = new MessageBus(client);
  });

  afterAll(async () => {
    await microservice?.close();
  });

  const ask = (data: unknown) => firstValueFrom(client.send<Seen>('links.info', data));
  const withHeader = (requestId: string) => {
    const carried = headers();
    carried.set(REQUEST_ID_HEADER, requestId);
    return new NatsRecordBuilder({ short_code: 'abc123' }).setHeaders(carried).build();
  };

  it('sends the id of the current request in the X-Request-Id header', async () => {
    const seen = await runWithRequestContext({ requestId: 'abc-123' }, () => bus.request('links.info', { short_code: 'abc123' }));
    expect(seen).toEqual({ context_id: 'abc-123', header: 'abc-123' });
  });

  it('sends no header outside a request; the handler gets an id of its own', async () => {
    const seen = (await bus.request('links.info', { short_code: 'abc123' })) as unknown as Seen;
    expect(seen.header).toBeNull();
    expect(seen.context_id).toMatch(UUID);
  });

  it('handles a message in the request named by its header, as one from another process (no shared async context)', async () => {
    await expect(ask(withHeader('from-another-process'))).resolves.toEqual({ context_id: 'from-another-process', header: 'from-another-process' });
  });

  it('logs the handling of a message once, inside its request (so the line carries the id)', async () => {
    const logged: Array<{ line: unknown; requestId: string | undefined }> = [];
    const spy = jest.spyOn(Logger.prototype, 'log').mockImplementation((line: unknown) => void logged.push({ line, requestId: currentRequestId() }));
    try {
      await ask(withHeader('logged-123'));
      await expect(firstValueFrom(client.send('links.deactivate', withHeader('logged-456')))).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      spy.mockRestore();
    }
    expect(logged).toEqual([
      { line: expect.objectContaining({ msg: 'message handled', subject: 'links.info', outcome: 'ok' }), requestId: 'logged-123' },
      { line: expect.objectContaining({ msg: 'message handled', subject: 'links.deactivate', outcome: 'not_found' }), requestId: 'logged-456' },
    ]);
  });

  it('gives a message whose header is not a sane request id a new one', async () => {
    const seen = await ask(withHeader('not sane: "quoted" and spaced'));
    expect(seen.context_id).toMatch(UUID);
  });

  it('records each request on both sides, by subject and outcome', async () => {
    const before = {
      askedOk: await samples('bus_request_duration_seconds', { subject: 'links.info', outcome: 'ok' }),
      handledOk: await samples('bus_handle_duration_seconds', { subject: 'links.info', outcome: 'ok' }),
      handledNotFound: await samples('bus_handle_duration_seconds', { subject: 'links.deactivate', outcome: 'not_found' }),
    };
    await bus.request('links.info', { short_code: 'abc123' });
    await expect(bus.request('links.deactivate', { actor: { id: 'x', role: 'host', username: null }, short_code: 'abc123' } as never)).rejects.toMatchObject({ code: 'not_found' });
    await expect(bus.request('links.create', {} as never)).rejects.toMatchObject({ code: 'service_unavailable' });

    expect(await samples('bus_request_duration_seconds', { subject: 'links.info', outcome: 'ok' })).toBe(before.askedOk + 1);
    expect(await samples('bus_handle_duration_seconds', { subject: 'links.info', outcome: 'ok' })).toBe(before.handledOk + 1);
    expect(await samples('bus_request_duration_seconds', { subject: 'links.deactivate', outcome: 'not_found' })).toBe(1);
    expect(await samples('bus_handle_duration_seconds', { subject: 'links.deactivate', outcome: 'not_found' })).toBe(before.handledNotFound + 1);
    // Nobody handles links.create here: the asking side says so, and nothing was handled.
    expect(await samples('bus_request_duration_seconds', { subject: 'links.create', outcome: 'no_answer' })).toBe(1);
    expect(await samples('bus_handle_duration_seconds', { subject: 'links.create' })).toBe(0);
  });
});
