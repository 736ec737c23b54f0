import { Migration } from '@mikro-orm/migrations';

/** The data and payload of an export's claim move to their own table, one row per attempt (see the entity). */
export class Migration0005ExportDocuments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "rucert_export_documents" ("incident_id" varchar(36) not null, "attempt" int not null, "data" jsonb not null, "payload" jsonb not null, constraint "rucert_export_documents_pkey" primary key ("incident_id", "attempt"));',
    );
    this.addSql(
      'insert into "rucert_export_documents" ("incident_id", "attempt", "data", "payload") select "incident_id", "attempt", "data", "payload" from "rucert_exports" where "data" is not null and "payload" is not null;',
    );
    this.addSql('alter table "rucert_exports" drop column "data", drop column "payload";');
  }
}
