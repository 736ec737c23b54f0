// Migrations are kept per dialect (SQLite and PostgreSQL differ in types and DDL); both lists describe the same
// schema. `npm run migration:create -- <Name>` writes the next file of both dialects from the entities; add the two
// classes below, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Init as PgInit } from './postgresql/0001-Init';
import { Migration0002IntegrationContract as PgIntegrationContract } from './postgresql/0002-IntegrationContract';
import { Migration0003IncidentObservablesBuiltinForms as PgIncidentObservablesBuiltinForms } from './postgresql/0003-IncidentObservablesBuiltinForms';
import { Migration0004NcirccCards as PgNcirccCards } from './postgresql/0004-NcirccCards';
import { Migration0005ExportDocuments as PgExportDocuments } from './postgresql/0005-ExportDocuments';
import { Migration0006SharedTexts as PgSharedTexts } from './postgresql/0006-SharedTexts';
import { Migration0001Init as SqliteInit } from './sqlite/0001-Init';
import { Migration0002IntegrationContract as SqliteIntegrationContract } from './sqlite/0002-IntegrationContract';
import { Migration0003IncidentObservablesBuiltinForms as SqliteIncidentObservablesBuiltinForms } from './sqlite/0003-IncidentObservablesBuiltinForms';
import { Migration0004NcirccCards as SqliteNcirccCards } from './sqlite/0004-NcirccCards';
import { Migration0005ExportDocuments as SqliteExportDocuments } from './sqlite/0005-ExportDocuments';
import { Migration0006SharedTexts as SqliteSharedTexts } from './sqlite/0006-SharedTexts';

export const MIGRATIONS: Record<'sqlite' | 'postgresql', MigrationObject[]> = {
  sqlite: [
    { name: '0001-Init', class: SqliteInit },
    { name: '0002-IntegrationContract', class: SqliteIntegrationContract },
    { name: '0003-IncidentObservablesBuiltinForms', class: SqliteIncidentObservablesBuiltinForms },
    { name: '0004-NcirccCards', class: SqliteNcirccCards },
    { name: '0005-ExportDocuments', class: SqliteExportDocuments },
    { name: '0006-SharedTexts', class: SqliteSharedTexts },
  ],
  postgresql: [
    { name: '0001-Init', class: PgInit },
    { name: '0002-IntegrationContract', class: PgIntegrationContract },
    { name: '0003-IncidentObservablesBuiltinForms', class: PgIncidentObservablesBuiltinForms },
    { name: '0004-NcirccCards', class: PgNcirccCards },
    { name: '0005-ExportDocuments', class: PgExportDocuments },
    { name: '0006-SharedTexts', class: PgSharedTexts },
  ],
};
