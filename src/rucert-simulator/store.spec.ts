import { Store, StoreFullError } from './store';

const frozen = new Date('2024-10-11T11:18:01.110Z');
const newStore = (maxFileBytes = 100, moves = { comment: false, file: true }) => new Store(() => frozen, moves, maxFileBytes);
const notification = { kind: 'notification' as const, category: 'c', type: 't', status: 'Проверка НКЦКИ', company: 'АО', fields: {}, body: {} };
const file = (size: number, filename = 'f.txt') => ({ filename, type: 'text/plain', size, md5: 'm', sha1: 's', sha256: 'h', bytes: Buffer.alloc(size) });

describe('Store', () => {
  it('numbers cards INC-YY-MM-N and starts them with updated = create_time', () => {
    const store = newStore();
    const card = store.create(notification);
    expect(card).toMatchObject({
      id: 1,
      identifier: 'INC-24-10-1',
      create_time: '2024-10-11T11:18:01.110Z',
      updated: '2024-10-11T11:18:01.110Z',
      reg_number: null,
    });
    expect(store.create(notification).identifier).toBe('INC-24-10-2');
  });

  it('moves updated strictly forward at every change even when the clock stands still', () => {
    const store = newStore();
    const card = store.create(notification);
    const seen = [card.updated];
    store.setStatus(card, 'Требуется дополнение');
    seen.push(card.updated);
    store.applyUpdate(card, 'supplement', { city: 'Тверь' }, { city: 'Тверь' });
    seen.push(card.updated);
    store.assignRegNumber(card, 'RMSH');
    seen.push(card.updated);
    expect(seen).toEqual(['2024-10-11T11:18:01.110Z', '2024-10-11T11:18:01.111Z', '2024-10-11T11:18:01.112Z', '2024-10-11T11:18:01.113Z']);
    expect(card.fields).toEqual({ city: 'Тверь' });
  });

  it('moves updated for comments and files only as profile.json says', () => {
    const quiet = newStore(100, { comment: false, file: false });
    const card = quiet.create(notification);
    quiet.addComment(card, 'x', 'op');
    quiet.addFiles(card, [file(1)]);
    expect(card.updated).toBe(card.create_time);
    const loud = newStore(100, { comment: true, file: true });
    const other = loud.create(notification);
    loud.addComment(other, 'x', 'op');
    expect(other.updated > other.create_time).toBe(true);
  });

  it('sets reg_number once', () => {
    const store = newStore();
    const card = store.create(notification);
    expect(store.assignRegNumber(card, 'RMSH')).toBe('RMSH-24-10-1');
    expect(() => store.assignRegNumber(card, 'RMSH', 'X')).toThrow(/already has reg_number RMSH-24-10-1/);
    expect(store.nextRegNumber('ALRT')).toBe('ALRT-24-10-1');
  });

  it('keeps files all or none within the bytes it may hold', () => {
    const store = newStore(100);
    const card = store.create(notification);
    store.addFiles(card, [file(60)]);
    expect(() => store.addFiles(card, [file(30, 'a'), file(20, 'b')])).toThrow(StoreFullError);
    expect(store.files().map((f) => f.filename)).toEqual(['f.txt']);
    expect(store.addFiles(card, [file(40, 'c.tar.gz')])[0]).toMatchObject({ id: 2, name: 'c.tar', filename: 'c.tar.gz', description: '', source: '' });
  });

  it('forgets everything, sequences included, on reset', () => {
    const store = newStore();
    const card = store.create(notification);
    store.addComment(card, 'x', 'op');
    store.reset();
    expect([store.cards(), store.comments(), store.files(), store.updates()]).toEqual([[], [], [], []]);
    expect(store.create(notification).identifier).toBe('INC-24-10-1');
  });
});
