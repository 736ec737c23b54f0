import { Entity, Index, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { OutboundAttempt } from '../outbound/outbound-attempt.entity';
import { OutboundRepository } from '../outbound/outbound.repository';
import { NcirccCard } from './ncircc-card.entity';

export class NcirccCommentRepository extends OutboundRepository<NcirccComment> {}

/**
 * One message of the chat with NCIRCC about a card: NCIRCC's (`in`, received by synchronisation) or ours (`out`,
 * sent once through the outbound path: its state and attempt are those of the send).
 */
@Entity({ tableName: 'ncircc_comments', repository: () => NcirccCommentRepository })
@Unique({ properties: ['card', 'ncirccId'] })
@Unique({ properties: ['card', 'dedupeKey'] })
export class NcirccComment extends OutboundAttempt {
  [EntityRepositoryType]?: NcirccCommentRepository;
  [OptionalProps]?: 'id' | 'state' | 'attempt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne({ entity: () => NcirccCard, deleteRule: 'cascade' })
  card!: NcirccCard;

  /** NCIRCC's id of the comment, once known. */
  @Property({ type: 'string', length: 100, nullable: true })
  ncirccId?: string;

  @Property({ type: 'string', length: 8 })
  direction!: 'in' | 'out';

  @Property({ type: 'string', length: 500 })
  author!: string;

  @Property({ type: 'text' })
  text!: string;

  /** When it was written: NCIRCC's `create_time` of a received comment, the claim's time of ours until sent. */
  @Property({ type: 'datetime' })
  at!: Date;

  /** Ours only: the same text on the same card is the same comment (a double submit), sent once. */
  @Property({ type: 'string', length: 64, nullable: true })
  dedupeKey?: string;
}
