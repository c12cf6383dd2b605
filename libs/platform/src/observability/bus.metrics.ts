import { expectedErrorResponse } from '../errors/error-envelope.filter';
import { defineHistogram } from './metrics.registry';

/** Request/reply as the asking app sees it (MessageBus.request), answer or failure alike. */
export const busRequestDuration = defineHistogram<'subject' | 'outcome'>({
  name: 'bus_request_duration_seconds',
  help: 'Request/reply over the message bus, from the asking side: time to the answer, by subject and outcome (ok or error code)',
  labelNames: ['subject', 'outcome'],
});

/** The same requests as the answering app handles them. */
export const busHandleDuration = defineHistogram<'subject' | 'outcome'>({
  name: 'bus_handle_duration_seconds',
  help: 'Messages handled by this process: time in the handler, by subject and outcome (ok or error code)',
  labelNames: ['subject', 'outcome'],
});

/** A bounded label for how handling ended: `ok`, or the error code the caller gets. */
export function handlingOutcome(error?: unknown): string {
  if (error === undefined) return 'ok';
  return expectedErrorResponse(error)?.body.code ?? 'internal_error';
}
