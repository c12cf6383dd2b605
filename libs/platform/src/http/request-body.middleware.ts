import { ErrorCode } from '@vidivo/contracts';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, MAX_INPUT_DEPTH, nestsDeeperThan } from '../errors';

/** The methods whose body means something; GET, HEAD, DELETE and OPTIONS bodies are left unread. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/** Something is sent: `Content-Length: 0`, which clients send with a bodiless POST, is nothing. */
function carriesBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** JSON in UTF-8, as RFC 8259 requires between systems: the charset may be left out, or be UTF-8. */
function isUtf8Json(request: Request): boolean {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
  return Boolean(request.is('application/json')) && (charset === undefined || charset === 'utf-8' || charset === 'utf8');
}

/** The body-parser `type` of the one body the API reads: UTF-8 JSON, on the methods that carry one. */
export function isJsonBodyRequest(request: Request): boolean {
  return BODY_METHODS.has(request.method) && isUtf8Json(request);
}

/**
 * Runs right after JSON parsing (decision 31): a body that is not UTF-8 JSON is a 415
 * `unsupported_media_type`, and one nested past MAX_INPUT_DEPTH a 400 before anything walks it
 * recursively (class-transformer overflowed the stack at about 5,000 levels, which fit in 10 KiB).
 * Body-parser's own refusals (413 over the limit, 400 for malformed JSON) reach the error filter
 * before this runs.
 */
export function refuseUnreadableBodies(): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    if (BODY_METHODS.has(request.method) && carriesBody(request) && !isUtf8Json(request)) {
      return next(new AppError(ErrorCode.UnsupportedMediaType, 'The request body must be JSON in UTF-8 (Content-Type: application/json)'));
    }
    if (nestsDeeperThan(request.body)) {
      return next(AppError.validation('The request is not valid', [{ field: 'body', message: `the body nests deeper than ${MAX_INPUT_DEPTH} levels` }]));
    }
    return next();
  };
}
