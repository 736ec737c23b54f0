import { Migration } from '@mikro-orm/migrations';

/** The data and payload of an export's claim move to their own table, one row per attempt (see the entity). */
export class Migration0005ExportDocuments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `rucert_export_documents` (`incident_id` text not null, `attempt` integer not null, `data` json not null, `payload` json not null, primary key (`incident_id`, `attempt`));',
    );
    this.addSql(
      'insert into `rucert_export_documents` (`incident_id`, `attempt`, `data`, `payload`) select `incident_id`, `attempt`, `data`, `payload` from `rucert_exports` where `data` is not null and `payload` is not null;',
    );
    this.addSql('alter table `rucert_exports` drop column `data`;');
    this.addSql('alter table `rucert_exports` drop column `payload`;');
  }
}
