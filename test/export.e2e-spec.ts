// The once-only export over real HTTP to the RuCERT simulator: preconditions in contract order, the exact wire
// payload per category, every state transition and error code of docs/api.md and docs/once-only.md, reconciliation, audit.
import { MikroORM } from '@mikro-orm/core';
import request from 'supertest';
import { RucertExportDocuments } from '../src/export/rucert-export-documents.entity';
import type { RucertSimulator } from '../src/rucert-simulator/simulator';
import {
  activateFormVersion,
  COMPUTER_INCIDENT_V1 as computerIncident,
  configureIntegration,
  createIncident,
  installLicense,
  RUCERT_TOKEN,
  startSimulator,
} from './support/export-setup';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let sim: RucertSimulator;
let analyst: string;

const exportOf = (id: string, body: unknown, token = analyst) =>
  request(t.http)
    .post(`/api/incidents/${id}/rucert-export`)
    .auth(token, { type: 'bearer' })
    .send(body as object);
const statusOf = async (id: string) => (await request(t.http).get(`/api/incidents/${id}/rucert-export`).auth(analyst, { type: 'bearer' })).body;
const admin = (method: 'post' | 'get', path: string) => request(t.http)[method](path).auth(t.adminToken, { type: 'bearer' });

beforeAll(async () => {
  t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' });
  sim = await startSimulator();
  analyst = await t.tokenFor('analyst');
  // the export rules of version 1 (docs/ncircc.md's vocabulary): a fresh install starts with version 2
  await activateFormVersion(t, 1);
});
afterAll(async () => {
  await sim.close();
  await t.close();
});
afterEach(() => sim.clearFaults());

describe('preconditions, in contract order, before anything is sent', () => {
  it('reports why an incident cannot be exported yet', async () => {
    const incident = await createIncident(t);
    const status = await statusOf(incident.id);
    expect(status).toMatchObject({ state: 'not_exported', exportable: false, reasons: ['license_required', 'integration_not_configured'], formVersion: 1 });
    expect(status.defaults).toMatchObject({ tlp: 'RED', affectedSystemConnection: false, assistanceRequired: false });
    // the detection tool comes from the integration settings, which do not exist yet; never this product's name
    expect(status.defaults).not.toHaveProperty('detectionTool');
  });

  it('answers 404 for an unknown incident before looking at the license', async () => {
    const res = await exportOf('00000000-0000-4000-8000-000000000404', { data: computerIncident });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('forbids ingest tokens with 403 before anything else', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, { data: computerIncident }, await t.tokenFor('ingest'));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('answers 403 license_required without a license, then 409 integration_not_configured without settings', async () => {
    const incident = await createIncident(t);
    const noLicense = await exportOf(incident.id, { data: { not: 'even valid' } });
    expect(noLicense.status).toBe(403);
    expect(noLicense.body).toMatchObject({ code: 'license_required', status: 403 });

    await installLicense(t);
    const noIntegration = await exportOf(incident.id, { data: { not: 'even valid' } });
    expect(noIntegration.status).toBe(409);
    expect(noIntegration.body.code).toBe('integration_not_configured');

    await configureIntegration(t, sim, { enabled: false });
    expect((await exportOf(incident.id, { data: computerIncident })).body.code).toBe('integration_not_configured');
    await configureIntegration(t, sim);
    expect(sim.received()).toHaveLength(0);
    expect((await statusOf(incident.id)).exportable).toBe(true);
  });
});

describe('validation', () => {
  it('rejects a field not available for the category, naming it, and stores and sends nothing', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, {
      data: { ...computerIncident, productInfo: [{ name: 'nginx', version: '1.18' }], vulnerabilityId: 'CVE-2021-23017' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/productInfo', keyword: 'false schema' }),
        expect.objectContaining({ path: '/vulnerabilityId', keyword: 'false schema' }),
      ]),
    );
    expect(sim.received()).toHaveLength(0);
    expect((await statusOf(incident.id)).state).toBe('not_exported');
  });

  it('points a missing required field at the field and a bad row at the row', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, {
      data: { category: 'vulnerability', type: 'vulnerable_resource', affectedSystemCategory: 'not_cii', productInfo: [{ name: 'nginx' }] },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/affectedSystemName', '/productInfo/0/version']));
  });

  it('rejects a type of another category', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, { data: { ...computerIncident, type: 'network_scanning' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('/type');
  });

  it('answers 409 form_version_stale for a version that is not active', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, { formVersion: 7, data: computerIncident });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'form_version_stale', activeVersion: 1 });
  });

  it('rejects an envelope without data or with unknown members', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, { formVersion: 1, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/data', '/extra']);
  });

  it('gives Russian messages with Accept-Language: ru', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, { data: { ...computerIncident, productInfo: [] } }).set('Accept-Language', 'ru');
    expect(res.body.title).toBe('Ошибка проверки данных');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: '/productInfo', message: 'недоступно для выбранной категории или типа' }));
  });
});

