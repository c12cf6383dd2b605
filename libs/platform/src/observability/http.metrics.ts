import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineHistogram } from './metrics.registry';

export const httpRequestDuration = defineHistogram<'method' | 'route' | 'status'>({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests served, by method, route pattern (unmatched when no route took it) and status',
  labelNames: ['method', 'route', 'status'],
});

type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * One sample per answered request (rate, errors and latency all come from it); scrapes go to the
 * MetricsServer, not here. Express names the route that took the request (`/v1/calls/:id`, never
 * the URL: one series per route); a request no route took (a 404, a body refused before routing)
 * is `unmatched`, as is one whose route is a pattern that is not a string (the web pages' RegExp).
 */
export function recordHttpRequest(request: RoutedRequest, response: ServerResponse, seconds: number): void {
  const route = request.route?.path;
  httpRequestDuration.observe({ method: request.method ?? 'UNKNOWN', route: typeof route === 'string' ? route : 'unmatched', status: String(response.statusCode) }, seconds);
}
