import { ComposedPlatform, startComposedPlatform } from '@vidivo/testing';
import { gatewayApp } from '../gateway.app';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Access = 'public' | 'bearer' | 'optional';

/**
 * Every endpoint of docs/api/ and docs/decisions/ (6, 7, 14-18) with the statuses they give it, as
 * OpenAPI writes paths (route parameters keep the controllers' names). The statuses every route of
 * a kind shares are added by `expectedStatuses`, not repeated here.
 */
const CONTRACT: Array<[Method, string, Access, number[]]> = [
  ['post', '/v1/auth/register', 'public', [201, 409, 429]],
  ['post', '/v1/auth/login', 'public', [200, 401, 429]],
  ['post', '/v1/auth/refresh', 'public', [200, 401]],
  ['post', '/v1/auth/guest', 'public', [201, 429]],
  ['get', '/v1/auth/jwks', 'public', [200]],
  ['get', '/v1/web/config', 'public', [200]],
  ['get', '/v1/users/me', 'bearer', [200]],
  ['patch', '/v1/users/me', 'bearer', [200, 400]],

  ['post', '/v1/calls/links', 'bearer', [201, 400, 403]],
  ['get', '/v1/calls/links', 'bearer', [200, 403]],
  ['delete', '/v1/calls/links/{id}', 'bearer', [204, 403, 404]],
  ['get', '/v1/calls/links/{shortCode}/info', 'public', [200, 404]],
  ['get', '/v1/calls/links/active/{username}', 'public', [200, 404]],

  ['post', '/v1/calls/join/{shortCode}', 'optional', [201, 400, 402, 404, 409, 429]],
  ['post', '/v1/calls/{id}/host-join', 'bearer', [201, 403, 404, 409]],
  ['post', '/v1/calls/{id}/join', 'bearer', [201, 400, 402, 403, 404, 409]],
  ['post', '/v1/calls/{id}/end', 'bearer', [200, 403, 404, 409]],
  ['get', '/v1/calls/{id}', 'bearer', [200, 403, 404]],
  ['get', '/v1/calls/history', 'bearer', [200, 400]],
  ['post', '/v1/calls/{id}/signaling-token', 'bearer', [201, 403, 404]],

  ['put', '/v1/schedule/availability', 'bearer', [200, 400, 403]],
  ['get', '/v1/schedule/availability', 'bearer', [200, 403]],
  ['get', '/v1/schedule/{username}', 'public', [200, 400, 404]],
  ['post', '/v1/schedule/book', 'bearer', [201, 400, 404, 409]],
  ['get', '/v1/schedule/mine', 'bearer', [200, 400]],
  ['put', '/v1/schedule/{id}/cancel', 'bearer', [204, 403, 404, 409]],
  ['get', '/v1/schedule/{id}/calendar', 'bearer', [200, 403, 404]],

  ['post', '/v1/webhooks/stripe', 'public', [200, 400]],
];

/** The GET operations that read a query. */
const QUERIED = new Set(['/v1/calls/history', '/v1/schedule/mine', '/v1/schedule/{username}']);

/**
 * What routes of a kind share: 401 wherever a token is read (a bad one is refused even where it is
 * optional); on every POST an `X-Idempotency-Key` that can be malformed (400), still running (409)
 * or reused for another request (422) (decision 5); 400 wherever path or query parameters are read,
 * and 400, 413 and 415 wherever a body may come (decision 31); 500 `internal_error` and 503
 * `service_unavailable` anywhere (decision 2).
 */
function expectedStatuses(method: Method, path: string, access: Access, statuses: number[]): number[] {
  const shared = [
    500,
    503,
    ...(access === 'public' ? [] : [401]),
    ...(method === 'post' ? [400, 409, 422] : []),
    ...(path.includes('{') || QUERIED.has(path) ? [400] : []),
    ...(['post', 'put', 'patch'].includes(method) ? [400, 413, 415] : []),
  ];
  return [...new Set([...statuses, ...shared])].sort();
}

/** Fields the documents name for the main objects (docs/api/, decisions 14 and 17). */
const SCHEMA_FIELDS: Record<string, string[]> = {
  Link: ['id', 'short_code', 'url', 'host_id', 'rate_per_minute', 'window_size_minutes', 'expires_at', 'max_uses', 'use_count', 'label', 'is_active', 'created_at'],
  Call: [
    'id',
    'status',
    'short_code',
    'booking_id',
    'host',
    'guest',
    'rate_per_minute',
    'window_size_minutes',
    'currency',
    'created_at',
    'started_at',
    'ended_at',
    'end_reason',
    'duration_seconds',
    'billed_minutes',
    'total_charged',
  ],
  JoinCallResponse: ['call', 'signaling_token', 'signaling_url', 'turn_credentials', 'guest_token'],
  Booking: ['id', 'status', 'host', 'guest', 'scheduled_at', 'duration_minutes', 'note', 'rate_per_minute', 'window_size_minutes', 'created_at'],
  CallPage: ['data', 'page', 'per_page', 'total'],
};

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; type?: string; items?: { $ref?: string } } }> }>;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
}

