import type { SignalingAccess } from '@vidivo/contracts';

/**
 * What a participant needs to (re)enter a call, kept in sessionStorage so a reload of the call
 * page resumes: the bearer token (a guest's guest_token; hosts use their account's token) and
 * the latest signaling access.
 */
export interface CallCredentials {
  role: 'guest' | 'host';
  /** The guest's guest_token; absent for hosts, who use the signed-in account. */
  guestToken?: string;
  access?: SignalingAccess;
}

const key = (callId: string) => `vidivo.call.${callId}`;

export function loadCredentials(callId: string): CallCredentials | null {
  try {
    return JSON.parse(sessionStorage.getItem(key(callId)) ?? 'null') as CallCredentials | null;
  } catch {
    return null;
  }
}

export function saveCredentials(callId: string, credentials: CallCredentials): void {
  sessionStorage.setItem(key(callId), JSON.stringify(credentials));
}
