import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Messages } from '../../src/web/i18n/en.js';

export const CHROMIUM = process.env.CUSTOS_CHROMIUM || '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  url: string;
  setupLink: string | null;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the built `custos serve` as a user would, on a fresh data directory and a free port. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['bin/custos.js', 'serve'], {
    env: { ...process.env, CUSTOS_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', CUSTOS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (!/Custos is running at/.test(output) || (!/First run:/.test(output) && !/Sign in at/.test(output))) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = /Custos is running at (\S+)/.exec(output)![1]!;
  const setupLink = /First run: create the first administrator at (\S+)/.exec(output)?.[1] ?? null;
  return {
    url,
    setupLink,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser, options: { locale?: string; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Keeps a picture of the page when a step fails, in test-results/, for whoever reads the CI log. */
async function screenshotOnFailure<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    fs.mkdirSync('test-results', { recursive: true });
    const file = path.join('test-results', `${name.replace(/[^a-z0-9-]+/gi, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    process.stderr.write(`screenshot of the failing page: ${file}\n`);
    throw error;
  }
}

/** Walks a journey in a page of its own, keeping a picture of it as `screenshotName` if a step fails, then closes the page. */
export async function inNewPage(browser: Browser, options: { locale?: string; width?: number }, screenshotName: string, journey: (page: Page) => Promise<void>): Promise<void> {
  const { context, page } = await newPage(browser, options);
  await screenshotOnFailure(page, screenshotName, () => journey(page));
  await context.close();
}

/** The workspace owner the journeys sign in as; first-run.test.ts makes its own through the setup page. */
export const OWNER = { workspaceName: 'Acme Trading', email: 'owner@example.com', displayName: 'Olivia Owner', password: 'violet-harbor-tundra-49' } as const;

/** Makes the workspace and its owner through the API, with the setup token the server printed. */
export async function createOwner(server: RunningServer): Promise<void> {
  const setupToken = new URL(server.setupLink!).hash.replace(/^#token=/, '');
  const response = await fetch(`${server.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupToken, ...OWNER }),
  });
  expect(response.status).toBe(201);
}

export interface ServerWithOwner {
  browser: Browser;
  server: RunningServer;
}

/**
 * Registers the file's beforeAll and afterAll: Chromium and a fresh server with its owner
 * (see createOwner) before the tests, both stopped after. The returned object is filled in by
 * the time the tests run.
 */
export function setUpServerWithOwner(): ServerWithOwner {
  const running = {} as ServerWithOwner;
  beforeAll(async () => {
    [running.browser, running.server] = await Promise.all([launchBrowser(), startServer()]);
    await createOwner(running.server);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}

/** Signs the owner in through the sign-in page, labels read from `text`, and waits for the app. */
/** Signs `who` in through the sign-in page, in `text`'s language, and waits for the app. */
export async function signInAs(page: Page, server: RunningServer, who: { email: string; password: string }, text: Messages): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(text.signIn.email, { exact: true }).fill(who.email);
  await page.getByLabel(text.signIn.password, { exact: true }).fill(who.password);
  await page.getByRole('button', { name: text.signIn.submit }).click();
  await page.getByTestId('signed-in-shell').waitFor();
}

export function signInAsOwner(page: Page, server: RunningServer, text: Messages): Promise<void> {
  return signInAs(page, server, OWNER, text);
}

/** A colleague the owner invites: how they sign in, and their role key. */
export interface InvitedMember {
  email: string;
  displayName: string;
  password: string;
  role: string;
}

/**
 * Someone invited by `inviter` (an API with an administrator's session) who joined through the
 * public accept call, as the invitation page does; answers their user id.
 */
export async function joinByInvitation(
  server: RunningServer,
  inviter: { create<T>(path: string, data: unknown): Promise<T> },
  member: InvitedMember,
): Promise<string> {
  const { inviteUrl } = await inviter.create<{ inviteUrl: string }>('/api/admin/invitations', { email: member.email, role: member.role });
  const token = new URL(inviteUrl, server.url).hash.replace(/^#token=/, '');
  const accepted = await fetch(`${server.url}/api/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, displayName: member.displayName, password: member.password }),
  });
  expect(accepted.status, await accepted.clone().text()).toBe(201);
  return ((await accepted.json()) as { user: { id: string } }).user.id;
}

/**
 * Calls the API with the page's own session, as another system or a quick seed would: the
 * session's CSRF token, read once from /api/auth/me, goes with every call.
 */
export async function apiWithPageSession(page: Page, server: RunningServer) {
  const { csrfToken } = (await (await page.request.get(`${server.url}/api/auth/me`)).json()) as { csrfToken: string };
  const send = async (path: string, data: unknown, method: 'POST' | 'PUT' = 'POST') => {
    const response = await page.request.fetch(`${server.url}${path}`, { method, data, headers: { 'x-csrf-token': csrfToken } });
    return { response, said: `${method} ${path}: ${response.status()} ${await response.text()}` };
  };
  return {
    /** Fails the test unless the answer is a success. */
    async put(path: string, data: unknown): Promise<void> {
      const { response, said } = await send(path, data, 'PUT');
      expect(response.ok(), said).toBe(true);
    },
    /** Fails the test unless the answer is a success; returns its JSON. */
    async post<T = unknown>(path: string, data: unknown): Promise<T> {
      const { response, said } = await send(path, data);
      expect(response.ok(), said).toBe(true);
      return (await response.json()) as T;
    },
    /** Fails the test unless the answer is 201 Created; returns what was created. */
    async create<T = unknown>(path: string, data: unknown): Promise<T> {
      const { response, said } = await send(path, data);
      expect(response.status(), said).toBe(201);
      return (await response.json()) as T;
    },
  };
}
