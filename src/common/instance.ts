import { randomUUID } from 'node:crypto';

/**
 * This process among the instances sharing one database: it owns the synchronisation lease while it holds it, and
 * names itself to NCIRCC in the User-Agent, so what one instance did can be told from another's in logs.
 */
export const INSTANCE_ID = randomUUID().slice(0, 8);
