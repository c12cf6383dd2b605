import { authenticationDonePage, authenticationPage, escapeHtml, returnUrlFor } from './authentication-page';
import { DisputeStore } from './disputes.store';
import { FaultRegistry } from './faults.registry';
import { decodeFormParams } from './form-params.decoder';
import { Reply, errorReply, html, json } from './http-reply';
import { AuthenticationOutcome } from './payment-confirmation';
import { PaymentIntentStore } from './payment-intents.store';
import { RequestLog } from './request-log';
import { StripeApiError } from './stripe-api.error';

export interface ControlServices {
  paymentIntents: PaymentIntentStore;
  disputes: DisputeStore;
  faults: FaultRegistry;
  requestLog: RequestLog;
  /** Moves the clock (expiring what is due); answers the new now. Throws a TypeError for a bad amount. */
  advanceClock(seconds: unknown): number;
  /** Resolves once no webhook delivery is under way or waiting for a retry. */
  webhooksDelivered(): Promise<void>;
}

const AUTHENTICATION_PAGE = /^\/_emulator\/authenticate\/([^/]+)$/;
const AUTHENTICATE = /^\/_emulator\/payment_intents\/([^/]+)\/authenticate$/;
const DISPUTE = /^\/_emulator\/payment_intents\/([^/]+)\/dispute$/;

/**
 * The emulator's own endpoints under /_emulator/ (JSON unless noted): what tests and other
 * processes use to inspect and steer it, and the 3-D Secure page (HTML) customers are sent to.
 * Each mirrors a method of StripeEmulator, for a test whose emulator runs as its own process:
 *
 * - GET /_emulator/payment_intents[?call_id=] — paymentIntents()
 * - GET /_emulator/requests, DELETE /_emulator/requests — requests(), clearRequests() ({ cleared })
 * - GET /_emulator/webhooks/delivered — answers { delivered: true } once webhooksDelivered() resolves
 * - POST /_emulator/faults, DELETE /_emulator/faults — injectFault(), clearFaults()
 * - POST /_emulator/clock {advance_seconds} — advanceClock()
 * - POST /_emulator/payment_intents/:id/authenticate {outcome}, POST …/:id/dispute — authenticate(), dispute()
 */
export async function handleControl(services: ControlServices, method: string, url: URL, body: string): Promise<Reply> {
  const path = url.pathname;
  try {
    if (method === 'GET' && path === '/_emulator/payment_intents') {
      return json(200, services.paymentIntents.snapshot(url.searchParams.get('call_id') || undefined));
    }
    if (method === 'GET' && path === '/_emulator/requests') return json(200, services.requestLog.all());
    if (method === 'DELETE' && path === '/_emulator/requests') {
      const cleared = services.requestLog.all().length;
      services.requestLog.clear();
      return json(200, { cleared });
    }
    if (method === 'GET' && path === '/_emulator/webhooks/delivered') {
      await services.webhooksDelivered();
      return json(200, { delivered: true });
    }
    if (method === 'POST' && path === '/_emulator/faults') return json(201, services.faults.add(parseJson(body)));
    if (method === 'DELETE' && path === '/_emulator/faults') return json(200, { cleared: services.faults.clear() });
    if (method === 'POST' && path === '/_emulator/clock') {
      return json(200, { now: services.advanceClock((parseJson(body) as { advance_seconds?: unknown }).advance_seconds) });
    }
    const authenticate = AUTHENTICATE.exec(path)?.[1];
    if (method === 'POST' && authenticate) {
      const outcome = readOutcome((parseJson(body) as { outcome?: unknown }).outcome);
      return json(200, services.paymentIntents.authenticate(authenticate, outcome).intent);
    }
    const dispute = DISPUTE.exec(path)?.[1];
    if (method === 'POST' && dispute) return json(200, services.disputes.open(services.paymentIntents.disputableCharge(dispute)));
    const page = AUTHENTICATION_PAGE.exec(path)?.[1];
    if (page && (method === 'GET' || method === 'POST')) return authenticationPageReply(services, method, page, url, body);
  } catch (error) {
    if (error instanceof TypeError) return json(400, { error: { type: 'invalid_request_error', message: `Invalid request: ${error.message}` } });
    return errorReply(error);
  }
  return json(404, { error: { type: 'invalid_request_error', message: `No emulator control at ${method} ${path}` } });
}

/** GET shows the page; POST (its form) applies the choice and sends the browser back to the return_url. */
function authenticationPageReply(services: ControlServices, method: string, id: string, url: URL, body: string): Reply {
  const form = method === 'POST' ? decodeFormParams(new URLSearchParams(body)) : {};
  const clientSecret = method === 'POST' ? form.client_secret : url.searchParams.get('client_secret');
  let intent;
  try {
    intent = services.paymentIntents.retrieve(id, {});
  } catch {
    intent = undefined;
  }
  if (!intent || clientSecret !== intent.client_secret) return html(404, '<!doctype html><p>No such authentication.</p>');
  if (method === 'GET') return html(200, authenticationPage(intent));
  try {
    const result = services.paymentIntents.authenticate(id, readOutcome(form.outcome));
    if (result.returnUrl === undefined) return html(200, authenticationDonePage(result.intent));
    return { status: 302, body: '', headers: { Location: returnUrlFor(result.returnUrl, result.intent) } };
  } catch (error) {
    const message = error instanceof StripeApiError || error instanceof TypeError ? error.message : 'Authentication failed.';
    return html(400, `<!doctype html><p>${escapeHtml(message)}</p>`);
  }
}

function readOutcome(value: unknown): AuthenticationOutcome {
  if (value !== 'succeed' && value !== 'fail') throw new TypeError("outcome must be 'succeed' or 'fail'");
  return value;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new TypeError('the body must be JSON');
  }
}
