// Migrations are kept per dialect (SQLite and PostgreSQL differ in types and DDL); both lists describe the same
// schema. `npm run migration:create -- <Name>` writes the next file of both dialects from the entities; add the two
// classes below, in order. 0002 is reserved for a change made on another branch: it goes between the two.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Init as PgInit } from './postgresql/0001-Init';
import { Migration0003IncidentObservablesBuiltinForms as PgIncidentObservablesBuiltinForms } from './postgresql/0003-IncidentObservablesBuiltinForms';
import { Migration0001Init as SqliteInit } from './sqlite/0001-Init';
import { Migration0003IncidentObservablesBuiltinForms as SqliteIncidentObservablesBuiltinForms } from './sqlite/0003-IncidentObservablesBuiltinForms';

export const MIGRATIONS: Record<'sqlite' | 'postgresql', MigrationObject[]> = {
  sqlite: [
    { name: '0001-Init', class: SqliteInit },
    { name: '0003-IncidentObservablesBuiltinForms', class: SqliteIncidentObservablesBuiltinForms },
  ],
  postgresql: [
    { name: '0001-Init', class: PgInit },
    { name: '0003-IncidentObservablesBuiltinForms', class: PgIncidentObservablesBuiltinForms },
  ],
};
