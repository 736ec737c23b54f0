// The export form validates in the browser with the shared ajv configuration (under the service's own CSP) before
// calling the service: a missing field, a pattern and a product row are refused without a request. Also: the tabs
// keyboard.
import { createIncident, field, signedInPage } from './browser-support';

jest.setTimeout(90_000);

describe('client-side validation with the shared ajv configuration', () => {
  let incident: { id: string };
  const previews: string[] = [];
  const ui = signedInPage('analyst', {
    arrange: async (stack) => {
      incident = await createIncident(stack, { title: 'Vulnerable VPN gateway', externalId: 'SIEM-5001' });
    },
  });

  beforeAll(async () => {
    ui.page.on('request', (r) => r.url().endsWith('/rucert-export/preview') && previews.push(r.postData() ?? ''));
    await ui.page.goto(`${ui.stack.baseUrl}/#/incidents/${incident.id}`);
    await ui.page.getByRole('button', { name: 'Export to RuCERT' }).click();
  });

  it('refuses invalid data in the browser, with the messages on the fields, without calling the service', async () => {
    const dialog = ui.page.getByRole('dialog', { name: 'Export to RuCERT' });
    await field(dialog, 'Category').selectOption({ label: 'Notification about a detected vulnerability' });
    await field(dialog, 'Type').selectOption({ label: 'Vulnerable resource' });
    await field(dialog, 'Affected system category').selectOption({ label: 'CII object of the second importance category' });
    await field(dialog, 'Vulnerability ID').fill('CVE-12');
    await field(dialog, 'Name').fill('FortiOS');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    await expect(dialog.locator('#export_affectedSystemName__error').textContent()).resolves.toBe('is required');
    await expect(dialog.locator('#export_vulnerabilityId__error').textContent()).resolves.toMatch(/^must match pattern/);
    await expect(dialog.locator('#export_productInfo_0_version__error').textContent()).resolves.toBe('is required');
    await dialog.getByRole('alert').filter({ hasText: '3 problem(s)' }).waitFor();
    // the cursor goes to the first problem
    await expect(ui.page.evaluate(() => document.activeElement?.id)).resolves.toBe('export_affectedSystemName');
    expect(previews).toEqual([]);

    await field(dialog, 'Affected system name').fill('vpn.acme.example');
    await field(dialog, 'Vulnerability ID').fill('CVE-2024-21762');
    await field(dialog, 'Version').fill('7.4.2');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('heading', { name: 'Confirm the export' }).waitFor();
    expect(previews).toHaveLength(1);
    expect(JSON.parse(previews[0]).data).toMatchObject({ productInfo: [{ name: 'FortiOS', version: '7.4.2' }], vulnerabilityId: 'CVE-2024-21762' });
    await expect(dialog.getByTestId('payload').locator('tr[data-field="product_info"] td').textContent()).resolves.toContain('FortiOS');
  });

  it('moves between the tabs with the arrow keys', async () => {
    const dialog = ui.page.getByRole('dialog', { name: 'Export to RuCERT' });
    await dialog.getByRole('button', { name: 'Back to the form' }).click();
    const basic = dialog.getByRole('tab', { name: 'Basic' });
    await basic.focus();
    await ui.page.keyboard.press('ArrowRight');
    const advanced = dialog.getByRole('tab', { name: 'Advanced' });
    await expect(advanced.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(ui.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Advanced');
    await field(dialog, 'Incident detection tool').waitFor();
    await ui.page.keyboard.press('ArrowLeft');
    await expect(basic.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(field(dialog, 'Incident detection tool').isVisible()).resolves.toBe(false);
  });
});
