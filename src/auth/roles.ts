// The roles of docs/api.md and what each implies: admin may do everything, compliance has analyst rights.
export const ROLES = ['admin', 'compliance', 'analyst', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a route names, widened by the implications (a route open to analysts is open to compliance and admin). */
export function rolesAllowed(declared: readonly Role[]): Set<Role> {
  const allowed = new Set<Role>(declared);
  allowed.add('admin');
  if (allowed.has('analyst')) allowed.add('compliance');
  return allowed;
}
