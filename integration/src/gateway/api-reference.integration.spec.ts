import { ComposedPlatform, startComposedPlatform } from '@vidivo/testing';
import { gatewayApp } from '@vidivo/app-gateway';
import { buildOpenApiDocument } from '@vidivo/tools';

/**
 * tools/write-api-reference.ts builds the document without a running app (Nest's preview mode);
 * docs/api/ is only the reference if that is exactly what a running gateway serves.
 */
describe('docs/api: the document written without an app is the one the gateway serves', () => {
  let gateway: ComposedPlatform<undefined>;

  beforeAll(async () => {
    gateway = await startComposedPlatform({ name: 'gateway_api_reference', apps: [gatewayApp] });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('equals GET /openapi.json', async () => {
    const served = await gateway.api.get('/openapi.json');
    expect(served.status).toBe(200);
    expect(await buildOpenApiDocument()).toEqual(served.body);
  });
});
