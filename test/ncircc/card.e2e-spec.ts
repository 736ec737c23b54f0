// After the export, against the NCIRCC emulator (API 1.1.2) over real HTTP: the card's status and registration
// number arrive by synchronisation; a supplement is sent only when NCIRCC asks, once, with only the changed fields;
// the chat goes both ways and each comment of ours reaches NCIRCC once; files go up and down. Lost answers and
// failed calls are card-faults.resilience-spec.ts.
import request from 'supertest';
import { createIncident } from '../support/export-setup';
import { analyst, as, card, exported, sim, sync, t, useNcirccApp } from './support';

useNcirccApp();

describe('the card', () => {
  it('answers 404 card_not_found for an incident that was not exported', async () => {
    const { id } = await createIncident(t);
    const res = await as(analyst).get(`/api/incidents/${id}/ncircc`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'card_not_found', status: 404 });
  });

  it('exists as soon as the export is confirmed, with its identifier, as created', async () => {
    const { id, uuid } = await exported();
    expect(await card(id)).toMatchObject({
      kind: 'notification',
      uuid,
      identifier: expect.stringMatching(/^INC-/),
      status: { name: 'Создано' },
      history: [],
      supplement: { requested: false, allowed: false, reasons: ['supplement_not_requested'] },
    });
  });

  it('gets its status and registration number after one synchronisation, with the history, a notification and an audit line', async () => {
    const { id, uuid } = await exported();
    const reg = sim.register(uuid).reg_number;
    const result = await sync();
    expect(result.statusChanges).toBeGreaterThanOrEqual(1);
    const view = await card(id);
    expect(view).toMatchObject({ regNumber: reg, status: { name: 'Зарегистрировано' }, syncedAt: expect.any(String) });
    expect(view.history.map((h: { status: string }) => h.status)).toEqual(['Проверка НКЦКИ', 'Зарегистрировано'].slice(-view.history.length));
    const notifications = (await as(analyst).get('/api/notifications?limit=100')).body.items.filter((n: { incidentId: string }) => n.incidentId === id);
    expect(notifications.map((n: { kind: string }) => n.kind)).toContain('status_changed');
    const audit = (await as(t.adminToken).get('/api/audit?limit=200')).body.items.filter((e: { incidentId: string }) => e.incidentId === id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['ncircc.registered', 'ncircc.status_changed']));

    // a second pass with nothing new stores nothing twice
    const before = (await card(id)).history.length;
    await sync();
    expect((await card(id)).history).toHaveLength(before);
  });

  it('shows a status NCIRCC invents as NCIRCC names it', async () => {
    const { id, uuid } = await exported();
    sim.setStatus(uuid, 'Передано в профильное подразделение');
    await sync();
    expect((await card(id)).status.name).toBe('Передано в профильное подразделение');
  });
});

describe('supplements', () => {
  it('refuses a supplement before NCIRCC asks with 409 supplement_not_requested, and sends nothing', async () => {
    const { id } = await exported();
    await sync();
    const res = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { city: 'Казань' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('supplement_not_requested');
    expect(sim.updates().filter((u) => u.kind === 'supplement')).toHaveLength(0);
  });

  it('is asked for by NCIRCC, offers the form of the version the card was made with, and is sent once with only the changed fields', async () => {
    const { id, uuid } = await exported();
    sim.requestSupplement(uuid, { text: 'Уточните время окончания инцидента' });
    await sync();
    const view = await card(id);
    expect(view.supplement).toMatchObject({ requested: true, allowed: true, reasons: [] });
    const kinds = (await as(analyst).get('/api/notifications?limit=100')).body.items
      .filter((n: { incidentId: string }) => n.incidentId === id)
      .map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['supplement_requested', 'comment_received']));

    const form = (await as(analyst).get(`/api/incidents/${id}/ncircc/supplement`)).body;
    expect(form).toMatchObject({ formVersion: 1, data: { city: 'Тула' } });
    expect(Object.keys(form.schema.properties).sort()).toEqual(
      ['availabilityImpact', 'city', 'confidentialityImpact', 'customImpact', 'detectionTool', 'incidentEndTime', 'integrityImpact'].sort(),
    );

    const res = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, {
      data: { ...form.data, city: 'Казань', incidentEndTime: '2026-11-20T10:00:00Z' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ supplement: { n: 1, state: 'sent', sentAt: expect.any(String) } });
    const sent = sim.updates().filter((u) => u.kind === 'supplement' && u.uuid === uuid);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual({ uuid, status: 'Проверка НКЦКИ', city: 'Казань', end_time: '2026-11-20T10:00:00.000Z' });

    const again = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { city: 'Самара' } });
    expect(again.status).toBe(409);
    await sync();
    expect((await card(id)).supplement).toMatchObject({ requested: false });
  });

  it('refuses a supplement that changes nothing, or a field the version does not let it change, naming the field', async () => {
    const { id, uuid } = await exported();
    sim.requestSupplement(uuid);
    await sync();
    const same = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { city: 'Тула' } });
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('validation_failed');
    const other = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { affectedSystemName: 'другое' } });
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ path: '/affectedSystemName', keyword: 'additionalProperties' })]);
    const future = await as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, {
      data: { incidentEndTime: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ path: '/incidentEndTime' })]);
    expect(sim.updates().filter((u) => u.uuid === uuid)).toHaveLength(0);
  });

  it('lets exactly one of 20 concurrent supplements reach NCIRCC', async () => {
    const { id, uuid } = await exported();
    sim.requestSupplement(uuid);
    await sync();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => as(analyst).post(`/api/incidents/${id}/ncircc/supplement`, { data: { city: `Город ${i}` } })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    expect(sim.updates().filter((u) => u.kind === 'supplement' && u.uuid === uuid)).toHaveLength(1);
  });
});

