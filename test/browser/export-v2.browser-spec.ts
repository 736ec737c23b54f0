// An analyst exports under the built-in version 2 (NCIRCC API 1.1.x): the tabs follow the rules (Technical details
// only once the resource is connected to the Internet, Personal data leak only for its five types), the technical
// details start from the incident's observables and indicators when they appear, and the payload carries them.
import type { Page } from 'playwright-core';
import { api, configureIntegration, createIncident, field, installLicense, openPage, pageErrors, signIn, startStack, type Stack } from './browser-support';

jest.setTimeout(90_000);

describe('analyst: export under form version 2 in the browser', () => {
  let stack: Stack;
  let incident: { id: string; title: string };
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    await installLicense(stack);
    await configureIntegration(stack);
    const activated = await api(stack).post('/forms/rucert-export/versions/2/activate');
    if (activated.status !== 200) throw new Error(`activate: ${activated.status} ${activated.text}`);
    incident = await createIncident(stack, {
      title: 'Trojan calling home',
      description: 'EDR: trojan on mail01 calling 203.0.113.5',
      observables: [{ kind: 'ipv4', value: '198.51.100.7' }],
      indicators: [{ kind: 'ipv4', value: '203.0.113.5', function: 'malware_c2' }],
    });
    ({ page } = await openPage(stack));
    await signIn(page, await stack.t.tokenFor('analyst'));
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    expect(pageErrors(page)).toEqual([]);
  });

  const dialog = () => page.getByRole('dialog', { name: 'Export to RuCERT' });
  const tabs = () => dialog().getByRole('tab').allTextContents();

  it('opens the form with the defaults it declares and only the tabs the rules show', async () => {
    await page.goto(`${stack.baseUrl}/#/incidents/${incident.id}`);
    await page.getByRole('button', { name: 'Export to RuCERT' }).click();
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

  it('sends what the form shows: the technical details from the incident', async () => {
    await field(dialog(), 'Asset owner').fill('ACME Bank JSC');
    await field(dialog(), 'Affected system name').fill('mail01.acme.example');
    await field(dialog(), 'Affected system category').selectOption({ label: 'Information resource is not a CII object' });
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    await dialog().getByRole('heading', { name: 'Confirm the export' }).waitFor();
    await dialog().getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog().getByTestId('export-done').waitFor();
    const [sent] = stack.sim.received();
    expect(sent.body).toMatchObject({
      owner_name: 'ACME Bank JSC',
      activity_status: 'Проводятся мероприятия по реагированию',
      affected_system_connection: true,
      related_observables_ipv4: [{ value: '198.51.100.7' }],
      related_indicators_ipv4: [{ function: 'Центр управления ВПО', value: '203.0.113.5' }],
    });
    expect(sent.body.event_description).toBe(`EDR: trojan on mail01 calling 203.0.113.5\n\nrucert-export incident ${incident.id}`);
  });
});
