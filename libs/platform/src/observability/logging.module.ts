import { DynamicModule, Global, LoggerService, Module } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { LoggerOptions, createLogger } from './logger.factory';

/** The process's root pino logger: what the access log and every `new Logger(name)` line are written with. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * nestjs-pino's PinoLogger writes to the logger bound to the current request by its middleware,
 * else to the first logger made in the process; we bind none (the request id comes from the
 * request context, see requestIdMixin), so this one writes to the logger it is given.
 */
class RootPinoLogger extends PinoLogger {
  constructor(private readonly root: Logger) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): Logger {
    return this.root;
  }
}

/** Nest's LoggerService over a pino logger: `new Logger(name)` lines as JSON, `context` naming the logger. */
export function nestLoggerOver(root: Logger): LoggerService {
  return new NestPinoLogger(new RootPinoLogger(root), {});
}

/** The same JSON lines for what a process logs before its app exists (standalone's embedded Postgres and secrets). */
export function createNestLogger(options: LoggerOptions): LoggerService {
  return nestLoggerOver(createLogger(options));
}

/**
 * Structured JSON logs (pino) for the whole process: provides the root logger (ROOT_LOGGER), which
 * createApp hands Nest for every `new Logger(name)` line and the HTTP side for its access log
 * (observeHttpRequests).
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(options: LoggerOptions): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: ROOT_LOGGER, useValue: createLogger(options) }], exports: [ROOT_LOGGER] };
  }
}
