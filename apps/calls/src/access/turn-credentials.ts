import { createHmac } from 'node:crypto';
import { TurnCredentials } from '@vidivo/contracts';

/** How long TURN credentials stay usable; a call that outlives them keeps its relayed media. */
export const TURN_CREDENTIAL_TTL_SECONDS = 12 * 3600;

/**
 * coturn's REST scheme (`use-auth-secret`): username "<expiry unix seconds>:<participant id>",
 * credential base64(HMAC-SHA1(secret, username)). coturn checks both without asking us.
 */
export function turnCredentials(secret: string, urls: string[], participantId: string, now: Date): TurnCredentials {
  const expiry = Math.floor(now.getTime() / 1000) + TURN_CREDENTIAL_TTL_SECONDS;
  const username = `${expiry}:${participantId}`;
  return { urls, username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}
