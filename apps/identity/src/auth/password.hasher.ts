import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's recommended cost (19 MiB, 2 passes). */
const ARGON2ID = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /** Verified against when no account matches, so a wrong email costs as much time as a wrong password. */
  private readonly decoy = hash('not-a-real-password', ARGON2ID);

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  async verify(stored: string | null, password: string): Promise<boolean> {
    const digest = stored ?? (await this.decoy);
    const matches = await verify(digest, password).catch(() => false);
    return stored !== null && matches;
  }
}
