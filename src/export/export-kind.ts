// The export as one kind of outbound operation: how its rows are read, moved and looked up in NCIRCC.
import type { EntityData } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { OutboundHandle, OutboundRows, PendingOperation } from '../outbound/outbound.service';
import type { RucertClient } from '../rucert/rucert-client';
import { referenceLine } from './incident-wire';
import { RucertExport } from './rucert-export.entity';

const LOOKBACK_MS = 24 * 60 * 60 * 1000; // NCIRCC's create_time is its clock, not ours: search generously

@Injectable()
export class ExportKind implements OutboundRows<RucertExport> {
  readonly action = 'export';
  readonly entity = RucertExport;

  constructor(private readonly em: EntityManager) {}

  /** The attempt `attempt` of the export of `incidentId`. */
  attempt(incidentId: string, attempt: number): OutboundHandle {
    const repo = this.em.getRepository(RucertExport);
    return {
      action: this.action,
      incidentId,
      attempt,
      doneState: 'exported',
      move: (from, changes, audit, also) =>
        repo.transition({
          where: { incident: incidentId, attempt },
          from,
          changes: changes as EntityData<RucertExport>,
          audit: { ...audit, incidentId },
          also,
        }),
    };
  }

  handle(row: RucertExport): OutboundHandle {
    return this.attempt(row.incident.id, row.attempt);
  }

  /** An unknown export, found again by the reference line written into its event description. */
  pending(row: RucertExport): PendingOperation {
    const incidentId = row.incident.id;
    const claimedAt = row.claimedAt ?? row.updatedAt;
    return {
      handle: this.handle(row),
      claimedAt,
      lookup: async (client: RucertClient) => {
        const found = await client.findByText(referenceLine(incidentId), { createdSince: new Date(claimedAt.getTime() - LOOKBACK_MS) });
        if (!found.matches.length) return { outcome: found.exhaustive ? 'absent' : 'unknown' };
        const [first] = [...found.matches].sort((a, b) => (a.createTime ?? '').localeCompare(b.createTime ?? ''));
        return {
          outcome: 'found',
          changes: {
            rucertUuid: first.uuid,
            rucertIdentifier: first.identifier,
            rucertCreateTime: first.createTime,
            exportedAt: first.createTime ? new Date(first.createTime) : new Date(),
            exportedBy: row.claimedBy,
          },
          details: { identifier: first.identifier, matches: found.matches.map((m) => m.identifier) },
        };
      },
    };
  }
}
