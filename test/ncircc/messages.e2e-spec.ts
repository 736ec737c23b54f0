// Messages from NCIRCC ("ALRT-…") against the emulator over real HTTP: each becomes one incident the SOC works on,
// however often synchronisation reads it; the SOC's answer (into work, decided with a result) reaches NCIRCC once.
import { configureIntegration, createIncident } from '../support/export-setup';
import { analyst, as, sim, sync, t, useNcirccApp } from './support';

useNcirccApp();
beforeAll(async () => {
  await configureIntegration(t, sim, { inboundEnabled: true });
});

const messageIncidents = async () => (await as(analyst).get('/api/incidents?source=ncircc&limit=1000')).body;

describe('import', () => {
  it('reads no message while inboundEnabled is off', async () => {
    await configureIntegration(t, sim, { inboundEnabled: false });
    sim.createMessage({ type: 'Зараженный ресурс' });
    expect((await sync()).messages).toBe(0);
    expect((await messageIncidents()).total).toBe(0);
    await configureIntegration(t, sim, { inboundEnabled: true });
  });

  it('turns 50 messages into 50 incidents after one synchronisation, and still 50 after a second', async () => {
    for (let i = 0; i < 49; i++) sim.createMessage({ type: i % 2 ? 'Центр управления ВПО' : 'Угроза компьютерной атаки', event_description: `Сообщение ${i}` });
    const first = await sync();
    expect(first.messages).toBe(50);
    expect((await messageIncidents()).total).toBe(50);
    expect((await sync()).messages).toBe(0);
    expect((await messageIncidents()).total).toBe(50);
  });

  it('makes an incident NCIRCC-sourced, critical, named by its type and number, with the message readable and the reaction deadline', async () => {
    const message = sim.createMessage({
      type: 'Зараженный ресурс',
      event_description: 'Узел 203.0.113.5 участвует в ботнете',
      inrelated_observables_ipv4: [{ value: '203.0.113.5', country: 'RU', lir: 'LIR', as_name: 'AS-EXAMPLE', asn: '64500' }],
    } as Record<string, unknown>);
    await sync();
    const incident = (await messageIncidents()).items.find((i: { externalId: string }) => i.externalId === message.reg_number);
    expect(incident).toMatchObject({
      source: 'ncircc',
      severity: 'critical',
      status: 'open',
      title: `Зараженный ресурс ${message.reg_number}`,
      description: 'Узел 203.0.113.5 участвует в ботнете',
    });
    const card = (await as(analyst).get(`/api/incidents/${incident.id}/ncircc`)).body;
    expect(card).toMatchObject({ kind: 'message', uuid: message.uuid, regNumber: message.reg_number, status: { name: 'Новое' }, type: 'Зараженный ресурс' });
    expect(card.details.inrelated_observables_ipv4).toEqual([expect.objectContaining({ value: '203.0.113.5' })]);
    expect(Date.parse(card.deadlines.reaction) - Date.parse(message.create_time)).toBe(24 * 3_600_000);
    const kinds = (await as(analyst).get('/api/notifications?limit=200')).body.items.filter((n: { incidentId: string }) => n.incidentId === incident.id);
    expect(kinds.map((n: { kind: string }) => n.kind)).toEqual(['message_received']);
  });

  it('imports a message whose type the product does not know, and shows it as NCIRCC named it', async () => {
    const message = sim.createMessage({ type: 'Новый тип угрозы 2027' });
    await sync();
    const incident = (await messageIncidents()).items.find((i: { externalId: string }) => i.externalId === message.reg_number);
    expect(incident.title).toBe(`Новый тип угрозы 2027 ${message.reg_number}`);
    expect((await as(analyst).get(`/api/incidents/${incident.id}/ncircc`)).body.type).toBe('Новый тип угрозы 2027');
  });
});

describe("the SOC's answer", () => {
  async function importedMessage(): Promise<{ id: string; uuid: string }> {
    const message = sim.createMessage({ type: 'Центр управления ВПО' });
    await sync();
    const incident = (await messageIncidents()).items.find((i: { externalId: string }) => i.externalId === message.reg_number);
    return { id: incident.id, uuid: message.uuid };
  }
  const statusUpdates = (uuid: string) => sim.updates().filter((u) => u.kind === 'message-status' && u.uuid === uuid);

  it('takes a message into work and decides it, each reaching NCIRCC once; NCIRCC’s status arrives by synchronisation', async () => {
    const { id, uuid } = await importedMessage();
    const taken = await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress' });
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({ status: 'in_progress', state: 'sent' });
    expect((await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress' })).status).toBe(409);
    const decided = await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'decided', result: 'measures_taken' });
    expect(decided.status).toBe(200);
    expect(statusUpdates(uuid).map((u) => u.body)).toEqual([
      { uuid, status: 'В работе' },
      { uuid, status: 'Принято решение', int_result: 'Меры приняты' },
    ]);
    await sync();
    expect((await as(analyst).get(`/api/incidents/${id}/ncircc`)).body.status.name).toBe('Принято решение');
  });

  it('refuses a decision without a result with validation_failed naming /result, and a result with "in work", sending nothing', async () => {
    const { id, uuid } = await importedMessage();
    const bare = await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'decided' });
    expect(bare.status).toBe(400);
    expect(bare.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: '/result', keyword: 'required' })] });
    const extra = await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress', result: 'not_confirmed' });
    expect(extra.status).toBe(400);
    expect(statusUpdates(uuid)).toHaveLength(0);
  });

  it('lets one of 10 concurrent "into work" reach NCIRCC', async () => {
    const { id, uuid } = await importedMessage();
    const answers = await Promise.all(Array.from({ length: 10 }, () => as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress' })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(statusUpdates(uuid)).toHaveLength(1);
  });

  it('sends a status change again after NCIRCC refused it', async () => {
    const { id, uuid } = await importedMessage();
    sim.addFault({ mode: 'reject400', route: 'POST /incidents' });
    const refused = await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress' });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'rucert_rejected', state: 'failed' });
    expect((await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress' })).status).toBe(200);
    expect(statusUpdates(uuid)).toHaveLength(1);
  });

  it('refuses a status change on our own notification with 409, sending nothing', async () => {
    const { id } = await createIncident(t);
    const exported = await as(analyst).post(`/api/incidents/${id}/rucert-export`, {
      formVersion: 1,
      data: { category: 'computer_incident', type: 'malware_infection', affectedSystemName: 'mail01', affectedSystemCategory: 'not_cii' },
    });
    expect(exported.status).toBe(201);
    const before = sim.updates().length;
    const res = await as(analyst).post(`/api/incidents/${id}/ncircc/status`, { status: 'in_progress' });
    expect(res.status).toBe(409);
    expect(sim.updates()).toHaveLength(before);
  });

  it('chats about a message, both ways', async () => {
    const { id, uuid } = await importedMessage();
    const posted = await as(analyst).post(`/api/incidents/${id}/ncircc/comments`, { text: 'Узел изолирован' });
    expect(posted.status).toBe(201);
    expect(
      sim
        .comments()
        .filter((c) => c.incidentUuid === uuid)
        .map((c) => c.text),
    ).toEqual(['Узел изолирован']);
    sim.addOperatorComment(uuid, 'Принято');
    await sync();
    const chat = (await as(analyst).get(`/api/incidents/${id}/ncircc/comments`)).body.items;
    expect(chat.map((c: { direction: string }) => c.direction)).toEqual(['out', 'in']);
  });
});
