import { Migration } from '@mikro-orm/migrations';

export class Migration0004NcirccCards extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `ncircc_cards` (`id` text not null, `incident_id` text not null, `kind` text not null, `uuid` text not null, `identifier` text null, `reg_number` text null, `category` text null, `type` text null, `status_id` text null, `status_name` text null, `ncircc_updated` text null, `ncircc_create_time` text null, `synced_at` datetime null, `form_version` integer null, `supplement_requests` integer not null default 0, `leak_detected_at` datetime null, `details` json null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));',
    );
    this.addSql('create unique index `ncircc_cards_incident_id_unique` on `ncircc_cards` (`incident_id`);');
    this.addSql('create unique index `ncircc_cards_uuid_unique` on `ncircc_cards` (`uuid`);');
    this.addSql('create index `ncircc_cards_reg_number_index` on `ncircc_cards` (`reg_number`);');
    this.addSql(
      'create table `ncircc_card_statuses` (`id` integer not null primary key autoincrement, `card_id` text not null, `status_id` text null, `status_name` text not null, `at` datetime not null, constraint `ncircc_card_statuses_card_id_foreign` foreign key(`card_id`) references `ncircc_cards`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create index `ncircc_card_statuses_card_id_index` on `ncircc_card_statuses` (`card_id`);');
    this.addSql(
      "create table `ncircc_comments` (`id` text not null, `state` text not null default 'sending', `attempt` integer not null default 1, `claimed_at` datetime null, `claimed_by` text null, `sent_at` datetime null, `last_error` json null, `created_at` datetime not null, `updated_at` datetime not null, `card_id` text not null, `ncircc_id` text null, `direction` text not null, `author` text not null, `text` text not null, `at` datetime not null, `dedupe_key` text null, constraint `ncircc_comments_card_id_foreign` foreign key(`card_id`) references `ncircc_cards`(`id`) on delete cascade on update cascade, primary key (`id`));",
    );
    this.addSql('create index `ncircc_comments_state_index` on `ncircc_comments` (`state`);');
    this.addSql('create index `ncircc_comments_card_id_index` on `ncircc_comments` (`card_id`);');
    this.addSql('create unique index `ncircc_comments_card_id_dedupe_key_unique` on `ncircc_comments` (`card_id`, `dedupe_key`);');
    this.addSql('create unique index `ncircc_comments_card_id_ncircc_id_unique` on `ncircc_comments` (`card_id`, `ncircc_id`);');
    this.addSql(
      "create table `ncircc_files` (`id` text not null, `state` text not null default 'sending', `attempt` integer not null default 1, `claimed_at` datetime null, `claimed_by` text null, `sent_at` datetime null, `last_error` json null, `created_at` datetime not null, `updated_at` datetime not null, `card_id` text not null, `ncircc_id` text null, `filename` text not null, `content_type` text not null, `size` bigint not null, `sha256` text not null, `sha1` text not null, `md5` text not null, constraint `ncircc_files_card_id_foreign` foreign key(`card_id`) references `ncircc_cards`(`id`) on delete cascade on update cascade, primary key (`id`));",
    );
    this.addSql('create index `ncircc_files_state_index` on `ncircc_files` (`state`);');
    this.addSql('create index `ncircc_files_card_id_index` on `ncircc_files` (`card_id`);');
    this.addSql('create unique index `ncircc_files_card_id_sha256_filename_unique` on `ncircc_files` (`card_id`, `sha256`, `filename`);');
    this.addSql(
      "create table `ncircc_status_changes` (`id` text not null, `state` text not null default 'sending', `attempt` integer not null default 1, `claimed_at` datetime null, `claimed_by` text null, `sent_at` datetime null, `last_error` json null, `created_at` datetime not null, `updated_at` datetime not null, `card_id` text not null, `status` text not null, `result` text null, constraint `ncircc_status_changes_card_id_foreign` foreign key(`card_id`) references `ncircc_cards`(`id`) on delete cascade on update cascade, primary key (`id`));",
    );
    this.addSql('create index `ncircc_status_changes_state_index` on `ncircc_status_changes` (`state`);');
    this.addSql('create index `ncircc_status_changes_card_id_index` on `ncircc_status_changes` (`card_id`);');
    this.addSql('create unique index `ncircc_status_changes_card_id_status_unique` on `ncircc_status_changes` (`card_id`, `status`);');
    this.addSql(
      "create table `ncircc_supplements` (`id` text not null, `state` text not null default 'sending', `attempt` integer not null default 1, `claimed_at` datetime null, `claimed_by` text null, `sent_at` datetime null, `last_error` json null, `created_at` datetime not null, `updated_at` datetime not null, `card_id` text not null, `n` integer not null, `data` json not null, `changes` json not null, constraint `ncircc_supplements_card_id_foreign` foreign key(`card_id`) references `ncircc_cards`(`id`) on delete cascade on update cascade, primary key (`id`));",
    );
    this.addSql('create index `ncircc_supplements_state_index` on `ncircc_supplements` (`state`);');
    this.addSql('create index `ncircc_supplements_card_id_index` on `ncircc_supplements` (`card_id`);');
    this.addSql('create unique index `ncircc_supplements_card_id_n_unique` on `ncircc_supplements` (`card_id`, `n`);');
    this.addSql(
      'create table `notifications` (`id` integer not null primary key autoincrement, `kind` text not null, `incident_id` text not null, `details` json not null, `created_at` datetime not null, `read_at` datetime null, `once_key` text null);',
    );
    this.addSql('create index `notifications_incident_id_index` on `notifications` (`incident_id`);');
    this.addSql('create index `notifications_created_at_index` on `notifications` (`created_at`);');
    this.addSql('create index `notifications_read_at_index` on `notifications` (`read_at`);');
    this.addSql('create unique index `notifications_once_key_unique` on `notifications` (`once_key`);');
    this.addSql(
      'create table `ncircc_sync_state` (`id` integer not null default 1, `cards_watermark` text null, `messages_watermark` text null, `comments_watermark` text null, `lease_owner` text null, `lease_until` datetime null, `last_pass_at` datetime null, `last_error` text null, `failures` integer not null default 0, primary key (`id`));',
    );
    this.addSql("alter table `incidents` add column `source` text not null default 'siem';");
    this.addSql('create index `incidents_source_index` on `incidents` (`source`);');
  }
}
