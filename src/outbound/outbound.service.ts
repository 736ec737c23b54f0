// Sends what goes to NCIRCC once (docs/once-only.md). Each kind of outbound operation (export, supplement, comment,
// file, message status) claims its own row before the call; from the claim on, the path is this one:
//   send   → the call's outcome settles the attempt: done; a definite refusal or a call that provably never reached
//            NCIRCC → failed; anything else → unknown, never re-sent blindly;
//   sweep  → a claim still `sending` after its call must have ended (its instance died) → unknown;
//   lookup → an unknown attempt is looked up in NCIRCC: found → done, definitely absent → failed, else it waits.
// Every transition goes through the kind's conditional update, which audits it only when it won.
import type { EntityClass, FilterQuery, FindOptions } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../auth/auth.decorators';
import type { AuditLine } from '../audit/audit.service';
import { ProblemError } from '../common/problem';
import { RucertError, type RucertClient } from '../rucert/rucert-client';

/** What a failed attempt keeps for the people who look at it. */
export interface OutboundError {
  code: string;
  message: string;
  status?: number;
  at: string;
}

/** One claimed attempt of one operation, with the conditional update of its row. */
export interface OutboundHandle {
  /** Names the kind in audit actions (`export.succeeded`) and in message keys (`export.rejected`). */
  readonly action: string;
  readonly incidentId: string;
  readonly attempt: number;
  /** The state of a successful attempt: `exported` for the export, `sent` for the others. */
  readonly doneState: string;
  move(
    from: readonly string[],
    changes: Record<string, unknown> & { state: string },
    audit: Omit<AuditLine, 'incidentId'>,
    also?: (tx: EntityManager) => Promise<void>,
  ): Promise<boolean>;
}

/** What a lookup in NCIRCC concluded. `absent` only when every candidate was seen. */
export type LookupResult = { outcome: 'found'; changes: Record<string, unknown>; details?: Record<string, unknown> } | { outcome: 'absent' | 'unknown' };

export interface PendingOperation {
  handle: OutboundHandle;
  /** When the attempt was claimed: "absent" is believed only once its call has certainly ended. */
  claimedAt: Date;
  lookup(client: RucertClient): Promise<LookupResult>;
}

/** What the sweep and the reconciler need to know of one kind of operation. */
export interface OutboundKind {
  readonly action: string;
  /** Claims still `sending` that were made before `claimedBefore`. */
  staleSending(claimedBefore: Date, limit: number): Promise<OutboundHandle[]>;
  /** Attempts whose outcome is unknown, oldest first. */
  unknown(limit: number): Promise<PendingOperation[]>;
}

/**
 * A kind whose attempts are the rows of one entity (an OutboundAttempt): `register` derives both of its queries, the
 * kind states which rows are operations, what its handles and lookups read beyond the row, and how a row becomes a
 * handle and a pending operation.
 */
export interface OutboundRows<T extends object> {
  readonly action: string;
  readonly entity: EntityClass<T>;
  /** Which of the entity's rows are outbound operations, when not all of them are. */
  readonly where?: FilterQuery<T>;
  /** The relations a handle or a lookup reads. */
  readonly populate?: readonly string[];
  handle(row: T): OutboundHandle;
  pending(row: T): PendingOperation;
}

export type Settled = 'done' | 'failed' | 'unknown';

const IN_FLIGHT = ['sending', 'unknown'] as const;

@Injectable()
export class OutboundService {
  private readonly logger = new Logger('Outbound');
  private readonly registered = new Map<string, OutboundKind>();

  constructor(private readonly em: EntityManager) {}

  register<T extends object>(kind: OutboundKind | OutboundRows<T>): void {
    this.registered.set(kind.action, 'entity' in kind ? this.rowsKind(kind) : kind);
  }

  kinds(): OutboundKind[] {
    return [...this.registered.values()];
  }

  /**
   * Makes the call of a claimed attempt and settles it. Resolves with the call's result once the attempt is done;
   * rejects with the problem the client gets when it failed or its outcome is unknown.
   */
  async send<R>(
    handle: OutboundHandle,
    actor: Actor | string,
    call: () => Promise<R>,
    onDone: (result: R) => { changes: Record<string, unknown>; details?: Record<string, unknown>; also?: (tx: EntityManager) => Promise<void> },
  ): Promise<R> {
    let result: R;
    try {
      result = await call();
    } catch (err) {
      throw await this.settleFailure(handle, actor, err);
    }
    const { changes, details, also } = onDone(result);
    // `unknown` too: a sweep may have judged this attempt lost while the answer was on its way
    await handle.move(
      IN_FLIGHT,
      { ...changes, state: handle.doneState },
      { actor, action: `${handle.action}.succeeded`, details: { attempt: handle.attempt, ...details } },
      also,
    );
    return result;
  }

