import schema from '../../schemas/forms/rucert-export/v1/schema.json';
import { applyDefaults } from './defaults';

describe('applyDefaults', () => {
  it('fills omitted fields from the schema: TLP RED, booleans false', () => {
    expect(applyDefaults(schema, { category: 'vulnerability' })).toEqual({
      category: 'vulnerability',
      tlp: 'RED',
      affectedSystemConnection: false,
      assistanceRequired: false,
    });
  });

  it('prefers the extra defaults (integration settings) over the schema', () => {
    expect(applyDefaults(schema, {}, { affectedSystemFunction: 'healthcare', location: 'RU-SPE', tlp: 'AMBER', nope: 1 })).toEqual({
      affectedSystemFunction: 'healthcare',
      location: 'RU-SPE',
      tlp: 'AMBER',
      affectedSystemConnection: false,
      assistanceRequired: false,
    });
  });

  it('keeps what the submission gives, including false and empty values', () => {
    const data = { tlp: 'WHITE', affectedSystemConnection: true, assistanceRequired: false, city: '' };
    expect(applyDefaults(schema, data, { tlp: 'RED', city: 'Москва' })).toEqual(data);
  });

  it('treats an explicit undefined as omitted, and an undefined extra default as none', () => {
    expect(applyDefaults(schema, { tlp: undefined }, { tlp: undefined }).tlp).toBe('RED');
  });

  it('returns a new object and leaves the input alone', () => {
    const data = { category: 'computer_attack' };
    const result = applyDefaults(schema, data);
    expect(result).not.toBe(data);
    expect(data).toEqual({ category: 'computer_attack' });
  });

  it('copies object defaults so that editing the result never edits the schema', () => {
    const s = { properties: { rows: { default: [{ a: 1 }] } } };
    const result = applyDefaults(s, {}) as { rows: Array<{ a: number }> };
    result.rows[0].a = 2;
    expect(s.properties.rows.default).toEqual([{ a: 1 }]);
  });
});
