import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineHistogram, secondsSince } from './metrics.registry';

export const httpRequestDuration = defineHistogram<'method' | 'route' | 'status'>({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests served, by method, route pattern (unmatched when no route took it) and status',
  labelNames: ['method', 'route', 'status'],
});

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; originalUrl?: string };

const routePath = (request: RoutedRequest): string | undefined => (typeof request.route?.path === 'string' ? request.route.path : undefined);

/** One sample per answered request (rate, errors and latency all come from it); scrapes go to the MetricsServer, not here. */
export function httpMetricsMiddleware(request: RoutedRequest, response: ServerResponse, next: () => void): void {
  const started = performance.now();
  // Express names the route that took the request (`/v1/calls/:id`, never the URL: one series per
  // route). Nest mounts middleware as a catch-all route too, so a request no controller took still
  // shows the pattern this middleware was reached on.
  const mount = routePath(request);
  response.once('finish', () => {
    const route = routePath(request);
    const label = route === undefined || route === mount ? 'unmatched' : route;
    httpRequestDuration.observe({ method: request.method ?? 'UNKNOWN', route: label, status: String(response.statusCode) }, secondsSince(started));
  });
  next();
}
