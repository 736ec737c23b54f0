// What the UI needs around an incident's NCIRCC card beyond the generated response types (ui/src/common/api-types.ts).
import statusChange from '../../../schemas/api/card-status-change.schema.json';
import type { CardStatusChange } from '../../../src/generated/api/card-status-change';

export type { CardView, CommentView, FileView, NotificationView, SupplementForm } from '../common/api-types';

/** The SOC's answer to a message from NCIRCC (POST …/ncircc/status), as the request schema lists them. */
export type MessageResult = NonNullable<CardStatusChange['result']>;
export const MESSAGE_RESULTS = statusChange.properties.result.enum as MessageResult[];

/** The card's URL under the service's API. */
export function cardPath(incidentId: string, rest = ''): string {
  return `/incidents/${encodeURIComponent(incidentId)}/ncircc${rest}`;
}
