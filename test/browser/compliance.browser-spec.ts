// A compliance user publishes a new version of the export form by editing the raw JSON (JSON tab) (the publish gate's problems
// listed with their paths first), with a live preview of the form it defines; the analyst's export form follows the
// active version, and activating the old version brings the old form back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/paths';
import { codeText, createIncident, field, inExportDialog, paste, screenshot, screenshotDialog, signedInPage } from './browser-support';

jest.setTimeout(120_000);

const v2 = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/rucert-export-v2.json'), 'utf8'));
const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('compliance: publishing a form version in the browser', () => {
  let incident: { id: string };
  const ui = signedInPage('compliance', {
    arrange: async (stack) => {
      incident = await createIncident(stack, { title: 'Leak of customer records', externalId: 'SIEM-3001' });
    },
  });

  /** The type options an analyst sees for a computer incident right now. */
  async function analystTypeOptions(): Promise<{ version: string; types: string[] }> {
    return inExportDialog(ui.stack, incident.id, async (dialog, analyst) => {
      await field(dialog, 'Category').selectOption({ label: 'Computer incident notification' });
      const version = (await dialog.getByText(/Form version \d+/).textContent())!.replace(/.*Form version /, '');
      const types = await field(dialog, 'Type').locator('option').allTextContents();
      if (version === '3') await screenshotDialog(analyst, 'export-form-version-2');
      return { version, types: types.filter(Boolean) };
    });
  }

  it('shows a compliance user the incidents and the form versions only', async () => {
    await expect(ui.page.getByTestId('role').textContent()).resolves.toBe('Role: compliance');
    const nav = ui.page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Incidents', 'Form versions', 'Notifications']);
    await nav.getByRole('link', { name: 'Form versions' }).click();
    const row = ui.page.getByTestId('form-versions').locator('tr[data-version="1"]');
    await expect(row.locator('.badge').textContent()).resolves.toBe('active');
  });

  it('opens the editor on the active version with a live preview', async () => {
    await ui.page.getByRole('link', { name: 'New version' }).click();
    await ui.page.getByRole('tab', { name: /^JSON/ }).click();
    await expect(codeText(ui.page.getByLabel('JSON Schema')).then((c) => c.text)).resolves.toContain('"urn:rucert-export:forms:rucert-export:v1"');
    await expect(codeText(ui.page.getByLabel('UI schema')).then((c) => c.text)).resolves.toContain('"ui:tabs"');
    const preview = ui.page.getByRole('region', { name: 'Preview' });
    await preview.getByRole('tab', { name: 'Advanced' }).waitFor();
    await field(preview, 'Category').selectOption({ label: 'Computer incident notification' });
    await expect(field(preview, 'Type').locator('option').allTextContents()).resolves.toContain('Network traffic interception');
  });

  it('lists the publish gate\u2019s problems with their paths', async () => {
    const broken = JSON.parse(json(v2.schema));
    delete broken.properties.city.maxLength;
    delete broken.allOf[1].if.required;
    await paste(ui.page.getByLabel('JSON Schema'), json(broken));
    await paste(ui.page.getByLabel('UI schema'), json(v2.uiSchema));
    await paste(ui.page.getByLabel(/^Samples/), json(v2.samples));
    await ui.page.getByRole('tab', { name: 'Review and publish' }).click();
    await ui.page.getByLabel(/^Notes/).fill('Broken on purpose');
    await ui.page.getByRole('button', { name: 'Publish version 3' }).click();
    const problems = ui.page.getByTestId('publish-problems');
    await problems.waitFor();
    const paths = await problems.locator('tbody td:first-child').allTextContents();
    expect(paths).toEqual(expect.arrayContaining(['/schema/allOf/1/if', '/schema/properties/city']));
    await expect(problems.textContent()).resolves.toContain('a string needs "maxLength"');
    await screenshot(ui.page, 'compliance-publish-problems');
  });

  it('publishes version 3 (after the built-in 2); the preview and then the analyst\u2019s form reflect it', async () => {
    await ui.page.getByRole('tab', { name: /^JSON/ }).click();
    await paste(ui.page.getByLabel('JSON Schema'), json(v2.schema));
    const preview = ui.page.getByRole('region', { name: 'Preview' });
    await field(preview, 'Category').selectOption({ label: 'Computer incident notification' });
    const previewTypes = field(preview, 'Type').locator('option');
    await previewTypes.filter({ hasText: 'Event not related to a computer attack' }).waitFor({ state: 'attached' });
    await expect(previewTypes.allTextContents()).resolves.not.toContain('Use of a controlled resource for phishing');

    await ui.page.getByRole('tab', { name: 'Review and publish' }).click();
    await ui.page.getByLabel(/^Notes/).fill(v2.notes);
    await ui.page.getByRole('button', { name: 'Publish version 3' }).click();
    await ui.page.getByRole('status').filter({ hasText: 'Version 3 published and active.' }).waitFor();
    await expect(ui.page.getByTestId('publish-problems').count()).resolves.toBe(0);
    await screenshot(ui.page, 'compliance-editor');

    const analyst = await analystTypeOptions();
    expect(analyst.version).toBe('3');
    expect(analyst.types).toEqual(expect.arrayContaining(['Event not related to a computer attack', 'Use of a controlled resource to carry out attacks']));
    expect(analyst.types).not.toContain('Use of a controlled resource for phishing');
  });

  it('lists the versions with notes and author, and activates version 1 again', async () => {
    await ui.page.getByRole('link', { name: 'Form versions' }).first().click();
    const table = ui.page.getByTestId('form-versions');
    const published = table.locator('tr[data-version="3"]');
    await expect(published.locator('.badge').textContent()).resolves.toBe('active');
    await expect(published.textContent()).resolves.toContain('removed malware_infrastructure');
    await expect(published.locator('td').nth(2).textContent()).resolves.toContain('compliance');
    await expect(table.locator('tr[data-version="2"]').textContent()).resolves.toContain('NCIRCC API');
    await screenshot(ui.page, 'compliance-versions');

    await table.getByRole('button', { name: 'Activate: 1' }).click();
    await ui.page.getByRole('status').filter({ hasText: 'Version 1 is now active.' }).waitFor();
    await expect(table.locator('tr[data-version="1"] .badge').textContent()).resolves.toBe('active');

    const analyst = await analystTypeOptions();
    expect(analyst.version).toBe('1');
    expect(analyst.types).toContain('Use of a controlled resource for phishing');
    expect(analyst.types).not.toContain('Event not related to a computer attack');
  });
});
