import { Migration } from '@mikro-orm/migrations';

export class Migration0002IntegrationContract extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `integration_settings` add column `mssp` integer not null default false;');
    this.addSql('alter table `integration_settings` add column `owner_name` text null;');
    this.addSql('alter table `integration_settings` add column `detection_tool` text null;');
    this.addSql('alter table `integration_settings` add column `operator` json null;');
    this.addSql('alter table `integration_settings` add column `sync_interval_ms` integer null;');
    this.addSql('alter table `integration_settings` add column `inbound_enabled` integer not null default false;');
  }
}
