// The enumerations a client relies on are defined once, in schemas/api/responses.schema.json; request schemas that
// accept the same values (a query filter, a token's role) must accept exactly those.
import responses from '../../schemas/api/responses.schema.json';
import incidentListQuery from '../../schemas/api/incident-list-query.schema.json';
import tokenCreate from '../../schemas/api/token-create.schema.json';
import { ROLES } from '../auth/roles';
import { EXPORT_STATES } from '../export/rucert-export.entity';
import { responseComponents } from './api-response';

const defs = responses.definitions;

describe('the response definitions', () => {
  it('are the one list of roles: the token-create body accepts exactly them, and the guard knows exactly them', () => {
    expect(tokenCreate.properties.role.enum).toEqual(defs.Role.enum);
    expect([...ROLES]).toEqual(defs.Role.enum);
  });

  it('are the one list of export states: the incident filter accepts exactly them, and so does the entity', () => {
    expect(incidentListQuery.properties.exportState.enum).toEqual(defs.ExportState.enum);
    expect([...EXPORT_STATES]).toEqual(defs.ExportState.enum);
    expect(incidentListQuery.properties.source.enum).toEqual(defs.IncidentView.properties.source.enum);
  });

  it('become OpenAPI components whose references all resolve inside components.schemas', () => {
    const components = responseComponents();
    const refs = JSON.stringify(components).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = /#\/components\/schemas\/(\w+)"/.exec(ref)?.[1];
      expect(name && components[name]).toBeTruthy();
    }
  });
});
