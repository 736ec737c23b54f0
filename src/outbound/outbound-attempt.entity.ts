import { Entity, Index, Property } from '@mikro-orm/core';
import responses from '../../schemas/api/responses.schema.json';
import type { AttemptState } from '../generated/api/responses';
import type { OutboundError } from './outbound.service';

export type { AttemptState };
/** Defined once, in schemas/api/responses.schema.json (AttemptState). */
export const ATTEMPT_STATES = responses.definitions.AttemptState.enum as readonly AttemptState[];

/**
 * The columns every outbound operation after the export keeps (a supplement, an outgoing comment, a file, a message
 * status change): its state, the attempt that owns it, who claimed it when, and why it failed. docs/once-only.md.
 */
@Entity({ abstract: true })
export abstract class OutboundAttempt {
  @Index()
  @Property({ type: 'string', length: 16 })
  state: AttemptState = 'sending';

  @Property({ type: 'integer' })
  attempt: number = 1;

  @Property({ type: 'datetime', nullable: true })
  claimedAt?: Date = new Date();

  @Property({ type: 'string', length: 200, nullable: true })
  claimedBy?: string;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;

  @Property({ type: 'json', nullable: true })
  lastError?: OutboundError | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
