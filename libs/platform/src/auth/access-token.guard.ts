import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@vidivo/contracts';
import type { Request } from 'express';
import { AppError } from '../errors';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthenticatedRequest, OPTIONAL_AUTH_ROUTE, PUBLIC_ROUTE, ROLES_KEY } from './auth.decorators';

/**
 * Installed globally at the edge: every route needs a valid Bearer token unless marked
 * `@Public()` or `@OptionalAuth()`, and `@Roles()` narrows who may call it.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const token = this.bearerToken(request);
    if (token === undefined && this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_ROUTE, targets)) return true;
    if (token === undefined) throw AppError.unauthorized();
    request.actor = await this.verifier.authenticate(token);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(request.actor.role)) {
      throw AppError.forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private bearerToken(request: Request): string | undefined {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw AppError.unauthorized('The Authorization header must be "Bearer <token>"');
    return match[1];
  }
}
