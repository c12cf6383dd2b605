import { FormObject } from './form-params.decoder';

/** One Stripe API request as the emulator received and answered it, for contract tests. */
export interface EmulatorRequest {
  method: string;
  path: string;
  /** the decoded form (POST) or query (GET) parameters */
  params: FormObject;
  /** the HTTP status answered; 0 when the connection was cut without an answer */
  status: number;
  /** the parsed JSON body answered; null when none was */
  response: unknown;
  idempotencyKey?: string;
  /** the `Stripe-Version` header */
  stripeVersion?: string;
}

/** Every API request, in the order they were answered. */
export class RequestLog {
  private entries: EmulatorRequest[] = [];

  record(entry: EmulatorRequest): void {
    this.entries.push(entry);
  }

  all(): EmulatorRequest[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}
