// What every browser spec needs: the real service (in-process, fresh database, serving the built ui/dist) on a real
// port, a RuCERT simulator, Debian's Chromium through playwright-core, and a few API shortcuts for arranging data
// the spec is not about. Each spec file starts its own stack.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import request from 'supertest';
import { PROJECT_ROOT } from '../../src/common/paths';
import type { RucertSimulator } from '../../src/rucert-simulator/simulator';
import * as setup from '../support/export-setup';
import { ensureUiBuilt } from '../support/child-service';
import { startTestApp, type TestApp } from '../support/test-app';

export const SIM_TOKEN = setup.RUCERT_TOKEN;
// Every run saves the main screens; UPDATE_SCREENSHOTS=1 writes them over the ones docs/ui.md shows.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? join(PROJECT_ROOT, 'docs', 'screenshots') : join(PROJECT_ROOT, 'test-results', 'screenshots');

export interface Stack {
  t: TestApp;
  sim: RucertSimulator;
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/** `host`: the address the service listens on and the browser opens (default loopback). */
/**
 * The service with the UI, an emulator and Chromium. Most specs speak version 1's vocabulary, so version 1 is made
 * active (a fresh install starts with version 2); a spec about another version activates it itself.
 */
export async function startStack(env: Record<string, string> = {}, host = '127.0.0.1'): Promise<Stack> {
  ensureUiBuilt();
  // the periodic reconciler would race a spec that shows an unknown export; specs reconcile on demand
  const t = await startTestApp({ RECONCILE_INTERVAL_MS: '3600000', ...env });
  await t.app.listen(0, host);
  await setup.activateFormVersion(t, 1);
  const address = t.http.address() as { port: number };
  const sim = await setup.startSimulator();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    t,
    sim,
    browser,
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    async close() {
      await browser.close();
      await sim.close();
      await t.close();
    },
  };
}

const errorsOf = new WeakMap<Page, string[]>();

/** A fresh browser context (own sessionStorage) with a page on the app. */
export async function openPage(stack: Stack): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  // a page error is a test failure, not a footnote
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  errorsOf.set(page, errors);
  if (process.env.DEBUG_BROWSER) {
    page.on('console', (m) => console.log(`console.${m.type()}: ${m.text().slice(0, 400)}`));
    page.on('response', async (r) => console.log(`${r.request().method()} ${r.url()} → ${r.status()} ${r.request().postData()?.slice(0, 400) ?? ''}`));
  }
  await page.goto(stack.baseUrl);
  return { context, page };
}

export function pageErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel(/^(API token|API-токен)$/).fill(token);
  await page.getByRole('button', { name: /^(Sign in|Войти)$/ }).click();
  await page.getByRole('button', { name: /^(Sign out|Выйти)$/ }).waitFor();
}

/**
 * An analyst signed in on a page of their own, with the export dialog of the incident open: `use` gets the dialog;
 * the page must raise no error meanwhile.
 */
