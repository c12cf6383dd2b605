import { DynamicModule, INestApplication, LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigModule } from '../config';
import { HealthModule } from '../health';
import { configureHttp } from '../http';
import { MessagingModule, TransportChoice, createServerOptions } from '../messaging';

type ModuleImport = NonNullable<DynamicModule['imports']>[number];

export interface AppDefinition {
  /** Names the process in logs and, over NATS, the queue group its replicas share. */
  name: string;
  /** The feature modules this process runs. */
  imports: ModuleImport[];
  /** The schemas this process owns (checked by /health/ready). */
  databases: string[];
  /** Whether it answers messages from other apps (domain apps do; the gateway only asks). */
  answersMessages: boolean;
}

export interface AppRuntime {
  config: AppConfig;
  transport: TransportChoice;
  /** Runs after the app has closed on SIGTERM/SIGINT: what the composition started itself (embedded Postgres). */
  afterClose?: () => Promise<void>;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

@Module({})
class PlatformRootModule {}

/**
 * Builds one process from app definitions. Each app's main, the standalone composition and the
 * tests all build processes this way, so they differ only in what they compose and how it talks.
 */
export async function createApp(definition: AppDefinition, runtime: AppRuntime): Promise<INestApplication> {
  const { config, transport } = runtime;
  const root: DynamicModule = {
    module: PlatformRootModule,
    imports: [
      ConfigModule.forRoot(config),
      MessagingModule.forRoot(transport),
      HealthModule.forRoot({ databases: definition.databases }),
      ...definition.imports,
    ],
  };
  const logger = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.env.LOG_LEVEL) + 1);
  const app = await NestFactory.create(root, { logger, abortOnError: false });
  configureHttp(app);
  if (definition.answersMessages) {
    app.connectMicroservice(createServerOptions(transport, config, definition.name), { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  return app;
}
