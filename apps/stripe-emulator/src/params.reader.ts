import type Stripe from 'stripe';
import { FormObject, listOf } from './form-params.decoder';
import { invalidParam, parameterEmpty, parameterMissing, parameterUnknown } from './stripe-api.error';

const METADATA_KEYS_MAX = 50;
const METADATA_KEY_LENGTH_MAX = 40;
const METADATA_VALUE_LENGTH_MAX = 500;

/**
 * Reads an endpoint's decoded parameters the way Stripe validates them: unknown names, missing or
 * empty required values and malformed integers are rejected with Stripe's error codes.
 */
export class ParamReader {
  constructor(
    private readonly params: FormObject,
    allowed: readonly string[],
  ) {
    const unknown = Object.keys(params).find((name) => !allowed.includes(name));
    if (unknown !== undefined) throw parameterUnknown(unknown);
  }

  /** A string, or undefined when absent or sent empty (Stripe's way to unset a value). */
  optionalString(name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw invalidParam(name, `Invalid string: ${JSON.stringify(value)}`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.optionalString(this.present(name));
    if (value === undefined) throw parameterEmpty(name);
    return value;
  }

  optionalInteger(name: string): number | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (value === '') throw parameterEmpty(name);
    if (typeof value !== 'string' || !/^-?\d{1,15}$/.test(value)) {
      throw invalidParam(name, `Invalid integer: ${typeof value === 'string' ? value : JSON.stringify(value)}`, 'parameter_invalid_integer');
    }
    return Number(value);
  }

  requiredInteger(name: string): number {
    return this.optionalInteger(this.present(name)) as number;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw invalidParam(name, `Invalid boolean: ${value}`);
    return value === 'true';
  }

  optionalEnum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    if (!values.includes(value as T)) {
      throw invalidParam(name, `Invalid ${name}: must be one of ${values.join(', ')}`);
    }
    return value as T;
  }

  optionalStringList(name: string): string[] | undefined {
    const value = this.params[name];
    if (value === undefined || value === '') return undefined;
    const items = listOf(value);
    if (!items || items.some((item) => typeof item !== 'string' || item === '')) throw invalidParam(name, 'Invalid array');
    return items as string[];
  }

  optionalObject(name: string): FormObject | undefined {
    const value = this.params[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string') throw invalidParam(name, 'Invalid object');
    return value;
  }

  /**
   * Metadata as sent: a value of '' asks to remove that key (on create it is simply left out),
   * so the answer maps such keys to null for the caller to merge.
   */
  optionalMetadata(name = 'metadata'): Record<string, string | null> | undefined {
    const value = this.optionalObject(name);
    if (value === undefined) return this.params[name] === '' ? {} : undefined;
    const entries = Object.entries(value);
    if (entries.length > METADATA_KEYS_MAX) {
      throw invalidParam(name, `You can have at most ${METADATA_KEYS_MAX} metadata keys.`);
    }
    const metadata: Record<string, string | null> = {};
    for (const [key, item] of entries) {
      const param = `${name}[${key}]`;
      if (typeof item !== 'string') throw invalidParam(param, 'Metadata values must be strings.');
      if (key.length > METADATA_KEY_LENGTH_MAX) {
        throw invalidParam(param, `Metadata keys can have up to ${METADATA_KEY_LENGTH_MAX} characters, but you passed in a key that is ${key.length} characters.`);
      }
      if (item.length > METADATA_VALUE_LENGTH_MAX) {
        throw invalidParam(param, `Metadata values can have up to ${METADATA_VALUE_LENGTH_MAX} characters, but you passed in a value that is ${item.length} characters.`);
      }
      metadata[key] = item === '' ? null : item;
    }
    return metadata;
  }

  /**
   * The `expand[]` paths asked for (https://docs.stripe.com/expand), all among `supported`;
   * anything else gets Stripe's own refusal.
   */
  expansions(supported: readonly string[] = []): string[] {
    const requested = this.optionalStringList('expand') ?? [];
    const unsupported = requested.find((path) => !supported.includes(path));
    if (unsupported !== undefined) throw invalidParam('expand', `This property cannot be expanded (${unsupported}).`);
    return requested;
  }

  private present(name: string): string {
    if (this.params[name] === undefined) throw parameterMissing(name);
    return name;
  }
}

/** Applies a metadata update: null removes a key, as Stripe does for ''. */
export function mergeMetadata(current: Stripe.Metadata, update: Record<string, string | null>): Stripe.Metadata {
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
