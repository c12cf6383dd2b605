import { Controller, INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import { CreateLinkMessage, CreateLinkRequest, ErrorCode, LinkInfoDto, ShortCodeMessage } from '@vidivo/contracts';
import { firstValueFrom, of, throwError } from 'rxjs';
import { AppError, ErrorEnvelopeFilter, createValidationPipe } from '../errors';
import { Handles } from './handles.decorator';
import { InProcessBroker, InProcessClient, InProcessContext, InProcessServer } from './in-process.transport';
import { MessageBus } from './message-bus';

/** Resolves with the error a request ends with, or fails the test when it succeeds. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

function listening(broker: InProcessBroker, handlers: Record<string, (data: any, context?: InProcessContext) => Promise<unknown>>) {
  const server = new InProcessServer(broker);
  for (const [pattern, handler] of Object.entries(handlers)) server.addHandler(pattern, handler);
  server.listen(() => undefined);
  return server;
}

describe('in-process transport', () => {
  let broker: InProcessBroker;
  let client: InProcessClient;

  beforeEach(() => {
    broker = new InProcessBroker();
    client = new InProcessClient(broker);
  });

  const ask = (pattern: string, data: unknown) => firstValueFrom(client.send(pattern, data));

  describe('request/reply', () => {
    it('delivers the request to the handler of its subject and returns the reply', async () => {
      const received: unknown[] = [];
      listening(broker, {
        'links.info': async (data) => {
          received.push(data);
          return { short_code: data.short_code, is_active: true };
        },
      });
      await expect(ask('links.info', { short_code: 'abc123' })).resolves.toEqual({ short_code: 'abc123', is_active: true });
      expect(received).toEqual([{ short_code: 'abc123' }]);
    });

    it('tells the handler which subject it was reached on', async () => {
      let context: InProcessContext | undefined;
      listening(broker, {
        'links.info': async (_, ctx) => {
          context = ctx;
          return null;
        },
      });
      await ask('links.info', {});
      expect(context).toBeInstanceOf(InProcessContext);
      expect(context?.getArgs()).toEqual(['links.info']);
    });

    it('routes each subject to the server that handles it', async () => {
      listening(broker, { 'identity.users.me': async () => 'identity' });
      listening(broker, { 'links.info': async () => 'links' });
      await expect(ask('links.info', {})).resolves.toBe('links');
      await expect(ask('identity.users.me', {})).resolves.toBe('identity');
    });

    it('accepts handlers that answer with an Observable', async () => {
      listening(broker, { 'links.info': async () => of({ from: 'observable' }) });
      await expect(ask('links.info', {})).resolves.toEqual({ from: 'observable' });
    });

    it('answers many concurrent requests each with its own reply', async () => {
      listening(broker, {
        'links.info': async (data) => {
          await new Promise((resolve) => setTimeout(resolve, (data.n * 7) % 5));
          return { n: data.n };
        },
      });
      const replies = await Promise.all(Array.from({ length: 20 }, (_, n) => ask('links.info', { n })));
      expect(replies).toEqual(Array.from({ length: 20 }, (_, n) => ({ n })));
    });
  });

  describe('payloads travel as JSON, as over NATS', () => {
    it('hands the handler a copy of the request: its changes do not reach the caller', async () => {
      const request = { link: { label: 'original' }, tags: ['a'] };
      listening(broker, {
        'links.create': async (data) => {
          data.link.label = 'changed by the handler';
          data.tags.push('b');
          return { ok: true };
        },
      });
      await ask('links.create', request);
      expect(request).toEqual({ link: { label: 'original' }, tags: ['a'] });
    });

    it("returns a copy of the reply: changing it does not touch the handler's object", async () => {
      const kept = { link: { label: 'kept by the handler' }, uses: [1, 2] };
      listening(broker, { 'links.info': async () => kept });
      const reply = await ask('links.info', {});
      expect(reply).toEqual(kept);
      expect(reply).not.toBe(kept);
      reply.link.label = 'changed by the caller';
      reply.uses.push(3);
      expect(kept).toEqual({ link: { label: 'kept by the handler' }, uses: [1, 2] });
    });

    it('turns what JSON cannot carry into what NATS would deliver', async () => {
      let received: any;
      listening(broker, {
        'links.info': async (data) => {
          received = data;
          return { at: new Date('2026-03-22T00:00:00Z'), gone: undefined, count: 1 };
        },
      });
      class Dto {
        constructor(readonly label: string) {}
        describe() {
          return this.label;
        }
      }
      const reply = await ask('links.info', { at: new Date('2026-03-15T10:00:00Z'), dto: new Dto('x'), skipped: undefined, fn: () => 1 });
      expect(received).toEqual({ at: '2026-03-15T10:00:00.000Z', dto: { label: 'x' } });
      expect(received.dto).not.toBeInstanceOf(Dto);
      expect(Object.keys(received)).toEqual(['at', 'dto']);
      expect(reply).toEqual({ at: '2026-03-22T00:00:00.000Z', count: 1 });
      expect('gone' in reply).toBe(false);
    });
  });

  describe('unknown subjects', () => {
    it('fails a request nobody handles, as NATS mode does', async () => {
      await expect(failureOf(ask('links.info', {}))).resolves.toBe(NO_MESSAGE_HANDLER);
    });

    it('fails a request for a subject the listening servers do not handle', async () => {
      listening(broker, { 'identity.users.me': async () => 'me' });
      await expect(failureOf(ask('links.info', {}))).resolves.toBe(NO_MESSAGE_HANDLER);
    });

    it('does not reach a server that has not started listening', async () => {
      const server = new InProcessServer(broker);
      server.addHandler('links.info', async () => 'early');
      await expect(failureOf(ask('links.info', {}))).resolves.toBe(NO_MESSAGE_HANDLER);
      server.listen(() => undefined);
      await expect(ask('links.info', {})).resolves.toBe('early');
    });

    it('no longer reaches a server once it is closed', async () => {
      const server = listening(broker, { 'links.info': async () => 'open' });
      await expect(ask('links.info', {})).resolves.toBe('open');
      server.close();
      await expect(failureOf(ask('links.info', {}))).resolves.toBe(NO_MESSAGE_HANDLER);
    });

    it('closing one server leaves the others reachable, even when it is closed twice', async () => {
      const identity = listening(broker, { 'identity.users.me': async () => 'identity' });
      listening(broker, { 'links.info': async () => 'links' });
      identity.close();
      identity.close();
      await expect(ask('links.info', {})).resolves.toBe('links');
    });

    it('closing a server that never listened leaves the listening ones reachable', async () => {
      listening(broker, { 'links.info': async () => 'links' });
      new InProcessServer(broker).close();
      await expect(ask('links.info', {})).resolves.toBe('links');
    });
  });

  describe('errors', () => {
    it('delivers the error a handler answers with (what the error filter sends) as a copy of its body', async () => {
      const body = { code: 'not_found', message: 'Link not found' };
      listening(broker, { 'links.info': async () => throwError(() => body) });
      const error = await failureOf(ask('links.info', {}));
      expect(error).toEqual(body);
      expect(error).not.toBe(body);
    });

    it('fails the request, rather than leaving it hanging, when a handler throws', async () => {
      listening(broker, {
        'links.info': async () => {
          throw new Error('handler crashed');
        },
      });
      await expect(failureOf(ask('links.info', {}))).resolves.toBeTruthy();
    });

    it('keeps the server answering after a failure', async () => {
      let calls = 0;
      listening(broker, {
        'links.info': async () => {
          calls += 1;
          return calls === 1 ? throwError(() => ({ code: 'conflict', message: 'busy' })) : 'fine';
        },
      });
      await failureOf(ask('links.info', {}));
      await expect(ask('links.info', {})).resolves.toBe('fine');
    });
  });

  describe('events', () => {
    it('delivers an event to every listening server that handles it, each with its own copy', async () => {
      const seen: Array<{ by: string; data: any }> = [];
      const handler = (by: string) => async (data: any) => {
        seen.push({ by, data });
        data.mutated = by;
      };
      const first = new InProcessServer(broker);
      first.addHandler('calls.ended', handler('first'), true);
      first.listen(() => undefined);
      const second = new InProcessServer(broker);
      second.addHandler('calls.ended', handler('second'), true);
      second.listen(() => undefined);
      listening(broker, { 'links.info': async () => 'not an event handler' });

      const event = { call_id: 'c1', at: new Date('2026-03-15T14:07:30Z') };
      await firstValueFrom(client.emit('calls.ended', event), { defaultValue: undefined });

      expect(seen.map((entry) => entry.by).sort()).toEqual(['first', 'second']);
      for (const { data } of seen) expect(data).toMatchObject({ call_id: 'c1', at: '2026-03-15T14:07:30.000Z' });
      expect(seen[0].data).not.toBe(seen[1].data);
      expect(event).toEqual({ call_id: 'c1', at: new Date('2026-03-15T14:07:30Z') });
    });
  });
});

describe('in-process transport inside Nest, as standalone mode runs it', () => {
  const badLink = { rate_per_minute: '0.10', window_size_minutes: 10 };
  const actor = { id: '01JN2X4K8M3F7QPZRVWT6YBHCE', role: 'host', username: 'janecoach' };
  const received: unknown[] = [];

  @Controller()
  class ProbeHandler {
    @Handles('links.info')
    info(@Payload() { short_code }: ShortCodeMessage): LinkInfoDto {
      if (short_code === 'gone00') throw AppError.notFound('Link');
      if (short_code === 'used00') throw new AppError(ErrorCode.Conflict, 'This link has reached its maximum number of uses', [{ field: 'short_code', message: 'used up' }]);
      if (short_code === 'boom00') throw new Error('duplicate key value violates unique constraint "call_links_short_code_key"');
      return {
        short_code,
        host: { display_name: 'Jane Smith', avatar_url: null, username: 'janecoach' },
        rate_per_minute: '2.50',
        host_online: false,
        window_size_minutes: 10,
        is_active: true,
      };
    }

    @Handles('links.create')
    create(@Payload() message: CreateLinkMessage): never {
      received.push(message);
      throw AppError.forbidden('Only hosts can create call links');
    }
  }

  @Module({ controllers: [ProbeHandler] })
  class ProbeModule {}

  let app: INestMicroservice;
  let bus: MessageBus;
  let logged: jest.SpyInstance;

  beforeAll(async () => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const broker = new InProcessBroker();
    app = await NestFactory.createMicroservice(ProbeModule, { strategy: new InProcessServer(broker), logger: false });
    app.useGlobalFilters(new ErrorEnvelopeFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.listen();
    bus = new MessageBus(new InProcessClient(broker));
  });

  afterAll(async () => {
    await app.close();
    logged.mockRestore();
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('answers a request through the message bus', async () => {
    await expect(bus.request('links.info', { short_code: 'abc123' })).resolves.toMatchObject({ short_code: 'abc123', rate_per_minute: '2.50' });
  });

  it('brings an AppError back to the caller with its code, message and details', async () => {
    const error = (await failureOf(bus.request('links.info', { short_code: 'used00' }))) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.toBody()).toEqual({
      code: 'conflict',
      message: 'This link has reached its maximum number of uses',
      details: [{ field: 'short_code', message: 'used up' }],
    });
  });

  it.each([
    ['not_found', 'gone00', 'Link not found'],
    ['forbidden', undefined, 'Only hosts can create call links'],
  ])('keeps the code %s across the bus', async (code, shortCode, message) => {
    const request =
      shortCode === undefined
        ? bus.request('links.create', { actor, link: { rate_per_minute: '2.50', window_size_minutes: 10 } } as CreateLinkMessage)
        : bus.request('links.info', { short_code: shortCode });
    const error = (await failureOf(request)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect({ code: error.code, message: error.message }).toEqual({ code, message });
  });

  it('validates the payload on arrival and answers validation_error with nested field paths', async () => {
    const error = (await failureOf(bus.request('links.create', { actor, link: badLink } as CreateLinkMessage))) as AppError;
    expect(error.code).toBe(ErrorCode.ValidationError);
    expect(error.details).toEqual([{ field: 'link.rate_per_minute', message: expect.any(String) }]);
    expect(received).toEqual([]);
  });

  it("hands the handler a validated instance of the message class, not the caller's object", async () => {
    const message = { actor, link: { rate_per_minute: '2.50', window_size_minutes: 10, label: '  Alex ' } } as CreateLinkMessage;
    await failureOf(bus.request('links.create', message));
    expect(received).toHaveLength(1);
    const [arrived] = received as CreateLinkMessage[];
    expect(arrived).toBeInstanceOf(CreateLinkMessage);
    expect(arrived.link).toBeInstanceOf(CreateLinkRequest);
    expect(arrived.link.label).toBe('Alex');
    expect(arrived.link).not.toBe(message.link);
    expect(message.link.label).toBe('  Alex ');
  });

  it('hides an unexpected error behind internal_error with an error id', async () => {
    const error = (await failureOf(bus.request('links.info', { short_code: 'boom00' }))) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(ErrorCode.InternalError);
    expect(error.message).toMatch(/error id [0-9a-f-]{36}/);
    expect(error.message).not.toContain('call_links');
  });

  it('turns a subject nobody answers into a retryable service_unavailable naming the subject', async () => {
    const error = (await failureOf(bus.request('identity.auth.jwks', {}))) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.toBody()).toEqual({ code: 'service_unavailable', message: 'No answer from identity.auth.jwks; try again shortly' });
  });

  it('reports the in-process transport as connected', async () => {
    await expect(bus.isConnected()).resolves.toBe(true);
  });
});
