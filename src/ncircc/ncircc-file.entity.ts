import { Entity, Index, EntityRepositoryType, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { OutboundAttempt } from '../outbound/outbound-attempt.entity';
import { OutboundRepository } from '../outbound/outbound.repository';
import { NcirccCard } from './ncircc-card.entity';

export class NcirccFileRepository extends OutboundRepository<NcirccFile> {}

/** A file we attached to a card: sent once; the same bytes under the same name are the same file. */
@Entity({ tableName: 'ncircc_files', repository: () => NcirccFileRepository })
@Unique({ properties: ['card', 'sha256', 'filename'] })
export class NcirccFile extends OutboundAttempt {
  [EntityRepositoryType]?: NcirccFileRepository;
  [OptionalProps]?: 'id' | 'state' | 'attempt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne({ entity: () => NcirccCard, deleteRule: 'cascade' })
  card!: NcirccCard;

  /** NCIRCC's id of the file, once known. */
  @Property({ type: 'string', length: 100, nullable: true })
  ncirccId?: string;

  @Property({ type: 'string', length: 255 })
  filename!: string;

  @Property({ type: 'string', length: 255 })
  contentType!: string;

  @Property({ type: 'bigint' })
  size!: number;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'string', length: 40 })
  sha1!: string;

  @Property({ type: 'string', length: 32 })
  md5!: string;
}
