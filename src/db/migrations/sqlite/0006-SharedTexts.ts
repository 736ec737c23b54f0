import { Migration } from '@mikro-orm/migrations';

/** Where an export's data shares a long text with its payload, which alone stores it (src/export/shared-texts.ts). */
export class Migration0006SharedTexts extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `rucert_export_documents` add column `shared` json null;');
  }
}
