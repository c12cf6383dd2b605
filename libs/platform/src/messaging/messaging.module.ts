import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { EventTransport } from '../events/event-transport';
import { AppConfig } from '../config';
import { BUS_CLIENT, MessageBus } from './message-bus';
import { TRANSPORT_CHOICE, TransportChoice, createClient, createEventTransport } from './transport';

@Injectable()
class EventTransportCloser implements OnApplicationShutdown {
  constructor(private readonly events: EventTransport) {}

  onApplicationShutdown(): Promise<void> {
    return this.events.close();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(choice: TransportChoice): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: BUS_CLIENT, inject: [AppConfig], useFactory: (config: AppConfig) => createClient(choice, config) },
        { provide: EventTransport, inject: [AppConfig], useFactory: (config: AppConfig) => createEventTransport(choice, config) },
        { provide: TRANSPORT_CHOICE, useValue: choice },
        MessageBus,
        EventTransportCloser,
      ],
      exports: [MessageBus, EventTransport, TRANSPORT_CHOICE],
    };
  }
}
