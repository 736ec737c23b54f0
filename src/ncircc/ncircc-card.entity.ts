import { Entity, EntityRepositoryType, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { CardView } from '../generated/api/responses';
import { NcirccCardRepository } from './ncircc-card.repository';

export type CardKind = CardView['kind'];

/**
 * An incident's card in NCIRCC (docs/ncircc.md): our exported notification, or a message NCIRCC sent us. Holds what
 * synchronisation last read of it; `updated` is NCIRCC's own stamp, the watermark of the card.
 */
@Entity({ tableName: 'ncircc_cards', repository: () => NcirccCardRepository })
export class NcirccCard {
  [EntityRepositoryType]?: NcirccCardRepository;
  [OptionalProps]?: 'id' | 'supplementRequests' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'string', length: 36 })
  incidentId!: string;

  @Property({ type: 'string', length: 16 })
  kind!: CardKind;

  /** NCIRCC's uuid of the card. */
  @Unique()
  @Property({ type: 'string', length: 100 })
  uuid!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  identifier?: string;

  @Index()
  @Property({ type: 'string', length: 200, nullable: true })
  regNumber?: string;

  @Property({ type: 'string', length: 500, nullable: true })
  category?: string;

  @Property({ type: 'string', length: 500, nullable: true })
  type?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  statusId?: string;

  @Property({ type: 'string', length: 500, nullable: true })
  statusName?: string;

  /** NCIRCC's `updated` of the card as last read. */
  @Property({ type: 'string', length: 64, nullable: true })
  ncirccUpdated?: string;

  /** NCIRCC's `create_time`: a message's 24-hour reaction deadline runs from it. */
  @Property({ type: 'string', length: 64, nullable: true })
  ncirccCreateTime?: string;

  @Property({ type: 'datetime', nullable: true })
  syncedAt?: Date;

  /** The form version the notification was exported with. */
  @Property({ type: 'integer', nullable: true })
  formVersion?: number;

  /** How many times NCIRCC asked for a supplement: the number of the current request. */
  @Property({ type: 'integer' })
  supplementRequests: number = 0;

  /** When the personal-data leak was detected, if the notification reported one: its legal deadlines run from it. */
  @Property({ type: 'datetime', nullable: true })
  leakDetectedAt?: Date;

  /** A message's own fields (type, description, technical details), kept to be shown. */
  @Property({ type: 'json', nullable: true })
  details?: Record<string, unknown> | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}

/** One status a card went through, as synchronisation saw it. */
@Entity({ tableName: 'ncircc_card_statuses' })
export class NcirccCardStatus {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Index()
  @ManyToOne({ entity: () => NcirccCard, deleteRule: 'cascade' })
  card!: NcirccCard;

  @Property({ type: 'string', length: 100, nullable: true })
  statusId?: string;

  @Property({ type: 'string', length: 500 })
  statusName!: string;

  /** NCIRCC's `updated` when the status was seen, else the time it was seen here. */
  @Property({ type: 'datetime' })
  at!: Date;
}
