import { ErrorDetail } from '@vidivo/contracts';

/**
 * How deep a request body or message payload may nest (decision 31). Ours nest three levels at
 * most; 32 leaves room and keeps every recursive step after parsing (class-transformer,
 * class-validator, fingerprints) far from the stack's end.
 */
export const MAX_INPUT_DEPTH = 32;

/** A NUL (Postgres text refuses 0x00), or a UTF-16 surrogate without its pair (not Unicode: no JSON column, email check or UTF-8 encoder takes it). */
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string is refused, or undefined when it is fine. */
export function textProblem(text: string): string | undefined {
  if (!BAD_TEXT.test(text)) return undefined;
  return text.includes('\u0000') ? 'must not contain the NUL character (U+0000)' : 'must be valid Unicode text (no unpaired UTF-16 surrogate)';
}

/** A key as it can be named in an answer: its NUL and lone surrogates become U+FFFD, so the refusal never carries them back. */
function printable(key: string): string {
  return key.replace(new RegExp(BAD_TEXT.source, 'g'), '\ufffd');
}

const join = (parent: string, key: string) => (parent ? `${parent}.${printable(key)}` : printable(key));

/** Whether `value` nests objects or arrays deeper than `limit` levels (a scalar is level 0). Iterative: the point is not to need the stack. */
export function nestsDeeperThan(value: unknown, limit = MAX_INPUT_DEPTH): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * What is wrong with the text of an input, field by field (dotted paths, `root` for a bare string):
 * NUL characters and unpaired surrogates in any string or key, and nesting past MAX_INPUT_DEPTH
 * (named once, at the first field too deep). Iterative, in document order.
 */
export function hostileInputProblems(value: unknown, root = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const pending: Array<[unknown, string, number]> = [[value, root, 0]];
  let tooDeep = false;
  while (pending.length) {
    const [current, field, depth] = pending.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) problems.push({ field, message: `${field || 'the value'} ${problem}` });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > MAX_INPUT_DEPTH) {
      if (!tooDeep) problems.push({ field, message: `${field || 'the body'} nests deeper than ${MAX_INPUT_DEPTH} levels` });
      tooDeep = true;
      continue;
    }
    const entries = Object.entries(current);
    for (const [key] of entries) {
      const problem = textProblem(key);
      if (problem) problems.push({ field: join(field, key), message: `the name of ${join(field, key)} ${problem}` });
    }
    for (let i = entries.length - 1; i >= 0; i--) pending.push([entries[i][1], join(field, entries[i][0]), depth + 1]);
  }
  return problems;
}
