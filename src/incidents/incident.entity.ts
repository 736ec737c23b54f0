import { Entity, EntityRepositoryType, Index, OneToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { RucertExport } from '../export/rucert-export.entity';
import { IncidentRepository } from './incident.repository';

export interface IncidentAsset {
  name: string;
  ip?: string;
  fqdn?: string;
}

/** An incident of the register, as a SIEM posts it; its RuCERT export lives beside it, one to one. */
@Entity({ tableName: 'incidents', repository: () => IncidentRepository })
export class Incident {
  [OptionalProps]?: 'id' | 'status' | 'assets' | 'source' | 'createdAt' | 'rucertExport';

  [EntityRepositoryType]?: IncidentRepository;

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200, nullable: true, unique: true })
  externalId?: string;

  @Property({ type: 'string', length: 500 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ type: 'string', length: 32, nullable: true })
  severity?: string;

  @Index()
  @Property({ type: 'string', length: 16 })
  status: 'open' | 'closed' = 'open';

  @Property({ type: 'datetime' })
  detectedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date;

  @Property({ type: 'json' })
  assets: IncidentAsset[] = [];

  /** Where the incident came from: the SIEM (POST /incidents) or a message from NCIRCC. */
  @Index()
  @Property({ type: 'string', length: 16 })
  source: 'siem' | 'ncircc' = 'siem';

  @Index()
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @OneToOne({ entity: 'RucertExport', mappedBy: 'incident' })
  rucertExport!: RucertExport;
}
