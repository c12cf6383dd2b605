import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Actor, Role } from '@vidivo/contracts';

export const PUBLIC_ROUTE = 'vidivo:public';
export const OPTIONAL_AUTH_ROUTE = 'vidivo:optional-auth';
export const ROLES_KEY = 'vidivo:roles';

/** Routes are guarded unless they say otherwise: this one needs no token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A token is read when one is sent, but the route also serves anonymous callers. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH_ROUTE, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export interface AuthenticatedRequest {
  actor?: Actor;
}

/** The caller, as the access token says. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
});
