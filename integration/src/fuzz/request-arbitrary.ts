import fc from 'fast-check';
import { hostileKey, hostileSegment, hostileValue, percentEncode, urlText } from './hostile-values';
import { Operation, Parameter } from './openapi-operations';
import { KnownValues, validishValue } from './schema-values';

/** One request as it goes on the wire. */
export interface FuzzRequest {
  method: string;
  /** Path and query, percent-encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The tokens a request may carry: the setup's host and guest, or none, or ones no verifier takes. */
export interface Credentials {
  host: string;
  guest: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Bodies no schema describes: malformed, of the wrong JSON type, huge, deep, or spelling what must be refused. */
const RAW_BODIES = [
  '{"email": "a@b.c", ',
  '[1,2]',
  'null',
  '"text"',
  '1e999',
  '{}',
  '',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"x":"\\u0000"}',
  '{"x":"\\ud800"}',
  `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  `{"x":${'{"y":'.repeat(3000)}1${'}'.repeat(3000)}}`,
  `{"x":"${'y'.repeat(110_000)}"}`,
  `[${'1,'.repeat(50_000)}1]`,
];

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset="UTF-8"',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json',
  'application/json, text/plain',
  'garbage',
];

type Mutation = { kind: 'none' } | { kind: 'replace'; at: number; value: unknown } | { kind: 'add'; key: string; value: unknown } | { kind: 'drop'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), key: hostileKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
);

/** Every object or array inside `value` with each of its keys: the places a mutation can strike. */
function places(value: unknown): Array<[Record<string, unknown>, string]> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [[value as Record<string, unknown>, key] as [Record<string, unknown>, string], ...places(child)]);
}

/** Sets an own property, even one named `__proto__`, so JSON.stringify sends it as any other. */
const setOwn = (target: object, key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

function mutate(base: unknown, change: Mutation): unknown {
  const body = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const spots = places(body);
  if (change.kind === 'add' || (change.kind === 'replace' && !spots.length)) setOwn(body, change.kind === 'add' ? change.key : 'extra', change.value);
  else if (change.kind === 'replace') setOwn(...spots[change.at % spots.length], change.value);
  else if (change.kind === 'drop' && spots.length) delete spots[change.at % spots.length][0][spots[change.at % spots.length][1]];
  return body;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A parameter's value: a real or well-shaped one, or hostile text. */
function parameterValue(parameter: Parameter, known: KnownValues, encode: (text: string) => string, hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 2, arbitrary: validishValue(parameter.schema, known, parameter.name).map((value) => encode(asText(value))) }, { weight: 3, arbitrary: hostile });
}

function pathOf(operation: Operation, known: KnownValues): fc.Arbitrary<string> {
  const values = operation.pathParameters.map((parameter) => parameterValue(parameter, known, encodeURIComponent, hostileSegment));
  return fc.tuple(...values).map((segments) => operation.pathParameters.reduce((path, parameter, i) => path.replace(`{${parameter.name}}`, segments[i]), operation.path));
}

function queryOf(operation: Operation, known: KnownValues): fc.Arbitrary<string> {
  const hostileQueryText = urlText.map(percentEncode);
  const pairs = operation.queryParameters.map((parameter) =>
    fc.option(
      parameterValue(parameter, known, percentEncode, hostileQueryText).map((value) => `${parameter.name}=${value}`),
      { nil: undefined, freq: 4 },
    ),
  );
  const stray = fc.option(
    fc
      .tuple(
        hostileKey.filter((key) => key.length < 3_000),
        hostileQueryText,
      )
      .map(([key, value]) => `${percentEncode(key)}=${value}`),
    { nil: undefined, freq: 2 },
  );
  return fc.tuple(fc.tuple(...pairs), stray, fc.boolean()).map(([chosen, extra, repeat]) => {
    const parts = [...chosen, extra].filter((part): part is string => part !== undefined);
    // A parameter given twice arrives as an array.
    if (repeat && parts.length) parts.push(parts[0]);
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

function bodyOf(operation: Operation, known: KnownValues): fc.Arbitrary<{ body?: string; contentType?: string; contentEncoding?: string }> {
  if (!BODY_METHODS.has(operation.method)) return fc.constant({});
  const schemaBody = fc.tuple(operation.body ? validishValue(operation.body, known) : fc.constant({}), mutation).map(([base, change]) => JSON.stringify(mutate(base, change)));
  const body = fc.oneof({ weight: 6, arbitrary: schemaBody }, { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES) }, { weight: 1, arbitrary: fc.constant(undefined) });
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  const contentEncoding = fc.oneof(
    { weight: 9, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity', 'x-unknown') },
  );
  return fc.record({ body, contentType, contentEncoding });
}

const idempotencyKey = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'x'.repeat(300), 'käse', 'fixed-key')) },
);

/** Requests for one operation: well-shaped ones and hostile ones, with any of the tokens, bodies and content types a client may send. */
export function requestsFor(operation: Operation, known: KnownValues, credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  // Mostly real tokens, so most requests get past the guard to the checks behind it.
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(credentials.host, credentials.guest) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'not.a.jwt', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln') },
  );
  return fc
    .record({ path: pathOf(operation, known), query: queryOf(operation, known), body: bodyOf(operation, known), token, key: idempotencyKey })
    .map(({ path, query, body, token, key }) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (key !== undefined) headers['x-idempotency-key'] = key;
      if (body.body !== undefined && body.contentType) headers['content-type'] = body.contentType;
      // Claims a compression the body does not have, or one nobody supports.
      if (body.body !== undefined && body.contentEncoding) headers['content-encoding'] = body.contentEncoding;
      const request: FuzzRequest = { method: operation.method, url: `${path}${query}`, headers, body: body.body };
      // Reports show a request short: some bodies are 100 kB.
      return Object.assign(request, { [fc.toStringMethod]: () => JSON.stringify({ ...request, url: request.url.slice(0, 300), body: request.body?.slice(0, 300) }) });
    });
}
