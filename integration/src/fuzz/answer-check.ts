import { ERROR_STATUS, ErrorCode, isErrorCode, isPaymentActionDetails } from '@vidivo/contracts';
import { Operation } from './openapi-operations';

/** What came back, as the fuzzer reads it. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const ENVELOPE_KEYS = new Set(['code', 'message', 'details']);

/** What is wrong with an error body against decision 2's envelope and its status; empty when nothing is. */
function envelopeViolations(status: number, text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [`the error body is not JSON: ${text.slice(0, 200)}`];
  }
  const envelope = parsed as { error?: Record<string, unknown> };
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).join() !== 'error' || typeof envelope.error !== 'object' || envelope.error === null) {
    return [`the error body is not { error: {...} }: ${text.slice(0, 200)}`];
  }
  const { code, message, details } = envelope.error;
  const violations: string[] = [];
  const extra = Object.keys(envelope.error).filter((key) => !ENVELOPE_KEYS.has(key));
  if (extra.length) violations.push(`the error carries ${extra.join(', ')}`);
  if (!isErrorCode(code)) violations.push(`unknown error code ${JSON.stringify(code)}`);
  else if (ERROR_STATUS[code] !== status) violations.push(`code ${code} is ${ERROR_STATUS[code]}, not ${status}`);
  if (typeof message !== 'string' || message === '') violations.push('the error has no message');
  if (details !== undefined) {
    const fieldList = Array.isArray(details) && details.every((detail) => typeof detail?.field === 'string' && typeof detail?.message === 'string');
    if (!(fieldList || (code === ErrorCode.PaymentActionRequired && isPaymentActionDetails(details))))
      violations.push(`malformed details ${JSON.stringify(details).slice(0, 200)}`);
  }
  return violations;
}

/**
 * What is wrong with an answer to a hostile request: a 5xx (input must never cause one), a status
 * the document does not list for the operation, or an error outside the envelope. Empty when the
 * answer is one the document promises.
 */
export function answerViolations(operation: Operation, answer: Answer): string[] {
  const violations: string[] = [];
  if (answer.status >= 500) violations.push(`answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  if (!operation.statuses.has(answer.status)) violations.push(`answered ${answer.status}, which the document does not list (${[...operation.statuses].join(', ')})`);
  if (answer.status >= 400) {
    if (!answer.contentType.includes('application/json')) violations.push(`error answered as ${answer.contentType || 'no content type'}`);
    violations.push(...envelopeViolations(answer.status, answer.text));
  }
  return violations;
}
