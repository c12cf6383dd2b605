import { decodeFormParams, listOf } from './form-params.decoder';

describe('decodeFormParams', () => {
  it('nests bracketed names and keeps plain ones', () => {
    const params = decodeFormParams(new URLSearchParams('amount=2500&metadata[call_id]=c%201&metadata[host]=h&automatic_payment_methods[enabled]=true'));
    expect(params).toEqual({
      amount: '2500',
      metadata: { call_id: 'c 1', host: 'h' },
      automatic_payment_methods: { enabled: 'true' },
    });
  });

  it('reads lists sent indexed (stripe-node) or with empty brackets (curl) alike', () => {
    const indexed = decodeFormParams(new URLSearchParams('expand[0]=latest_charge&expand[1]=customer'));
    const appended = decodeFormParams(new URLSearchParams('expand[]=latest_charge&expand[]=customer'));
    expect(listOf(indexed.expand)).toEqual(['latest_charge', 'customer']);
    expect(listOf(appended.expand)).toEqual(['latest_charge', 'customer']);
  });

  it('tells a list from an object and from a plain value', () => {
    const params = decodeFormParams(new URLSearchParams('metadata[call_id]=c1&limit=3&odd[1]=x'));
    expect(listOf(params.metadata)).toBeUndefined();
    expect(listOf(params.limit)).toBeUndefined();
    expect(listOf(params.odd)).toBeUndefined();
  });

  it('keeps the last of repeated values and treats a malformed bracket as part of the name', () => {
    expect(decodeFormParams(new URLSearchParams('limit=1&limit=2&a[b=1'))).toEqual({ limit: '2', 'a[b': '1' });
  });
});
