// Helpers of the emulator's HTTP-level specs: start an emulator, talk to it with plain fetch as a client of the
// NCIRCC API would, and build requests that satisfy the contract, to be broken one rule at a time.
import { RucertSimulator, SimulatorOptions, startRucertSimulator } from '../../src/rucert-simulator/simulator';

export const TOKEN = 'ncircc-emulator-token-8d41';
export const INCIDENT = 'Уведомление о компьютерном инциденте';
export const ATTACK = 'Уведомление о компьютерной атаке';
export const VULNERABILITY = 'Уведомление о наличии уязвимости';
export const MESSAGE = 'Сообщение от НКЦКИ';

export interface Reply {
  status: number;
  body: any;
}

export function startEmulator(options: Partial<SimulatorOptions> = {}): Promise<RucertSimulator> {
  return startRucertSimulator({ port: 0, token: TOKEN, prefix: '/api/v2', ...options });
}

/** A JSON request to the API with the token (or another, or none). */
export async function api(sim: RucertSimulator, method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Reply> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { 'x-token': token }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

export async function control(sim: RucertSimulator, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${sim.origin}/_control${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** GET /incidents with each parameter JSON-encoded (strings as given). */
export function list(sim: RucertSimulator, params: Record<string, unknown>, token: string | null = TOKEN): Promise<Reply> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  return api(sim, 'GET', `/incidents?${query}`, undefined, token);
}

/** The contract's error shape, naming what is wrong. */
export function refusal(status: number, mentions: string | RegExp) {
  const reason: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Payload Too Large' };
  return {
    status,
    body: {
      success: false,
      message: expect.stringMatching(new RegExp(`^\\[${status} ${reason[status]}\\] .*${typeof mentions === 'string' ? escape(mentions) : mentions.source}`)),
      error: expect.stringMatching(typeof mentions === 'string' ? new RegExp(escape(mentions)) : mentions),
      statusCode: status,
    },
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HOUR = 3_600_000;

/** A computer-incident notification valid under profile 1.1.2 for a non-MSSP token. */
export function incident(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    category: INCIDENT,
    type: 'Заражение ВПО',
    owner_name: 'АО "Ромашка"',
    event_description: 'Троян в почтовом вложении\n\nrucert-export incident 0001',
    tlp: 'TLP:AMBER',
    detect_time: new Date(Date.now() - 2 * HOUR).toISOString(),
    activity_status: 'Проводятся мероприятия по реагированию',
    affected_system_name: 'Почтовый сервер mail01',
    affected_system_category: 'Информационный ресурс не является объектом КИИ',
    affected_system_function: 'Банковская сфера и иные сферы финансового рынка',
    location: 'RU-MOW',
    ...over,
  };
}

/** A computer-attack notification valid under profile 1.1.2 for a non-MSSP token. */
export function attack(over: Record<string, unknown> = {}): Record<string, unknown> {
  return incident({ category: ATTACK, type: 'DDoS-атака', event_description: 'DDoS на портал', ...over });
}

/** The complete personal-data-leak block. */
export function leak(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rkn_leak_pd: true,
    rkn_full_name: 'Акционерное общество "Ромашка"',
    rkn_inn: 7707083893,
    rkn_address: '111111, г. Москва, ул. Примерная, д. 5',
    rkn_email: 'dpo@romashka.ru',
    rkn_reasons: 'Компрометация учётной записи администратора',
    rkn_pers_data: 'ФИО и телефоны 1200 клиентов',
    rkn_damage: 'Низкий',
    ...over,
  };
}

/** Creates a notification and returns its uuid, failing loudly if the emulator refused it. */
export async function created(sim: RucertSimulator, body: Record<string, unknown> = incident()): Promise<string> {
  const reply = await api(sim, 'POST', '/incidents', body);
  if (reply.status !== 201) throw new Error(`create refused: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data[0].uuid as string;
}