describe('the wire payload, field by field', () => {
  it('previews exactly what will be sent, and sends nothing', async () => {
    const incident = await createIncident(t, { status: 'closed', closedAt: '2026-11-21T09:00:00Z' });
    const res = await request(t.http)
      .post(`/api/incidents/${incident.id}/rucert-export/preview`)
      .auth(analyst, { type: 'bearer' })
      .send({ data: computerIncident });
    expect(res.status).toBe(200);
    expect(res.body.payload).toEqual({
      owner_name: 'ООО «Тестовая организация»',
      event_description: `EDR alert 4711: trojan in a mail attachment\n\nrucert-export incident ${incident.id}`,
      detect_time: '2026-11-20T08:30:00.000Z',
      activity_status: 'Меры приняты',
      category: 'Уведомление о компьютерном инциденте',
      type: 'Компрометация учетной записи',
      tlp: 'TLP:RED',
      affected_system_name: 'Corporate mail server mail01.example.ru',
      affected_system_category: 'Объект КИИ второй категории значимости',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-MOW',
      affected_system_connection: true,
      detection_tool: 'KUMA',
      assistance: true,
      end_time: '2026-11-21T07:15:00.000Z',
      availability_impact: 'Высокое',
      integrity_impact: 'Низкое',
      confidentiality_impact: 'Отсутствует',
      custom_impact: 'Mail delivery stopped for two hours',
      city: 'Москва',
    });
    expect(sim.received()).toHaveLength(0);
    expect((await statusOf(incident.id)).state).toBe('not_exported');
  });

  it('exports a computer incident and RuCERT receives exactly the previewed payload', async () => {
    const incident = await createIncident(t);
    const preview = await request(t.http)
      .post(`/api/incidents/${incident.id}/rucert-export/preview`)
      .auth(analyst, { type: 'bearer' })
      .send({ data: computerIncident });
    const res = await exportOf(incident.id, { formVersion: 1, data: computerIncident });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'exported', formVersion: 1, rucert: { identifier: expect.stringMatching(/^INC-/) } });
    const sent = sim.received().find((n) => n.identifier === res.body.rucert.identifier)!;
    expect(sent.body).toEqual(preview.body.payload);
  });

  it('exports a computer attack with its wire strings and without the impact fields', async () => {
    const incident = await createIncident(t, { description: undefined, title: 'Port scan from 203.0.113.7' });
    const res = await exportOf(incident.id, {
      data: {
        category: 'computer_attack',
        type: 'network_scanning',
        tlp: 'AMBER',
        affectedSystemName: 'Perimeter',
        affectedSystemCategory: 'not_cii',
        location: 'RU-TA',
        city: 'Казань',
      },
    });
    expect(res.status).toBe(201);
    const sent = sim.received().find((n) => n.identifier === res.body.rucert.identifier)!.body;
    expect(sent).toEqual({
      owner_name: 'ООО «Тестовая организация»',
      event_description: `Port scan from 203.0.113.7\n\nrucert-export incident ${incident.id}`,
      detect_time: '2026-11-20T08:30:00.000Z',
      activity_status: 'Проводятся мероприятия по реагированию',
      category: 'Уведомление о компьютерной атаке',
      type: 'Сетевое сканирование',
      tlp: 'TLP:AMBER',
      affected_system_name: 'Perimeter',
      affected_system_category: 'Информационный ресурс не является объектом КИИ',
      affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
      location: 'RU-TA',
      affected_system_connection: false,
      assistance: false,
      detection_tool: 'KUMA 3.2',
      city: 'Казань',
    });
  });
});

