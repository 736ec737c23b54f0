// An admin installs the license, configures the RuCERT integration through the form rendered from its settings
// schema (the token never appears in the page after saving), checks the connection, manages API tokens, reads
// the audit log and settles an export whose outcome is unknown.
import type { Page } from 'playwright-core';
import { api, createIncident, field, licenseKey, openPage, pageErrors, screenshot, SIM_TOKEN, signIn, startStack, type Stack } from './browser-support';

jest.setTimeout(90_000);

describe('admin screens in the browser', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    ({ page } = await openPage(stack));
    await signIn(page, stack.t.adminToken);
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows every section to an admin', async () => {
    await expect(page.getByTestId('role').textContent()).resolves.toBe('Role: admin');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual([
      'Incidents',
      'Form versions',
      'License',
      'RuCERT integration',
      'API tokens',
      'Audit log',
      'Notifications',
    ]);
  });

  it('installs a license key and shows customer, modules and validity', async () => {
    await page.getByRole('link', { name: 'License' }).click();
    const facts = page.getByTestId('license');
    await facts.getByText('No license installed').waitFor();

    await page.getByLabel('License key').fill('not.a.key');
    await page.getByRole('button', { name: 'Install license' }).click();
    await page.getByRole('alert').waitFor();
    await facts.getByText('No license installed').waitFor();

    await page.getByLabel('License key').fill(licenseKey(['gossopka', 'soc'], 'ACME Bank JSC'));
    await page.getByRole('button', { name: 'Install license' }).click();
    await page.getByRole('status').filter({ hasText: 'License installed.' }).waitFor();
    await facts.getByText('Active', { exact: true }).waitFor();
    const text = await facts.textContent();
    expect(text).toContain('ACME Bank JSC');
    expect(text).toContain('LIC-TEST-1');
    expect(text).toContain('gossopka, soc');
    expect(text).toContain('Valid until');
    await expect(page.getByLabel('License key').inputValue()).resolves.toBe('');
    await screenshot(page, 'admin-license');
  });

  it('configures the integration; the token never appears in the page after saving', async () => {
    await page.getByRole('link', { name: 'RuCERT integration' }).click();
    await expect(page.getByTestId('stored-secrets').textContent()).resolves.toContain('API token — not set');
    await field(page, 'RuCERT API URL').fill(stack.sim.url);
    await field(page, 'API token').fill(SIM_TOKEN);
    await field(page, 'Company name').fill('ACME Bank JSC');
    await field(page, 'Default business sector').selectOption({ label: 'Banking and other financial market sectors' });
    await field(page, 'Default location').selectOption({ label: 'Saint Petersburg' });
    await field(page, 'Timeout, ms').fill('5000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    await expect(page.getByTestId('stored-secrets').textContent()).resolves.toContain('API token — set');
    await expect(field(page, 'API token').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain(SIM_TOKEN);
    await screenshot(page, 'admin-integration');

    const stored = await api(stack).get('/integrations/rucert');
    expect(stored.body).toMatchObject({ enabled: true, url: stack.sim.url, tokenSet: true, defaultLocation: 'RU-SPE', timeoutMs: 5000 });
    expect(JSON.stringify(stored.body)).not.toContain(SIM_TOKEN);

    await page.reload();
    await field(page, 'Company name').waitFor();
    await expect(field(page, 'Company name').inputValue()).resolves.toBe('ACME Bank JSC');
    await expect(field(page, 'API token').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain(SIM_TOKEN);

    // saving again without typing a token keeps the stored one
    await field(page, 'Company name').fill('ACME Bank');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await expect(page.getByTestId('stored-secrets').textContent()).resolves.toContain('API token — set');

    await page.getByRole('button', { name: 'Check connection' }).click();
    await page
      .getByTestId('check-result')
      .getByText(/^Connection works/)
      .waitFor();
    expect(await page.content()).not.toContain(SIM_TOKEN);
  });

  it('shows the service\u2019s field errors on the integration form', async () => {
    await field(page, 'RuCERT API URL').fill('https://user:secret@rucert.example/api');
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.locator('#integration_url__error');
    await error.waitFor();
    expect((await error.textContent())!.length).toBeGreaterThan(0);
    await page.reload();
    await expect(field(page, 'RuCERT API URL').inputValue()).resolves.toBe(stack.sim.url);
  });

  it('creates an API token shown once, and revokes it', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    // exact labels: until the tokens page replaces the integration page, its "Company name" and "Operator name" match 'Name'
    await page.getByLabel('Name', { exact: true }).fill('SOAR playbook');
    await page.getByLabel('Role', { exact: true }).selectOption('analyst');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.locator('#new-token-secret').inputValue();
    expect(secret.length).toBeGreaterThan(16);
    expect((await api(stack, secret).get('/incidents')).status).toBe(200);
    const row = page.locator('table tbody tr').filter({ hasText: 'SOAR playbook' });
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('analyst');
    await screenshot(page, 'admin-tokens');

    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(secret);

    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Revoke: SOAR playbook' }).click();
    await row.getByRole('button').waitFor({ state: 'detached' });
    expect((await api(stack, secret).get('/incidents')).status).toBe(401);
  });

  it('settles an export whose outcome is unknown', async () => {
    const incident = await createIncident(stack, { title: 'DDoS on the web portal', externalId: 'SIEM-2001' });
    stack.sim.addFault({ mode: 'http500' });
    const attempt = await api(stack).post(`/incidents/${incident.id}/rucert-export`, {
      data: {
        category: 'computer_attack',
        type: 'ddos',
        affectedSystemName: 'www.acme.example',
        affectedSystemCategory: 'not_cii',
      },
    });
    expect(attempt.status).toBe(502);
    expect((await api(stack).get(`/incidents/${incident.id}/rucert-export`)).body.state).toBe('unknown');

    await page.goto(`${stack.baseUrl}/#/incidents/${incident.id}`);
    await page.getByTestId('export-state').getByText('Unknown (needs reconciliation)').waitFor();
    await expect(page.getByRole('button', { name: 'Export to RuCERT' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('heading', { name: 'Settle the unknown export' }).waitFor();
    await screenshot(page, 'admin-resolve-unknown');

    await page.getByLabel('It was exported').check();
    await page.getByLabel('RuCERT identifier').fill('INC-2026-09999');
    await page.getByLabel('Reason').fill('Found in the GosSOPKA account');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('export-state').getByText('Exported successfully').waitFor();
    await expect(page.getByTestId('rucert-identifier').textContent()).resolves.toBe('INC-2026-09999');
  });

  it('lists the audit log, newest first', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    const actions = page.locator('table tbody tr td:nth-child(3)');
    await actions.first().waitFor();
    const all = await actions.allTextContents();
    expect(all).toEqual(expect.arrayContaining(['integration.updated', 'license.installed']));
    expect(all.indexOf('integration.updated')).toBeLessThan(all.indexOf('license.installed'));
    await screenshot(page, 'admin-audit');
  });
});
