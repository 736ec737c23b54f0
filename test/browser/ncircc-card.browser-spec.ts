// After the export, in the browser, in English and in Russian: the analyst exports an incident, the emulator
// registers it and synchronisation brings the registration number; NCIRCC asks for a supplement with an operator
// comment, the notification leads to the incident, the analyst answers the supplement, chats and attaches a file.
// A message from NCIRCC becomes an incident: the analyst reads it, takes it into work, chats and decides. Each step
// is checked on the page and in what the emulator received.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { api, createIncident, field, paste, screenshot, screenshotDialog, signedInPage } from './browser-support';

jest.setTimeout(120_000);

const LANGUAGES = [
  {
    lang: 'en',
    exportButton: 'Export to RuCERT',
    exportNext: 'Export',
    confirm: 'Confirm',
    close: 'Close',
    category: ['Category', 'Computer incident notification'],
    type: ['Type', 'Malware infection'],
    systemName: 'Affected system name',
    systemCategory: ['Affected system category', 'Information resource is not a CII object'],
    advanced: 'Advanced',
    source: ['Source', 'Message from NCIRCC'],
    apply: 'Apply',
    city: 'City',
    section: 'NCIRCC card',
    messageSection: 'Message from NCIRCC',
    refresh: 'Refresh',
    notRegistered: 'not registered yet',
    notifications: 'Notifications',
    supplementAsked: 'NCIRCC asks for a supplement',
    supplement: 'Supplement',
    supplementDialog: 'Supplement for NCIRCC',
    sendSupplement: 'Send supplement',
    nothingChanged: 'changes nothing NCIRCC has',
    supplementDone: 'Supplement 1 was sent to NCIRCC.',
    supplementSent: 'The supplement for this request was sent.',
    chat: 'Chat',
    files: 'Files',
    comment: 'Comment to NCIRCC',
    sendComment: 'Send comment',
    tooLong: /more than 5000 characters/,
    fromNcircc: 'NCIRCC (',
    fromUs: 'Us (',
    chooseFile: 'File to attach',
    upload: 'Upload',
    download: 'Download',
    messageType: 'Message type',
    observablesIpv4: 'Observables: IPv4',
    deadline: 'Reaction due (24 hours)',
    take: 'Take into work',
    taken: 'NCIRCC was told the message is taken into work.',
    result: ['Result', 'Measures taken'],
    decide: 'Decide',
    decided: 'NCIRCC was told the decision.',
    texts: { city: 'Kazan', comment: 'The host is isolated; the report follows.', answer: 'Taken: the host is isolated.' },
  },
  {
    lang: 'ru',
    exportButton: 'Экспорт в НКЦКИ',
    exportNext: 'Экспортировать',
    confirm: 'Подтвердить',
    close: 'Закрыть',
    category: ['Категория', 'Уведомление о компьютерном инциденте'],
    type: ['Тип', 'Заражение ВПО'],
    systemName: 'Наименование контролируемого ресурса',
    systemCategory: ['Категория контролируемого ресурса', 'Информационный ресурс не является объектом КИИ'],
    advanced: 'Дополнительно',
    source: ['Источник', 'Сообщение НКЦКИ'],
    apply: 'Применить',
    city: 'Населенный пункт',
    section: 'Карточка НКЦКИ',
    messageSection: 'Сообщение НКЦКИ',
    refresh: 'Обновить',
    notRegistered: 'ещё не зарегистрировано',
    notifications: 'Уведомления',
    supplementAsked: 'НКЦКИ запрашивает дополнение',
    supplement: 'Дополнить',
    supplementDialog: 'Дополнение для НКЦКИ',
    sendSupplement: 'Отправить дополнение',
    nothingChanged: 'ничего не меняет в том, что есть у НКЦКИ',
    supplementDone: 'Дополнение 1 отправлено в НКЦКИ.',
    supplementSent: 'Дополнение по этому запросу отправлено.',
    chat: 'Чат',
    files: 'Файлы',
    comment: 'Комментарий для НКЦКИ',
    sendComment: 'Отправить комментарий',
    tooLong: /не длиннее, чем 5000 символов/,
    fromNcircc: 'НКЦКИ (',
    fromUs: 'Мы (',
    chooseFile: 'Файл для отправки',
    upload: 'Загрузить',
    download: 'Скачать',
    messageType: 'Тип сообщения',
    observablesIpv4: 'Наблюдаемые объекты: IPv4',
    deadline: 'Срок реагирования (24 часа)',
    take: 'Взять в работу',
    taken: 'НКЦКИ сообщено, что сообщение взято в работу.',
    result: ['Результат', 'Меры приняты'],
    decide: 'Принять решение',
    decided: 'НКЦКИ сообщено о принятом решении.',
    texts: { city: 'Казань', comment: 'Узел изолирован, отчёт будет позже.', answer: 'Принято: узел изолирован.' },
  },
] as const;

