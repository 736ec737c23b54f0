import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import responses from '../../schemas/api/responses.schema.json';
import type { NotificationView } from '../generated/api/responses';

export type NotificationKind = NotificationView['kind'];
/** Defined once, in schemas/api/responses.schema.json (NotificationView.kind). */
export const NOTIFICATION_KINDS = responses.definitions.NotificationView.properties.kind.enum as readonly NotificationKind[];

/** Something about an incident's NCIRCC card that needs a person's attention. */
@Entity({ tableName: 'notifications' })
export class Notification {
  [OptionalProps]?: 'id' | 'createdAt' | 'details';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 32 })
  kind!: NotificationKind;

  @Index()
  @Property({ type: 'string', length: 36 })
  incidentId!: string;

  @Property({ type: 'json' })
  details: Record<string, unknown> = {};

  @Index()
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Index()
  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  /** Set for what must be notified once only (a deadline): a second notification with the same key is not made. */
  @Unique()
  @Property({ type: 'string', length: 200, nullable: true })
  onceKey?: string | null;
}