  /** A claim whose call can no longer be in flight becomes unknown, to be looked up. */
  async markLost(handle: OutboundHandle, actor: Actor | string): Promise<boolean> {
    const lastError: OutboundError = {
      code: 'rucert_unavailable',
      message: 'the service stopped while sending; the outcome is looked up in RuCERT',
      at: new Date().toISOString(),
    };
    const moved = await handle.move(
      ['sending'],
      { state: 'unknown', lastError },
      { actor, action: `${handle.action}.unknown`, details: { attempt: handle.attempt, reason: lastError.message } },
    );
    if (moved) this.logger.warn(`${handle.action} of incident ${handle.incidentId} was left sending; now unknown`);
    return moved;
  }

  /** Looks an unknown attempt up and settles it when the answer is definite. Never re-sends. */
  async lookUp(pending: PendingOperation, client: RucertClient, callBoundMs: number, actor: Actor | string): Promise<Settled> {
    const { handle } = pending;
    let result: LookupResult;
    try {
      result = await pending.lookup(client);
    } catch (err) {
      this.logger.warn(`could not look up the ${handle.action} of incident ${handle.incidentId}: ${(err as Error).message}`);
      return 'unknown';
    }
    if (result.outcome === 'found') {
      await handle.move(
        ['unknown'],
        { ...result.changes, state: handle.doneState },
        {
          actor,
          action: `${handle.action}.reconciled`,
          details: { attempt: handle.attempt, outcome: handle.doneState, ...result.details },
        },
      );
      return 'done';
    }
    // "absent" is only believed once the call has certainly ended and the search saw every candidate
    const callOver = Date.now() - pending.claimedAt.getTime() > callBoundMs;
    if (result.outcome === 'unknown' || !callOver) return 'unknown';
    const lastError: OutboundError = { code: 'rucert_not_found', message: 'RuCERT has no such record: nothing was registered', at: new Date().toISOString() };
    await handle.move(
      ['unknown'],
      { state: 'failed', lastError },
      { actor, action: `${handle.action}.reconciled`, details: { attempt: handle.attempt, outcome: 'failed' } },
    );
    return 'failed';
  }

  /** The stale claims and the unknown attempts of a kind of rows, least recently moved first. */
  private rowsKind<T extends object>(kind: OutboundRows<T>): OutboundKind {
    const rows = (where: object, limit: number): Promise<T[]> =>
      this.em
        .fork()
        .find(
          kind.entity,
          { ...(kind.where as object), ...where } as FilterQuery<T>,
          { limit, orderBy: { updatedAt: 'asc' }, populate: kind.populate } as FindOptions<T>,
        );
    return {
      action: kind.action,
      staleSending: async (before, limit) => (await rows({ state: 'sending', claimedAt: { $lt: before } }, limit)).map((r) => kind.handle(r)),
      unknown: async (limit) => (await rows({ state: 'unknown' }, limit)).map((r) => kind.pending(r)),
    };
  }

  /** Definite rejections and never-sent failures → failed; anything else → unknown. */
  private async settleFailure(handle: OutboundHandle, actor: Actor | string, err: unknown): Promise<ProblemError> {
    const rucert = err instanceof RucertError ? err : null;
    if (!rucert) this.logger.error(`${handle.action} of incident ${handle.incidentId} failed unexpectedly: ${(err as Error)?.stack ?? String(err)}`);
    const kind = rucert?.kind ?? 'ambiguous';
    const reason = rucert?.message ?? 'unexpected error while sending';
    const state = kind === 'ambiguous' ? 'unknown' : 'failed';
    const code = kind === 'rejected' ? 'rucert_rejected' : 'rucert_unavailable';
    const lastError: OutboundError = { code, message: reason, ...(rucert?.status ? { status: rucert.status } : {}), at: new Date().toISOString() };
    await handle.move(
      ['sending'],
      { state, lastError },
      {
        actor,
        action: `${handle.action}.${state}`,
        details: { attempt: handle.attempt, kind, reason, status: rucert?.status },
      },
    );
    const key = `${handle.action}.${kind}`;
    return new ProblemError(code, key, { reason }, { extensions: { state, ...(rucert?.status ? { rucertStatus: rucert.status } : {}) } });
  }
}
