import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig } from '../config';
import { ErrorEnvelopeFilter, createValidationPipe } from '../errors';
import { isJsonBodyRequest, refuseUnreadableBodies } from './request-body.middleware';

export const JSON_BODY_LIMIT = '100kb';

/**
 * What Stripe's integration security guide lists for Stripe.js and the Payment Element
 * (docs.stripe.com/security/guide#content-security-policy; the Address Element's Google Maps
 * sources are left out, it is not used). Only with STRIPE_PUBLISHABLE_KEY: with the emulator the
 * pages load nothing from elsewhere.
 */
const STRIPE_JS_SOURCES = {
  'script-src': ['https://js.stripe.com', 'https://*.js.stripe.com'],
  'frame-src': ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
  'connect-src': ['https://api.stripe.com'],
} as const;

/**
 * helmet's default policy (`default-src 'self'` and the rest), with what the pages connect to
 * elsewhere: the signaling WebSocket (SIGNALING_PUBLIC_URL, often its own host), and Stripe.js's
 * sources when real Stripe is configured. `'self'` stays first in each, as the default-src
 * fallback allowed it before.
 */
function contentSecurityDirectives(config: AppConfig): Record<string, string[]> {
  // No page of ours is meant to be framed (clickjacking on the payment step).
  const directives: Record<string, string[]> = { 'frame-ancestors': ["'none'"], 'connect-src': ["'self'", new URL(config.signalingUrl).origin] };
  if (!config.stripePublishableKey) return directives;
  for (const [directive, sources] of Object.entries(STRIPE_JS_SOURCES)) directives[directive] = [...(directives[directive] ?? ["'self'"]), ...sources];
  return directives;
}

/**
 * What every app's HTTP side shares: security headers, CORS for the web app's origins, the
 * client address behind proxies, the error envelope, validation and JSON body limits. The
 * filter and pipe apply to the messaging side too (inheritAppConfig).
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', config.trustProxy);
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityDirectives(config) }, frameguard: { action: 'deny' } }));
  app.enableCors({
    origin: config.corsOrigins,
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['Idempotent-Replayed', 'X-Request-Id', 'Content-Disposition'],
    maxAge: 600,
  });
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT, type: isJsonBodyRequest });
  // JSON is the only body the API reads: this parser parses nothing, and takes the place of Nest's default form parser.
  express.useBodyParser('urlencoded', { type: () => false });
  app.use(refuseUnreadableBodies());
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalPipes(createValidationPipe());
}