describe('the chat', () => {
  it('sends a comment once, shows both sides oldest first, and takes NCIRCC’s comments by synchronisation, once', async () => {
    const { id, uuid } = await exported();
    const posted = await as(analyst).post(`/api/incidents/${id}/ncircc/comments`, { text: 'Инцидент локализован' });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ direction: 'out', state: 'sent', text: 'Инцидент локализован' });
    sim.addOperatorComment(uuid, 'Спасибо, ожидаем отчёт');
    await sync();
    await sync();
    const chat = (await as(analyst).get(`/api/incidents/${id}/ncircc/comments`)).body.items;
    expect(chat.map((c: { direction: string; text: string }) => [c.direction, c.text])).toEqual([
      ['out', 'Инцидент локализован'],
      ['in', 'Спасибо, ожидаем отчёт'],
    ]);
    expect(chat[1]).toMatchObject({ author: 'ТИ НКЦКИ', state: 'received' });
    expect(sim.comments().filter((c) => c.incidentUuid === uuid && c.text === 'Инцидент локализован')).toHaveLength(1);
  });

  it('refuses a comment of 5001 characters with 400, naming the text, and sends nothing', async () => {
    const { id, uuid } = await exported();
    const res = await as(analyst).post(`/api/incidents/${id}/ncircc/comments`, { text: 'ж'.repeat(5001) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/text', keyword: 'maxLength' })]);
    expect(sim.comments().filter((c) => c.incidentUuid === uuid)).toHaveLength(0);
  });

  it('lets one of 20 concurrent identical comments reach NCIRCC', async () => {
    const { id, uuid } = await exported();
    const answers = await Promise.all(Array.from({ length: 20 }, () => as(analyst).post(`/api/incidents/${id}/ncircc/comments`, { text: 'Двойной клик' })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    expect(sim.comments().filter((c) => c.incidentUuid === uuid)).toHaveLength(1);
  });
});

describe('files', () => {
  it('attaches a file once, recording its size and hashes, lists it and downloads the same bytes', async () => {
    const { id, uuid } = await exported();
    const bytes = Buffer.from('IOC list\n203.0.113.5\n'.repeat(1000));
    const res = await request(t.http).post(`/api/incidents/${id}/ncircc/files`).auth(analyst, { type: 'bearer' }).attach('file', bytes, 'ioc.txt');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ filename: 'ioc.txt', size: bytes.length, attachment: { state: 'sent' } });
    const stored = sim.files().filter((f) => f.incidentUuid === uuid);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ filename: 'ioc.txt', size: bytes.length, sha256: res.body.attachment.sha256 });

    const list = (await as(analyst).get(`/api/incidents/${id}/ncircc/files`)).body.items;
    expect(list).toEqual([
      expect.objectContaining({ id: String(stored[0].id), filename: 'ioc.txt', size: bytes.length, attachment: expect.objectContaining({ state: 'sent' }) }),
    ]);
    const download = await request(t.http)
      .get(`/api/incidents/${id}/ncircc/files/${stored[0].id}`)
      .auth(analyst, { type: 'bearer' })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, bytes)).toBe(0);

    const again = await request(t.http).post(`/api/incidents/${id}/ncircc/files`).auth(analyst, { type: 'bearer' }).attach('file', bytes, 'ioc.txt');
    expect(again.status).toBe(409);
    expect(sim.files().filter((f) => f.incidentUuid === uuid)).toHaveLength(1);
  });

  it('refuses a request without a file part with 400', async () => {
    const { id } = await exported();
    const res = await request(t.http).post(`/api/incidents/${id}/ncircc/files`).auth(analyst, { type: 'bearer' }).field('note', 'no file');
    expect(res.status).toBe(400);
  });
});

describe('notifications', () => {
  it('lists what needs attention newest first with the unread count, and marks one read', async () => {
    const { id, uuid } = await exported();
    sim.register(uuid);
    await sync();
    const list = (await as(analyst).get('/api/notifications?unread=true')).body;
    expect(list.unread).toBeGreaterThan(0);
    const mine = list.items.find((n: { incidentId: string }) => n.incidentId === id);
    const read = await as(analyst).post(`/api/notifications/${mine.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: mine.id, read: true });
    const after = (await as(analyst).get('/api/notifications?unread=true')).body;
    expect(after.unread).toBe(list.unread - 1);
    expect((await as(analyst).post('/api/notifications/999999/read')).status).toBe(404);
  });
});
