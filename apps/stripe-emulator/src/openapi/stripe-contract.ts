import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks requests to Stripe and Stripe's answers against Stripe's own OpenAPI description (the
 * subset in stripe-openapi.fixture.json, see its `info['x-sources']`). Each check returns the
 * violations as readable sentences; an empty list means the exchange fits the description.
 */

/** The parts of an OpenAPI 3 schema object the checks understand. */
export interface Schema {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  enum?: unknown[];
  nullable?: boolean;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema;
  maxLength?: number;
  title?: string;
  /** Cut from the fixture: only its type is checked. */
  'x-trimmed'?: boolean;
}

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export interface OpenApiDocument {
  info: Record<string, unknown>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** A decoded form body or query: strings, nested objects for `a[b]`, lists keyed '0', '1', … */
export type FormParams = { [name: string]: string | FormParams };

export interface RequestToCheck {
  method: string;
  /** Concrete, e.g. /v1/payment_intents/pi_123/capture */
  path: string;
  params: FormParams;
}

export interface ResponseToCheck {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

let loaded: OpenApiDocument | undefined;

/** The vendored subset of Stripe's OpenAPI description. */
export function stripeOpenApi(): OpenApiDocument {
  loaded ??= JSON.parse(readFileSync(join(__dirname, 'stripe-openapi.fixture.json'), 'utf8')) as OpenApiDocument;
  return loaded;
}

/** The operation a concrete path belongs to; literal segments win over `{param}` ones (search vs {intent}). */
export function findOperation(method: string, path: string, spec = stripeOpenApi()): { template: string; operation: Operation } | undefined {
  const segments = path.split('?')[0].split('/');
  let best: { template: string; operation: Operation; literals: number } | undefined;
  for (const [template, operations] of Object.entries(spec.paths)) {
    const operation = operations[method.toLowerCase()];
    const parts = template.split('/');
    if (!operation || parts.length !== segments.length) continue;
    if (!parts.every((part, i) => part.startsWith('{') || part === segments[i])) continue;
    const literals = parts.filter((part) => !part.startsWith('{')).length;
    if (!best || literals > best.literals) best = { template, operation, literals };
  }
  return best && { template: best.template, operation: best.operation };
}

/** Unknown parameters, values that cannot be of the declared type, missing required parameters. */
export function checkRequest(request: RequestToCheck, spec = stripeOpenApi()): string[] {
  const found = findOperation(request.method, request.path, spec);
  if (!found) return [`${request.method} ${request.path}: no such operation in Stripe's OpenAPI description`];
  const problems: string[] = [];
  new FormChecker(spec, problems).check(request.params, parametersSchema(found.operation), '');
  return problems.map((problem) => `${request.method} ${found.template} ${problem}`);
}

/** A 2xx body against the operation's 200 schema; a 4xx/5xx body against Stripe's error envelope. */
export function checkResponse(response: ResponseToCheck, spec = stripeOpenApi()): string[] {
  const found = findOperation(response.method, response.path, spec);
  const label = `${response.method} ${found?.template ?? response.path} → ${response.status}`;
  const ok = response.status >= 200 && response.status < 300;
  if (ok && !found) return [`${label}: no such operation in Stripe's OpenAPI description`];
  const schema = ok ? found?.operation.responses['200']?.content?.['application/json']?.schema : { $ref: '#/components/schemas/error' };
  if (!schema) return [`${label}: the description declares no 200 body`];
  const problems: string[] = [];
  new JsonChecker(spec, problems).check(response.body, schema, '');
  return problems.map((problem) => `${label} ${problem}`);
}

/** Query parameters (GET) or the form body (POST) as one object schema. */
function parametersSchema(operation: Operation): Schema {
  const body = operation.requestBody?.content['application/x-www-form-urlencoded']?.schema;
  const query = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
  if (body && Object.keys(body.properties ?? {}).length > 0) return body;
  return {
    type: 'object',
    properties: Object.fromEntries(query.map((parameter) => [parameter.name, parameter.schema])),
    required: query.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

function resolve(spec: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  while (current.$ref) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target) throw new Error(`The fixture has no schema ${current.$ref}`);
    current = target;
  }
  return current;
}

function describe(schema: Schema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  return schema.$ref?.replace('#/components/schemas/', '') ?? schema.type ?? schema.title ?? 'a value';
}

/** The key shown in a problem: `metadata[call_id]`, `expand[0]`, `data[0].id`. */
function childName(parent: string, key: string, style: 'form' | 'json'): string {
  if (!parent) return key;
  return style === 'form' ? `${parent}[${key}]` : /^\d+$/.test(key) ? `${parent}[${key}]` : `${parent}.${key}`;
}

/** Form values are all strings: a declared integer must read as one, a boolean as 'true'/'false'. */
class FormChecker {
  constructor(
    private readonly spec: OpenApiDocument,
    private readonly problems: string[],
  ) {}

  check(value: string | FormParams, declared: Schema, name: string): void {
    const schema = resolve(this.spec, declared);
    const at = name ? `${name}: ` : '';
    if (schema.anyOf) {
      const fits = schema.anyOf.some((option) => this.fits(value, option));
      if (!fits) this.problems.push(`${at}${show(value)} is none of ${schema.anyOf.map(describe).join(', ')}`);
      return;
    }
    if (schema.type === 'object' || schema.properties) {
      if (typeof value === 'string') return void this.problems.push(`${at}${show(value)} is not an object (send ${name}[key]=…)`);
      if (!schema['x-trimmed']) this.checkObject(value, schema, name);
      return;
    }
    if (schema.type === 'array') {
      const items = typeof value === 'string' ? undefined : listItems(value);
      if (!items) return void this.problems.push(`${at}${show(value)} is not a list (send ${name}[0]=…)`);
      if (schema.items) items.forEach((item, i) => this.check(item, schema.items as Schema, childName(name, String(i), 'form')));
      return;
    }
    if (typeof value !== 'string') return void this.problems.push(`${at}an object where Stripe expects ${describe(schema)}`);
    const problem = scalarProblem(value, schema);
    if (problem) this.problems.push(`${at}${problem}`);
  }

  private checkObject(value: FormParams, schema: Schema, name: string): void {
    const { properties, additionalProperties } = schema;
    for (const [key, child] of Object.entries(value)) {
      const declared = properties?.[key] ?? (typeof additionalProperties === 'object' ? additionalProperties : undefined);
      if (declared) this.check(child, declared, childName(name, key, 'form'));
      else if (properties && additionalProperties !== true) this.problems.push(`${childName(name, key, 'form')}: unknown parameter`);
    }
    for (const key of schema.required ?? []) {
      if (!(key in value)) this.problems.push(`${childName(name, key, 'form')}: required parameter missing`);
    }
  }

  private fits(value: string | FormParams, option: Schema): boolean {
    const problems: string[] = [];
    new FormChecker(this.spec, problems).check(value, option, '');
    return problems.length === 0;
  }
}

/** A JSON answer: types, enums, nullable, required fields, anyOf (an expandable field is an id or the object). */
class JsonChecker {
  constructor(
    private readonly spec: OpenApiDocument,
    private readonly problems: string[],
  ) {}

  check(value: unknown, declared: Schema, name: string): void {
    const schema = resolve(this.spec, declared);
    const at = name ? `${name}: ` : '';
    if (value === null) {
      if (!schema.nullable) this.problems.push(`${at}null, but Stripe never answers null here (${describe(declared)})`);
      return;
    }
    if (schema.anyOf) return this.checkAnyOf(value, schema.anyOf, name);
    const actual = jsonType(value);
    if (schema.type && !sameType(actual, schema.type)) {
      return void this.problems.push(`${at}${actual} ${show(value)} where Stripe answers ${schema.type}`);
    }
    if (schema['x-trimmed']) return;
    if (schema.enum && !schema.enum.includes(value)) this.problems.push(`${at}${show(value)} is not one of ${describe(schema)}`);
    if (typeof value === 'string' && schema.maxLength !== undefined && value.length > schema.maxLength) {
      this.problems.push(`${at}longer than ${schema.maxLength} characters`);
    }
    if (Array.isArray(value) && schema.items) value.forEach((item, i) => this.check(item, schema.items as Schema, childName(name, String(i), 'json')));
    if (actual === 'object' && (schema.properties || schema.additionalProperties)) this.checkObject(value as Record<string, unknown>, schema, name);
  }

  private checkObject(value: Record<string, unknown>, schema: Schema, name: string): void {
    const { properties, additionalProperties } = schema;
    for (const [key, child] of Object.entries(value)) {
      const declared = properties?.[key] ?? (typeof additionalProperties === 'object' ? additionalProperties : undefined);
      if (declared) this.check(child, declared, childName(name, key, 'json'));
      else if (properties && additionalProperties !== true) this.problems.push(`${childName(name, key, 'json')}: not a field of ${schema.title ?? 'this object'}`);
    }
    for (const key of schema.required ?? []) {
      if (!(key in value)) this.problems.push(`${childName(name, key, 'json')}: required field missing`);
    }
  }

  /** Passes when one alternative fits; otherwise reports the closest one of the same JSON type in detail. */
  private checkAnyOf(value: unknown, options: Schema[], name: string): void {
    const attempts = options.map((option) => {
      const problems: string[] = [];
      new JsonChecker(this.spec, problems).check(value, option, name);
      return { option, problems };
    });
    if (attempts.some((attempt) => attempt.problems.length === 0)) return;
    const closest = attempts
      .filter((attempt) => sameType(jsonType(value), resolve(this.spec, attempt.option).type ?? jsonType(value)))
      .sort((a, b) => a.problems.length - b.problems.length)[0];
    if (closest) return void this.problems.push(...closest.problems);
    this.problems.push(`${name ? `${name}: ` : ''}${show(value)} is none of ${options.map(describe).join(', ')}`);
  }
}

function scalarProblem(value: string, schema: Schema): string | undefined {
  if (schema.type === 'integer' && !/^-?\d+$/.test(value)) return `${show(value)} is not an integer`;
  if (schema.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return `${show(value)} is not a number`;
  if (schema.type === 'boolean' && value !== 'true' && value !== 'false') return `${show(value)} is not a boolean ('true' or 'false')`;
  if (schema['x-trimmed']) return undefined;
  if (schema.enum && !schema.enum.includes(value)) return `${show(value)} is not one of ${describe(schema)}`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return `longer than ${schema.maxLength} characters`;
  return undefined;
}

function listItems(value: FormParams): Array<string | FormParams> | undefined {
  const keys = Object.keys(value);
  return keys.every((key, i) => key === String(i)) ? keys.map((key) => value[key]) : undefined;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function sameType(actual: string, declared: string): boolean {
  return actual === declared || (declared === 'number' && actual === 'integer');
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
