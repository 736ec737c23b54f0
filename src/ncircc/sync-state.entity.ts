import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Where synchronisation with NCIRCC stands (one row): the watermarks it reads from, the lease that lets one instance
 * at a time run a pass, and how the last pass went.
 */
@Entity({ tableName: 'ncircc_sync_state' })
export class SyncState {
  [OptionalProps]?: 'id' | 'failures';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  /** NCIRCC's `updated` of the last card read. */
  @Property({ type: 'string', length: 64, nullable: true })
  cardsWatermark?: string | null;

  /** NCIRCC's `updated` of the last message from NCIRCC read. */
  @Property({ type: 'string', length: 64, nullable: true })
  messagesWatermark?: string | null;

  /** NCIRCC's `create_time` of the last comment read. */
  @Property({ type: 'string', length: 64, nullable: true })
  commentsWatermark?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  leaseOwner?: string | null;

  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastPassAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** Failed passes in a row: the next one waits longer. */
  @Property({ type: 'integer' })
  failures: number = 0;
}
