import { rolesAllowed } from './roles';

describe('rolesAllowed', () => {
  it('always admits admin, and compliance wherever analysts are admitted', () => {
    expect([...rolesAllowed(['analyst'])].sort()).toEqual(['admin', 'analyst', 'compliance']);
    expect([...rolesAllowed(['ingest'])].sort()).toEqual(['admin', 'ingest']);
    expect([...rolesAllowed(['compliance'])].sort()).toEqual(['admin', 'compliance']);
    expect([...rolesAllowed(['admin'])]).toEqual(['admin']);
  });
});