export async function inExportDialog<T>(stack: Stack, incidentId: string, use: (dialog: Locator, page: Page) => Promise<T>): Promise<T> {
  const { context, page } = await openPage(stack);
  try {
    await signIn(page, await stack.t.tokenFor('analyst'));
    await page.goto(`${stack.baseUrl}/#/incidents/${incidentId}`);
    await page.getByRole('button', { name: 'Export to RuCERT' }).click();
    const result = await use(page.getByRole('dialog', { name: 'Export to RuCERT' }), page);
    const errors = pageErrors(page);
    if (errors.length) throw new Error(`the analyst's page raised: ${errors.join('; ')}`);
    return result;
  } finally {
    await context.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A screenshot of the open modal dialog only. */
export async function screenshotDialog(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('dialog[open]').screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export function api(stack: Stack, token = stack.t.adminToken) {
  const http = stack.t.http;
  return {
    get: (path: string) => request(http).get(`/api${path}`).auth(token, { type: 'bearer' }),
    post: (path: string, body: object = {}) => request(http).post(`/api${path}`).auth(token, { type: 'bearer' }).send(body),
    put: (path: string, body: object) => request(http).put(`/api${path}`).auth(token, { type: 'bearer' }).send(body),
  };
}

// License and integration as the e2e suites set them up (test/support/export-setup.ts), for the company the UI shows.
const CUSTOMER = 'ACME Bank JSC';

export const licenseKey = (modules = ['gossopka'], customer = CUSTOMER): string => setup.demoLicense({ modules, customer });

export async function installLicense(stack: Stack): Promise<void> {
  await setup.installLicense(stack.t, licenseKey());
}

/** `over`: settings beyond the defaults (`inboundEnabled` for messages from NCIRCC). */
export async function configureIntegration(stack: Stack, over: Record<string, unknown> = {}): Promise<void> {
  // the service's own request timeout, not the short one the fault-injection suites use
  await setup.configureIntegration(stack.t, stack.sim, { companyName: CUSTOMER, ownerName: CUSTOMER, timeoutMs: undefined, ...over });
}

export interface SignedInOptions {
  /** Integration settings beyond the defaults (`inboundEnabled` for messages from NCIRCC). */
  integration?: Record<string, unknown>;
  /** `ru`: the interface is switched to Russian once signed in. */
  lang?: 'en' | 'ru';
  /** Arranges what the spec needs on the stack before the page opens. */
  arrange?(stack: Stack): Promise<void>;
}

/** A stack and one page on it; its members are set once the enclosing describe's beforeAll has run. */
export interface SignedInPage {
  stack: Stack;
  context: BrowserContext;
  page: Page;
}

/**
 * The usual start of a spec, as hooks of the enclosing describe: a stack with the license installed and the
 * integration configured, then a page signed in as `role`. Every test must leave the page without errors; the stack
 * is closed after the last one.
 */
export function signedInPage(role: 'admin' | 'compliance' | 'analyst', options: SignedInOptions = {}): SignedInPage {
  const ui = {} as SignedInPage;
  beforeAll(async () => {
    ui.stack = await startStack();
    await installLicense(ui.stack);
    await configureIntegration(ui.stack, options.integration);
    await options.arrange?.(ui.stack);
    Object.assign(ui, await openPage(ui.stack));
    await signIn(ui.page, await ui.stack.t.tokenFor(role));
    if (options.lang === 'ru') await ui.page.getByRole('button', { name: 'Switch the interface to Russian' }).click();
  });
  afterAll(async () => {
    await ui.stack?.close();
  });
  afterEach(() => {
    expect(pageErrors(ui.page)).toEqual([]);
  });
  return ui;
}

export interface IncidentInput {
  title: string;
  externalId?: string;
  description?: string;
  severity?: string;
  status?: 'open' | 'closed';
  detectedAt?: string;
  observables?: Array<{ kind: string; value: string; name?: string }>;
  indicators?: Array<{ kind: string; value: string; function?: string }>;
}

export async function createIncident(stack: Stack, input: IncidentInput): Promise<{ id: string; title: string }> {
  const ingest = await stack.t.tokenFor('ingest');
  const res = await api(stack, ingest).post('/incidents', { detectedAt: '2026-03-01T07:00:00Z', ...input });
  if (res.status !== 201) throw new Error(`incident: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * Puts a long text into a textarea at once, as pasting it would. `fill` sends it through Chromium's editing engine,
 * which takes seconds for a form definition of tens of thousands of characters on a busy machine (longer than the
 * action timeout), although the page itself handles the change in milliseconds.
 */
export async function paste(target: Locator, text: string): Promise<void> {
  await target.evaluate((el, value) => {
    // the form version editor's code editor (CodeMirror): a change of its whole text, as a paste makes
    const view = (el.closest('.code-mirror') as (Element & { editorView?: CodeView }) | null)?.editorView;
    if (view) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
      return;
    }
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    setValue.call(el, value); // the prototype's setter, so React sees a change to report
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** The CodeMirror view the form version editor hangs on its host element (ui/src/forms/CodeEditor.tsx). */
interface CodeView {
  state: { doc: { length: number; toString(): string }; selection: { main: { from: number; to: number } }; sliceDoc(from: number, to: number): string };
  dispatch(spec: { changes: { from: number; to: number; insert: string } }): void;
}

/** The whole text of a code editor (CodeMirror renders only the lines in view) and what is selected in it. */
export async function codeText(target: Locator): Promise<{ text: string; selected: string }> {
  return target.evaluate((el) => {
    const view = (el.closest('.code-mirror') as (Element & { editorView?: CodeView }) | null)?.editorView;
    if (!view) throw new Error('not a code editor');
    const { from, to } = view.state.selection.main;
    return { text: view.state.doc.toString(), selected: view.state.sliceDoc(from, to) };
  });
}

/** A form control by its exact label, whether or not rjsf marks it required with an asterisk. */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}\\*?$`));
}
