/** The parts of an OpenAPI 3 document the fuzzer reads: operations, their parameters, bodies and documented statuses. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  nullable?: boolean;
  example?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

interface DocumentOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, DocumentOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One operation as the fuzzer aims at it. */
export interface Operation {
  method: string;
  /** As the document writes it: `/v1/calls/{id}/end`. */
  path: string;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  /** The JSON body's schema, resolved; undefined when the operation documents none. */
  body?: JsonSchema;
  /** Whether the document says a token is needed (an empty alternative makes it optional). */
  needsToken: boolean;
  /** Every status the document lists for it. */
  statuses: Set<number>;
  /** `METHOD /path`, for reports. */
  name: string;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** A schema with every `$ref` and one-element `allOf` replaced by what it points at, all the way down (our schemas are not recursive). */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (schema.$ref) return resolveSchema(document, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolveSchema(document, allOf[0]), ...rest };
  }
  const resolved: JsonSchema = { ...schema };
  if (schema.items) resolved.items = resolveSchema(document, schema.items);
  if (schema.properties) resolved.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, resolveSchema(document, property)]));
  return resolved;
}

/** Every operation of the document. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const parameters = (where: string) =>
          (operation.parameters ?? [])
            .filter((parameter) => parameter.in === where)
            .map((parameter) => ({ name: parameter.name, required: parameter.required ?? where === 'path', schema: resolveSchema(document, parameter.schema ?? {}) }));
        const body = operation.requestBody?.content?.['application/json']?.schema;
        const security = operation.security ?? [];
        return {
          method: method.toUpperCase(),
          path,
          pathParameters: parameters('path'),
          queryParameters: parameters('query'),
          body: body && resolveSchema(document, body),
          needsToken: security.length > 0 && security.every((alternative) => Object.keys(alternative).length > 0),
          statuses: new Set(Object.keys(operation.responses).map(Number)),
          name: `${method.toUpperCase()} ${path}`,
        };
      }),
  );
}
