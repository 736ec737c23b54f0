// The control API: plays NCIRCC's side and the network's misbehaviour for tests, `npm run demo` and people trying
// the integration offline. No token; under /_control and <prefix>/_control. Each route calls the RucertSimulator
// method of the same purpose (named after the arrow), so in-process tests need no HTTP. Errors use the contract's
// error shape; 404 for an unknown card, 409 for a second reg_number, 400 for anything else refused.
//
//   GET    /_control                                 → {profile, mssp, login, organization, routes}
//   POST   /_control/faults      {mode, times?, delayMs?, route?} → 201 {queued}     addFault (queued in order)
//   GET    /_control/faults                          → {faults}                       faults
//   DELETE /_control/faults                          → {cleared}                      clearFaults
//   GET    /_control/held                            → {held}                         held
//   POST   /_control/release                         → {released}                     release
//   POST   /_control/reset                           → {ok: true}                     reset (cards, comments, files, faults, counts)
//   GET    /_control/requests                        → {"POST /incidents": n, …}      requests (every API request, before the token check)
//   GET    /_control/received                        → [StoredNotification]           received (creates, bodies as posted)
//   GET    /_control/updates                         → [StoredUpdate]                 updates (supplements, message statuses, file uploads)
//   GET    /_control/comments                        → [StoredComment]                comments (ours and NCIRCC's)
//   GET    /_control/files                           → [FileInfo]                     files (metadata with sha256; bytes: fileContent)
//   GET    /_control/cards                           → [CardView]                     cards (notifications and messages)
//   GET    /_control/cards/:uuid                     → CardView                       card
//   POST   /_control/cards/:uuid/status   {status, comment?, login?}   → CardView     setStatus (any name; unknown names kept)
//   POST   /_control/cards/:uuid/reg-number {reg_number?}              → CardView     assignRegNumber (once; <prefix>-YY-MM-N)
//   POST   /_control/cards/:uuid/register {reg_number?}                → CardView     register ("Зарегистрировано" + reg_number)
//   POST   /_control/cards/:uuid/request-supplement {comment?, login?} → CardView     requestSupplement ("Требуется дополнение")
//   POST   /_control/cards/:uuid/comments {text, login?}               → 201 comment  addOperatorComment (default login "ТИ НКЦКИ")
//   POST   /_control/messages    {type?, reg_number?, tlp?, event_description?, …, inrelated_*…} → 201 CardView   createMessage
import { Answer, contractError, isObject, ok } from './http';
import { ControlError, MessageInput } from './lifecycle';
import type { FaultSpec } from './faults';
import type { RucertSimulator } from './simulator';

export const CONTROL_ROUTES = [
  'GET    /_control',
  'POST   /_control/faults {mode, times?, delayMs?, route?}',
  'GET    /_control/faults',
  'DELETE /_control/faults',
  'GET    /_control/held',
  'POST   /_control/release',
  'POST   /_control/reset',
  'GET    /_control/requests',
  'GET    /_control/received',
  'GET    /_control/updates',
  'GET    /_control/comments',
  'GET    /_control/files',
  'GET    /_control/cards',
  'GET    /_control/cards/:uuid',
  'POST   /_control/cards/:uuid/status {status, comment?, login?}',
  'POST   /_control/cards/:uuid/reg-number {reg_number?}',
  'POST   /_control/cards/:uuid/register {reg_number?}',
  'POST   /_control/cards/:uuid/request-supplement {comment?, login?}',
  'POST   /_control/cards/:uuid/comments {text, login?}',
  'POST   /_control/messages {type?, reg_number?, tlp?, event_description?, detect_time?, end_time?, owner_name?, company?, inrelated_*…}',
];

export function handleControl(sim: RucertSimulator, method: string, path: string, body: unknown): Answer {
  try {
    return route(sim, method, path.replace(/\/+$/, '') || '/', isObject(body) ? body : {}, body);
  } catch (error) {
    if (error instanceof ControlError) return contractError(error.status, error.message);
    return contractError(400, (error as Error).message);
  }
}

function route(sim: RucertSimulator, method: string, path: string, b: Record<string, unknown>, raw: unknown): Answer {
  const card = /^\/_control\/cards\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
  if (card) {
    const uuid = decodeURIComponent(card[1]);
    // Shapes are checked by the lifecycle methods: the control API hands over what it was given.
    const comment = { text: b.comment as string | undefined, login: b.login as string | undefined };
    switch (`${method} ${card[2] ?? ''}`) {
      case 'GET ': {
        const found = sim.card(uuid);
        return found ? ok(200, found) : contractError(404, `no card ${uuid}`);
      }
      case 'POST status':
        return ok(200, sim.setStatus(uuid, b.status as string, b.comment === undefined ? undefined : comment));
      case 'POST reg-number':
        return ok(200, sim.assignRegNumber(uuid, b.reg_number as string | undefined));
      case 'POST register':
        return ok(200, sim.register(uuid, b.reg_number as string | undefined));
      case 'POST request-supplement':
        return ok(200, sim.requestSupplement(uuid, b.comment === undefined ? undefined : comment));
      case 'POST comments':
        return ok(201, sim.addOperatorComment(uuid, b.text as string, b.login as string | undefined));
    }
    return contractError(404, `no control route ${method} ${path}`);
  }
  switch (`${method} ${path}`) {
    case 'GET /_control':
      return ok(200, { profile: sim.profile, mssp: sim.mssp, login: sim.login, organization: sim.organization, routes: CONTROL_ROUTES });
    case 'POST /_control/faults':
      sim.addFault(raw as FaultSpec);
      return ok(201, { queued: sim.faults() });
    case 'GET /_control/faults':
      return ok(200, { faults: sim.faults() });
    case 'DELETE /_control/faults': {
      const cleared = sim.faults().length;
      sim.clearFaults();
      return ok(200, { cleared });
    }
    case 'GET /_control/held':
      return ok(200, { held: sim.held() });
    case 'POST /_control/release':
      return ok(200, { released: sim.release() });
    case 'POST /_control/reset':
      sim.reset();
      return ok(200, { ok: true });
    case 'GET /_control/requests':
      return ok(200, sim.requests());
    case 'GET /_control/received':
      return ok(200, sim.received());
    case 'GET /_control/updates':
      return ok(200, sim.updates());
    case 'GET /_control/comments':
      return ok(200, sim.comments());
    case 'GET /_control/files':
      return ok(200, sim.files());
    case 'GET /_control/cards':
      return ok(200, sim.cards());
    case 'POST /_control/messages':
      return ok(201, sim.createMessage((raw ?? {}) as MessageInput));
    default:
      return contractError(404, `no control route ${method} ${path}`);
  }
}
