import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A secret made once for this machine and kept in DATA_DIR/secrets (owner-only), so restarts keep it. */
export function readOrCreateSecret(dataDir: string, name: string, create: () => string): string {
  const folder = join(dataDir, 'secrets');
  const file = join(folder, name);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const value = create();
  writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
  return value;
}

/** The RS256 signing pair for the local modes (standalone, cluster) when JWT_PRIVATE_KEY/JWT_PUBLIC_KEY are not given. */
export function readOrCreateJwtKeys(dataDir: string): { privateKey: string; publicKey: string } {
  const privateKey = readOrCreateSecret(dataDir, 'jwt-private.pem', () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey };
}
