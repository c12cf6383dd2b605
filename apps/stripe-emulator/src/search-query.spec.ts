import { matchesSearchQuery, parseSearchQuery } from './search-query';
import { StripeApiError } from './stripe-api.error';

const FIELDS = ['currency', 'customer', 'metadata', 'status'];

/** https://docs.stripe.com/search#search-query-language */
describe('parseSearchQuery', () => {
  it('reads field:value clauses, metadata keys, both quote styles, escapes and negation', () => {
    expect(parseSearchQuery(`status:'requires_capture' metadata["call_id"]:"c \\"1\\"" -currency:'eur'`, FIELDS)).toEqual({
      combinator: 'AND',
      clauses: [
        { field: 'status', value: 'requires_capture', negated: false },
        { field: 'metadata', metadataKey: 'call_id', value: 'c "1"', negated: false },
        { field: 'currency', value: 'eur', negated: true },
      ],
    });
  });

  it('joins with AND or OR, case-insensitively', () => {
    expect(parseSearchQuery("status:'a' and status:'b'", FIELDS).combinator).toBe('AND');
    expect(parseSearchQuery("status:'a' OR status:'b' or status:'c'", FIELDS)).toMatchObject({ combinator: 'OR', clauses: [{}, {}, {}] });
  });

  it.each([
    ["status:'a' AND status:'b' OR status:'c'", 'cannot be combined'],
    ['status:requires_capture', 'quoted value'],
    ["amount>'100'", 'not supported'],
    ["status~'req'", "expected ':'"],
    ["metadata.call_id:'c1'", "metadata['key']"],
    ["status:'unterminated", 'Unterminated'],
    ['', 'empty'],
    [Array.from({ length: 11 }, () => "status:'a'").join(' '), 'at most 10'],
  ])('rejects %j like Stripe: a 400 on `query` (%s)', (query, detail) => {
    let error: unknown;
    try {
      parseSearchQuery(query, FIELDS);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StripeApiError);
    expect(error).toMatchObject({ status: 400, error: { type: 'invalid_request_error', param: 'query' } });
    expect((error as StripeApiError).message.toLowerCase()).toContain(detail.toLowerCase());
  });

  it('matches all clauses under AND, any under OR, negation inverting a clause', () => {
    const values: Record<string, string> = { status: 'requires_capture', currency: 'usd' };
    const valueOf = ({ field }: { field: string }) => values[field];
    expect(matchesSearchQuery(parseSearchQuery("status:'requires_capture' -currency:'eur'", FIELDS), valueOf)).toBe(true);
    expect(matchesSearchQuery(parseSearchQuery("status:'succeeded' currency:'usd'", FIELDS), valueOf)).toBe(false);
    expect(matchesSearchQuery(parseSearchQuery("status:'succeeded' OR currency:'usd'", FIELDS), valueOf)).toBe(true);
  });
});
