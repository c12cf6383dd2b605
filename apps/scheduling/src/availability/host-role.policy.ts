import { Actor } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';

const HOST_ROLES = new Set(['host', 'admin']);

/** Only hosts (and admins) publish availability and read their own (decision 16). */
export function assertHost(actor: Actor): void {
  if (!HOST_ROLES.has(actor.role)) throw AppError.forbidden('Only hosts publish availability');
}
