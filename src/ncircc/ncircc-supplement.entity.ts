import { Entity, Index, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { OutboundAttempt } from '../outbound/outbound-attempt.entity';
import { OutboundRepository } from '../outbound/outbound.repository';
import { NcirccCard } from './ncircc-card.entity';

export class NcirccSupplementRepository extends OutboundRepository<NcirccSupplement> {}

/** The answer to NCIRCC's n-th request for more information about a card: one per request, sent once. */
@Entity({ tableName: 'ncircc_supplements', repository: () => NcirccSupplementRepository })
@Unique({ properties: ['card', 'n'] })
export class NcirccSupplement extends OutboundAttempt {
  [EntityRepositoryType]?: NcirccSupplementRepository;
  [OptionalProps]?: 'id' | 'state' | 'attempt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne({ entity: () => NcirccCard, deleteRule: 'cascade' })
  card!: NcirccCard;

  /** Which request of NCIRCC this answers (the card's supplementRequests when it was made). */
  @Property({ type: 'integer' })
  n!: number;

  /** The supplement form's data as the analyst sent it. */
  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  /** What went to NCIRCC: only the changed wire fields. */
  @Property({ type: 'json' })
  changes!: Record<string, unknown>;
}
