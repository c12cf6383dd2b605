import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** A header a middleware sets (with its value) or removes (value undefined), in the order it does. */
export type HeaderChange = readonly [name: string, value: string | undefined];

/** Any look at the request fails: headers that depend on it cannot be computed once. */
const UNREADABLE_REQUEST = new Proxy(
  {},
  {
    get: (_, key) => {
      throw new Error(`precomputed headers must not depend on the request (the middleware read request.${String(key)})`);
    },
  },
);

/**
 * Runs a middleware that only sets fixed headers (helmet with a fixed policy) once, on a response
 * that records what it is told, and returns the header changes it made. Fails if it reads the
 * request, touches anything but setHeader/removeHeader, or does not call next at once.
 */
export function recordHeaderChanges(middleware: RequestHandler): HeaderChange[] {
  const changes: HeaderChange[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => changes.push([name, String(value)]),
    removeHeader: (name: string) => changes.push([name, undefined]),
  };
  let called = false;
  void middleware(UNREADABLE_REQUEST as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('the middleware passed an error on');
    called = true;
  });
  if (!called) throw new Error('a middleware whose headers are precomputed must call next at once');
  return changes;
}

/**
 * The same headers as `middleware` sets on every response, computed once at start: per request,
 * only the setHeader calls (helmet's thirteen middlewares and its policy serialisation ran per request before).
 */
export function precomputedHeaders(middleware: RequestHandler): RequestHandler {
  const changes = recordHeaderChanges(middleware);
  const names = changes.map(([name]) => name);
  const values = changes.map(([, value]) => value);
  return (_request: Request, response: Response, next: NextFunction) => {
    for (let index = 0; index < names.length; index++) {
      const value = values[index];
      if (value === undefined) response.removeHeader(names[index]);
      else response.setHeader(names[index], value);
    }
    next();
  };
}
