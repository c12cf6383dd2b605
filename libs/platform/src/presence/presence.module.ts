import { Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config';
import { TRANSPORT_CHOICE, TransportChoice } from '../messaging/transport';
import { JobsModule, PeriodicJobs } from '../schedule';
import { NatsKvPresence } from './nats-kv-presence';
import { Presence } from './presence';

/** Starts mirroring the presence bucket with the app (so lookups see it), and withdraws this process's entries on a clean stop. */
@Injectable()
class PresenceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly presence: Presence) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.presence instanceof NatsKvPresence) await this.presence.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.presence instanceof NatsKvPresence) await this.presence.close();
  }
}

/**
 * Presence for the apps that need it (signaling writes it, links reads hosts' status): the
 * process's shared in-memory store in standalone mode, the NATS key-value bucket otherwise.
 */
@Module({
  imports: [JobsModule],
  providers: [
    {
      provide: Presence,
      inject: [TRANSPORT_CHOICE, AppConfig, PeriodicJobs],
      useFactory: (choice: TransportChoice, config: AppConfig, jobs: PeriodicJobs) =>
        choice.kind === 'in-process' ? choice.broker.presence : new NatsKvPresence(config.natsUrl, jobs),
    },
    PresenceLifecycle,
  ],
  exports: [Presence],
})
export class PresenceModule {}
