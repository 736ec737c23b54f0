// The synchronisation's one row: a lease taken and renewed with conditional updates (one instance at a time runs a
// pass, on SQLite and PostgreSQL alike), and the watermarks each pass continues from.
import type { EntityManager } from '@mikro-orm/knex';
import { SyncState } from './sync-state.entity';

export type Watermark = 'cardsWatermark' | 'messagesWatermark' | 'commentsWatermark';

export class SyncStateRepository {
  constructor(private readonly em: EntityManager) {}

  async read(): Promise<SyncState> {
    const em = this.em.fork();
    const state = await em.findOne(SyncState, { id: 1 });
    if (state) return state;
    try {
      await em.insert(SyncState, { id: 1 });
    } catch {
      // another instance made it first
    }
    return (await this.em.fork().findOne(SyncState, { id: 1 }))!;
  }

  /** Takes the lease if it is free, expired or already ours; true when this instance holds it until `until`. */
  async acquire(owner: string, until: Date): Promise<boolean> {
    await this.read();
    const now = new Date();
    const affected = await this.em
      .fork()
      .nativeUpdate(
        SyncState,
        { id: 1, $or: [{ leaseOwner: null }, { leaseUntil: { $lt: now } }, { leaseOwner: owner }] },
        { leaseOwner: owner, leaseUntil: until },
      );
    return affected === 1;
  }

  /** Extends a lease this instance still holds; false when it lost it (expired and taken by another). */
  async renew(owner: string, until: Date): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(SyncState, { id: 1, leaseOwner: owner }, { leaseUntil: until })) === 1;
  }

  async release(owner: string): Promise<void> {
    await this.em.fork().nativeUpdate(SyncState, { id: 1, leaseOwner: owner }, { leaseOwner: null, leaseUntil: null });
  }

  /** Moves a watermark, only while this instance holds the lease. */
  async advance(owner: string, mark: Watermark, value: string): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(SyncState, { id: 1, leaseOwner: owner }, { [mark]: value })) === 1;
  }

  async finished(owner: string, error: string | null): Promise<number> {
    const em = this.em.fork();
    const state = await em.findOneOrFail(SyncState, { id: 1 });
    const failures = error ? state.failures + 1 : 0;
    await em.nativeUpdate(SyncState, { id: 1, leaseOwner: owner }, { lastPassAt: new Date(), lastError: error, failures });
    return failures;
  }
}
