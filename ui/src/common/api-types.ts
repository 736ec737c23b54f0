// What the service answers, as the UI reads it: the types generated from schemas/api/responses.schema.json (the very
// definitions the service is checked against) and the enumerations the UI lists, read from the same document.
import responses from '../../../schemas/api/responses.schema.json';
import type { ExportState, Role } from '../../../src/generated/api/responses';

export type * from '../../../src/generated/api/responses';

export const ROLES = responses.definitions.Role.enum as Role[];
export const EXPORT_STATES = responses.definitions.ExportState.enum as ExportState[];