type Words = (typeof LANGUAGES)[number];

describe.each(LANGUAGES)('the NCIRCC card in the browser ($lang)', (w: Words) => {
  const ui = signedInPage('analyst', { lang: w.lang, integration: { inboundEnabled: true } });

  /** One synchronisation pass, as an administrator would start it. */
  async function sync(): Promise<void> {
    const res = await api(ui.stack).post('/integrations/rucert/sync');
    if (res.status !== 200) throw new Error(`sync: ${res.status} ${res.text}`);
  }

  const section = (name: string = w.section) => ui.page.getByRole('region', { name });
  const refresh = async (name?: string) => {
    await section(name).getByRole('button', { name: w.refresh }).click();
  };

  describe('an exported incident', () => {
    let incident: { id: string; title: string };
    let uuid: string;
    let regNumber: string;

    it('is exported, and shows its card as created, not registered yet', async () => {
      incident = await createIncident(ui.stack, { title: `Trojan on mail01 (${w.lang})` });
      await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
      await ui.page.getByRole('button', { name: w.exportButton }).click();
      const dialog = ui.page.getByRole('dialog', { name: w.exportButton });
      await field(dialog, w.category[0]).selectOption({ label: w.category[1] });
      await field(dialog, w.type[0]).selectOption({ label: w.type[1] });
      await field(dialog, w.systemName).fill('mail01.acme.example');
      await field(dialog, w.systemCategory[0]).selectOption({ label: w.systemCategory[1] });
      await dialog.getByRole('tab', { name: w.advanced }).click();
      await field(dialog, w.city).fill('Тула');
      await dialog.getByRole('button', { name: w.exportNext, exact: true }).click();
      await dialog.getByRole('button', { name: w.confirm, exact: true }).click();
      await dialog.getByTestId('export-done').waitFor();
      await dialog.getByRole('button', { name: w.close, exact: true }).last().click();

      const sent = ui.stack.sim.received().find((n) => String(n.body.event_description).endsWith(`rucert-export incident ${incident.id}`));
      expect(sent).toBeDefined();
      uuid = sent!.uuid;
      await section().getByTestId('ncircc-status').getByText('Создано').waitFor();
      await expect(section().getByTestId('ncircc-reg-number').textContent()).resolves.toBe(w.notRegistered);
    });

    it('shows the registration number once the emulator registers it and a synchronisation runs', async () => {
      regNumber = ui.stack.sim.register(uuid).reg_number!;
      await sync();
      await refresh();
      await section().getByTestId('ncircc-reg-number').getByText(regNumber).waitFor();
      await expect(section().getByTestId('ncircc-status').textContent()).resolves.toBe('Зарегистрировано');
      await expect(section().getByTestId('ncircc-history').textContent()).resolves.toContain('Зарегистрировано');
      // no supplement is asked for yet: no Supplement action
      await expect(section().getByRole('button', { name: w.supplement, exact: true }).count()).resolves.toBe(0);
    });

    it('brings NCIRCC’s supplement request as a notification that leads to the incident', async () => {
      ui.stack.sim.requestSupplement(uuid, { text: `Уточните населённый пункт (${w.lang})` });
      await sync();
      await ui.page.reload();
      await ui.page.getByTestId('unread-count').waitFor();
      await ui.page.getByTestId('notifications-link').click();
      await ui.page.getByRole('heading', { name: w.notifications }).waitFor();
      const link = ui.page.getByRole('link', { name: `${regNumber}: ${w.supplementAsked}` });
      await link.waitFor();
      await screenshot(ui.page, `ncircc-notifications-${w.lang}`);
      await link.click();
      await ui.page.getByRole('heading', { name: incident.title }).waitFor();
      await section().getByTestId('ncircc-status').getByText('Требуется дополнение').waitFor();
      // marked read on the way
      await ui.page.getByTestId('notifications-link').click();
      await ui.page
        .locator('li[data-read="true"]')
        .filter({ has: ui.page.getByRole('link', { name: `${regNumber}: ${w.supplementAsked}` }) })
        .waitFor();
    });

    it('answers the supplement in the form of the card’s version, pre-filled, and NCIRCC receives only the change', async () => {
      await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
      await section().getByRole('button', { name: w.supplement, exact: true }).click();
      const dialog = ui.page.getByRole('dialog', { name: w.supplementDialog });
      await expect(field(dialog, w.city).inputValue()).resolves.toBe('Тула');
      await screenshotDialog(ui.page, `ncircc-supplement-${w.lang}`);
      // sent as it is, it changes nothing: the service says so and NCIRCC receives nothing
      await dialog.getByRole('button', { name: w.sendSupplement }).click();
      await dialog.getByRole('alert').getByText(w.nothingChanged).waitFor();
      expect(ui.stack.sim.updates().filter((u) => u.uuid === uuid)).toHaveLength(0);
      await field(dialog, w.city).fill(w.texts.city);
      await dialog.getByRole('button', { name: w.sendSupplement }).click();
      await dialog.getByText(w.supplementDone).waitFor();
      await dialog.getByRole('button', { name: w.close, exact: true }).last().click();
      await section().getByText(w.supplementSent).waitFor();
      const updates = ui.stack.sim.updates().filter((u) => u.uuid === uuid && u.kind === 'supplement');
      expect(updates.map((u) => u.body)).toEqual([{ uuid, status: 'Проверка НКЦКИ', city: w.texts.city }]);
    });

    it('chats with NCIRCC: the operator’s comment first, ours last, and ours reaches NCIRCC once', async () => {
      const chat = section().getByTestId('ncircc-chat');
      await chat.getByText(`Уточните населённый пункт (${w.lang})`).waitFor();
      // one character too many: the service's refusal is shown, nothing reaches NCIRCC, the text stays
      const before = ui.stack.sim.comments().length;
      await paste(field(section(), w.comment), 'x'.repeat(5001));
      await section().getByRole('button', { name: w.sendComment }).click();
      await section().getByRole('alert').getByText(w.tooLong).waitFor();
      expect(ui.stack.sim.comments()).toHaveLength(before);
      await expect(field(section(), w.comment).inputValue()).resolves.toHaveLength(5001);
      await field(section(), w.comment).fill(w.texts.comment);
      await section().getByRole('button', { name: w.sendComment }).click();
      await chat.getByText(w.texts.comment).waitFor();
      const items = chat.getByRole('listitem');
      await expect(items.first().textContent()).resolves.toContain(w.fromNcircc);
      await expect(items.last().textContent()).resolves.toContain(w.fromUs);
      await expect(items.last().textContent()).resolves.toContain(w.texts.comment);
      await expect(field(section(), w.comment).inputValue()).resolves.toBe('');
      expect(ui.stack.sim.comments().filter((c) => c.incidentUuid === uuid && c.text === w.texts.comment)).toHaveLength(1);
      await screenshot(ui.page, `ncircc-card-${w.lang}`);
    });

    it('attaches a file NCIRCC stores with its hash, and downloads it back', async () => {
      const bytes = Buffer.from(`EDR report for ${regNumber}\n`);
      await section().getByRole('tab', { name: w.files }).click();
      await field(section(), w.chooseFile).setInputFiles({ name: `report-${w.lang}.txt`, mimeType: 'text/plain', buffer: bytes });
      await section().getByRole('button', { name: w.upload }).click();
      const row = section()
        .getByTestId('ncircc-files')
        .getByRole('button', { name: `${w.download} report-${w.lang}.txt` });
      await row.waitFor();
      const stored = ui.stack.sim.files().filter((f) => f.incidentUuid === uuid);
      expect(stored).toEqual([
        expect.objectContaining({ filename: `report-${w.lang}.txt`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }),
      ]);
      const [download] = await Promise.all([ui.page.waitForEvent('download'), row.click()]);
      expect(download.suggestedFilename()).toBe(`report-${w.lang}.txt`);
      const path = await download.path();
      expect((await readFile(path)).equals(bytes)).toBe(true);
    });
  });

  describe('a message from NCIRCC', () => {
    let message: { uuid: string; reg_number: string | null; create_time: string };

    it('arrives as an incident showing its type as NCIRCC named it, its technical fields and the reaction deadline', async () => {
      message = ui.stack.sim.createMessage({
        type: 'Зараженный ресурс',
        event_description: `Узел 203.0.113.5 участвует в ботнете (${w.lang})`,
        inrelated_observables_ipv4: [{ value: '203.0.113.5' }],
      } as Record<string, unknown>);
      await sync();
      // found in the list by its source
      await ui.page.goto(`${ui.stack.baseUrl}/#/incidents`);
      await ui.page.getByLabel(w.source[0]).selectOption({ label: w.source[1] });
      await ui.page.getByRole('button', { name: w.apply }).click();
      await ui.page.getByRole('link', { name: `Зараженный ресурс ${message.reg_number}` }).click();
      const card = section(w.messageSection);
      await card.getByTestId('ncircc-message-type').getByText('Зараженный ресурс').waitFor();
      await ui.page.getByText(`Узел 203.0.113.5 участвует в ботнете (${w.lang})`).waitFor();
      await expect(card.getByTestId('ncircc-status').textContent()).resolves.toBe('Новое');
      await expect(card.getByTestId('ncircc-reg-number').textContent()).resolves.toBe(message.reg_number);
      const technical = card.getByTestId('ncircc-technical');
      await expect(technical.getByRole('term').textContent()).resolves.toBe(w.observablesIpv4);
      await expect(technical.getByRole('definition').textContent()).resolves.toBe('203.0.113.5');
      await card.getByText(w.deadline).waitFor();
      const due = card.getByTestId('ncircc-deadline-reaction').locator('time');
      await expect(due.getAttribute('datetime')).resolves.toBe(new Date(Date.parse(message.create_time) + 24 * 3_600_000).toISOString());
    });

    it('is taken into work: NCIRCC receives "В работе" once, and the status follows after a synchronisation', async () => {
      const card = section(w.messageSection);
      await card.getByRole('button', { name: w.take }).click();
      await card.getByText(w.taken).waitFor();
      await expect(card.getByRole('button', { name: w.take }).count()).resolves.toBe(0);
      expect(
        ui.stack.sim
          .updates()
          .filter((u) => u.uuid === message.uuid)
          .map((u) => u.body),
      ).toEqual([{ uuid: message.uuid, status: 'В работе' }]);
      await sync();
      await refresh(w.messageSection);
      await card.getByTestId('ncircc-status').getByText('В работе').waitFor();
    });

    it('chats about the message, and ours reaches NCIRCC once', async () => {
      const card = section(w.messageSection);
      await field(card, w.comment).fill(w.texts.answer);
      await card.getByRole('button', { name: w.sendComment }).click();
      await card.getByTestId('ncircc-chat').getByText(w.texts.answer).waitFor();
      expect(
        ui.stack.sim
          .comments()
          .filter((c) => c.incidentUuid === message.uuid)
          .map((c) => c.text),
      ).toEqual([w.texts.answer]);
    });

    it('is decided with a result: without one the service’s refusal is shown and nothing is sent; with one NCIRCC receives it once', async () => {
      const card = section(w.messageSection);
      await card.getByRole('button', { name: w.decide }).click();
      await card.getByTestId('ncircc-message').getByRole('alert').waitFor();
      expect(ui.stack.sim.updates().filter((u) => u.uuid === message.uuid)).toHaveLength(1);

      await field(card, w.result[0]).selectOption({ label: w.result[1] });
      await card.getByRole('button', { name: w.decide }).click();
      await card.getByText(w.decided).waitFor();
      expect(
        ui.stack.sim
          .updates()
          .filter((u) => u.uuid === message.uuid)
          .map((u) => u.body),
      ).toEqual([
        { uuid: message.uuid, status: 'В работе' },
        { uuid: message.uuid, status: 'Принято решение', int_result: 'Меры приняты' },
      ]);
      await sync();
      await refresh(w.messageSection);
      await card.getByTestId('ncircc-status').getByText('Принято решение').waitFor();
      await expect(card.getByRole('button', { name: w.decide }).count()).resolves.toBe(0);
      await screenshot(ui.page, `ncircc-message-${w.lang}`);
    });
  });
});

