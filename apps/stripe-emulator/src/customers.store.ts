import type Stripe from 'stripe';
import { Clock } from './clock';
import { EventStore } from './events.store';
import { FormObject } from './form-params.decoder';
import { newId, randomBase62 } from './ids';
import { ParamReader, mergeMetadata } from './params.reader';
import { JournaledMap } from './state-journal';
import { resourceMissing } from './stripe-api.error';

/** The Customers of one emulator (https://docs.stripe.com/api/customers): create and retrieve. */
export class CustomerStore {
  constructor(
    private readonly clock: Clock,
    private readonly events: EventStore,
    private readonly customers: JournaledMap<Stripe.Customer> = new JournaledMap(),
  ) {}

  create(params: FormObject): Stripe.Customer {
    const reader = new ParamReader(params, ['description', 'email', 'expand', 'metadata', 'name']);
    reader.expansions();
    const customer: Stripe.Customer = {
      id: newId('cus', 14),
      object: 'customer',
      address: null,
      balance: 0,
      created: this.clock.now(),
      currency: null,
      customer_account: null,
      default_source: null,
      delinquent: false,
      description: reader.optionalString('description') ?? null,
      discount: null,
      email: reader.optionalString('email') ?? null,
      invoice_prefix: randomBase62(8).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: mergeMetadata({}, reader.optionalMetadata() ?? {}),
      name: reader.optionalString('name') ?? null,
      next_invoice_sequence: 1,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    };
    this.customers.set(customer.id, customer);
    this.events.emit('customer.created', customer);
    return structuredClone(customer);
  }

  retrieve(id: string, params: FormObject): Stripe.Customer {
    new ParamReader(params, ['expand']).expansions();
    return structuredClone(this.find(id, 'id', 404));
  }

  /** The Customer a parameter names; Stripe's resource_missing (a 400 on the naming request) otherwise. */
  find(id: string, param: string, status = 400): Stripe.Customer {
    const customer = this.customers.get(id);
    if (!customer) throw resourceMissing('customer', id, param, status);
    return customer;
  }

  callIdOf(id: string): string | undefined {
    return this.customers.get(id)?.metadata.call_id;
  }
}
