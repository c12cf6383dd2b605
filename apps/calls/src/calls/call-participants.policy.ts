import { Actor, ULID_PATTERN } from '@vidivo/contracts';
import { AppError, CallRole } from '@vidivo/platform';
import { CallEntity } from './call.entity';
import { CallsRepository } from './calls.repository';

/** The part the actor has in the call, if any. */
export function roleOf(actor: Actor, call: CallEntity): CallRole | null {
  if (actor.id === call.hostId) return 'host';
  if (actor.id === call.guestId) return 'guest';
  return null;
}

/** 404 for a call that does not exist; a malformed id is simply an unknown call. */
export async function knownCall(calls: CallsRepository, callId: string): Promise<CallEntity> {
  const call = ULID_PATTERN.test(callId) ? await calls.byId(callId) : null;
  if (!call) throw AppError.notFound('Call');
  return call;
}

/** 404 for a call that does not exist, 403 for one the caller has no part in; administrators read any (decision 14). */
export async function readableCall(calls: CallsRepository, actor: Actor, callId: string): Promise<CallEntity> {
  const call = await knownCall(calls, callId);
  if (!roleOf(actor, call) && actor.role !== 'admin') throw AppError.forbidden('You are not a participant of this call');
  return call;
}
