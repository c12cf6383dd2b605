import { gatewayApp } from '@vidivo/app-gateway';
import { ComposedPlatform, contentSecurityPolicy, startComposedPlatform } from '@vidivo/testing';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every page route of the web client (WEB_ROUTES), and the API documentation page. */
const PAGES = ['/', '/c/abc123', '/call/01JD8X3K6Q9V2M4N7P0R5S8T1W', '/book/alice', '/bookings/01JD8X3K6Q9V2M4N7P0R5S8T1W', '/host', '/login', '/register'];

/** Inline script (a <script> without src, an on…= handler, a javascript: URL): what the policy forbids. */
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:/i;

/**
 * The pages send a strict Content-Security-Policy (issue 13, decision 36): scripts only from the
 * page's own origin, never inline or eval'd; no plugins; no <base> elsewhere; never framed (no
 * clickjacking of the card step). With real Stripe, web-config.integration.spec checks what
 * Stripe.js adds to it and that nothing else changes.
 */
describe('gateway: the security headers of the web pages', () => {
  let platform: ComposedPlatform<undefined>;

  beforeAll(async () => {
    platform = await startComposedPlatform({ name: 'web_security_headers', apps: [gatewayApp] });
  });

  afterAll(async () => {
    await platform?.close();
  });

  // A page route answers index.html when the web bundle is built, a 404 otherwise; the headers are the same.
  it.each(PAGES)('%s: scripts from its own origin only, no plugins, no foreign <base>, never framed', async (path) => {
    const page = await fetch(`${platform.baseUrl}${path}`, { headers: { accept: 'text/html' } });
    const directives = contentSecurityPolicy(page.headers.get('content-security-policy'));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('script-src-attr')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'self'"]);
    for (const sources of directives.values()) expect(sources).not.toContain("'unsafe-eval'");
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    // Browsers without frame-ancestors read the older header.
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves pages with no inline script, which the policy would block', () => {
    const built = join(__dirname, '../../../dist/apps/web/index.html');
    const sources = [join(__dirname, '../../../apps/web/index.html'), ...(existsSync(built) ? [built] : [])];
    for (const file of sources) expect([file, INLINE_SCRIPT.test(readFileSync(file, 'utf8'))]).toEqual([file, false]);
  });
});
