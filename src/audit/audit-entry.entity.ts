import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One line of the append-only audit log: who did what, when, to which incident. Never holds a secret. */
@Entity({ tableName: 'audit_log' })
export class AuditEntry {
  [OptionalProps]?: 'at' | 'details';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Index()
  @Property({ type: 'datetime' })
  at: Date = new Date();

  @Property({ type: 'string', length: 200 })
  actor!: string;

  @Index()
  @Property({ type: 'string', length: 64 })
  action!: string;

  @Index()
  @Property({ type: 'string', length: 36, nullable: true })
  incidentId?: string;

  @Property({ type: 'json' })
  details: Record<string, unknown> = {};
}
