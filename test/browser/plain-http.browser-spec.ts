// The UI over plain HTTP at an address other than localhost: a small installation on an
// internal network without TLS. helmet's `upgrade-insecure-requests` made the browser fetch every asset over HTTPS,
// which nothing answered, so the page stayed blank everywhere but on localhost (which browsers do not upgrade). The
// service listens on an address of this machine that is not loopback, and Chromium opens it there.
import { networkInterfaces } from 'node:os';
import type { Page } from 'playwright-core';
import { openPage, pageErrors, signIn, startStack, type Stack } from './browser-support';

jest.setTimeout(90_000);

/** An IPv4 address of this machine that is not loopback, or undefined. */
function nonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

const address = nonLoopbackAddress();
const maybe = address ? describe : describe.skip;

maybe(`the UI over plain HTTP at ${address ?? 'a non-loopback address'}`, () => {
  let stack: Stack;
  let page: Page;
  const failed: string[] = [];

  beforeAll(async () => {
    stack = await startStack({}, address!);
    const opened = await openPage(stack);
    page = opened.page;
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('renders the sign-in screen, its assets loaded over plain HTTP', async () => {
    expect(stack.baseUrl.startsWith(`http://${address}:`)).toBe(true);
    await page.reload();
    await page.getByLabel(/^(API token|API-токен)$/).waitFor();
    expect(failed).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });

  it('signs in and shows the incident list', async () => {
    await signIn(page, stack.t.adminToken);
    await page.getByRole('link', { name: 'Incidents' }).waitFor();
    expect(failed).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });
});
