// The generated types must match the schemas they come from: `npm run schemas:types` regenerates them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('generated types', () => {
  it('are up to date with schemas/ (node scripts/schemas-types.mjs --check)', () => {
    const root = join(__dirname, '..');
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/schemas-types.mjs'), '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it.each([
    ['forms/rucert-export/v1/schema.json', 'forms/rucert-export-v1.ts', 'RucertExportFormV1'],
    ['forms/rucert-export/v2/schema.json', 'forms/rucert-export-v2.ts', 'RucertExportFormV2'],
  ])('give %s a type %s with every field of the form, required where the form requires it', (schemaFile, typeFile, typeName) => {
    const root = join(__dirname, '..');
    const schema = JSON.parse(readFileSync(join(root, 'schemas', schemaFile), 'utf8'));
    const generated = readFileSync(join(root, 'src', 'generated', typeFile), 'utf8');
    expect(generated).toContain(`export interface ${typeName} {`);
    for (const field of Object.keys(schema.properties)) {
      const optional = !schema.required.includes(field);
      expect(generated).toMatch(new RegExp(`\\n  ${field}${optional ? '\\?' : ''}:[ \\n]`));
    }
  });
});
