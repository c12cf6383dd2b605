import fc from 'fast-check';
import { JsonSchema } from './openapi-operations';

/** Values the platform under test knows, so valid-ish requests reach past "not found". */
export interface KnownValues {
  /** By parameter or field name: the values that name something real (a link's short code, the host's username, a booking id). */
  byName: Record<string, string[]>;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 24 * 3600_000;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
/** Quarter hours from an hour ahead to a month ahead: bookable times, link expiries. */
const futureInstant = fc.integer({ min: 4, max: 30 * 96 }).map((quarters) => iso(Math.ceil(Date.now() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + quarters * QUARTER_HOUR_MS));
const nearDate = fc.integer({ min: 0, max: 60 }).map((days) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10));

/** By field name, what the document's types alone would not make valid. */
const BY_FIELD: Record<string, fc.Arbitrary<unknown>> = {
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata'),
  password: fc.constantFrom('correct horse battery', 'wrong password 123'),
  avatar_url: fc.constantFrom('https://example.com/avatar.png', null),
  payment_method_id: fc.constantFrom('pm_card_visa', 'pm_card_chargeDeclined', 'pm_card_authenticationRequired', 'pm_unknown'),
};

function stringValue(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return futureInstant;
  if (schema.format === 'date') return nearDate;
  if (schema.format === 'email') return fc.emailAddress().filter((email) => email.length <= 254);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const text = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
  return typeof schema.example === 'string' ? fc.oneof(fc.constant(schema.example), text) : text;
}

/** A value of `schema` that would pass the documented constraints most of the time: the starting point that hostile mutations then spoil. */
export function validishValue(schema: JsonSchema, known: KnownValues, name = ''): fc.Arbitrary<unknown> {
  const realValues = known.byName[name];
  const value = ((): fc.Arbitrary<unknown> => {
    if (realValues?.length) return fc.constantFrom(...realValues);
    if (BY_FIELD[name]) return BY_FIELD[name];
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(validishValue(schema.items ?? {}, known), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
      case 'object':
        return validishObject(schema, known);
      default:
        return stringValue(schema);
    }
  })();
  return schema.nullable ? fc.option(value, { nil: null, freq: 5 }) : value;
}

function validishObject(schema: JsonSchema, known: KnownValues): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const record = Object.fromEntries(properties.map(([name, property]) => [name, validishValue(property, known, name)]));
  return fc.record(record, { requiredKeys: schema.required ?? [] });
}