describe('once only', () => {
  it('rejects a second export with 409 already_exported naming the RuCERT identifier', async () => {
    const incident = await createIncident(t);
    const first = await exportOf(incident.id, { data: computerIncident });
    expect(first.status).toBe(201);
    const second = await exportOf(incident.id, { data: computerIncident });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'already_exported', rucert: { identifier: first.body.rucert.identifier } });
    const status = await statusOf(incident.id);
    expect(status).toMatchObject({
      state: 'exported',
      exportable: false,
      reasons: ['already_exported'],
      formVersion: 1,
      rucert: first.body.rucert,
      exportedAt: first.body.exportedAt,
      exportedBy: expect.stringContaining('test analyst'),
    });
    expect(status.data).toMatchObject(computerIncident);
    const shown = await request(t.http).get(`/api/incidents/${incident.id}`).auth(analyst, { type: 'bearer' });
    expect(shown.body.rucertExport).toEqual({ state: 'exported', identifier: first.body.rucert.identifier, exportedAt: first.body.exportedAt });
    const listed = await request(t.http).get('/api/incidents?exportState=exported&limit=1000').auth(analyst, { type: 'bearer' });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(incident.id);
    expect(listed.body.items.every((i: { rucertExport: { state: string } }) => i.rucertExport.state === 'exported')).toBe(true);
  });

  it('lets exactly one of 50 concurrent requests export, the rest 409, and RuCERT receives one notification', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'latency', delayMs: 200 });
    const before = sim.received().length;
    const results = await Promise.all(Array.from({ length: 50 }, () => exportOf(incident.id, { data: computerIncident })));
    const codes = results.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(results.filter((r) => r.status === 409).every((r) => ['export_in_progress', 'already_exported'].includes(r.body.code))).toBe(true);
    expect(sim.received().length - before).toBe(1);
  });
});

