import { Entity, EntityRepositoryType, Index, OneToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { RucertExport } from '../export/rucert-export.entity';
import type { IncidentCreate } from '../generated/api/incident-create';
import { IncidentRepository } from './incident.repository';

export interface IncidentAsset {
  name: string;
  ip?: string;
  fqdn?: string;
}

/** The attacked side (addresses, domains, services…) and the malicious side, as schemas/api/incident-create.schema.json has them. */
export type IncidentObservable = NonNullable<IncidentCreate['observables']>[number];
export type IncidentIndicator = NonNullable<IncidentCreate['indicators']>[number];

/**
 * An incident of the register, as a SIEM posts it; its RuCERT export lives beside it, one to one. Observables and
 * indicators are what the technical details of an export are pre-filled from (docs/ncircc.md).
 */
@Entity({ tableName: 'incidents', repository: () => IncidentRepository })
export class Incident {
  [OptionalProps]?: 'id' | 'status' | 'assets' | 'observables' | 'indicators' | 'source' | 'createdAt' | 'rucertExport';

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

  // a database default, so the rows of an existing install read as "none known" (migration 0003)
  @Property({ type: 'json', defaultRaw: "'[]'" })
  observables: IncidentObservable[] = [];

  @Property({ type: 'json', defaultRaw: "'[]'" })
  indicators: IncidentIndicator[] = [];

  @Index()
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @OneToOne({ entity: 'RucertExport', mappedBy: 'incident' })
  rucertExport!: RucertExport;
}
