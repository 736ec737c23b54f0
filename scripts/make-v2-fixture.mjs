#!/usr/bin/env node
// Builds test/fixtures/rucert-export-v2.json: version 2 of the export form made by editing version 1's JSON only,
// the way compliance staff follow a changed NCIRCC type list (RUCERT.md §2.2). Unit, e2e and browser tests publish
// it to prove that such a change needs no code. Rerun after changing v1: node scripts/make-v2-fixture.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const v1 = (name) => JSON.parse(fs.readFileSync(path.join(root, 'schemas/forms/rucert-export/v1', name), 'utf8'));
const schema = v1('schema.json');
const uiSchema = v1('ui-schema.json');
const samples = v1('samples.json');

const REMOVED = ['traffic_interception', 'illegal_content', 'spam_distribution'];
const ADDED = [
  {
    const: 'ddos_unavailability',
    title: 'Unavailability of the resource due to a DDoS attack',
    'x-rucert': 'Нарушение доступности ресурса в результате DDoS-атаки',
    'x-title-ru': 'Нарушение доступности ресурса в результате DDoS-атаки',
  },
  {
    const: 'personal_data_leak',
    title: 'Leak of personal data',
    'x-rucert': 'Утечка персональных данных',
    'x-title-ru': 'Утечка персональных данных',
  },
];

schema.$id = 'urn:rucert-export:forms:rucert-export:v2';
schema.title = 'RuCERT export form, version 2';
schema['x-title-ru'] = 'Форма выгрузки в НКЦКИ, версия 2';

// The type list: drop the removed options, add the new ones after the last computer-incident type.
const types = schema.properties.type.oneOf.filter((o) => !REMOVED.includes(o.const));
const lastIncident = types.findIndex((o) => o.const === 'vulnerability_exploited');
types.splice(lastIncident + 1, 0, ...ADDED);
schema.properties.type.oneOf = types;

// The category → type rule of computer_incident.
const incidentRule = schema.allOf.find((r) => r.if.properties.category.const === 'computer_incident');
const allowed = incidentRule.then.properties.type.enum.filter((t) => !REMOVED.includes(t));
incidentRule.then.properties.type.enum = [...allowed, ...ADDED.map((o) => o.const)];

const incident = samples.valid.find((s) => s.data.category === 'computer_incident').data;
samples.valid.push(
  { name: 'v2: DDoS unavailability incident', data: { ...incident, type: 'ddos_unavailability', availabilityImpact: 'high' } },
  { name: 'v2: personal data leak incident', data: { ...incident, type: 'personal_data_leak', confidentialityImpact: 'high' } },
);
for (const removed of REMOVED) {
  samples.invalid.push({
    name: `v2: ${removed} is no longer a type`,
    data: { ...incident, type: removed },
    errors: [{ path: '/type', keyword: 'oneOf' }],
  });
}
samples.invalid.push({
  name: 'v2: a new computer-incident type under computer attack',
  data: { ...samples.valid.find((s) => s.data.category === 'computer_attack').data, type: 'personal_data_leak' },
  errors: [{ path: '/type', keyword: 'enum' }],
});

const notes =
  'NCIRCC changed the computer-incident types (RUCERT.md §2.2): removed traffic_interception, illegal_content and ' +
  'spam_distribution; added ddos_unavailability ("Нарушение доступности ресурса в результате DDoS-атаки") and ' +
  'personal_data_leak ("Утечка персональных данных"). Test fixture: the new wire strings are plausible, not official.';

const out = path.join(root, 'test/fixtures/rucert-export-v2.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ schema, uiSchema, samples, notes }, null, 2) + '\n');
console.log(`wrote ${path.relative(root, out)}`);
