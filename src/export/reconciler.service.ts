// Settles exports whose outcome is not known (ARCHITECTURE.md §5). Nothing is ever re-sent: an `unknown` export is
// looked up in RuCERT by the reference line in its description; found → exported, definitely absent →
// failed, otherwise it stays unknown for the next pass. Runs at start-up, periodically and on demand; every write
// is conditional on the attempt it read, so several instances may run it at once.
import { EntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { actorLabel, type Actor } from '../auth/auth.decorators';
import { registerMessages } from '../common/messages';
import { ProblemError } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ExportResolve } from '../generated/api/export-resolve';
import { IncidentsService } from '../incidents/incidents.service';
import { IntegrationService } from '../integration/integration.service';
import { referenceLine } from './incident-wire';
import { RucertExport } from './rucert-export.entity';

/** A claim older than the RuCERT timeout plus this margin belongs to a call that has certainly ended. */
export const SENDING_GRACE_MS = 2_000;
const BATCH = 100;
const LOOKBACK_MS = 24 * 60 * 60 * 1000; // RuCERT's create_time is its clock, not ours: search generously

registerMessages({
  'export.not_unknown': {
    en: 'Only an export whose outcome is unknown can be resolved by hand; this one is {state}',
    ru: 'Вручную можно урегулировать только экспорт с неизвестным результатом; этот — {state}',
  },
});

export type ReconcileOutcome = 'exported' | 'failed' | 'unknown' | 'skipped';

@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly em: EntityManager,
    private readonly integration: IntegrationService,
    private readonly incidents: IncidentsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.trigger();
    this.timer = setInterval(() => this.trigger(), this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a pass unless one is running; a pass never throws. */
  trigger(): Promise<void> {
    this.running ??= this.pass()
      .catch((err) => this.logger.warn(`reconciliation pass failed: ${(err as Error).message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stale `sending` claims (their instance died mid-call) become `unknown`; then every `unknown` is looked up. */
  async pass(): Promise<void> {
    const em = this.em.fork();
    const repo = em.getRepository(RucertExport);
    const threshold = new Date(Date.now() - (await this.callBound()));
    for (const stale of await repo.staleSending(em, threshold, BATCH)) {
      const moved = await repo.settle(em, stale.incident.id, stale.attempt, ['sending'], {
        state: 'unknown',
        lastError: {
          code: 'rucert_unavailable',
          message: 'the service stopped while sending; the outcome is looked up in RuCERT',
          at: new Date().toISOString(),
        },
      });
      if (moved) this.logger.warn(`export of incident ${stale.incident.id} was left sending; now unknown`);
    }
    for (const unknown of await repo.unknown(em, BATCH)) await this.reconcileExport(unknown, SYSTEM_ACTOR);
  }

  /** On demand (admin): look one incident's unknown export up now. */
  async reconcile(incidentId: string, actor: Actor): Promise<ReconcileOutcome> {
    const incident = await this.incidents.load(incidentId, this.em.fork());
    if (incident.rucertExport.state !== 'unknown') return 'skipped';
    return this.reconcileExport(incident.rucertExport, actor);
  }

  async resolve(incidentId: string, input: ExportResolve, actor: Actor): Promise<void> {
    const e = (await this.incidents.load(incidentId, this.em.fork())).rucertExport;
    if (e.state !== 'unknown') throw new ProblemError('conflict', 'export.not_unknown', { state: e.state });
    const em = this.em.fork();
    await em.transactional(async (tx) => {
      const repo = tx.getRepository(RucertExport);
      const changes =
        input.outcome === 'exported'
          ? { state: 'exported' as const, rucertIdentifier: input.identifier, exportedAt: new Date(), exportedBy: actorLabel(actor) }
          : { state: 'failed' as const, lastError: { code: 'resolved_by_admin', message: input.reason, at: new Date().toISOString() } };
      if (!(await repo.settle(tx, incidentId, e.attempt, ['unknown'], changes))) {
        throw new ProblemError('conflict', 'export.not_unknown', { state: 'changed meanwhile' });
      }
      this.audit.record(tx, actor, 'export.resolved', {
        incidentId,
        details: { attempt: e.attempt, outcome: input.outcome, identifier: input.identifier, reason: input.reason },
      });
    });
  }

  private async reconcileExport(e: RucertExport, actor: Actor | string): Promise<ReconcileOutcome> {
    const client = await this.integration.client();
    if (!client) return 'unknown';
    const incidentId = e.incident.id;
    const claimedAt = e.claimedAt ?? e.updatedAt;
    let found;
    try {
      found = await client.findByText(referenceLine(incidentId), { createdSince: new Date(claimedAt.getTime() - LOOKBACK_MS) });
    } catch (err) {
      this.logger.warn(`could not look up the export of incident ${incidentId}: ${(err as Error).message}`);
      return 'unknown';
    }
    const em = this.em.fork();
    if (found.matches.length) {
      const [first] = [...found.matches].sort((a, b) => (a.createTime ?? '').localeCompare(b.createTime ?? ''));
      await em.transactional(async (tx) => {
        const settled = await tx.getRepository(RucertExport).settle(tx, incidentId, e.attempt, ['unknown'], {
          state: 'exported',
          rucertUuid: first.uuid,
          rucertIdentifier: first.identifier,
          rucertCreateTime: first.createTime,
          exportedAt: first.createTime ? new Date(first.createTime) : new Date(),
          exportedBy: e.claimedBy,
        });
        if (settled) {
          this.audit.record(tx, actor, 'export.reconciled', {
            incidentId,
            details: { attempt: e.attempt, outcome: 'exported', identifier: first.identifier, matches: found.matches.map((m) => m.identifier) },
          });
        }
      });
      return 'exported';
    }
    // "absent" is only believed once our call has certainly ended and the search saw every candidate
    const callOver = Date.now() - claimedAt.getTime() > (await this.callBound());
    if (!found.exhaustive || !callOver) return 'unknown';
    await em.transactional(async (tx) => {
      const settled = await tx.getRepository(RucertExport).settle(tx, incidentId, e.attempt, ['unknown'], {
        state: 'failed',
        lastError: { code: 'rucert_not_found', message: 'RuCERT has no such notification: nothing was registered', at: new Date().toISOString() },
      });
      if (settled) this.audit.record(tx, actor, 'export.reconciled', { incidentId, details: { attempt: e.attempt, outcome: 'failed' } });
    });
    return 'failed';
  }

  /** How long one call to RuCERT can last, plus a margin. */
  private async callBound(): Promise<number> {
    const settings = await this.integration.get();
    return (settings.timeoutMs ?? this.config.rucertTimeoutMs) + SENDING_GRACE_MS;
  }
}
