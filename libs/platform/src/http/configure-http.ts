import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppConfig } from '../config';
import { ErrorEnvelopeFilter, createValidationPipe } from '../errors';
import { observeHttpRequests } from '../observability';
import { precomputedHeaders } from './precomputed-headers';
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

/** helmet's headers with our policy: the same on every response, so computed once (precomputedHeaders). */
export function securityHeaders(config: AppConfig) {
  return helmet({ contentSecurityPolicy: { directives: contentSecurityDirectives(config) }, frameguard: { action: 'deny' } });
}

/**
 * What every app's HTTP side shares: security headers, CORS for the web app's origins, the
 * client address behind proxies, JSON body limits, then request ids, the access log and metrics
 * (`requestLog` writes the access lines), the error envelope and validation. The message side
 * gets its filter and pipe from createApp.
 */
export function configureHttp(app: INestApplication, config: AppConfig, requestLog: Logger): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', config.trustProxy);
  app.use(precomputedHeaders(securityHeaders(config)));
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
  // Where the Nest middleware for logs and metrics ran before: after CORS preflights and refused bodies, which it never saw.
  app.use(observeHttpRequests(requestLog));
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalPipes(createValidationPipe());
}