describe('gateway: OpenAPI document at /openapi.json, Swagger UI at /docs', () => {
  let gateway: ComposedPlatform<undefined>;
  let document: { openapi: string; paths: Record<string, Partial<Record<Method, Operation>>>; components: { schemas: Record<string, any> } };

  const operation = (method: Method, path: string): Operation => {
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return found;
  };

  beforeAll(async () => {
    // Composed as standalone composes it, so the definition's configure hook is carried through composeApps.
    gateway = await startComposedPlatform({ name: 'gateway_openapi', apps: [gatewayApp] });
    const response = await gateway.api.get('/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('is served as JSON without a token', async () => {
    const response = await gateway.api.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(document.openapi).toMatch(/^3\./);
  });

  it('serves Swagger UI at /docs without a token', async () => {
    const response = await gateway.api.get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toContain('swagger-ui');
  });

  it.each(CONTRACT)('%s %s documents every status of the contract', (method, path, access, statuses) => {
    const documented = Object.keys(operation(method, path).responses).map(Number);
    expect(documented).toEqual(expect.arrayContaining(expectedStatuses(method, path, access, statuses)));
  });

  it('documents no operation the contract does not have', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(CONTRACT.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('gives every error the envelope of decision 2, and every success with a body its schema', () => {
    for (const [method, path] of CONTRACT) {
      for (const [status, response] of Object.entries(operation(method, path).responses)) {
        const schema = response.content?.['application/json']?.schema;
        if (Number(status) >= 400) expect({ method, path, status, ref: schema?.$ref }).toEqual({ method, path, status, ref: '#/components/schemas/ErrorEnvelope' });
        else if (status === '204') expect(response.content).toBeUndefined();
        else if (path.endsWith('/calendar')) expect(response.content?.['text/calendar']?.schema?.type).toBe('string');
        else expect({ method, path, status, ref: schema?.$ref ?? schema?.items?.$ref }).toEqual({ method, path, status, ref: expect.stringMatching(/^#\/components\/schemas\//) });
      }
    }
    const envelope = document.components.schemas.ErrorEnvelope;
    expect(envelope.properties.error.$ref).toBe('#/components/schemas/ErrorBody');
    expect(document.components.schemas.ErrorBody.required).toEqual(expect.arrayContaining(['code', 'message']));
  });

  it('marks which routes need a Bearer token', () => {
    for (const [method, path, access] of CONTRACT) {
      const security = operation(method, path).security ?? [];
      const expected = { public: [], bearer: [{ bearer: [] }], optional: [{ bearer: [] }, {}] }[access];
      expect({ method, path, security }).toEqual({ method, path, security: expected });
    }
  });

  it('documents the idempotency key header on the POSTs of decision 5', () => {
    for (const [method, path] of CONTRACT.filter(([method]) => method === 'post')) {
      const headers = (operation(method, path).parameters ?? []).filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name);
      expect({ path, headers: headers.filter((name) => name !== 'Stripe-Signature') }).toEqual({ path, headers: ['X-Idempotency-Key'] });
    }
  });

  it.each(Object.entries(SCHEMA_FIELDS))('schema %s has the fields of the contract', (name, fields) => {
    expect(Object.keys(document.components.schemas[name]?.properties ?? {})).toEqual(expect.arrayContaining(fields));
  });

  it('documents request bodies and query parameters from the DTO classes', () => {
    const body = (method: Method, path: string) => (operation(method, path) as any).requestBody?.content?.['application/json']?.schema?.$ref;
    expect(body('post', '/v1/calls/links')).toBe('#/components/schemas/CreateLinkRequest');
    expect(body('post', '/v1/calls/join/{shortCode}')).toBe('#/components/schemas/JoinCallRequest');
    expect(body('put', '/v1/schedule/availability')).toBe('#/components/schemas/AvailabilityRequest');
    expect(document.components.schemas.CreateLinkRequest.required).toEqual(expect.arrayContaining(['rate_per_minute', 'window_size_minutes']));
    // One of the two is required (decision 25): neither is on its own.
    expect(document.components.schemas.JoinCallRequest.required ?? []).toEqual([]);
    expect(Object.keys(document.components.schemas.JoinCallRequest.properties)).toEqual(expect.arrayContaining(['payment_method_id', 'payment_intent_id']));
    expect(document.components.schemas.PaymentActionDetails.required).toEqual(['payment_intent_id', 'client_secret', 'next_action']);

    const query = (path: string) => (operation('get', path).parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
    expect(query('/v1/calls/history').sort()).toEqual(['page', 'per_page', 'status']);
    expect(query('/v1/schedule/{username}').sort()).toEqual(['end_date', 'start_date', 'timezone']);
  });
});
