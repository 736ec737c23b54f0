// Migrations are kept per dialect (SQLite and PostgreSQL differ in types and DDL); both lists describe the same
// schema. `npm run migration:create -- <Name>` writes the next file of both dialects from the entities; add the two
// classes below, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Init as PgInit } from './postgresql/0001-Init';
import { Migration0001Init as SqliteInit } from './sqlite/0001-Init';
import { Migration0002IntegrationContract as PgIntegrationContract } from './postgresql/0002-IntegrationContract';
import { Migration0002IntegrationContract as SqliteIntegrationContract } from './sqlite/0002-IntegrationContract';

export const MIGRATIONS: Record<'sqlite' | 'postgresql', MigrationObject[]> = {
  sqlite: [
    { name: '0001-Init', class: SqliteInit },
    { name: '0002-IntegrationContract', class: SqliteIntegrationContract },
  ],
  postgresql: [
    { name: '0001-Init', class: PgInit },
    { name: '0002-IntegrationContract', class: PgIntegrationContract },
  ],
};
