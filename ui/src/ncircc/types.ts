// What the service says about an incident's NCIRCC card (GET /api/incidents/:id/ncircc and the routes under it).

export interface CardView {
  kind: 'notification' | 'message';
  uuid: string;
  identifier: string | null;
  regNumber?: string;
  /** NCIRCC's status, named as NCIRCC names it */
  status: { id?: string; name: string };
  updated?: string;
  syncedAt?: string;
  history: Array<{ status: string; at: string }>;
  supplement: { requested: boolean; allowed: boolean; n: number; reasons: string[] };
  deadlines?: { firstNotice?: string; investigation?: string; reaction?: string };
  formVersion?: number;
  /** a message's type as NCIRCC names it */
  type?: string;
  /** a message's fields as NCIRCC sent them (create_time, tlp, inrelated_* …) */
  details?: Record<string, unknown>;
}

export interface CommentView {
  id: string;
  author: string;
  text: string;
  at: string;
  direction: 'in' | 'out';
  state: string;
}

export interface FileView {
  id: string;
  filename: string;
  name?: string;
  size?: number;
  type?: string;
  addedAt?: string;
  /** ours: the attachment as the product sent it */
  attachment?: { state: string; sha256?: string; attachedBy?: string };
}

export interface SupplementForm {
  formVersion: number;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  data: Record<string, unknown>;
}

export interface NotificationView {
  id: string;
  kind: string;
  incidentId: string;
  details: Record<string, unknown>;
  createdAt: string;
  read: boolean;
}

/** The SOC's answer to a message from NCIRCC (POST …/ncircc/status). */
export const MESSAGE_RESULTS = ['measures_taken', 'information_noted', 'not_confirmed'] as const;
export type MessageResult = (typeof MESSAGE_RESULTS)[number];

/** The card's URL under the service's API. */
export function cardPath(incidentId: string, rest = ''): string {
  return `/incidents/${encodeURIComponent(incidentId)}/ncircc${rest}`;
}
