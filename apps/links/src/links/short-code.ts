import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const SHORT_CODE_LENGTH = 6;

/** 6 characters of [a-z0-9] from a CSPRNG: 36^6 ≈ 2.2 billion codes, so links are not enumerable by guessing. */
export function newShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
