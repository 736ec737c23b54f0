// An analyst exports under the built-in version 2 (NCIRCC API 1.1.x): the tabs follow the rules (Technical details
// only once the resource is connected to the Internet, Personal data leak only for its five types), the technical
// details start from the incident's observables and indicators when they appear, the leak block's operator from
// the integration settings, and the payload carries them all, INN as a number; in English and in Russian.
import { api, createIncident, field, screenshotDialog, signedInPage } from './browser-support';

jest.setTimeout(90_000);

describe('analyst: export under form version 2 in the browser', () => {
  let incident: { id: string; title: string };
  const ui = signedInPage('analyst', {
    arrange: async (stack) => {
      const operator = { name: 'ACME Bank JSC', inn: '7707083893', address: 'Moscow, Vavilova 19', email: 'dpo@acme.example' };
      const settings = await api(stack).get('/integrations/rucert');
      const withOperator = await api(stack).put('/integrations/rucert', { ...pick(settings.body), operator });
      if (withOperator.status !== 200) throw new Error(`operator: ${withOperator.status} ${withOperator.text}`);
      const activated = await api(stack).post('/forms/rucert-export/versions/2/activate');
      if (activated.status !== 200) throw new Error(`activate: ${activated.status} ${activated.text}`);
      incident = await createIncident(stack, {
        title: 'Trojan calling home',
        description: 'EDR: trojan on mail01 calling 203.0.113.5',
        observables: [{ kind: 'ipv4', value: '198.51.100.7' }],
        indicators: [{ kind: 'ipv4', value: '203.0.113.5', function: 'malware_c2' }],
      });
    },
  });

  const dialog = () => ui.page.getByRole('dialog', { name: 'Export to RuCERT' });
  const tabs = () => dialog().getByRole('tab').allTextContents();

  it('opens the form with the defaults it declares and only the tabs the rules show', async () => {
    await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
    await ui.page.getByRole('button', { name: 'Export to RuCERT' }).click();
    await dialog().getByRole('tab', { name: 'Basic' }).waitFor();
    await expect(
      dialog()
        .getByText(/Form version \d+/)
        .textContent(),
    ).resolves.toContain('Form version 2');
    await expect(tabs()).resolves.toEqual(['Basic', 'Advanced']);
    await expect(field(dialog(), 'Event description').inputValue()).resolves.toBe('EDR: trojan on mail01 calling 203.0.113.5');
    await expect(field(dialog(), 'Response status').locator('option:checked').textContent()).resolves.toBe('Response in progress');
  });

  it('offers the leak tab for a type that takes it, and the technical details once connected, pre-filled', async () => {
    await field(dialog(), 'Category').selectOption({ label: 'Computer incident notification' });
    await field(dialog(), 'Type').selectOption({ label: 'Malware infection' });
    await expect(tabs()).resolves.toEqual(['Basic', 'Advanced', 'Personal data leak']);
    await field(dialog(), 'Affected system has Internet connection').check();
    await dialog().getByRole('tab', { name: 'Technical details' }).click();
    await expect(dialog().locator('#export_relatedObservablesIpv4_0_value').inputValue()).resolves.toBe('198.51.100.7');
    await expect(dialog().locator('#export_relatedIndicatorsIpv4_0_value').inputValue()).resolves.toBe('203.0.113.5');
    await dialog().getByRole('tab', { name: 'Basic' }).click();
    await field(dialog(), 'Affected system has Internet connection').uncheck();
    await expect(tabs()).resolves.toEqual(['Basic', 'Advanced', 'Personal data leak']);
    await field(dialog(), 'Affected system has Internet connection').check();
    await expect(tabs()).resolves.toEqual(['Basic', 'Advanced', 'Technical details', 'Personal data leak']);
  });

  it('sends what the form shows: the technical details from the incident and the personal-data leak', async () => {
    await expect(field(dialog(), 'Asset owner').inputValue()).resolves.toBe('ACME Bank JSC'); // the ownerName setting
    await field(dialog(), 'Affected system name').fill('mail01.acme.example');
    await field(dialog(), 'Affected system category').selectOption({ label: 'Information resource is not a CII object' });
    await dialog().getByRole('tab', { name: 'Personal data leak' }).click();
    await dialog().getByRole('checkbox', { name: 'Personal data leak' }).check();
    await expect(field(dialog(), 'Operator INN').inputValue()).resolves.toBe('7707083893'); // the operator setting
    await field(dialog(), 'Presumed causes').fill('Trojan on the mail server');
    await field(dialog(), 'Personal data affected').fill('About 2,000 customer e-mail addresses');
    await field(dialog(), 'Presumed harm').fill('Low');
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    await dialog().getByRole('heading', { name: 'Confirm the export' }).waitFor();
    await dialog().getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog().getByTestId('export-done').waitFor();
    const [sent] = ui.stack.sim.received();
    expect(sent.body).toMatchObject({
      owner_name: 'ACME Bank JSC',
      activity_status: 'Проводятся мероприятия по реагированию',
      affected_system_connection: true,
      related_observables_ipv4: [{ value: '198.51.100.7' }],
      related_indicators_ipv4: [{ function: 'Центр управления ВПО', value: '203.0.113.5' }],
      rkn_leak_pd: true,
      rkn_full_name: 'ACME Bank JSC',
      rkn_inn: 7707083893,
      rkn_address: 'Moscow, Vavilova 19',
      rkn_email: 'dpo@acme.example',
      rkn_reasons: 'Trojan on the mail server',
    });
    expect(sent.body.event_description).toBe(`EDR: trojan on mail01 calling 203.0.113.5\n\nrucert-export incident ${incident.id}`);
  });

  it('does the same in Russian: the tabs, the fields and the leak block are in Russian, and NCIRCC receives the same payload', async () => {
    const russian = await createIncident(ui.stack, {
      title: 'Троян на почтовом сервере',
      description: 'EDR: троян на mail02 обращается к 203.0.113.9',
      indicators: [{ kind: 'ipv4', value: '203.0.113.9', function: 'malware_c2' }],
    });
    await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${russian.id}`);
    await ui.page.reload(); // a fresh page: the previous export's dialog is gone
    await ui.page.getByRole('button', { name: 'Switch the interface to Russian' }).click();
    await ui.page.getByRole('button', { name: 'Экспорт в НКЦКИ' }).click();
    const ru = () => ui.page.getByRole('dialog', { name: 'Экспорт в НКЦКИ' });
    await field(ru(), 'Категория').selectOption({ label: 'Уведомление о компьютерном инциденте' });
    await field(ru(), 'Тип').selectOption({ label: 'Заражение ВПО' });
    await field(ru(), 'Наименование контролируемого ресурса').fill('mail02.acme.example');
    await field(ru(), 'Категория контролируемого ресурса').selectOption({ label: 'Информационный ресурс не является объектом КИИ' });
    await field(ru(), 'Контролируемый ресурс подключен к сети Интернет').check();
    await ru().getByRole('tab', { name: 'Технические сведения' }).click();
    await expect(ru().locator('#export_relatedIndicatorsIpv4_0_value').inputValue()).resolves.toBe('203.0.113.9');
    await ru().getByRole('tab', { name: 'Утечка ПДн' }).click();
    await ru().getByRole('checkbox', { name: 'Утечка персональных данных' }).check();
    await expect(field(ru(), 'ИНН оператора').inputValue()).resolves.toBe('7707083893');
    await field(ru(), 'Предполагаемые причины').fill('Троян на почтовом сервере');
    await field(ru(), 'Характеристики персональных данных').fill('Около 2 000 адресов электронной почты клиентов');
    await field(ru(), 'Предполагаемый вред').fill('Низкий');
    await screenshotDialog(ui.page, 'export-v2-leak-ru');
    await ru().getByRole('button', { name: 'Экспортировать', exact: true }).click();
    await ru().getByRole('button', { name: 'Подтвердить', exact: true }).click();
    await ru().getByTestId('export-done').waitFor();
    const sent = ui.stack.sim.received().at(-1)!;
    expect(sent.body).toMatchObject({
      type: 'Заражение ВПО',
      related_indicators_ipv4: [{ function: 'Центр управления ВПО', value: '203.0.113.9' }],
      rkn_leak_pd: true,
      rkn_inn: 7707083893,
      rkn_reasons: 'Троян на почтовом сервере',
    });
  });
});

/** The settings as GET shows them, as a PUT body (the token is kept when omitted). */
function pick(view: Record<string, unknown>): Record<string, unknown> {
  const { configured: _c, rootCaSet: _r, tokenSet: _t, updatedAt: _u, updatedBy: _b, ...settings } = view;
  return settings;
}
