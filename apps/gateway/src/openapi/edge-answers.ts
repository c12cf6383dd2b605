import type { OpenAPIObject, OperationObject, PathItemObject, ResponseObject } from '@nestjs/swagger';
import { JSON_BODY_LIMIT, MAX_INPUT_DEPTH, MAX_PATH_PARAMETER_LENGTH } from '@vidivo/platform';

const ERROR_ENVELOPE = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } };
const BODY_METHODS = ['post', 'put', 'patch'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What the edge refuses on any operation of a kind, before its controller runs (decision 31). */
const EDGE_ANSWERS = {
  parameters: {
    400: `\`validation_error\`: a path or query parameter is not valid: a NUL character, an unpaired UTF-16 surrogate, a path parameter over ${MAX_PATH_PARAMETER_LENGTH} characters or not decodable`,
  },
  body: {
    400: `\`validation_error\`: the body does not validate: a NUL character or an unpaired UTF-16 surrogate in any text, or nesting deeper than ${MAX_INPUT_DEPTH} levels`,
    413: `\`payload_too_large\`: the body is over ${JSON_BODY_LIMIT.replace(/kb$/, ' kB')} of JSON`,
    415: '`unsupported_media_type`: the body is not JSON in UTF-8 (`Content-Type: application/json`)',
  },
} as const;

function addMissing(operation: OperationObject, answers: Record<number, string>): void {
  for (const [status, description] of Object.entries(answers)) {
    operation.responses[status] ??= { description, content: ERROR_ENVELOPE } satisfies ResponseObject;
  }
  // Listed in status order, as the controllers' own answers are.
  operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => Number(a) - Number(b)));
}

/**
 * Lists on each operation the answers the edge gives it whatever its controller says, so the
 * document names every status an operation can answer: 400 where it reads path or query
 * parameters (the checks of every text, decision 31), and 400, 413 and 415 where it may carry a
 * body (its JSON is parsed, measured and checked before any controller runs, even where the
 * operation reads none). A controller's own description of a status is kept.
 */
export function addEdgeAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? []).filter((parameter) => 'in' in parameter && (parameter.in === 'path' || parameter.in === 'query'));
      if (parameters.length) addMissing(operation, EDGE_ANSWERS.parameters);
      if ((BODY_METHODS as readonly string[]).includes(method)) addMissing(operation, EDGE_ANSWERS.body);
    }
  }
  return document;
}
