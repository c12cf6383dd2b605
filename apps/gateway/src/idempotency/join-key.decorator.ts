import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { AuthenticatedRequest } from '@vidivo/platform';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { ANONYMOUS_SCOPE, IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

/**
 * The request's idempotency key as calls keeps joins by it (decision 32): a SHA-256 of the caller's
 * scope, the key and the request's fingerprint, so calls can answer a retry whose first answer the
 * bus lost; undefined without the header. The interceptor has checked the key already.
 */
export const JoinKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
  const header = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (header === undefined) return undefined;
  const scope = request.actor?.id ?? ANONYMOUS_SCOPE;
  const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);
  return createHash('sha256')
    .update(`${scope}\n${parseIdempotencyKey(header)}\n${fingerprint}`)
    .digest('hex');
});
