// Faults on the way to NCIRCC after the export, against the emulator: a supplement or a comment whose answer was lost
// or refused is looked up once the call's bound has passed, never sent again; one left sending by an instance that
// stopped is judged lost, then looked up. Resilience, not the everyday lane: each lookup waits for the call's bound.
import { MikroORM } from '@mikro-orm/core';
import { NcirccComment } from '../../src/ncircc/ncircc-comment.entity';
import { analyst, as, exported, reconcile, sim, sync, t, useNcirccApp, waitForCallBound } from './support';

// each test waits for a call's bound (4 s) before a lookup may conclude
jest.setTimeout(30_000);

useNcirccApp();

describe('supplements', () => {
  it('settles a supplement whose answer was lost by reading the card back, never sending it again', async () => {
    const { id, uuid } = await exported();
    sim.requestSupplement(uuid);
    await sync();
    sim.addFault({ mode: 'store_then_reset', route: 'POST /incidents' });
    const res = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { city: 'Казань' } });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'rucert_unavailable', state: 'unknown' });
    expect((await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { city: 'Самара' } })).status).toBe(409);
    await waitForCallBound();
    await reconcile();
    expect(sim.updates().filter((u) => u.kind === 'supplement' && u.uuid === uuid)).toHaveLength(1);
    const audit = (await as(t.adminToken).get('/api/audit?limit=200')).body.items.filter((e: { incidentId: string }) => e.incidentId === id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['supplement.unknown', 'supplement.reconciled']));
  });
});

describe('the chat', () => {
  it.each([
    ['a 500', 'http500', 'failed', 0],
    ['a reset after storing', 'store_then_reset', 'sent', 1],
  ] as const)('leaves no duplicate after %s: the comment is looked up, not sent again', async (_what, mode, settled, stored) => {
    const { id, uuid } = await exported();
    sim.addFault({ mode, route: 'POST /comments' });
    const res = await as(analyst).post(`/api/incidents/${id}/ncircc/comments`, { text: `После сбоя ${mode}` });
    expect(res.status).toBe(502);
    expect(res.body.state).toBe('unknown');
    await waitForCallBound();
    await reconcile();
    const chat = (await as(analyst).get(`/api/incidents/${id}/ncircc/comments`)).body.items;
    expect(chat).toEqual([expect.objectContaining({ text: `После сбоя ${mode}`, state: settled })]);
    expect(sim.comments().filter((c) => c.incidentUuid === uuid)).toHaveLength(stored);
    await sync();
    expect((await as(analyst).get(`/api/incidents/${id}/ncircc/comments`)).body.items).toHaveLength(1);
  });

  it('judges a comment left sending by an instance that stopped as lost, then finds it in NCIRCC: sent once', async () => {
    const { id, uuid } = await exported();
    const text = 'Оставлен при остановке';
    expect((await as(analyst).post(`/api/incidents/${id}/ncircc/comments`, { text })).status).toBe(201);
    // as if the instance had stopped after NCIRCC stored the comment and before it settled the claim
    const stopped = { state: 'sending' as const, ncirccId: null, sentAt: null, claimedAt: new Date(Date.now() - 60_000) };
    expect(
      await t.app
        .get(MikroORM)
        .em.fork()
        .nativeUpdate(NcirccComment, { card: { incidentId: id }, text }, stopped),
    ).toBe(1);
    await reconcile();
    const chat = (await as(analyst).get(`/api/incidents/${id}/ncircc/comments`)).body.items;
    expect(chat).toEqual([expect.objectContaining({ text, state: 'sent' })]);
    expect(sim.comments().filter((c) => c.incidentUuid === uuid)).toHaveLength(1);
    const audit = (await as(t.adminToken).get('/api/audit?limit=200')).body.items.filter((e: { incidentId: string }) => e.incidentId === id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['comment.unknown', 'comment.reconciled']));
  });
});
