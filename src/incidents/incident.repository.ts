import { EntityRepository } from '@mikro-orm/knex';
import type { Incident } from './incident.entity';

export class IncidentRepository extends EntityRepository<Incident> {}
