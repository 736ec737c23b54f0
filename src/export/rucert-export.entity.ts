import { Entity, EntityRepositoryType, Index, OneToOne, OptionalProps, Property } from '@mikro-orm/core';
import responses from '../../schemas/api/responses.schema.json';
import type { ExportState } from '../generated/api/responses';
import type { Incident } from '../incidents/incident.entity';
import type { OutboundError } from '../outbound/outbound.service';
import { RucertExportRepository } from './rucert-export.repository';

export type { ExportState };
/** Defined once, in schemas/api/responses.schema.json (ExportState). */
export const EXPORT_STATES = responses.definitions.ExportState.enum as readonly ExportState[];

export type ExportError = OutboundError;

/**
 * The once-only export of one incident (docs/once-only.md). Created with the incident in state `not_exported`;
 * `attempt` grows with every claim so that the outcome of an attempt is only ever written over its own claim.
 */
@Entity({ tableName: 'rucert_exports', repository: () => RucertExportRepository })
export class RucertExport {
  [EntityRepositoryType]?: RucertExportRepository;
  [OptionalProps]?: 'state' | 'attempt' | 'updatedAt';

  @OneToOne({ entity: 'Incident', inversedBy: 'rucertExport', primary: true, owner: true, deleteRule: 'cascade' })
  incident!: Incident;

  @Index()
  @Property({ type: 'string', length: 16 })
  state: ExportState = 'not_exported';

  @Property({ type: 'integer' })
  attempt: number = 0;

  @Property({ type: 'integer', nullable: true })
  formVersion?: number;

  @Property({ type: 'string', length: 100, nullable: true })
  rucertUuid?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  rucertIdentifier?: string;

  @Property({ type: 'string', length: 64, nullable: true })
  rucertCreateTime?: string;

  @Property({ type: 'datetime', nullable: true })
  claimedAt?: Date;

  @Property({ type: 'string', length: 200, nullable: true })
  claimedBy?: string;

  @Property({ type: 'datetime', nullable: true })
  exportedAt?: Date;

  @Property({ type: 'string', length: 200, nullable: true })
  exportedBy?: string;

  @Property({ type: 'json', nullable: true })
  lastError?: ExportError | null;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
