import { Migration } from '@mikro-orm/migrations';

export class Migration0002IntegrationContract extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "integration_settings" add column "mssp" boolean not null default false, add column "owner_name" text null, add column "detection_tool" text null, add column "operator" jsonb null, add column "sync_interval_ms" int null, add column "inbound_enabled" boolean not null default false;',
    );
  }
}
