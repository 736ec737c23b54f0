import { Migration } from '@mikro-orm/migrations';

export class Migration0001Init extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "api_tokens" ("id" varchar(36) not null, "name" varchar(200) not null, "role" varchar(16) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "created_by" varchar(200) null, "revoked_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"));',
    );
    this.addSql('alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");');
    this.addSql('create index "api_tokens_revoked_at_index" on "api_tokens" ("revoked_at");');
    this.addSql(
      'create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null, "actor" varchar(200) not null, "action" varchar(64) not null, "incident_id" varchar(36) null, "details" jsonb not null);',
    );
    this.addSql('create index "audit_log_at_index" on "audit_log" ("at");');
    this.addSql('create index "audit_log_action_index" on "audit_log" ("action");');
    this.addSql('create index "audit_log_incident_id_index" on "audit_log" ("incident_id");');
    this.addSql(
      'create table "form_versions" ("id" serial primary key, "form_id" varchar(100) not null, "version" int not null, "schema" jsonb not null, "ui_schema" jsonb not null, "samples" jsonb not null, "notes" text not null default \'\', "author" varchar(200) not null, "published_at" timestamptz not null, "active" boolean not null default false);',
    );
    this.addSql('create index "form_versions_active_index" on "form_versions" ("active");');
    this.addSql('alter table "form_versions" add constraint "form_versions_form_id_version_unique" unique ("form_id", "version");');
    this.addSql(
      'create table "incidents" ("id" varchar(36) not null, "external_id" varchar(200) null, "title" varchar(500) not null, "description" text null, "severity" varchar(32) null, "status" varchar(16) not null default \'open\', "detected_at" timestamptz not null, "closed_at" timestamptz null, "assets" jsonb not null, "created_at" timestamptz not null, constraint "incidents_pkey" primary key ("id"));',
    );
    this.addSql('alter table "incidents" add constraint "incidents_external_id_unique" unique ("external_id");');
    this.addSql('create index "incidents_status_index" on "incidents" ("status");');
    this.addSql('create index "incidents_created_at_index" on "incidents" ("created_at");');
    this.addSql(
      'create table "integration_settings" ("id" int not null default 1, "enabled" boolean not null default false, "url" varchar(2048) not null, "company_name" varchar(500) not null, "default_affected_system_function" varchar(100) not null, "default_location" varchar(16) null, "timeout_ms" int null, "token_sealed" text null, "root_ca_sealed" text null, "updated_at" timestamptz not null, "updated_by" varchar(200) not null, constraint "integration_settings_pkey" primary key ("id"));',
    );
    this.addSql(
      'create table "license" ("id" int not null default 1, "key" text not null, "installed_at" timestamptz not null, "installed_by" varchar(200) not null, constraint "license_pkey" primary key ("id"));',
    );
    this.addSql(
      'create table "rucert_exports" ("incident_id" varchar(36) not null, "state" varchar(16) not null default \'not_exported\', "attempt" int not null default 0, "form_version" int null, "data" jsonb null, "payload" jsonb null, "rucert_uuid" varchar(100) null, "rucert_identifier" varchar(100) null, "rucert_create_time" varchar(64) null, "claimed_at" timestamptz null, "claimed_by" varchar(200) null, "exported_at" timestamptz null, "exported_by" varchar(200) null, "last_error" jsonb null, "updated_at" timestamptz not null, constraint "rucert_exports_pkey" primary key ("incident_id"));',
    );
    this.addSql('create index "rucert_exports_state_index" on "rucert_exports" ("state");');
    this.addSql(
      'alter table "rucert_exports" add constraint "rucert_exports_incident_id_foreign" foreign key ("incident_id") references "incidents" ("id") on update cascade on delete cascade;',
    );
  }
}
