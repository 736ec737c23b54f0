// The export form lays out whatever definition is active, not only version 1. A test definition published through
// the API (version 1 plus NCIRCC-style technical details and a personal-data leak block) brings four tabs, lists of
// small objects, and a check box that reveals required fields: a tab shows only when it has a visible field, the
// lists are filled row by row with errors in their cells, and the check box's fields come and go with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/common/paths';
import { api, createIncident, field, screenshotDialog, signedInPage } from './browser-support';

jest.setTimeout(90_000);

const read = (path: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8'));
const v1Schema = read('schemas/forms/rucert-export/v1/schema.json');
const v1UiSchema = read('schemas/forms/rucert-export/v1/ui-schema.json');

const text = (title: string, titleRu: string, field: string, extra: object = {}) => ({
  title,
  'x-title-ru': titleRu,
  type: 'string',
  minLength: 1,
  maxLength: 255,
  'x-rucert': { field },
  ...extra,
});
const list = (title: string, titleRu: string, field: string, columns: Record<string, object>) => ({
  title,
  'x-title-ru': titleRu,
  type: 'array',
  maxItems: 50,
  items: { type: 'object', additionalProperties: false, required: Object.keys(columns), properties: columns },
  'x-rucert': { field },
});
const ipv4 = text('IPv4 address', 'IPv4-адрес', 'value', { format: 'ipv4', maxLength: 15 });
const role = {
  title: 'Function',
  'x-title-ru': 'Назначение',
  type: 'string',
  oneOf: [
    { const: 'c2', title: 'Malware command and control', 'x-title-ru': 'Центр управления ВПО', 'x-rucert': 'Центр управления ВПО' },
    { const: 'source', title: 'Malware distribution source', 'x-title-ru': 'Источник распространения ВПО', 'x-rucert': 'Источник распространения ВПО' },
  ],
  'x-rucert': { field: 'function' },
};
const technical = ['observablesIpv4', 'observablesService', 'indicatorsIpv4'];
const leak = ['leakPd', 'leakOperator', 'leakInn'];
const forbid = (names: string[]) => ({ properties: Object.fromEntries(names.map((n) => [n, false])) });
const incidentOfType = (types: string[]) => ({
  properties: { category: { const: 'computer_incident' }, type: { enum: types } },
  required: ['category', 'type'],
});
const flag = (name: string) => ({ properties: { [name]: { const: true } }, required: [name] });

const definition = {
  schema: {
    ...v1Schema,
    properties: {
      ...v1Schema.properties,
      observablesIpv4: list('Attacked IPv4 addresses', 'Атакованные IPv4-адреса', 'related_observables_ipv4', { value: ipv4 }),
      observablesService: list('Attacked services', 'Атакованные сервисы', 'related_observables_service', {
        name: text('Service', 'Сервис', 'name'),
        value: text('Port/protocol', 'Порт/протокол', 'value'),
      }),
      indicatorsIpv4: list('Malicious IPv4 addresses', 'Вредоносные IPv4-адреса', 'related_indicators_ipv4', { function: role, value: ipv4 }),
      leakPd: { title: 'Personal data leak', 'x-title-ru': 'Утечка персональных данных', type: 'boolean', 'x-rucert': { field: 'rkn_leak_pd' } },
      leakOperator: text('Operator name', 'Наименование оператора', 'rkn_full_name'),
      leakInn: text('Operator INN', 'ИНН оператора', 'rkn_inn', { pattern: '^(?:\\d{10}|\\d{12})$', maxLength: 12 }),
    },
    allOf: [
      ...v1Schema.allOf,
      // technical details: some computer-incident types, and only for a resource connected to the Internet
      { if: incidentOfType(['malware_infection', 'account_compromise']), else: forbid(technical) },
      { if: flag('affectedSystemConnection'), else: forbid(technical) },
      // the leak block: two types; its check box reveals the operator's fields and makes them required
      { if: incidentOfType(['account_compromise', 'data_disclosure']), else: forbid(leak) },
      { if: flag('leakPd'), then: { required: ['leakOperator', 'leakInn'] }, else: forbid(['leakOperator', 'leakInn']) },
    ],
  },
  uiSchema: {
    ...v1UiSchema,
    'ui:order': [...v1UiSchema['ui:order'], ...technical, ...leak],
    'ui:tabs': [
      ...v1UiSchema['ui:tabs'],
      { id: 'technical', title: 'Technical details', 'x-title-ru': 'Технические детали', fields: technical },
      { id: 'leak', title: 'Personal data leak', 'x-title-ru': 'Утечка ПДн', fields: leak },
    ],
  },
  notes: 'Browser test: technical details and a personal-data leak block',
};

describe('the export form lays out any definition', () => {
  let incident: { id: string };
  let published: { version: number };
  const ui = signedInPage('analyst', {
    arrange: async (stack) => {
      const res = await api(stack, await stack.t.tokenFor('compliance')).post('/forms/rucert-export/versions', definition);
      if (res.status !== 201) throw new Error(`publish: ${res.status} ${res.text}`);
      published = res.body;
      incident = await createIncident(stack, { title: 'Credential stuffing on the VPN', externalId: 'SIEM-6001' });
    },
  });
  const dialogOf = (name = 'Export to RuCERT') => ui.page.getByRole('dialog', { name });
  const tabNames = (dialog: Locator) => dialog.getByRole('tab').evaluateAll((tabs) => tabs.map((t) => t.firstChild?.textContent ?? ''));

  beforeAll(async () => {
    await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
    await ui.page.getByRole('button', { name: 'Export to RuCERT' }).click();
    await dialogOf().getByText(`Form version ${published.version}`).waitFor();
  });

  it('shows a tab only when the category, the type and the check boxes give it a field', async () => {
    const dialog = dialogOf();
    await expect(tabNames(dialog)).resolves.toEqual(['Basic', 'Advanced']);
    await field(dialog, 'Category').selectOption({ label: 'Computer incident notification' });
    await expect(tabNames(dialog)).resolves.toEqual(['Basic', 'Advanced']); // the type decides
    await field(dialog, 'Type').selectOption({ label: 'Compromised user account' });
    await dialog.getByRole('tab', { name: 'Personal data leak' }).waitFor();
    await expect(tabNames(dialog)).resolves.toEqual(['Basic', 'Advanced', 'Personal data leak']);
    await field(dialog, 'Affected system has Internet connection').check();
    await dialog.getByRole('tab', { name: 'Technical details' }).waitFor();
    await expect(tabNames(dialog)).resolves.toEqual(['Basic', 'Advanced', 'Technical details', 'Personal data leak']);
    await field(dialog, 'Type').selectOption({ label: 'Malware infection' });
    await expect(dialog.getByRole('tab', { name: 'Personal data leak' }).count()).resolves.toBe(0);
    await expect(tabNames(dialog)).resolves.toEqual(['Basic', 'Advanced', 'Technical details']);
  });

  it('fills lists of small objects row by row, with the errors in their cells', async () => {
    const dialog = dialogOf();
    await field(dialog, 'Affected system category').selectOption({ label: 'Information resource is not a CII object' });
    await field(dialog, 'Affected system name').fill('vpn.acme.example');
    await dialog.getByRole('tab', { name: 'Technical details' }).click();

    const attacked = dialog.getByRole('group', { name: 'Attacked IPv4 addresses', exact: true });
    await attacked.getByText('No elements yet.').waitFor();
    await attacked.getByRole('button', { name: 'Add new element' }).click();
    await field(attacked, 'IPv4 address').fill('10.0.0.300');

    const services = dialog.getByRole('group', { name: 'Attacked services', exact: true });
    await services.getByRole('button', { name: 'Add new element' }).click();
    await services.getByRole('button', { name: 'Add new element' }).click();
    await expect(services.locator('.list-head').textContent()).resolves.toBe('Service*Port/protocol*');
    await field(services, 'Service').first().fill('web');
    await field(services, 'Port/protocol').first().fill('443/TCP');
    await services.getByRole('button', { name: 'Remove' }).nth(1).click();
    await expect(field(services, 'Service').count()).resolves.toBe(1);

    const malicious = dialog.getByRole('group', { name: 'Malicious IPv4 addresses', exact: true });
    await malicious.getByRole('button', { name: 'Add new element' }).click();
    await field(malicious, 'Function').selectOption({ label: 'Malware command and control' });
    await field(malicious, 'IPv4 address').fill('5.5.5.5');

    // the browser refuses the bad address in its cell, on its tab
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.locator('#export_observablesIpv4_0_value__error').textContent()).resolves.toBe('must match format "ipv4"');
    await expect(dialog.getByRole('tab', { name: /^Technical details/ }).textContent()).resolves.toBe('Technical details (1 error(s))');
    await expect(ui.page.evaluate(() => document.activeElement?.id)).resolves.toBe('export_observablesIpv4_0_value');
    await screenshotDialog(ui.page, 'export-technical-details');

    // an error the service reports for a cell (JSON Pointer /observablesIpv4/0/value) lands in that cell
    await field(attacked, 'IPv4 address').fill('10.0.0.30');
    await ui.page.route('**/rucert-export/preview', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          title: 'Validation failed',
          status: 400,
          code: 'validation_failed',
          errors: [{ path: '/observablesIpv4/0/value', keyword: 'format', message: 'must be a public address' }],
        }),
      }),
    );
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.locator('#export_observablesIpv4_0_value__error').textContent()).resolves.toBe('must be a public address');
    await ui.page.unroute('**/rucert-export/preview');

    await field(attacked, 'IPv4 address').fill('198.51.100.30');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('heading', { name: 'Confirm the export' }).waitFor();
    const cell = (wire: string) => dialog.getByTestId('payload').locator(`tr[data-field="${wire}"] td`).textContent();
    await expect(cell('related_observables_ipv4')).resolves.toBe('value198.51.100.30');
    await expect(cell('related_observables_service')).resolves.toBe('namewebvalue443/TCP');
    await expect(cell('related_indicators_ipv4')).resolves.toBe('functionЦентр управления ВПОvalue5.5.5.5');
    await dialog.getByRole('button', { name: 'Back to the form' }).click();
  });

  it('reveals the fields of a check box, required, and takes them away with it', async () => {
    const dialog = dialogOf();
    await dialog.getByRole('tab', { name: 'Basic' }).click();
    await field(dialog, 'Type').selectOption({ label: 'Compromised user account' });
    await dialog.getByRole('tab', { name: 'Personal data leak' }).click();
    const box = dialog.getByRole('checkbox', { name: 'Personal data leak' });
    await expect(field(dialog, 'Operator name').count()).resolves.toBe(0);
    await box.check();
    await dialog.getByLabel('Operator name*').waitFor(); // required once revealed
    await field(dialog, 'Operator name').fill('ACME Bank JSC');
    await field(dialog, 'Operator INN').fill('7700000000');
    await screenshotDialog(ui.page, 'export-leak-check-box');
    await box.uncheck();
    await expect(field(dialog, 'Operator name').count()).resolves.toBe(0);
    await box.check();
    await expect(field(dialog, 'Operator name').inputValue()).resolves.toBe(''); // its data went with it
  });

  it('names the tabs, the columns and the list buttons in Russian', async () => {
    await dialogOf().getByRole('button', { name: 'Cancel' }).click();
    await ui.page.getByRole('button', { name: 'Switch the interface to Russian' }).click();
    await ui.page.getByRole('button', { name: 'Экспорт в НКЦКИ' }).click();
    const dialog = dialogOf('Экспорт в НКЦКИ');
    await field(dialog, 'Категория').selectOption({ label: 'Уведомление о компьютерном инциденте' });
    await field(dialog, 'Тип').selectOption({ label: 'Компрометация учетной записи' });
    await field(dialog, 'Контролируемый ресурс подключен к сети Интернет').check();
    await expect(tabNames(dialog)).resolves.toEqual(['Основные', 'Дополнительно', 'Технические детали', 'Утечка ПДн']);
    await dialog.getByRole('tab', { name: 'Технические детали' }).click();
    const malicious = dialog.getByRole('group', { name: 'Вредоносные IPv4-адреса', exact: true });
    await malicious.getByText('Элементов пока нет.').waitFor();
    await malicious.getByRole('button', { name: 'Добавить новый элемент' }).click();
    await expect(malicious.locator('.list-head').textContent()).resolves.toBe('Назначение*IPv4-адрес*');
    await expect(field(malicious, 'Назначение').locator('option').allTextContents()).resolves.toEqual([
      '',
      'Центр управления ВПО',
      'Источник распространения ВПО',
    ]);
    await screenshotDialog(ui.page, 'export-technical-details-ru');
  });
});