describe('failures', () => {
  it('a 400 rejection → 502 rucert_rejected, state failed, exportable again after correction', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'reject400' });
    const res = await exportOf(incident.id, { data: computerIncident });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'rucert_rejected', state: 'failed', rucertStatus: 400 });
    const status = await statusOf(incident.id);
    expect(status).toMatchObject({ state: 'failed', exportable: true, lastError: { code: 'rucert_rejected', status: 400 } });
    const retry = await exportOf(incident.id, { data: computerIncident });
    expect(retry.status).toBe(201);
    expect((await statusOf(incident.id)).lastError).toBeUndefined();
  });

  it('success:false → 502 rucert_rejected and failed', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'success_false' });
    const res = await exportOf(incident.id, { data: computerIncident });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('rucert_rejected');
    expect((await statusOf(incident.id)).state).toBe('failed');
  });

  it('a RuCERT that cannot be reached → 502 rucert_unavailable and failed (nothing was sent)', async () => {
    const incident = await createIncident(t);
    await configureIntegration(t, { url: 'http://127.0.0.1:9/api/v2' });
    try {
      const res = await exportOf(incident.id, { data: computerIncident });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'rucert_unavailable', state: 'failed' });
      expect(await statusOf(incident.id)).toMatchObject({ state: 'failed', exportable: true });
    } finally {
      await configureIntegration(t, sim);
    }
  });

  it('a 500 → 502 rucert_unavailable and unknown; a new attempt gets 409 export_in_progress; absent in RuCERT → failed', async () => {
    const incident = await createIncident(t);
    await configureIntegration(t, sim, { timeoutMs: 200 });
    try {
      sim.addFault({ mode: 'http500' });
      const res = await exportOf(incident.id, { data: computerIncident });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'rucert_unavailable', state: 'unknown' });
      expect(await statusOf(incident.id)).toMatchObject({ state: 'unknown', exportable: false, reasons: ['export_in_progress'] });
      const again = await exportOf(incident.id, { data: computerIncident });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('export_in_progress');
      // "absent" is believed only once the call is certainly over (timeout + grace): poll the on-demand reconcile
      const deadline = Date.now() + 10_000;
      let state = 'unknown';
      while (state === 'unknown' && Date.now() < deadline) {
        state = (await admin('post', `/api/incidents/${incident.id}/rucert-export/reconcile`)).body.state;
        if (state === 'unknown') await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe('failed');
      expect((await statusOf(incident.id)).lastError.code).toBe('rucert_not_found');
    } finally {
      await configureIntegration(t, sim);
    }
  });

  it('stored then connection reset → unknown; reconcile finds it → exported with its identifier, one notification', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'store_then_reset' });
    const res = await exportOf(incident.id, { data: computerIncident });
    expect(res.status).toBe(502);
    expect(res.body.state).toBe('unknown');
    const stored = sim.received().filter((n) => String(n.body.event_description).includes(incident.id));
    expect(stored).toHaveLength(1);
    const reconciled = await admin('post', `/api/incidents/${incident.id}/rucert-export/reconcile`);
    expect(reconciled.status).toBe(200);
    expect(reconciled.body).toMatchObject({ state: 'exported', rucert: { identifier: stored[0].identifier, uuid: stored[0].uuid } });
    expect(sim.received().filter((n) => String(n.body.event_description).includes(incident.id))).toHaveLength(1);
  });

  it('stored then no answer → times out to unknown; reconcile finds it', async () => {
    const incident = await createIncident(t);
    await configureIntegration(t, sim, { timeoutMs: 300 });
    try {
      sim.addFault({ mode: 'store_then_hang' });
      const res = await exportOf(incident.id, { data: computerIncident });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'rucert_unavailable', state: 'unknown' });
      const reconciled = await admin('post', `/api/incidents/${incident.id}/rucert-export/reconcile`);
      expect(reconciled.body.state).toBe('exported');
    } finally {
      await configureIntegration(t, sim);
    }
  });

  it('an admin resolves an unknown export by hand; analysts may not', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'http500' });
    expect((await exportOf(incident.id, { data: computerIncident })).body.state).toBe('unknown');
    const denied = await request(t.http)
      .post(`/api/incidents/${incident.id}/rucert-export/resolve`)
      .auth(analyst, { type: 'bearer' })
      .send({ outcome: 'failed', reason: 'x' });
    expect(denied.status).toBe(403);
    const bad = await admin('post', `/api/incidents/${incident.id}/rucert-export/resolve`).send({ outcome: 'exported', reason: 'seen in the account' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/identifier');
    const ok = await admin('post', `/api/incidents/${incident.id}/rucert-export/resolve`).send({
      outcome: 'exported',
      identifier: 'INC-2026-99999',
      reason: 'seen in the GosSOPKA account',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'exported', rucert: { identifier: 'INC-2026-99999' } });
    const twice = await admin('post', `/api/incidents/${incident.id}/rucert-export/resolve`).send({ outcome: 'failed', reason: 'again' });
    expect(twice.status).toBe(409);
  });
});

