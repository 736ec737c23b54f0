import { Entity, Index, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { OutboundAttempt } from '../outbound/outbound-attempt.entity';
import { OutboundRepository } from '../outbound/outbound.repository';
import { NcirccCard } from './ncircc-card.entity';

export class NcirccStatusChangeRepository extends OutboundRepository<NcirccStatusChange> {}

/** Our move of a message from NCIRCC: taken into work, or decided with a result; each sent once. */
@Entity({ tableName: 'ncircc_status_changes', repository: () => NcirccStatusChangeRepository })
@Unique({ properties: ['card', 'status'] })
export class NcirccStatusChange extends OutboundAttempt {
  [EntityRepositoryType]?: NcirccStatusChangeRepository;
  [OptionalProps]?: 'id' | 'state' | 'attempt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne({ entity: () => NcirccCard, deleteRule: 'cascade' })
  card!: NcirccCard;

  @Property({ type: 'string', length: 32 })
  status!: 'in_progress' | 'decided';

  @Property({ type: 'string', length: 32, nullable: true })
  result?: string;
}
