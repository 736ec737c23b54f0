import { Migration } from '@mikro-orm/migrations';

// Incidents carry observables and indicators (docs/ncircc.md); form versions remember which built-in they are,
// so a built-in version is inserted once whatever number it gets. Numbered 0003: 0002 is another change's.
export class Migration0003IncidentObservablesBuiltinForms extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "form_versions" add column "builtin" varchar(50) null;');
    this.addSql('alter table "form_versions" add constraint "form_versions_form_id_builtin_unique" unique ("form_id", "builtin");');
    // the version 1 that an existing install loaded at its first start is the built-in "v1"
    this.addSql(`update "form_versions" set "builtin" = 'v1' where "form_id" = 'rucert-export' and "version" = 1 and "author" = 'system';`);
    this.addSql(`alter table "incidents" add column "observables" jsonb not null default '[]', add column "indicators" jsonb not null default '[]';`);
  }
}
