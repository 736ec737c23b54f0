// Compliance staff change the export form as NCIRCC changes it, without typing JSON: switch off the
// vulnerability category, remove three incident types, add two with their Russian wire strings, allow the impacts
// for attacks, drop the samples that spoke of what is gone and save one from the preview, review the changes, publish;
// the analyst's dialog follows. Then a gate problem put in the raw JSON is marked at its line. Separately, a field
// unticked for one type in the type × field grid leaves the analyst's dialog for that type only, and version 2's
// per-type rules show in that grid, the one rule it cannot express kept as JSON with the reason.
import type { Page } from 'playwright-core';
import {
  codeText,
  createIncident,
  field,
  inExportDialog,
  paste,
  screenshot,
  signedInPage,
  type IncidentInput,
  type SignedInPage,
  type Stack,
} from './browser-support';
import { activateFormVersion } from '../support/export-setup';

jest.setTimeout(180_000);

const ADDED = [
  { code: 'ransomware', title: 'Ransomware infection', titleRu: 'Заражение программой-вымогателем', wire: 'Заражение программой-вымогателем' },
  { code: 'supply_chain', title: 'Supply chain compromise', titleRu: 'Компрометация цепочки поставок', wire: 'Компрометация цепочки поставок' },
];
const REMOVED = ['spam_distribution', 'phishing_resource', 'illegal_content'];
const IMPACTS = ['Availability impact', 'Integrity impact', 'Confidentiality impact', 'Custom impact'];

/** For the tests of a describe block: signedInPage as compliance staff, with one incident on the stack. */
function complianceStack(input: IncidentInput): SignedInPage & { incident: { id: string } } {
  const env = signedInPage('compliance', {
    arrange: async (stack) => {
      env.incident = await createIncident(stack, input);
    },
  }) as SignedInPage & { incident: { id: string } };
  return env;
}

