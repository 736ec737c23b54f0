// Every route needs a bearer token except those marked @Public(); the roles a route allows are declared next to it
// with @Roles(). Registered as APP_GUARD so tests run exactly what production runs.
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '../common/problem';
import { PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './auth.decorators';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { rolesAllowed, type Role } from './roles';
import { TokensService } from './tokens.service';

// RFC 9110 §11.1: the scheme is case-insensitive and followed by one or more spaces (RFC 6750's b64token after it)
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9_\-.~+/]{1,512}=*)$/;

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly limiter: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = this.limiter.retryAfter(address);
    if (wait > 0) {
      throw new ProblemError('too_many_requests', 'auth.rate_limited', { seconds: wait }, { headers: { 'Retry-After': String(wait) } });
    }
    const header = req.headers.authorization;
    const match = header ? BEARER.exec(header) : null;
    const actor = match ? await this.tokens.authenticate(match[1]) : null;
    if (!actor) {
      this.limiter.recordFailure(address);
      throw new ProblemError('unauthorized', header ? 'auth.invalid' : 'auth.missing', {}, { headers: { 'WWW-Authenticate': 'Bearer' } });
    }
    req.actor = actor;
    const declared = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    const allowed = rolesAllowed(declared);
    // a route without @Roles is open to every role, like GET /incidents ("any")
    if (declared.length && !allowed.has(actor.role)) {
      throw new ProblemError('forbidden', 'auth.role', { roles: [...allowed].join(', ') });
    }
    return true;
  }
}
