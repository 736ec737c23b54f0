import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { RucertSettingsPut } from '../generated/integration/rucert-settings';

export type OperatorSettings = NonNullable<RucertSettingsPut['operator']>;

/** The RuCERT integration settings (one row). The token and root CA are stored sealed (AES-256-GCM). */
@Entity({ tableName: 'integration_settings' })
export class IntegrationSettings {
  [OptionalProps]?: 'id' | 'enabled' | 'mssp' | 'inboundEnabled' | 'updatedAt';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'boolean' })
  enabled: boolean = false;

  @Property({ type: 'string', length: 2048 })
  url!: string;

  @Property({ type: 'string', length: 500 })
  companyName!: string;

  @Property({ type: 'boolean' })
  mssp: boolean = false;

  @Property({ type: 'text', nullable: true })
  ownerName?: string;

  @Property({ type: 'string', length: 100 })
  defaultAffectedSystemFunction!: string;

  @Property({ type: 'string', length: 16, nullable: true })
  defaultLocation?: string;

  @Property({ type: 'text', nullable: true })
  detectionTool?: string;

  /** Defaults of the personal-data-leak block: {name, inn, address, email}. */
  @Property({ type: 'json', nullable: true })
  operator?: OperatorSettings | null;

  @Property({ type: 'integer', nullable: true })
  timeoutMs?: number;

  @Property({ type: 'integer', nullable: true })
  syncIntervalMs?: number;

  @Property({ type: 'boolean' })
  inboundEnabled: boolean = false;

  @Property({ type: 'text', nullable: true })
  tokenSealed?: string;

  @Property({ type: 'text', nullable: true })
  rootCaSealed?: string;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();

  @Property({ type: 'string', length: 200 })
  updatedBy!: string;
}
