// Migration 0005 moved what an export's claim recorded (the data as sent and the exact body) out of the export's row
// into rucert_export_documents, one row per attempt. An install whose exports stored them in the row keeps them: the
// export status still shows the data, and a card made afterwards from that export still knows the notification
// reported a personal-data leak, so its legal deadlines run.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CardsService } from '../src/ncircc/cards.service';
import { earlierRelease } from './support/earlier-release';
import { startTestApp, type TestApp } from './support/test-app';

const detectedAt = new Date('2026-11-20T08:30:00.000Z');
const data = { category: 'computer_incident', type: 'account_compromise', affectedSystemName: 'Почтовый сервер mail01', city: 'Москва' };
const payload = { category: 'Уведомление о компьютерном инциденте', event_description: 'Описание', rkn_leak_pd: true, city: 'Москва' };

/** A database as the release before 0005 left it, with one incident exported there (attempt 2) and no card yet. */
const beforeDocumentsMoved = () =>
  earlierRelease('0004-NcirccCards', async ({ execute, at }) => {
    const incidentId = randomUUID();
    await execute("insert into incidents (id, title, status, detected_at, assets, created_at) values (?, ?, 'open', ?, '[]', ?)", [
      incidentId,
      'Incident exported by the earlier release',
      at(detectedAt),
      at(detectedAt),
    ]);
    await execute(
      `insert into rucert_exports (incident_id, state, attempt, form_version, data, payload, rucert_uuid, rucert_identifier, rucert_create_time,
         exported_at, exported_by, updated_at) values (?, 'exported', 2, 1, ?, ?, ?, 'INC-2026-000042', '2026-11-20T09:00:00Z', ?, 'analyst', ?)`,
      [incidentId, JSON.stringify(data), JSON.stringify(payload), randomUUID(), at(new Date()), at(new Date())],
    );
    return { incidentId };
  });

describe('exports recorded before the documents moved to their own table', () => {
  let t: TestApp;
  let incidentId: string;
  beforeAll(async () => {
    const earlier = await beforeDocumentsMoved();
    incidentId = earlier.incidentId;
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000' }, earlier.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('still shows the data the export sent', async () => {
    const status = await request(t.http).get(`/api/incidents/${incidentId}/rucert-export`).auth(t.adminToken, { type: 'bearer' });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ state: 'exported', formVersion: 1, data, rucert: { identifier: 'INC-2026-000042' } });
  });

  it("makes the export's card with the leak deadlines its recorded body reported", async () => {
    await t.app.get(CardsService).ensureForExport(incidentId);
    const card = await request(t.http).get(`/api/incidents/${incidentId}/ncircc`).auth(t.adminToken, { type: 'bearer' });
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({
      identifier: 'INC-2026-000042',
      deadlines: { firstNotice: new Date(detectedAt.getTime() + 24 * 3_600_000).toISOString() },
    });
  });
});
