// The form version editor is compliance staff's alone: it is a chunk of its own in the built bundle, loaded on
// demand, so an analyst's pages (sign-in, incidents, the export dialog) load none of its code.
// `npm run bench` records the size of what an analyst loads (bench/run.ts analystBundle).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/common/paths';
import { configureIntegration, createIncident, installLicense, openPage, pageErrors, signIn, startStack, type Stack } from './browser-support';

jest.setTimeout(120_000);

const dist = join(PROJECT_ROOT, 'ui', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstPage = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const editorChunk = assets.find((f) => f.startsWith('VersionEditor-'));
// a string only the editor's code holds (its rules matrix)
const EDITOR_MARKER = 'matrix-types';

function scripts(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') seen.push(new URL(r.url()).pathname.replace(/^\//, ''));
  });
  return seen;
}

describe('the editor is loaded on demand', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await installLicense(stack);
    await configureIntegration(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is a chunk of its own that the first page does not name', () => {
    expect(editorChunk).toBeDefined();
    expect(firstPage.length).toBeGreaterThan(0);
    expect(firstPage).not.toContain(`assets/${editorChunk}`);
    for (const name of firstPage) expect(readFileSync(join(dist, name), 'utf8')).not.toContain(EDITOR_MARKER);
    expect(readFileSync(join(dist, 'assets', editorChunk!), 'utf8')).toContain(EDITOR_MARKER);
    const gz = (names: string[]) => names.reduce((n, name) => n + gzipSync(readFileSync(join(dist, name)), { level: 9 }).length, 0);
    const analyst = gz(firstPage);
    const all = gz(assets.map((a) => `assets/${a}`));
    expect(analyst).toBeLessThan(all);
    // the whole UI was one 286 KB (gzipped) chunk before the editor was split off
    expect(analyst).toBeLessThan(286 * 1024);
  });

  it('an analyst signing in, listing incidents and opening the export dialog loads no editor code', async () => {
    const incident = await createIncident(stack, { title: 'Phishing mail', externalId: 'SIEM-5001' });
    const { context, page } = await openPage(stack);
    try {
      const loaded = scripts(page);
      await page.reload();
      await signIn(page, await stack.t.tokenFor('analyst'));
      await page.goto(`${stack.baseUrl}/#/incidents/${incident.id}`);
      await page.getByRole('button', { name: 'Export to RuCERT' }).click();
      await page
        .getByRole('dialog', { name: 'Export to RuCERT' })
        .getByText(/Form version \d+/)
        .waitFor();
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.every((name) => firstPage.includes(name))).toBe(true);
      expect(loaded).not.toContain(`assets/${editorChunk}`);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('compliance staff opening the editor load its chunk then', async () => {
    const { context, page } = await openPage(stack);
    try {
      const loaded = scripts(page);
      await signIn(page, await stack.t.tokenFor('compliance'));
      await page.goto(`${stack.baseUrl}/#/forms`);
      expect(loaded).not.toContain(`assets/${editorChunk}`);
      await page.getByRole('link', { name: 'New version' }).click();
      await page.getByRole('tab', { name: 'Reference lists' }).waitFor();
      expect(loaded).toContain(`assets/${editorChunk}`);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
