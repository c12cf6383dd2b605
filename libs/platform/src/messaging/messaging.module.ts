import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { BUS_CLIENT, MessageBus } from './message-bus';
import { TransportChoice, createClient } from './transport';

@Global()
@Module({})
export class MessagingModule {
  static forRoot(choice: TransportChoice): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: BUS_CLIENT, inject: [AppConfig], useFactory: (config: AppConfig) => createClient(choice, config) }, MessageBus],
      exports: [MessageBus],
    };
  }
}
