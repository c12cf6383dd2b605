import { generateKeyPairSync } from 'node:crypto';

let keys: { privateKey: string; publicKey: string } | undefined;

/** An RS256 key pair made at test time (never committed), one per test process. */
export function testJwtKeys(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keys;
}
