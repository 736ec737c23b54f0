// The generated types must match the schemas they come from: `npm run schemas:types` regenerates them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { RucertExportFormV1 } from '../src/generated/forms/rucert-export-v1';

describe('generated types', () => {
  it('are up to date with schemas/ (node scripts/schemas-types.mjs --check)', () => {
    const root = join(__dirname, '..');
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/schemas-types.mjs'), '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('type the form data of version 1', () => {
    const data: RucertExportFormV1 = {
      category: 'vulnerability',
      type: 'vulnerable_resource',
      tlp: 'RED',
      affectedSystemName: 'web01',
      affectedSystemCategory: 'not_cii',
      affectedSystemFunction: 'other',
      location: 'RU-MOW',
      productInfo: [{ name: 'nginx', version: '1.18.0' }],
    };
    expect(data.productInfo).toHaveLength(1);
  });
});
