import fc from 'fast-check';
import { Answer, answerViolations } from './answer-check';
import { FuzzPlatform, startFuzzPlatform } from './fuzz-platform';
import { OpenApiDocument, Operation, operationsOf } from './openapi-operations';
import { FuzzRequest, requestsFor } from './request-arbitrary';
import { KnownValues } from './schema-values';

/**
 * Property-based fuzzing driven by the OpenAPI document the running gateway serves (issue 13,
 * decision 31): for every operation, requests built from its parameters and body schema, spoiled
 * with hostile values, must each get a status the document lists for that operation, never a 5xx,
 * and every error must be decision 2's envelope with the code of its status.
 *
 *   FUZZ_SEED=<n> FUZZ_RUNS=<runs per operation> npx jest -c integration/jest.config.js integration/src/fuzz/openapi-fuzz.integration.spec.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 13_031);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** FUZZ_REPORT=1 prints how many requests got each status. */
const REPORT = process.env.FUZZ_REPORT === '1';

jest.setTimeout(Math.max(120_000, RUNS * 3_000));

async function send(baseUrl: string, request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.url}`, { method: request.method, headers: request.headers, body: request.body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('fuzzing every operation of the served OpenAPI document (fast-check)', () => {
  let fuzz: FuzzPlatform;
  let operations: Operation[];

  beforeAll(async () => {
    fuzz = await startFuzzPlatform('openapi_fuzz');
    const served = await fuzz.platform.api.get<OpenApiDocument>('/openapi.json');
    expect(served.status).toBe(200);
    operations = operationsOf(served.body);
  });

  afterAll(async () => {
    await fuzz?.platform.close();
  });

  it('finds the operations in the document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(operations.map((operation) => operation.name)).toEqual(expect.arrayContaining(['POST /v1/calls/join/{shortCode}', 'PUT /v1/schedule/availability']));
  });

  it(`answers every hostile request with a documented status in the envelope (seed ${SEED}, ${RUNS} runs per operation)`, async () => {
    const known: KnownValues = {
      byName: {
        shortCode: [fuzz.shortCode],
        username: [fuzz.host.username],
        host_username: [fuzz.host.username],
        id: [fuzz.bookingId, fuzz.linkId, '01JN2X6M0P5H9SRBTXY8ZDKEFG'],
      },
    };
    const credentials = { host: fuzz.host.token, guest: fuzz.guest.token };
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const operation of operations) {
      const property = fc.asyncProperty(requestsFor(operation, known, credentials), async (request) => {
        const answer = await send(fuzz.platform.baseUrl, request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const violations = answerViolations(operation, answer);
        if (violations.length) throw new Error(violations.join('; '));
      });
      const run = await fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
      if (run.failed)
        failures.push(
          `${operation.name}: ${run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance)}\n  request: ${fc.stringify(run.counterexample?.[0])}`,
        );
    }
    if (REPORT) console.info(`${[...statuses.values()].reduce((sum, count) => sum + count, 0)} requests by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    if (failures.length) throw new Error(`${failures.length} operation(s) failed; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}\n${failures.join('\n')}`);
  });
});
