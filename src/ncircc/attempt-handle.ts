// The outbound handle of a card's operation row (a supplement, a comment, a file, a message status change): its
// transitions are the row's conditional updates on the attempt that owns it (docs/once-only.md).
import type { EntityData, FilterQuery } from '@mikro-orm/core';
import type { OutboundAttempt } from '../outbound/outbound-attempt.entity';
import type { OutboundRepository } from '../outbound/outbound.repository';
import type { OutboundHandle } from '../outbound/outbound.service';
import type { NcirccCard } from './ncircc-card.entity';

type CardOperation = OutboundAttempt & { id: string; card: NcirccCard };

export function attemptHandle<T extends CardOperation>(repo: OutboundRepository<T>, action: string, row: T): OutboundHandle {
  const incidentId = row.card.incidentId;
  return {
    action,
    incidentId,
    attempt: row.attempt,
    doneState: 'sent',
    move: (from, changes, audit) =>
      repo.transition({
        where: { id: row.id, attempt: row.attempt } as FilterQuery<T>,
        from,
        changes: changes as unknown as EntityData<T>,
        audit: { ...audit, incidentId },
      }),
  };
}
