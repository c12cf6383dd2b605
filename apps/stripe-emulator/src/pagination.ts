import type Stripe from 'stripe';
import { ParamReader } from './params.reader';
import { invalidParam, resourceMissing } from './stripe-api.error';

/** The cursor parameters of every list endpoint (https://docs.stripe.com/api/pagination). */
export const PAGE_PARAMS = ['ending_before', 'limit', 'starting_after'] as const;

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

/** `limit` 1–100 (default 10) and one of `starting_after` / `ending_before`. */
export function readPageRequest(reader: ParamReader): PageRequest {
  const limit = readLimit(reader);
  const startingAfter = reader.optionalString('starting_after');
  const endingBefore = reader.optionalString('ending_before');
  if (startingAfter && endingBefore) {
    throw invalidParam('starting_after', 'You may only specify one of these parameters: ending_before, starting_after.', 'parameters_exclusive');
  }
  return { limit, startingAfter, endingBefore };
}

export function readLimit(reader: ParamReader): number {
  const limit = reader.optionalInteger('limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam('limit', 'Invalid limit: must be between 1 and 100');
  return limit;
}

/** One page of objects given newest first; `resource` names them in the unknown-cursor error. */
export function listPage<T extends { id: string }>(newestFirst: T[], page: PageRequest, url: string, resource: string): Stripe.ApiList<T> {
  const cursorIndex = (cursor: string, param: string) => {
    const index = newestFirst.findIndex((item) => item.id === cursor);
    if (index < 0) throw resourceMissing(resource, cursor, param, 400);
    return index;
  };
  let data: T[];
  let hasMore: boolean;
  if (page.endingBefore) {
    const end = cursorIndex(page.endingBefore, 'ending_before');
    data = newestFirst.slice(Math.max(0, end - page.limit), end);
    hasMore = end - page.limit > 0;
  } else {
    const start = page.startingAfter ? cursorIndex(page.startingAfter, 'starting_after') + 1 : 0;
    data = newestFirst.slice(start, start + page.limit);
    hasMore = start + page.limit < newestFirst.length;
  }
  return { object: 'list', data: structuredClone(data), has_more: hasMore, url };
}
