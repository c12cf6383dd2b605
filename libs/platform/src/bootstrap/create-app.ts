import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { DestinationStream, Logger } from 'pino';
import { AppConfig, AppSettings, ConfigModule } from '../config';
import { HealthModule } from '../health';
import { configureHttp } from '../http';
import { MessagingModule, TransportChoice, createServerOptions } from '../messaging';
import { LoggingModule, MessageHandlingInterceptor, MetricsModule, ROOT_LOGGER, nestLoggerOver } from '../observability';
import { bindInterceptor, messageHandlers } from './bind-interceptor';

type ModuleImport = NonNullable<DynamicModule['imports']>[number];

export interface AppDefinition {
  /** Names the process in logs and, over NATS, the queue group its replicas share. */
  name: string;
  /** The feature modules this process runs. */
  imports: ModuleImport[];
  /** The schemas this process owns (checked by /health/ready). */
  databases: string[];
  /** The settings only these apps read (each app's `<app>.settings.ts`), validated at start and injected by token. */
  settings?: AppSettings[];
  /** Whether it answers messages from other apps (domain apps do; the gateway only asks). */
  answersMessages: boolean;
  /** Runs once the HTTP app exists, before it listens: what one app adds to the HTTP side (the gateway's API docs). */
  configure?: (app: INestApplication) => void;
}

export interface AppRuntime {
  config: AppConfig;
  transport: TransportChoice;
  /** Runs after the app has closed on SIGTERM/SIGINT: what the composition started itself (embedded Postgres). */
  afterClose?: () => Promise<void>;
  /** Where the JSON log lines go; stdout unless given (tests read them). */
  logDestination?: DestinationStream;
}

@Module({})
class PlatformRootModule {}

/**
 * Builds one process from app definitions. Each app's main, the standalone composition and the
 * tests all build processes this way, so they differ only in what they compose and how it talks.
 */
export async function createApp(definition: AppDefinition, runtime: AppRuntime): Promise<INestApplication> {
  const { config, transport } = runtime;
  // Every app's settings at once, so a bad start names every variable; before any module is built.
  config.settingsOfAll(definition.settings ?? []);
  const root: DynamicModule = {
    module: PlatformRootModule,
    imports: [
      ConfigModule.forRoot(config, definition.settings),
      LoggingModule.forRoot({ app: definition.name, level: config.logLevel, destination: runtime.logDestination }),
      MetricsModule,
      MessagingModule.forRoot(transport),
      HealthModule.forRoot({ databases: definition.databases }),
      ...definition.imports,
    ],
  };
  // rawBody: Stripe's webhook signature is over the exact bytes sent (decision 26).
  const app = await NestFactory.create(root, { bufferLogs: true, abortOnError: false, rawBody: true });
  const rootLogger = app.get<Logger>(ROOT_LOGGER);
  app.useLogger(nestLoggerOver(rootLogger));
  configureHttp(app, config, rootLogger);
  definition.configure?.(app);
  if (definition.answersMessages) {
    // On the message handlers only: a global interceptor would put every HTTP request through Nest's interceptor chain for nothing.
    const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()].map(({ metatype }) => metatype as Type));
    bindInterceptor(controllers, messageHandlers, new MessageHandlingInterceptor());
    app.connectMicroservice(createServerOptions(transport, config, definition.name), { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  return app;
}
