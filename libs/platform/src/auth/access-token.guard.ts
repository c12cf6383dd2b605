import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@vidivo/contracts';
import type { Request } from 'express';
import { AppError } from '../errors';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthenticatedRequest, OPTIONAL_AUTH_ROUTE, PUBLIC_ROUTE, ROLES_KEY } from './auth.decorators';

/** What a route asks of its caller, read from its decorators once (not on every request). */
interface RoutePolicy {
  public: boolean;
  optional: boolean;
  roles: Role[] | undefined;
}

/**
 * Installed globally at the edge: every route needs a valid Bearer token unless marked
 * `@Public()` or `@OptionalAuth()`, and `@Roles()` narrows who may call it. A public route costs
 * one lookup: no promise, no header read.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  /** By controller, then handler (a handler may be inherited by several controllers). */
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.policyOf(context.getClass(), context.getHandler());
    if (policy.public) return true;

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const token = this.bearerToken(request);
    if (token === undefined && policy.optional) return true;
    if (token === undefined) throw AppError.unauthorized();
    return this.authenticate(request, token, policy.roles);
  }

  private async authenticate(request: AuthenticatedRequest, token: string, roles: Role[] | undefined): Promise<boolean> {
    request.actor = await this.verifier.authenticate(token);
    if (roles && !roles.includes(request.actor.role)) {
      throw AppError.forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private policyOf(controller: object, handler: object): RoutePolicy {
    let byHandler = this.policies.get(controller);
    if (!byHandler) this.policies.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) {
      const targets = [handler, controller] as Array<() => void>;
      policy = {
        public: Boolean(this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)),
        optional: Boolean(this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_ROUTE, targets)),
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }

  private bearerToken(request: Request): string | undefined {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw AppError.unauthorized('The Authorization header must be "Bearer <token>"');
    return match[1];
  }
}
