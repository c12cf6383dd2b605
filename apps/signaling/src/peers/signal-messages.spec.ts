import { parseRelayed } from './signal-messages';

describe('parseRelayed', () => {
  it('accepts the relayed types and keeps the frame as it came', () => {
    const raw = '{"type":"offer","payload":{"sdp":"v=0\\r\\n","type":"offer"},"extra":1}';
    expect(parseRelayed(raw)).toEqual({ ok: true, type: 'offer', raw });
    expect(parseRelayed('{"type":"ice_candidate","payload":null}')).toMatchObject({ ok: true, type: 'ice_candidate' });
    expect(parseRelayed('{"type":"answer"}')).toMatchObject({ ok: true, type: 'answer' });
  });

  it.each([
    ['not JSON', '{"type":'],
    ['an array', '[1]'],
    ['null', 'null'],
    ['no type', '{"payload":{}}'],
    ['a server-only type', '{"type":"peer_joined"}'],
    ['an unknown type', '{"type":"hello"}'],
    ['a type that is not a string', '{"type":1}'],
  ])('refuses %s', (_, raw) => {
    expect(parseRelayed(raw).ok).toBe(false);
  });
});