describe('audit', () => {
  it('keeps every attempt and outcome, newest first, and never a secret', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'reject400' });
    await exportOf(incident.id, { data: computerIncident });
    await exportOf(incident.id, { data: computerIncident });
    const res = await admin('get', '/api/audit?limit=1000');
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((e: { incidentId: string }) => e.incidentId === incident.id);
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['export.succeeded', 'export.attempted', 'export.failed', 'export.attempted']);
    expect(mine[0]).toMatchObject({
      actor: expect.stringContaining('test analyst'),
      details: { attempt: 2, formVersion: 1, identifier: expect.stringMatching(/^INC-/) },
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(RUCERT_TOKEN);
    expect(text).not.toContain(analyst);
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['license.installed', 'integration.updated', 'token.created']),
    );
    expect((await request(t.http).get('/api/audit').auth(analyst, { type: 'bearer' })).status).toBe(403);
  });

  it('keeps what each attempt sent, unchanged by its outcome: the data and the exact body NCIRCC received', async () => {
    const incident = await createIncident(t);
    sim.addFault({ mode: 'reject400' });
    expect((await exportOf(incident.id, { data: computerIncident })).status).toBe(502);
    const corrected = { ...computerIncident, city: 'Казань' };
    const res = await exportOf(incident.id, { data: corrected });
    expect(res.status).toBe(201);
    const recorded = await t.app
      .get(MikroORM)
      .em.fork()
      .find(RucertExportDocuments, { incidentId: incident.id }, { orderBy: { attempt: 'asc' } });
    expect(recorded.map((r) => [r.attempt, r.data.city, r.payload.city])).toEqual([
      [1, 'Москва', 'Москва'],
      [2, 'Казань', 'Казань'],
    ]);
    expect(recorded[1].payload).toEqual(sim.received().find((n) => n.identifier === res.body.rucert.identifier)!.body);
    // the status shows the data of the attempt that counts
    expect((await statusOf(incident.id)).data).toMatchObject(corrected);
  });

  it('stores a long text of the data once, in the body sent, and shows the data whole', async () => {
    const incident = await createIncident(t);
    const name = 'Ж'.repeat(4_000); // NCIRCC takes up to 5,000 characters per text
    const data = { ...computerIncident, affectedSystemName: name };
    expect((await exportOf(incident.id, { data })).status).toBe(201);
    const [stored] = await t.app
      .get(MikroORM)
      .em.getConnection()
      .execute<Array<{ data_chars: number; payload_chars: number }>>(
        'select length(cast(data as text)) as data_chars, length(cast(payload as text)) as payload_chars from rucert_export_documents where incident_id = ?',
        [incident.id],
      );
    expect(Number(stored.payload_chars)).toBeGreaterThan(4_000);
    expect(Number(stored.data_chars)).toBeLessThan(2_000);
    expect((await statusOf(incident.id)).data).toMatchObject(data);
  });
});

describe("NCIRCC's contract checked before anything is sent", () => {
  it('refuses a description that does not fit the 5000 characters NCIRCC takes with the reference line, naming it; nothing is claimed or sent', async () => {
    const incident = await createIncident(t, { description: 'Д'.repeat(4990) });
    const before = sim.requests()['POST /incidents'] ?? 0;
    const res = await exportOf(incident.id, { data: computerIncident });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: '/description', keyword: 'maxLength' })] });
    expect(res.body.errors[0].message).toMatch(/5000/);
    expect(sim.requests()['POST /incidents'] ?? 0).toBe(before);
    expect((await statusOf(incident.id)).state).toBe('not_exported');
  });

  it('sends a description that fits exactly, reference line included, and NCIRCC takes it', async () => {
    const incident = await createIncident(t, { description: 'x' });
    const room = 5000 - `x\n\nrucert-export incident ${incident.id}`.length + 1;
    const fitting = await createIncident(t, { description: 'Д'.repeat(room) });
    const res = await exportOf(fitting.id, { data: computerIncident });
    expect(res.status).toBe(201);
    expect([...String(sim.received().at(-1)!.body.event_description)]).toHaveLength(5000);
  });

  it('refuses a detection time in the future, naming the incident field, and an end time in the future, naming the form field', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const early = await createIncident(t, { detectedAt: future });
    const detected = await exportOf(early.id, { data: computerIncident });
    expect(detected.status).toBe(400);
    expect(detected.body.errors).toEqual([expect.objectContaining({ path: '/detectedAt', keyword: 'x-not-future' })]);
    const incident = await createIncident(t);
    const ended = await exportOf(incident.id, { data: { ...computerIncident, incidentEndTime: future } });
    expect(ended.status).toBe(400);
    expect(ended.body.errors).toEqual([expect.objectContaining({ path: '/incidentEndTime', keyword: 'x-not-future' })]);
    expect((await statusOf(incident.id)).state).toBe('not_exported');
  });

  it('sends company only with an MSSP token: NCIRCC refuses it from any other token', async () => {
    const mssp = await startSimulator({ mssp: true, companies: ['ООО «Тестовая организация»'] });
    try {
      await configureIntegration(t, mssp, { mssp: true });
      const incident = await createIncident(t);
      const res = await exportOf(incident.id, { data: computerIncident });
      expect(res.status).toBe(201);
      expect(mssp.received()[0].body).toMatchObject({ company: 'ООО «Тестовая организация»', owner_name: 'ООО «Тестовая организация»' });

      await configureIntegration(t, sim, { mssp: true }); // a mistake: this token is not an MSSP's
      const refused = await exportOf((await createIncident(t)).id, { data: computerIncident });
      expect(refused.status).toBe(502);
      expect(refused.body).toMatchObject({ code: 'rucert_rejected', state: 'failed' });
      expect(refused.body.detail).toMatch(/company/);
    } finally {
      await configureIntegration(t, sim);
      await mssp.close();
    }
  });

  it('lets NCIRCC refuse a version 1 export without an asset owner (no ownerName setting): failed, and it goes through once the setting is made', async () => {
    await configureIntegration(t, sim, { ownerName: undefined });
    const incident = await createIncident(t);
    const refused = await exportOf(incident.id, { data: computerIncident });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'rucert_rejected', state: 'failed' });
    expect(refused.body.detail).toMatch(/owner_name/);
    await configureIntegration(t, sim);
    expect((await exportOf(incident.id, { data: computerIncident })).status).toBe(201);
  });

  it("refuses version 1's vulnerability category under today's API (1.1.2): NCIRCC switched it off", async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, {
      data: {
        category: 'vulnerability',
        type: 'vulnerable_resource',
        affectedSystemName: 'Web portal',
        affectedSystemCategory: 'not_cii',
        productInfo: [{ name: 'nginx', version: '1.18.0' }],
      },
    });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'rucert_rejected', state: 'failed' });
  });
});

