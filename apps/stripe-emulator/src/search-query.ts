import { StripeApiError, invalidParam } from './stripe-api.error';

/** One `field:value` test; `metadata['key']:'value'` carries its key, a leading `-` negates it. */
export interface SearchClause {
  field: string;
  metadataKey?: string;
  value: string;
  negated: boolean;
}

export interface SearchQuery {
  clauses: SearchClause[];
  /** Clauses joined by spaces or `AND` must all hold; joined by `OR`, one is enough. */
  combinator: 'AND' | 'OR';
}

/** https://docs.stripe.com/search#search-query-language: "You can combine up to 10 query clauses". */
const MAX_CLAUSES = 10;

/**
 * Parses Stripe's search query language (https://docs.stripe.com/search#search-query-language) for
 * exact matches on the given fields: `status:'requires_capture'`, `metadata['call_id']:"c1"`,
 * `-status:"canceled"`, joined by spaces, `AND` or `OR` (case-insensitive; AND and OR may not be
 * mixed). Values are quoted with ' or ", a backslash escaping a quote. Anything else is a 400.
 */
export function parseSearchQuery(query: string, fields: readonly string[]): SearchQuery {
  const scanner = new Scanner(query);
  const clauses: SearchClause[] = [];
  const combinators = new Set<'AND' | 'OR'>();
  scanner.skipSpaces();
  if (scanner.done()) throw queryError('The search query is empty.');
  for (;;) {
    clauses.push(readClause(scanner, fields));
    const spaced = scanner.skipSpaces();
    if (scanner.done()) break;
    const keyword = scanner.keyword();
    if (keyword) {
      combinators.add(keyword);
      if (!scanner.skipSpaces()) throw queryError(`Expected a space after ${keyword} at position ${scanner.position}.`);
    } else if (spaced) {
      combinators.add('AND');
    } else {
      throw queryError(`Unexpected character at position ${scanner.position}.`);
    }
  }
  if (combinators.size > 1) throw queryError('AND and OR operators cannot be combined in one query.');
  if (clauses.length > MAX_CLAUSES) throw queryError(`A query may have at most ${MAX_CLAUSES} clauses.`);
  return { clauses, combinator: combinators.has('OR') ? 'OR' : 'AND' };
}

/** Whether an object passes the query; `valueOf` reads a field (or a metadata key) of it. */
export function matchesSearchQuery(query: SearchQuery, valueOf: (clause: SearchClause) => string | null | undefined): boolean {
  const holds = (clause: SearchClause) => (valueOf(clause) === clause.value) !== clause.negated;
  return query.combinator === 'AND' ? query.clauses.every(holds) : query.clauses.some(holds);
}

function readClause(scanner: Scanner, fields: readonly string[]): SearchClause {
  const negated = scanner.take('-');
  const start = scanner.position;
  const field = scanner.word();
  if (!field) throw queryError(`Expected a field name at position ${start}.`);
  if (!fields.includes(field)) throw queryError(`Field '${field}' is not supported for this search. Supported fields: ${fields.join(', ')}.`);
  let metadataKey: string | undefined;
  if (field === 'metadata') {
    if (!scanner.take('[')) throw queryError(`Expected metadata['key'] at position ${scanner.position}.`);
    metadataKey = scanner.quoted();
    if (!scanner.take(']')) throw queryError(`Expected ] at position ${scanner.position}.`);
  }
  if (!scanner.take(':')) {
    throw queryError(`Only exact matches with ':' are supported; expected ':' at position ${scanner.position}.`);
  }
  return { field, ...(metadataKey !== undefined ? { metadataKey } : {}), value: scanner.quoted(), negated };
}

class Scanner {
  position = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }

  /** True when at least one space was skipped. */
  skipSpaces(): boolean {
    const start = this.position;
    while (/\s/.test(this.text[this.position] ?? '')) this.position += 1;
    return this.position > start;
  }

  take(character: string): boolean {
    if (this.text[this.position] !== character) return false;
    this.position += 1;
    return true;
  }

  word(): string {
    const match = /^[a-z_]+/.exec(this.text.slice(this.position));
    this.position += match?.[0].length ?? 0;
    return match?.[0] ?? '';
  }

  keyword(): 'AND' | 'OR' | undefined {
    const match = /^(and|or)(?=\s)/i.exec(this.text.slice(this.position));
    if (!match) return undefined;
    this.position += match[0].length;
    return match[0].toUpperCase() as 'AND' | 'OR';
  }

  quoted(): string {
    const quote = this.text[this.position];
    if (quote !== "'" && quote !== '"') throw queryError(`Expected a quoted value at position ${this.position}.`);
    let value = '';
    for (let index = this.position + 1; index < this.text.length; index++) {
      const character = this.text[index];
      if (character === '\\' && index + 1 < this.text.length) {
        value += this.text[++index];
      } else if (character === quote) {
        this.position = index + 1;
        return value;
      } else {
        value += character;
      }
    }
    throw queryError(`Unterminated quoted value at position ${this.position}.`);
  }
}

function queryError(detail: string): StripeApiError {
  return invalidParam('query', `Invalid search query: ${detail}`);
}
