import { Migration } from '@mikro-orm/migrations';

export class Migration0004NcirccCards extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "ncircc_cards" ("id" varchar(36) not null, "incident_id" varchar(36) not null, "kind" varchar(16) not null, "uuid" varchar(100) not null, "identifier" varchar(200) null, "reg_number" varchar(200) null, "category" varchar(500) null, "type" varchar(500) null, "status_id" varchar(100) null, "status_name" varchar(500) null, "ncircc_updated" varchar(64) null, "ncircc_create_time" varchar(64) null, "synced_at" timestamptz null, "form_version" int null, "supplement_requests" int not null default 0, "leak_detected_at" timestamptz null, "details" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "ncircc_cards_pkey" primary key ("id"));',
    );
    this.addSql('alter table "ncircc_cards" add constraint "ncircc_cards_incident_id_unique" unique ("incident_id");');
    this.addSql('alter table "ncircc_cards" add constraint "ncircc_cards_uuid_unique" unique ("uuid");');
    this.addSql('create index "ncircc_cards_reg_number_index" on "ncircc_cards" ("reg_number");');
    this.addSql(
      'create table "ncircc_card_statuses" ("id" bigserial primary key, "card_id" varchar(36) not null, "status_id" varchar(100) null, "status_name" varchar(500) not null, "at" timestamptz not null);',
    );
    this.addSql('create index "ncircc_card_statuses_card_id_index" on "ncircc_card_statuses" ("card_id");');
    this.addSql(
      'create table "ncircc_comments" ("id" varchar(36) not null, "state" varchar(16) not null default \'sending\', "attempt" int not null default 1, "claimed_at" timestamptz null, "claimed_by" varchar(200) null, "sent_at" timestamptz null, "last_error" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "card_id" varchar(36) not null, "ncircc_id" varchar(100) null, "direction" varchar(8) not null, "author" varchar(500) not null, "text" text not null, "at" timestamptz not null, "dedupe_key" varchar(64) null, constraint "ncircc_comments_pkey" primary key ("id"));',
    );
    this.addSql('create index "ncircc_comments_state_index" on "ncircc_comments" ("state");');
    this.addSql('create index "ncircc_comments_card_id_index" on "ncircc_comments" ("card_id");');
    this.addSql('alter table "ncircc_comments" add constraint "ncircc_comments_card_id_dedupe_key_unique" unique ("card_id", "dedupe_key");');
    this.addSql('alter table "ncircc_comments" add constraint "ncircc_comments_card_id_ncircc_id_unique" unique ("card_id", "ncircc_id");');
    this.addSql(
      'create table "ncircc_files" ("id" varchar(36) not null, "state" varchar(16) not null default \'sending\', "attempt" int not null default 1, "claimed_at" timestamptz null, "claimed_by" varchar(200) null, "sent_at" timestamptz null, "last_error" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "card_id" varchar(36) not null, "ncircc_id" varchar(100) null, "filename" varchar(255) not null, "content_type" varchar(255) not null, "size" bigint not null, "sha256" varchar(64) not null, "sha1" varchar(40) not null, "md5" varchar(32) not null, constraint "ncircc_files_pkey" primary key ("id"));',
    );
    this.addSql('create index "ncircc_files_state_index" on "ncircc_files" ("state");');
    this.addSql('create index "ncircc_files_card_id_index" on "ncircc_files" ("card_id");');
    this.addSql('alter table "ncircc_files" add constraint "ncircc_files_card_id_sha256_filename_unique" unique ("card_id", "sha256", "filename");');
    this.addSql(
      'create table "ncircc_status_changes" ("id" varchar(36) not null, "state" varchar(16) not null default \'sending\', "attempt" int not null default 1, "claimed_at" timestamptz null, "claimed_by" varchar(200) null, "sent_at" timestamptz null, "last_error" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "card_id" varchar(36) not null, "status" varchar(32) not null, "result" varchar(32) null, constraint "ncircc_status_changes_pkey" primary key ("id"));',
    );
    this.addSql('create index "ncircc_status_changes_state_index" on "ncircc_status_changes" ("state");');
    this.addSql('create index "ncircc_status_changes_card_id_index" on "ncircc_status_changes" ("card_id");');
    this.addSql('alter table "ncircc_status_changes" add constraint "ncircc_status_changes_card_id_status_unique" unique ("card_id", "status");');
    this.addSql(
      'create table "ncircc_supplements" ("id" varchar(36) not null, "state" varchar(16) not null default \'sending\', "attempt" int not null default 1, "claimed_at" timestamptz null, "claimed_by" varchar(200) null, "sent_at" timestamptz null, "last_error" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "card_id" varchar(36) not null, "n" int not null, "data" jsonb not null, "changes" jsonb not null, constraint "ncircc_supplements_pkey" primary key ("id"));',
    );
    this.addSql('create index "ncircc_supplements_state_index" on "ncircc_supplements" ("state");');
    this.addSql('create index "ncircc_supplements_card_id_index" on "ncircc_supplements" ("card_id");');
    this.addSql('alter table "ncircc_supplements" add constraint "ncircc_supplements_card_id_n_unique" unique ("card_id", "n");');
    this.addSql(
      'create table "notifications" ("id" bigserial primary key, "kind" varchar(32) not null, "incident_id" varchar(36) not null, "details" jsonb not null, "created_at" timestamptz not null, "read_at" timestamptz null, "once_key" varchar(200) null);',
    );
    this.addSql('create index "notifications_incident_id_index" on "notifications" ("incident_id");');
    this.addSql('create index "notifications_created_at_index" on "notifications" ("created_at");');
    this.addSql('create index "notifications_read_at_index" on "notifications" ("read_at");');
    this.addSql('alter table "notifications" add constraint "notifications_once_key_unique" unique ("once_key");');
    this.addSql(
      'create table "ncircc_sync_state" ("id" int not null default 1, "cards_watermark" varchar(64) null, "messages_watermark" varchar(64) null, "comments_watermark" varchar(64) null, "lease_owner" varchar(64) null, "lease_until" timestamptz null, "last_pass_at" timestamptz null, "last_error" text null, "failures" int not null default 0, constraint "ncircc_sync_state_pkey" primary key ("id"));',
    );
    this.addSql(
      'alter table "ncircc_card_statuses" add constraint "ncircc_card_statuses_card_id_foreign" foreign key ("card_id") references "ncircc_cards" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "ncircc_comments" add constraint "ncircc_comments_card_id_foreign" foreign key ("card_id") references "ncircc_cards" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "ncircc_files" add constraint "ncircc_files_card_id_foreign" foreign key ("card_id") references "ncircc_cards" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "ncircc_status_changes" add constraint "ncircc_status_changes_card_id_foreign" foreign key ("card_id") references "ncircc_cards" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "ncircc_supplements" add constraint "ncircc_supplements_card_id_foreign" foreign key ("card_id") references "ncircc_cards" ("id") on update cascade on delete cascade;',
    );
    this.addSql('alter table "incidents" add column "source" varchar(16) not null default \'siem\';');
    this.addSql('create index "incidents_source_index" on "incidents" ("source");');
  }
}