describe('an open NCIRCC card follows synchronisation', () => {
  const ui = signedInPage('analyst', { integration: { inboundEnabled: true } });

  it('shows what a synchronisation brought within half a minute, without a Refresh, and keeps the comment being typed', async () => {
    const admin = api(ui.stack);
    const message = ui.stack.sim.createMessage({ type: 'Зараженный ресурс', event_description: 'Узел 203.0.113.7 участвует в ботнете' } as Record<
      string,
      unknown
    >);
    await admin.post('/integrations/rucert/sync').expect(200);
    const list = await admin.get('/incidents?source=ncircc').expect(200);
    const incident = list.body.items.find((i: { externalId: string }) => i.externalId === message.reg_number);

    // the page's timers run on a clock the test moves: half a minute passes at once, and not before it is asked
    await ui.page.clock.install();
    await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
    const card = ui.page.getByRole('region', { name: 'Message from NCIRCC' });
    await card.getByTestId('ncircc-status').getByText('Новое').waitFor();
    await field(card, 'Comment to NCIRCC').fill('Узел изолирован');

    // a playbook takes the message into work through the API, NCIRCC's operator writes, a synchronisation runs
    await api(ui.stack, await ui.stack.t.tokenFor('analyst'))
      .post(`/incidents/${incident.id}/ncircc/status`, { status: 'in_progress' })
      .expect(200);
    ui.stack.sim.addOperatorComment(message.uuid, 'Сообщите о принятых мерах');
    await admin.post('/integrations/rucert/sync').expect(200);
    await expect(card.getByTestId('ncircc-status').textContent()).resolves.toBe('Новое');

    await ui.page.clock.runFor(30_000);
    await card.getByTestId('ncircc-status').getByText('В работе').waitFor();
    await card.getByTestId('ncircc-chat').getByText('Сообщите о принятых мерах').waitFor();
    await expect(field(card, 'Comment to NCIRCC').inputValue()).resolves.toBe('Узел изолирован');
  });
});
