// An analyst signs in, finds an incident, sees why it cannot be exported yet, then exports a computer incident
// through both tabs of the form rendered from the active definition: no category-specific field before the category
// is chosen, client validation on the field, category driving the visible fields, Export then Confirm with the wire
// payload, the RuCERT identifier, the exported state and where further changes are made.
import type { Page } from 'playwright-core';
import {
  api,
  configureIntegration,
  createIncident,
  field,
  installLicense,
  openPage,
  pageErrors,
  screenshot,
  screenshotDialog,
  signIn,
  startStack,
  type Stack,
} from './browser-support';

jest.setTimeout(90_000);

describe('analyst: export to RuCERT in the browser', () => {
  let stack: Stack;
  let incident: { id: string; title: string };
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    incident = await createIncident(stack, {
      title: 'Malware on the mail server',
      externalId: 'SIEM-1001',
      description: 'Trojan found on mail01 by the EDR',
      severity: 'high',
    });
    await createIncident(stack, { title: 'Port scan from 203.0.113.7', externalId: 'SIEM-1002', status: 'closed', severity: 'low' });
    ({ page } = await openPage(stack));
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    expect(pageErrors(page)).toEqual([]);
  });

  it('refuses an unknown token and signs an analyst in', async () => {
    await screenshot(page, 'sign-in');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown or revoked' }).waitFor();

    await signIn(page, await stack.t.tokenFor('analyst'));
    await expect(page.getByTestId('role').textContent()).resolves.toBe('Role: analyst');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Incidents', 'Notifications']);
  });

  it('lists incidents with their export state, searches and filters', async () => {
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.filter({ hasText: 'Malware on the mail server' }).locator('.badge').textContent()).resolves.toBe('Not exported');
    await screenshot(page, 'incident-list');

    await page.getByLabel('Search').fill('scan');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=scan/);
    await rows.filter({ hasText: 'Port scan' }).waitFor();
    await expect(rows.count()).resolves.toBe(1);

    await page.getByLabel('Search').fill('');
    await page.getByLabel('Status').selectOption('open');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=open/);
    await rows.filter({ hasText: 'Malware on the mail server' }).waitFor();
    await expect(rows.count()).resolves.toBe(1);
  });

  it('disables Export with the reasons while there is no license and no integration', async () => {
    await page.getByRole('link', { name: 'Malware on the mail server' }).click();
    await page.getByRole('heading', { name: 'Malware on the mail server' }).waitFor();
    const button = page.getByRole('button', { name: 'Export to RuCERT' });
    await page.locator('[data-reason="license_required"]').waitFor();
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#export-reasons li').allTextContents()).resolves.toEqual([
      'The license is missing, expired or lacks the GosSOPKA module.',
      'The RuCERT integration is not configured or not enabled.',
    ]);
    await expect(button.getAttribute('aria-describedby')).resolves.toBe('export-reasons');
  });

  it('blocks submit on a missing required field with the message on the field', async () => {
    await installLicense(stack);
    await configureIntegration(stack);
    await page.reload();
    const button = page.getByRole('button', { name: 'Export to RuCERT' });
    await page.waitForFunction(
      () =>
        !document.querySelector<HTMLButtonElement>('#export-heading ~ button.btn-primary, section[aria-labelledby="export-heading"] button.btn-primary')
          ?.disabled,
    );
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Export to RuCERT' });
    await dialog.getByRole('tab', { name: 'Basic' }).waitFor();

    // an empty form shows only what every category and type has
    await field(dialog, 'Affected system name').waitFor();
    await expect(dialog.getByRole('group', { name: /^Product info/ }).count()).resolves.toBe(0);
    await expect(field(dialog, 'Vulnerability ID').count()).resolves.toBe(0);
    await expect(field(dialog, 'Name and version of vulnerable product').count()).resolves.toBe(0);
    await screenshotDialog(page, 'export-empty-form');
    await dialog.getByRole('tab', { name: 'Advanced' }).click();
    await field(dialog, 'Incident detection tool').waitFor();
    for (const impact of ['Availability impact', 'Integrity impact', 'Confidentiality impact', 'Custom impact']) {
      await expect(field(dialog, impact).count()).resolves.toBe(0);
    }
    await dialog.getByRole('tab', { name: 'Basic' }).click();

    // defaults pre-filled: TLP RED, the integration's business sector and location
    await expect(field(dialog, 'TLP').locator('option:checked').textContent()).resolves.toBe('RED: a specific group of people only');
    await expect(field(dialog, 'Affected system function').locator('option:checked').textContent()).resolves.toBe('Banking and other financial market sectors');
    await expect(field(dialog, 'Location').locator('option:checked').textContent()).resolves.toBe('Moscow');

    await field(dialog, 'Category').selectOption({ label: 'Computer incident notification' });
    await field(dialog, 'Type').selectOption({ label: 'Malware infection' });
    await field(dialog, 'Affected system category').selectOption({ label: 'Information resource is not a CII object' });
    // the impacts come with the computer incident category
    await dialog.getByRole('tab', { name: 'Advanced' }).click();
    await field(dialog, 'Availability impact').waitFor();
    await dialog.getByRole('tab', { name: 'Basic' }).click();
    // Affected system name left empty
    const previews = () => stack.sim.requests()['POST /incidents'] ?? 0;
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const fieldError = dialog.locator('#export_affectedSystemName__error');
    await expect(fieldError.textContent()).resolves.toBe('is required');
    await expect(field(dialog, 'Affected system name').getAttribute('aria-describedby')).resolves.toContain('export_affectedSystemName__error');
    await expect(dialog.getByRole('alert').first().textContent()).resolves.toContain('1 problem');
    await expect(dialog.getByTestId('export-confirm').count()).resolves.toBe(0);
    expect(previews()).toBe(0);
    await screenshotDialog(page, 'export-required-field');
  });

  it('shows Product info and hides the impacts for the vulnerability category', async () => {
    const dialog = page.getByRole('dialog', { name: 'Export to RuCERT' });
    await field(dialog, 'Category').selectOption({ label: 'Notification about a detected vulnerability' });
    await dialog.getByRole('group', { name: /^Product info/ }).waitFor();
    await expect(field(dialog, 'Type').locator('option').allTextContents()).resolves.toEqual(['', 'Vulnerable resource']);
    await dialog.getByRole('tab', { name: 'Advanced' }).click();
    await field(dialog, 'Incident detection tool').waitFor();
    await expect(field(dialog, 'Availability impact').count()).resolves.toBe(0);
    await expect(field(dialog, 'Custom impact').count()).resolves.toBe(0);
    await dialog.getByRole('tab', { name: 'Basic' }).click();
    // one row to start with (minItems 1), a second added, then removed
    await expect(field(dialog, 'Name').count()).resolves.toBe(1);
    await dialog.getByRole('button', { name: 'Add new element' }).click();
    await expect(field(dialog, 'Name').count()).resolves.toBe(2);
    await field(dialog, 'Name').first().fill('Exim');
    await field(dialog, 'Version').first().fill('4.96');
    await screenshotDialog(page, 'export-vulnerability-product-info');
    await dialog.getByRole('button', { name: 'Remove' }).nth(1).click();
    await expect(field(dialog, 'Name').count()).resolves.toBe(1);
  });

  it('exports a computer incident through both tabs after confirming the payload', async () => {
    const dialog = page.getByRole('dialog', { name: 'Export to RuCERT' });
    await field(dialog, 'Category').selectOption({ label: 'Computer incident notification' });
    await expect(dialog.getByRole('group', { name: /^Product info/ }).count()).resolves.toBe(0);
    await field(dialog, 'Type').selectOption({ label: 'Malware infection' });
    await field(dialog, 'Affected system name').fill('Corporate mail server mail01.acme.example');
    await field(dialog, 'Affected system has Internet connection').check();
    await screenshotDialog(page, 'export-basic-tab');

    await dialog.getByRole('tab', { name: 'Advanced' }).click();
    await field(dialog, 'Incident detection tool').fill('KUMA');
    await field(dialog, 'Availability impact').selectOption({ label: 'High' });
    await field(dialog, 'Confidentiality impact').selectOption({ label: 'Low' });
    await field(dialog, 'Custom impact').fill('Mail delivery stopped for two hours');
    await field(dialog, 'City').fill('Москва');
    await screenshotDialog(page, 'export-advanced-tab');

    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('heading', { name: 'Confirm the export' }).waitFor();
    const payload = dialog.getByTestId('payload');
    const cell = (field: string) => payload.locator(`tr[data-field="${field}"] td`).textContent();
    await expect(cell('category')).resolves.toBe('Уведомление о компьютерном инциденте');
    await expect(cell('type')).resolves.toBe('Заражение ВПО');
    await expect(cell('tlp')).resolves.toBe('TLP:RED');
    await expect(cell('affected_system_function')).resolves.toBe('Банковская сфера и иные сферы финансового рынка');
    await expect(cell('availability_impact')).resolves.toBe('Высокое');
    await expect(cell('city')).resolves.toBe('Москва');
    await expect(payload.locator('tr[data-field="product_info"]').count()).resolves.toBe(0);
    await expect(payload.locator('tr[data-field="availability_impact"] th').textContent()).resolves.toContain('Availability impact');
    expect(stack.sim.received()).toHaveLength(0); // the preview sends nothing
    await screenshotDialog(page, 'export-confirmation');

    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.getByTestId('export-done').waitFor();
    await dialog.getByText('Further changes are made in the GosSOPKA account.').waitFor();
    const received = stack.sim.received();
    expect(received).toHaveLength(1);
    expect(received[0].body).toMatchObject({
      owner_name: 'ACME Bank JSC',
      category: 'Уведомление о компьютерном инциденте',
      detection_tool: 'KUMA',
      affected_system_connection: true,
      custom_impact: 'Mail delivery stopped for two hours',
    });
    expect(received[0].body).not.toHaveProperty('product_info');
    expect(received[0].body).not.toHaveProperty('integrity_impact');
    await expect(dialog.locator('.identifier').textContent()).resolves.toBe(received[0].identifier);
    await screenshotDialog(page, 'export-done');
  });

  it('shows the exported state with the identifier and a disabled Export button', async () => {
    const identifier = stack.sim.received()[0].identifier;
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    await page.getByTestId('export-state').filter({ hasText: 'Exported successfully' }).waitFor();
    await expect(page.getByTestId('rucert-identifier').textContent()).resolves.toBe(identifier);
    await expect(page.getByRole('button', { name: 'Export to RuCERT' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-reason="already_exported"]').textContent()).resolves.toBe('The incident has already been exported.');
    await expect(page.getByTestId('further-changes').textContent()).resolves.toBe('Further changes are made in the GosSOPKA account.');
    await screenshot(page, 'incident-exported');

    const exportView = await api(stack).get(`/incidents/${incident.id}/rucert-export`);
    expect(exportView.body).toMatchObject({ state: 'exported', rucert: { identifier } });

    await page.getByRole('link', { name: 'All incidents' }).click();
    const row = page.locator('table tbody tr').filter({ hasText: 'Malware on the mail server' });
    await expect(row.locator('.badge').textContent()).resolves.toBe('Exported successfully');
    await expect(row.locator('.mono').textContent()).resolves.toBe(identifier);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
  });
});
