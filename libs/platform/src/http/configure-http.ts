import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorEnvelopeFilter, createValidationPipe } from '../errors';

export const JSON_BODY_LIMIT = '100kb';

/**
 * What every app's HTTP side shares: the error envelope, validation and JSON body limits.
 * Applied to the messaging side too (inheritAppConfig).
 */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalPipes(createValidationPipe());
}