describe("version 1's own vocabulary against API profile 1.0 (what NCIRCC took before 1.1.2)", () => {
  let old: RucertSimulator;
  beforeAll(async () => {
    old = await startSimulator({ profile: '1.0' });
    await installLicense(t);
    await configureIntegration(t, old);
  });
  afterAll(async () => {
    await configureIntegration(t, sim);
    await old.close();
  });

  it('exports a vulnerability with its product table, identifier and vulnerable product', async () => {
    const incident = await createIncident(t);
    const res = await exportOf(incident.id, {
      data: {
        category: 'vulnerability',
        type: 'vulnerable_resource',
        affectedSystemName: 'Web portal',
        affectedSystemCategory: 'cii_category_1',
        affectedSystemFunction: 'healthcare',
        location: 'RU-NVS',
        productInfo: [
          { name: 'nginx', version: '1.18.0' },
          { name: 'OpenSSL', version: '1.1.1k' },
        ],
        vulnerabilityId: 'BDU:2021-02581',
        vulnerableProduct: 'nginx 1.18.0',
      },
    });
    expect(res.status).toBe(201);
    const sent = old.received().find((n) => n.identifier === res.body.rucert.identifier)!.body;
    expect(sent).toMatchObject({
      category: 'Уведомление о наличии уязвимости',
      type: 'Уязвимый ресурс',
      affected_system_category: 'Объект КИИ первой категории значимости',
      affected_system_function: 'Здравоохранение',
      location: 'RU-NVS',
      product_info: [
        { name: 'nginx', version: '1.18.0' },
        { name: 'OpenSSL', version: '1.1.1k' },
      ],
      vulnerability_id: 'BDU:2021-02581',
      product_category: 'nginx 1.18.0',
    });
    expect(Object.keys(sent)).not.toContain('availability_impact');
  });

  it('exports a 500,000-character Cyrillic affected system name whole', async () => {
    const incident = await createIncident(t);
    const name = 'Щ'.repeat(499_999) + 'ё';
    const res = await exportOf(incident.id, { data: { ...computerIncident, affectedSystemName: name } });
    expect(res.status).toBe(201);
    const sent = old.received().find((n) => n.identifier === res.body.rucert.identifier)!.body;
    expect(sent.affected_system_name).toBe(name);
    const status = await statusOf(incident.id);
    expect(status.data.affectedSystemName).toHaveLength(500_000);
  });
});
