// The statements src/db/plain-statements.ts writes from metadata (ingest's rows, a transition's update and audit line,
// an export's card if absent, a document serialized once, the transaction they are written in)
// must store exactly what the ORM's own insert and update stored: the ORM reads every value back unchanged, JSON and
// dates included, and a conditional update moves only a row still in one of the states it names. On each database,
// whatever the run's dialect.
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { randomUUID } from 'node:crypto';
import { conditionalUpdate, insertRow, plainTransaction } from '../../src/db/plain-statements';
import { JsonText } from '../../src/common/json-text';
import { RucertExport } from '../../src/export/rucert-export.entity';
import { RucertExportDocuments } from '../../src/export/rucert-export-documents.entity';
import { Incident } from '../../src/incidents/incident.entity';
import { NcirccCard } from '../../src/ncircc/ncircc-card.entity';
import { createTestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';

describe.each(['sqlite', 'postgresql'] as const)('statements written from metadata (%s)', (dialect) => {
  let t: TestApp;
  let em: EntityManager;
  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, await createTestDatabase(dialect));
    em = t.app.get(MikroORM).em.fork() as EntityManager;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newIncident(): Promise<string> {
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await insertRow(tx, Incident, {
        id,
        title: "O'Brien ? $1 ж 😀",
        description: undefined,
        status: 'open',
        source: 'siem',
        detectedAt: new Date('2026-11-20T08:30:00.123Z'),
        createdAt: new Date('2026-11-21T09:00:00.456Z'),
        assets: [{ name: 'mail01', ip: '10.0.0.1' }],
        observables: [],
        indicators: [{ type: 'sha256', value: 'ab'.repeat(32) }],
      } as never);
      await insertRow(tx, RucertExport, { incident: id, state: 'not_exported', attempt: 0, updatedAt: new Date('2026-11-21T09:00:00.456Z') });
    });
    return id;
  }

  it('inserts a row the ORM reads back exactly: text, JSON lists, dates to the millisecond, an absent value as null', async () => {
    const id = await newIncident();
    const read = await em.fork().findOneOrFail(Incident, id);
    expect(read).toMatchObject({
      title: "O'Brien ? $1 ж 😀",
      status: 'open',
      assets: [{ name: 'mail01', ip: '10.0.0.1' }],
      observables: [],
      indicators: [{ type: 'sha256', value: 'ab'.repeat(32) }],
    });
    expect(read.description ?? null).toBeNull();
    expect(read.detectedAt.toISOString()).toBe('2026-11-20T08:30:00.123Z');
    expect(read.createdAt.toISOString()).toBe('2026-11-21T09:00:00.456Z');
  });

  it('updates only a row still in one of the named states, storing JSON and dates as the ORM reads them', async () => {
    const id = await newIncident();
    const claim = (from: string[]) =>
      em.transactional((tx) =>
        conditionalUpdate(tx, RucertExport, { incident: id, attempt: 0 }, from, {
          state: 'sending',
          attempt: 1,
          claimedAt: new Date('2026-11-22T10:00:00.789Z'),
          lastError: { code: 'rucert_rejected', message: "NCIRCC's 'два' ж", at: '2026-11-22T10:00:01.000Z', details: [1, 'два'] } as never,
        }),
      );
    expect(await claim(['exported'])).toBe(0);
    expect(await claim(['not_exported', 'failed'])).toBe(1);
    // the row moved on: the same update, by the attempt it read, no longer matches
    expect(await claim(['not_exported', 'failed', 'sending'])).toBe(0);
    const row = await em.fork().findOneOrFail(RucertExport, { incident: id });
    expect(row).toMatchObject({
      state: 'sending',
      attempt: 1,
      lastError: { code: 'rucert_rejected', message: "NCIRCC's 'два' ж", at: '2026-11-22T10:00:01.000Z', details: [1, 'два'] },
    });
    expect(row.claimedAt?.toISOString()).toBe('2026-11-22T10:00:00.789Z');
  });

  it('stores a JSON document given already serialized as the same document', async () => {
    const id = await newIncident();
    const payload = { event_description: "O'Brien ж 😀", list: [1, 'два', null], nested: { flag: true } };
    await em.transactional((tx) => insertRow(tx, RucertExportDocuments, { incidentId: id, attempt: 1, data: {}, payload: new JsonText(payload) }));
    expect((await em.fork().findOneOrFail(RucertExportDocuments, { incidentId: id, attempt: 1 })).payload).toEqual(payload);
  });

  it('inserts a row if absent: the row already there under a unique key stays, and a plain insert is refused', async () => {
    const id = await newIncident();
    const card = (uuid: string) => ({
      id: randomUUID(),
      incidentId: id,
      kind: 'notification' as const,
      uuid,
      statusName: 'Зарегистрирован',
      supplementRequests: 0,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await em.transactional((tx) => insertRow(tx, NcirccCard, card('first'), { ifAbsent: true }));
    await em.transactional((tx) => insertRow(tx, NcirccCard, card('second'), { ifAbsent: true }));
    expect((await em.fork().find(NcirccCard, { incidentId: id })).map((c) => c.uuid)).toEqual(['first']);
    await expect(em.transactional((tx) => insertRow(tx, NcirccCard, card('third')))).rejects.toThrow(UniqueConstraintViolationException);
  });

  describe('plainTransaction', () => {
    const exportRow = async (id: string) => (await em.fork().findOneOrFail(RucertExport, { incident: id })).state;
    const claim = (tx: EntityManager, id: string) => conditionalUpdate(tx, RucertExport, { incident: id, attempt: 0 }, ['not_exported'], { state: 'sending' });

    it('commits every statement of the work, and gives back what the work returned', async () => {
      const id = await newIncident();
      expect(await plainTransaction(em, (tx) => claim(tx, id))).toBe(1);
      expect(await exportRow(id)).toBe('sending');
    });

    it('writes nothing when the work throws after a statement, and the error reaches the caller', async () => {
      const id = await newIncident();
      const failing = plainTransaction(em, async (tx) => {
        await claim(tx, id);
        throw new Error('after the update');
      });
      await expect(failing).rejects.toThrow('after the update');
      expect(await exportRow(id)).toBe('not_exported');
      // the connection is free again: the next transaction runs
      expect(await plainTransaction(em, (tx) => claim(tx, id))).toBe(1);
    });

    it("is a savepoint within the caller's transaction: rolled back with it, and its failure leaves the rest", async () => {
      const id = await newIncident();
      await expect(
        em.transactional(async (outer) => {
          await plainTransaction(outer, (tx) => claim(tx, id));
          throw new Error('outer fails');
        }),
      ).rejects.toThrow('outer fails');
      expect(await exportRow(id)).toBe('not_exported');
      await em.transactional(async (outer) => {
        const inner = plainTransaction(outer, async (tx) => {
          await claim(tx, id);
          throw new Error('inner fails');
        });
        await expect(inner).rejects.toThrow('inner fails');
        await conditionalUpdate(outer, RucertExport, { incident: id, attempt: 0 }, ['not_exported'], { state: 'failed' });
      });
      expect(await exportRow(id)).toBe('failed');
    });

    it('refuses an entity persisted through the ORM inside it, which it would not flush, and writes nothing', async () => {
      const id = await newIncident();
      const persisting = plainTransaction(em, async (tx) => {
        await claim(tx, id);
        tx.persist(tx.create(Incident, { title: 'lost', detectedAt: new Date() } as never));
      });
      await expect(persisting).rejects.toThrow('an entity was persisted inside it');
      expect(await exportRow(id)).toBe('not_exported');
    });
  });

  it('refuses an operator where an equality belongs, instead of binding it as text', async () => {
    await expect(
      em.transactional((tx) => conditionalUpdate(tx, RucertExport, { incident: { $in: ['x'] }, attempt: 0 } as never, ['not_exported'], { state: 'sending' })),
    ).rejects.toThrow('a transition matches by equality');
  });
});
