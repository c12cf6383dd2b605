import { ClientProxy, ClientProxyFactory, CustomStrategy, NatsOptions, Transport } from '@nestjs/microservices';
import { AppConfig } from '../config';
import { EventTransport } from '../events/event-transport';
import { JetStreamEvents } from '../events/jetstream-events';
import { GracefulNatsServer } from './graceful-nats.server';
import { InProcessBroker, InProcessClient, InProcessServer } from './in-process.transport';
import { natsConnectionOptions } from './nats-connection';

/**
 * Which wire the apps of this process talk over. Chosen by the composition (an app's main, or
 * standalone), never by a domain app itself.
 */
export const TRANSPORT_CHOICE = Symbol('TRANSPORT_CHOICE');

export type TransportChoice = { kind: 'nats' } | { kind: 'in-process'; broker: InProcessBroker };

export function createClient(choice: TransportChoice, config: AppConfig): ClientProxy {
  if (choice.kind === 'in-process') return new InProcessClient(choice.broker);
  return ClientProxyFactory.create({ transport: Transport.NATS, options: natsConnectionOptions(config.natsUrl, 'vidivo-requests') });
}

/**
 * The server side. Over NATS, every replica of an app joins the app's queue group, so each
 * request is handled once, and a replica shutting down answers what it took (GracefulNatsServer).
 */
export function createServerOptions(choice: TransportChoice, config: AppConfig, queue: string): NatsOptions | CustomStrategy {
  if (choice.kind === 'in-process') return { strategy: new InProcessServer(choice.broker) };
  return { strategy: new GracefulNatsServer({ ...natsConnectionOptions(config.natsUrl, `vidivo-${queue}`), queue }) };
}

/** The wire for domain events: JetStream between processes, direct calls inside one. */
export function createEventTransport(choice: TransportChoice, config: AppConfig): EventTransport {
  return choice.kind === 'in-process' ? choice.broker.events : new JetStreamEvents(config.natsUrl, { streamReplicas: config.eventsStreamReplicas });
}
