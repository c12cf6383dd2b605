import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode, ErrorEnvelopeSchema } from '@vidivo/contracts';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency-key';

type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** The usual code of each status (402 is `stripe_error`; `payment_action_required` is named where it can happen). */
const CODE_BY_STATUS = new Map([...Object.entries(ERROR_STATUS)].reverse().map(([code, status]) => [status, code as ErrorCode]));

/** When the answers many endpoints share happen. */
export const WHEN = {
  invalidBody: 'the body or query does not validate',
  invalidBodyOrKey: `the body does not validate, or ${IDEMPOTENCY_KEY_HEADER} is not 1–255 printable ASCII characters`,
  noToken: 'no valid access token (missing, malformed or expired)',
  keyInFlight: `the first request with this ${IDEMPOTENCY_KEY_HEADER} is still running`,
  keyReused: `this ${IDEMPOTENCY_KEY_HEADER} was used for a different request`,
  rateLimited: 'too many requests from this address (RATE_LIMIT_PER_MINUTE)',
  declinedPayments: 'too many declined card payments from this address, guest, link or booking in the last hour (DECLINED_PAYMENTS_PER_HOUR)',
  paymentActionRequired: '`payment_action_required` (402, `details`: `payment_intent_id`, `client_secret`, `next_action`): the card needs the guest to authenticate it first',
} as const;

/** The error answers of one endpoint, status → when; each is the envelope of decision 2. */
export function ApiErrors(when: Partial<Record<ErrorStatus, string>>) {
  return applyDecorators(
    ...Object.entries(when).map(([status, description]) =>
      ApiResponse({ status: Number(status), description: `\`${CODE_BY_STATUS.get(Number(status))}\`: ${description}`, type: ErrorEnvelopeSchema }),
    ),
  );
}

/** Decision 5: accepted on every POST; the 409 and 422 it may cause are listed with the endpoint's errors. */
export function ApiIdempotencyKey() {
  return ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: `Scoped to the caller, kept 24 hours: a repeat replays the first answer (with \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) and does nothing again`,
  });
}

/** A token is read when sent, but anonymous callers are served too (decision 8). */
export function ApiOptionalBearerAuth() {
  return applyDecorators(ApiBearerAuth(), ApiSecurity({}));
}
