import { Migration } from '@mikro-orm/migrations';

export class Migration0001Init extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `api_tokens` (`id` text not null, `name` text not null, `role` text not null, `token_hash` text not null, `created_at` datetime not null, `created_by` text null, `revoked_at` datetime null, primary key (`id`));',
    );
    this.addSql('create unique index `api_tokens_token_hash_unique` on `api_tokens` (`token_hash`);');
    this.addSql('create index `api_tokens_revoked_at_index` on `api_tokens` (`revoked_at`);');
    this.addSql(
      'create table `audit_log` (`id` integer not null primary key autoincrement, `at` datetime not null, `actor` text not null, `action` text not null, `incident_id` text null, `details` json not null);',
    );
    this.addSql('create index `audit_log_at_index` on `audit_log` (`at`);');
    this.addSql('create index `audit_log_action_index` on `audit_log` (`action`);');
    this.addSql('create index `audit_log_incident_id_index` on `audit_log` (`incident_id`);');
    this.addSql(
      "create table `form_versions` (`id` integer not null primary key autoincrement, `form_id` text not null, `version` integer not null, `schema` json not null, `ui_schema` json not null, `samples` json not null, `notes` text not null default '', `author` text not null, `published_at` datetime not null, `active` integer not null default false);",
    );
    this.addSql('create index `form_versions_active_index` on `form_versions` (`active`);');
    this.addSql('create unique index `form_versions_form_id_version_unique` on `form_versions` (`form_id`, `version`);');
    this.addSql(
      "create table `incidents` (`id` text not null, `external_id` text null, `title` text not null, `description` text null, `severity` text null, `status` text not null default 'open', `detected_at` datetime not null, `closed_at` datetime null, `assets` json not null, `created_at` datetime not null, primary key (`id`));",
    );
    this.addSql('create unique index `incidents_external_id_unique` on `incidents` (`external_id`);');
    this.addSql('create index `incidents_status_index` on `incidents` (`status`);');
    this.addSql('create index `incidents_created_at_index` on `incidents` (`created_at`);');
    this.addSql(
      'create table `integration_settings` (`id` integer not null default 1, `enabled` integer not null default false, `url` text not null, `company_name` text not null, `default_affected_system_function` text not null, `default_location` text null, `timeout_ms` integer null, `token_sealed` text null, `root_ca_sealed` text null, `updated_at` datetime not null, `updated_by` text not null, primary key (`id`));',
    );
    this.addSql(
      'create table `license` (`id` integer not null default 1, `key` text not null, `installed_at` datetime not null, `installed_by` text not null, primary key (`id`));',
    );
    this.addSql(
      "create table `rucert_exports` (`incident_id` text not null, `state` text not null default 'not_exported', `attempt` integer not null default 0, `form_version` integer null, `data` json null, `payload` json null, `rucert_uuid` text null, `rucert_identifier` text null, `rucert_create_time` text null, `claimed_at` datetime null, `claimed_by` text null, `exported_at` datetime null, `exported_by` text null, `last_error` json null, `updated_at` datetime not null, constraint `rucert_exports_incident_id_foreign` foreign key(`incident_id`) references `incidents`(`id`) on delete cascade on update cascade, primary key (`incident_id`));",
    );
    this.addSql('create index `rucert_exports_state_index` on `rucert_exports` (`state`);');
  }
}
