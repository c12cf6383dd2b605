import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig } from '../config';
import { ErrorEnvelopeFilter, createValidationPipe } from '../errors';

export const JSON_BODY_LIMIT = '100kb';

/**
 * What every app's HTTP side shares: security headers, CORS for the web app's origins, the
 * client address behind proxies, the error envelope, validation and JSON body limits. The
 * filter and pipe apply to the messaging side too (inheritAppConfig).
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', config.trustProxy);
  app.use(helmet());
  app.enableCors({
    origin: config.corsOrigins,
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['Idempotent-Replayed', 'X-Request-Id', 'Content-Disposition'],
    maxAge: 600,
  });
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalPipes(createValidationPipe());
}
