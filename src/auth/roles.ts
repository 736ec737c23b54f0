// The roles of docs/api.md and what each implies: admin may do everything, compliance has analyst rights.
import responses from '../../schemas/api/responses.schema.json';
import type { Role } from '../generated/api/responses';

export type { Role };
/** Defined once, in schemas/api/responses.schema.json (Role). */
export const ROLES = responses.definitions.Role.enum as readonly Role[];

/** Roles a route names, widened by the implications (a route open to analysts is open to compliance and admin). */
export function rolesAllowed(declared: readonly Role[]): Set<Role> {
  const allowed = new Set<Role>(declared);
  allowed.add('admin');
  if (allowed.has('analyst')) allowed.add('compliance');
  return allowed;
}