describe('compliance: the form version editor', () => {
  const env = complianceStack({ title: 'Ransomware on the file server', externalId: 'SIEM-4001' });
  let stack: Stack;
  let page: Page;
  let incident: { id: string };
  beforeAll(() => {
    ({ stack, page, incident } = env);
  });

  const editorTab = (name: string | RegExp) => page.getByRole('tab', { name });
  const panel = () => page.getByRole('tabpanel');

  it('changes the vocabulary and the rules with tables and check boxes, reviews the changes and publishes version 3', async () => {
    await page.goto(`${stack.baseUrl}/#/forms`);
    await page.getByRole('link', { name: 'New version' }).click();
    await editorTab('Reference lists').waitFor();

    // reference lists: the category, then the types
    const list = page.getByLabel('Reference list', { exact: true });
    // a list an integration setting fills by default says so (removing the option it holds is flagged in the review)
    await list.selectOption({ label: 'Location (83)' });
    await expect(panel().getByRole('status').textContent()).resolves.toMatch(/^By default this field is filled from the integration setting \w+/);
    await list.selectOption({ label: 'Category (3)' });
    await expect(panel().getByRole('status').count()).resolves.toBe(0);
    await panel().getByRole('button', { name: 'Remove: vulnerability' }).click();
    await list.selectOption({ label: 'Category (2)' });
    await list.selectOption({ label: 'Type (19)' });
    for (const code of REMOVED)
      await panel()
        .getByRole('button', { name: `Remove: ${code}` })
        .click();
    for (const [i, o] of ADDED.entries()) {
      await panel().getByRole('button', { name: 'Add an option' }).click();
      const n = 16 + i + 1;
      await panel().getByLabel(`Code ${n}`, { exact: true }).fill(o.code);
      await panel().getByLabel(`English label ${n}`, { exact: true }).fill(o.title);
      await panel().getByLabel(`Russian label ${n}`, { exact: true }).fill(o.titleRu);
      await panel().getByLabel(`Wire string ${n}`, { exact: true }).fill(o.wire);
    }
    const codes = await panel()
      .getByTestId('options-table')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(codes).toHaveLength(18);
    expect(codes.slice(-2)).toEqual(['ransomware', 'supply_chain']);
    for (const code of REMOVED) expect(codes).not.toContain(code);
    await screenshot(page, 'editor-reference-lists');

    // the rules matrix: the new types belong to computer incidents, the impacts apply to attacks
    await editorTab('Rules').click();
    const types = panel().getByTestId('matrix-types');
    await expect(types.locator('thead th').allTextContents()).resolves.toEqual(['', 'Computer incident notification', 'Notification about a computer attack']);
    for (const o of ADDED) {
      const box = types.getByRole('checkbox', { name: `${o.title} — Computer incident notification` });
      await expect(box.isChecked()).resolves.toBe(false);
      await box.check();
    }
    // a type of the category switched off now belongs to none, and says so
    await expect(types.locator('tbody th', { hasText: 'Vulnerable resource' }).textContent()).resolves.toBe('Vulnerable resource (offered for none)');
    const fields = panel().getByTestId('matrix-fields');
    for (const impact of IMPACTS) {
      const box = fields.getByRole('checkbox', { name: `${impact} — Notification about a computer attack` });
      await expect(box.isChecked()).resolves.toBe(false);
      await box.check();
    }
    // the rule of the category switched off is not a column any more, and is kept as JSON rather than dropped
    await expect(panel().getByTestId('other-rule').count()).resolves.toBe(1);
    await screenshot(page, 'editor-rules');

    // samples: those about the vulnerability category and the removed types no longer hold; one is saved from the preview
    await editorTab('Samples').click();
    const removeFailing = panel().getByRole('button', { name: /^Remove these \d+ samples$/ });
    await removeFailing.waitFor();
    await removeFailing.click();
    await panel().getByRole('button', { name: 'Open in the preview: computer incident, required fields only' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await field(preview, 'Type').selectOption({ label: ADDED[0].title });
    await panel().getByLabel('Sample name').fill('a ransomware infection');
    await panel().getByRole('button', { name: 'Save the preview as a valid sample' }).click();
    const saved = panel().getByTestId('samples-table').locator('tr', { hasText: 'a ransomware infection' });
    // the gate checks again 400 ms after the last edit, and the verdict shows only then; it compiles the whole
    // definition in the page, which takes seconds on a loaded CI run
    await saved.getByText('as declared').waitFor({ timeout: 30_000 });
    await expect(editorTab(/^JSON/).textContent()).resolves.toBe('JSON');

    // review: what changed in the staff's words, then publish the version the button names
    await editorTab('Review and publish').click();
    const changes = panel().getByTestId('changes');
    await changes.waitFor();
    const lines = await changes.locator('li').allTextContents();
    expect(lines).toEqual(
      expect.arrayContaining([
        'Category: removed Notification about a detected vulnerability (vulnerability)',
        'Type: removed Distribution of spam messages from the controlled resource (spam_distribution)',
        `Type: added ${ADDED[0].title} (ransomware)`,
        `${ADDED[1].title} now allowed for Computer incident notification`,
        'Availability impact now applies to Notification about a computer attack',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('Other rules changed') || l.includes('for Notification about a detected vulnerability'))).toEqual([]);
    await panel().getByText('JSON Schema: changed lines').click();
    await expect(panel().getByTestId('json-diff').first().textContent()).resolves.toMatch(/\+\s+"const": "ransomware"/);
    await panel()
      .getByLabel(/^Notes/)
      .fill('NCIRCC: vulnerabilities off, three types retired, ransomware and supply chain added, impacts for attacks');
    await screenshot(page, 'editor-review');
    await panel().getByRole('button', { name: 'Publish version 3' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 3 published and active.' }).waitFor();

    // what was published
    const res = await fetchActive(stack);
    expect(res.version).toBe(3);
    const typeOptions = res.schema.properties.type.oneOf;
    expect(typeOptions.find((o: { const: string }) => o.const === 'supply_chain')).toMatchObject({
      title: ADDED[1].title,
      'x-title-ru': ADDED[1].titleRu,
      'x-rucert': ADDED[1].wire,
    });
    expect(res.schema.properties.category.oneOf.map((o: { const: string }) => o.const)).toEqual(['computer_incident', 'computer_attack']);
    expect(res.samples.valid.map((s: { name: string }) => s.name)).toContain('a ransomware infection');
  });

  it('shows the analyst the new version: no vulnerability, the new types, the impacts for an attack', async () => {
    await inExportDialog(stack, incident.id, async (dialog) => {
      await dialog.getByText('Form version 3').waitFor();
      const categories = await field(dialog, 'Category').locator('option').allTextContents();
      expect(categories.filter(Boolean)).toEqual(['Computer incident notification', 'Notification about a computer attack']);
      await field(dialog, 'Category').selectOption({ label: 'Computer incident notification' });
      const types = (await field(dialog, 'Type').locator('option').allTextContents()).filter(Boolean);
      expect(types).toEqual(expect.arrayContaining(ADDED.map((o) => o.title)));
      expect(types).not.toContain('Distribution of spam messages from the controlled resource');
      await field(dialog, 'Category').selectOption({ label: 'Notification about a computer attack' });
      await dialog.getByRole('tab', { name: 'Advanced' }).click();
      await field(dialog, 'Availability impact').waitFor();
    });
  });

  it('marks a gate problem put in the raw JSON at its line', async () => {
    await page.goto(`${stack.baseUrl}/#/forms`);
    await page.getByRole('link', { name: 'New version' }).click();
    await editorTab(/^JSON/).click();
    const schemaText = (await codeText(page.getByLabel('JSON Schema'))).text;
    const broken = JSON.parse(schemaText);
    delete broken.properties.city.maxLength;
    const text = JSON.stringify(broken, null, 2);
    const line = text.split('\n').findIndex((l) => l === '    "city": {') + 1;
    expect(line).toBeGreaterThan(1);
    await paste(page.getByLabel('JSON Schema'), text);
    const marker = page.getByTestId('editor-schema-markers').locator(`li[data-line="${line}"]`);
    await marker.waitFor();
    await expect(marker.textContent()).resolves.toContain(`Line ${line}`);
    await expect(marker.textContent()).resolves.toContain('a string needs "maxLength"');
    // the invalid sample "too long city" now passes: the gate's second problem, marked in the samples
    await expect(editorTab(/^JSON/).textContent()).resolves.toBe('JSON (2)');
    await expect(page.getByTestId('editor-samples-markers').textContent()).resolves.toContain('invalid sample "too long city" passes validation');
    await marker.getByRole('button', { name: `Line ${line}` }).click();
    await expect(codeText(page.getByLabel('JSON Schema')).then((c) => c.selected)).resolves.toBe('    "city": {');
    // in place: the line, now in view, is underlined and the lint gutter marks it
    const code = page.getByTestId('editor-schema-label-code');
    await expect(code.locator('.cm-lintRange-error').filter({ hasText: '"city": {' }).count()).resolves.toBe(1);
    await expect(code.locator('.cm-lint-marker-error').count()).resolves.toBe(1);
    await screenshot(page, 'editor-json-problem');
  });
});

describe("compliance: the samples' verdict follows the last edit", () => {
  const ui = signedInPage('compliance');

  it('shows no verdict and offers no removal until the gate has checked the edit, then the verdict of that edit', async () => {
    const { page } = ui;
    await page.clock.install();
    await page.goto(`${ui.stack.baseUrl}/#/forms/new`);
    await page.getByRole('tab', { name: 'Samples' }).click();
    const rows = page.getByRole('tabpanel').getByTestId('samples-table').locator('tbody tr');
    await rows.first().getByText('as declared').waitFor({ timeout: 30_000 });
    const total = await rows.count();
    await expect(rows.filter({ hasText: 'as declared' }).count()).resolves.toBe(total);

    // time stands still: the gate's timer cannot fire, so whatever the samples panel shows next predates the check
    await page.clock.pauseAt(Date.now() + 60_000);
    await page.getByRole('tab', { name: 'Reference lists' }).click();
    await page.getByLabel('Reference list', { exact: true }).selectOption({ label: 'Category (3)' });
    await page.getByRole('button', { name: 'Remove: vulnerability', exact: true }).click();
    await page.getByRole('tab', { name: 'Samples' }).click();
    await expect(rows.filter({ hasText: 'checking…' }).count()).resolves.toBe(total);
    await expect(page.getByRole('button', { name: /^Remove these/ }).count()).resolves.toBe(0);

    await page.clock.runFor(400);
    const remove = page.getByRole('button', { name: /^Remove these \d+ samples$/ });
    await remove.waitFor({ timeout: 30_000 });
    const failing = Number(/\d+/.exec((await remove.textContent()) ?? '')![0]);
    await expect(rows.filter({ hasNotText: 'as declared' }).count()).resolves.toBe(failing);
    // among them the valid samples of the category removed; the others still hold
    for (const name of ['vulnerability with product info, CVE id', 'vulnerability with a BDU id and two products'])
      await expect(rows.filter({ hasText: name }).textContent()).resolves.toContain('fails');
    await expect(rows.filter({ hasText: 'computer incident, required fields only' }).textContent()).resolves.toContain('as declared');
    await page.clock.resume();
  });
});

describe('compliance: which fields apply to which type', () => {
  const env = complianceStack({ title: 'Trojan on a workstation', externalId: 'SIEM-4002' });
  const FIELD = 'Incident detection tool';
  const TYPE = 'Malware infection';
  const OTHER = 'Slowed operation of the resource due to a DDoS attack';

  it('unticks a field for one type in the type × field grid, by keyboard, reviews it in words and publishes', async () => {
    await env.page.goto(`${env.stack.baseUrl}/#/forms`);
    await env.page.getByRole('link', { name: 'New version' }).click();
    await env.page.getByRole('tab', { name: 'Rules' }).click();
    const grid = env.page.getByRole('table', { name: 'Which fields apply to which Type' });
    await expect(grid.locator('thead th').nth(3).textContent()).resolves.toBe(TYPE);
    const box = grid.getByRole('checkbox', { name: `${FIELD} — ${TYPE}` });
    await expect(box.isChecked()).resolves.toBe(true);
    await box.focus();
    await env.page.keyboard.press('Space');
    await expect(box.isChecked()).resolves.toBe(false);
    await expect(grid.getByRole('checkbox', { name: `${FIELD} — ${OTHER}` }).isChecked()).resolves.toBe(true);
    // the rule written for it is one the grid shows, not one more rule kept as JSON
    await expect(env.page.getByTestId('other-rule').count()).resolves.toBe(0);
    await screenshot(env.page, 'editor-type-fields');

    await env.page.getByRole('tab', { name: 'Review and publish' }).click();
    const changes = env.page.getByTestId('changes');
    await changes.waitFor();
    await expect(changes.locator('li').allTextContents()).resolves.toEqual([`${FIELD} no longer applies to ${TYPE} (Type)`]);
    await env.page
      .getByRole('tabpanel')
      .getByLabel(/^Notes/)
      .fill('Detection tool not asked for malware infections');
    await env.page.getByRole('button', { name: 'Publish version 3' }).click();
    await env.page.getByRole('status').filter({ hasText: 'Version 3 published and active.' }).waitFor();
  });

  it("hides the field in the analyst's dialog for that type, and shows it for another", async () => {
    await inExportDialog(env.stack, env.incident.id, async (dialog) => {
      await dialog.getByText('Form version 3').waitFor();
      await field(dialog, 'Category').selectOption({ label: 'Computer incident notification' });
      await field(dialog, 'Type').selectOption({ label: OTHER });
      await dialog.getByRole('tab', { name: 'Advanced' }).click();
      await field(dialog, FIELD).waitFor();
      await dialog.getByRole('tab', { name: 'Basic' }).click();
      await field(dialog, 'Type').selectOption({ label: TYPE });
      await dialog.getByRole('tab', { name: 'Advanced' }).click();
      await field(dialog, 'City').waitFor();
      await expect(field(dialog, FIELD).count()).resolves.toBe(0);
    });
  });

  it("shows version 2's per-type rules in the grid, the condition they hang on, and why the leak details stay JSON", async () => {
    await activateFormVersion(env.stack.t, 2);
    await env.page.goto(`${env.stack.baseUrl}/#/forms`);
    await env.page.getByRole('link', { name: 'New version' }).click();
    await env.page.getByText('Starts from the active version 2.', { exact: false }).waitFor();
    await env.page.getByRole('tab', { name: 'Rules' }).click();
    const grid = env.page.getByRole('table', { name: 'Which fields apply to which Type' });
    const checked = (name: string) => grid.getByRole('checkbox', { name }).isChecked();
    await expect(checked('Malware hashes — Malware infection')).resolves.toBe(true);
    await expect(checked('Malware hashes — DDoS attack')).resolves.toBe(false);
    await expect(checked('Personal data leak — Unauthorized disclosure of information')).resolves.toBe(true);
    await expect(checked('Personal data leak — DDoS attack')).resolves.toBe(false);
    await expect(grid.locator('tbody th', { hasText: 'Malware hashes' }).textContent()).resolves.toBe(
      'Malware hashes (only when "Affected system has Internet connection" is ticked)',
    );
    const other = env.page.getByTestId('other-rule');
    await expect(other.count()).resolves.toBe(1);
    await expect(other.getByTestId('other-rule-why').textContent()).resolves.toBe(
      'Kept as JSON: it depends on another field (Personal data leak), which the grids do not show.',
    );
  });
});

describe('the form version editor in Russian', () => {
  const ui = signedInPage('compliance', { lang: 'ru' });

  it('shows the tabs, the reference lists, the matrix and the review in Russian, reachable by keyboard', async () => {
    await ui.page.goto(`${ui.stack.baseUrl}/#/forms/new`);
    const lists = ui.page.getByRole('tab', { name: 'Справочники' });
    await lists.waitFor();
    // the tabs are one stop for Tab, the arrows move between them
    await lists.focus();
    await ui.page.keyboard.press('ArrowRight');
    await expect(ui.page.getByRole('tab', { name: 'Правила' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(ui.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Правила');
    const types = ui.page.getByTestId('matrix-types');
    await expect(types.locator('thead th').allTextContents()).resolves.toEqual([
      '',
      'Уведомление о компьютерном инциденте',
      'Уведомление о компьютерной атаке',
      'Уведомление о наличии уязвимости',
    ]);
    // which fields apply to which type: the grid and its check boxes in Russian, ticked with the keyboard
    const typeFields = ui.page.getByRole('table', { name: 'Какие поля применимы к какому «Тип»' });
    const box = typeFields.getByRole('checkbox', { name: 'Средство обнаружения — Заражение ВПО' });
    await box.focus();
    await ui.page.keyboard.press('Space');
    await expect(box.isChecked()).resolves.toBe(false);
    await ui.page.getByRole('tab', { name: 'Правила' }).focus();
    await ui.page.keyboard.press('ArrowLeft');
    const table = ui.page.getByTestId('options-table');
    await expect(table.locator('thead th').allTextContents()).resolves.toEqual([
      'Код',
      'Название (англ.)',
      'Название (рус.)',
      'Значение для НКЦКИ',
      'Действия',
    ]);
    await ui.page.getByLabel('Справочник', { exact: true }).selectOption({ label: 'TLP (4)' });
    await ui.page.getByLabel('Название (рус.) 1', { exact: true }).fill('БЕЛЫЙ: без ограничений');
    await ui.page.getByRole('tab', { name: 'Проверка и публикация' }).click();
    const changes = await ui.page.getByTestId('changes').locator('li').allTextContents();
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/^TLP: WHITE русское название с «.+» на «БЕЛЫЙ: без ограничений»$/);
    expect(changes[1]).toBe('Средство обнаружения больше не применимо к «Заражение ВПО» (Тип)');
    await ui.page.getByRole('button', { name: 'Опубликовать версию 3' }).waitFor();
  });
});

async function fetchActive(stack: Stack) {
  const res = await fetch(`${stack.baseUrl}/api/forms/rucert-export`, { headers: { authorization: `Bearer ${await stack.t.tokenFor('analyst')}` } });
  return res.json();
}
