import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './roles';

export const ROLES_KEY = 'rucert:roles';
export const PUBLIC_KEY = 'rucert:public';

/** The roles that may call a route, declared next to it (admin is always allowed; analyst implies compliance). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no token (health only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Who is calling: set by the AuthGuard from the bearer token. */
export interface Actor {
  tokenId: string;
  name: string;
  role: Role;
}

export type AuthenticatedRequest = Request & { actor?: Actor };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

/** How the actor is written into the audit log and export records. */
export const actorLabel = (actor: Actor) => `${actor.name} (${actor.role}, token ${actor.tokenId.slice(0, 8)})`;
