import { SHARED_FROM_CHARS, storedOnce, withSharedTexts } from './shared-texts';

const long = (c: string) => c.repeat(SHARED_FROM_CHARS);

describe('a long text stored once, in the payload', () => {
  it('replaces each long text the payload holds by null, wherever it is, and reads the data back equal', () => {
    const name = long('ж');
    const row = long('щ') + 'ё';
    const data = { affectedSystemName: name, short: 'Москва', rows: [{ note: 'x' }, { note: row }], again: name };
    const payload = { affected_system_name: name, list: [{ text: 'x' }, { text: row }], city: 'Москва' };
    const stored = storedOnce(data, payload);
    expect(stored.data).toEqual({ affectedSystemName: null, short: 'Москва', rows: [{ note: 'x' }, { note: null }], again: null });
    expect(stored.shared).toEqual([
      { data: ['affectedSystemName'], payload: ['affected_system_name'] },
      { data: ['rows', 1, 'note'], payload: ['list', 1, 'text'] },
      { data: ['again'], payload: ['affected_system_name'] },
    ]);
    expect(JSON.stringify(stored.data).length).toBeLessThan(SHARED_FROM_CHARS);
    const readBack = withSharedTexts(JSON.parse(JSON.stringify(stored.data)), stored.shared!, payload);
    expect(readBack).toEqual(data);
  });

  it('leaves the data itself unchanged', () => {
    const data = { a: long('a'), nested: { b: long('b') } };
    const copy = structuredClone(data);
    storedOnce(data, { a: data.a, b: data.nested.b });
    expect(data).toEqual(copy);
  });

  it('keeps a long text the payload does not hold as it is (not sent, or sent changed), and short texts always', () => {
    const data = { notSent: long('n'), changed: long('c'), short: 'c'.repeat(SHARED_FROM_CHARS - 1) };
    const payload = { changed: `${long('c')}\n\nreference`, short: data.short };
    expect(storedOnce(data, payload)).toEqual({ data, shared: undefined });
  });

  it('stores data without long texts as it is, without looking at the payload', () => {
    const data = { city: 'Москва' };
    expect(
      storedOnce(data, {
        get city(): string {
          throw new Error('the payload was read');
        },
      }),
    ).toEqual({ data, shared: undefined });
  });
});
