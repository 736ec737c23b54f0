#!/usr/bin/env node
// Builds test/fixtures/rucert-export-v2.json: version 2 of the export form made by editing version 1's JSON only,
// the way compliance staff follow a changed NCIRCC type list (docs/ncircc.md). Unit, e2e and browser tests publish
// it to prove that such a change needs no code. Rerun after changing v1: node scripts/make-v2-fixture.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const v1 = (name) => JSON.parse(fs.readFileSync(path.join(root, 'schemas/forms/rucert-export/v1', name), 'utf8'));
const schema = v1('schema.json');
const uiSchema = v1('ui-schema.json');
const samples = v1('samples.json');

const REMOVED = ['malware_infrastructure', 'phishing_resource', 'spam_distribution'];
const ADDED = [
  {
    const: 'not_attack_related',
    title: 'Event not related to a computer attack',
    'x-rucert': 'Событие не связано с компьютерной атакой',
    'x-title-ru': 'Событие не связано с компьютерной атакой',
  },
  {
    const: 'attacks_from_resource',
    title: 'Use of a controlled resource to carry out attacks',
    'x-rucert': 'Использование контролируемого ресурса для проведения атак',
    'x-title-ru': 'Использование контролируемого ресурса для проведения атак',
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
  { name: 'v2: event not related to an attack', data: { ...incident, type: 'not_attack_related', availabilityImpact: 'high' } },
  { name: 'v2: resource used for attacks', data: { ...incident, type: 'attacks_from_resource', confidentialityImpact: 'high' } },
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
  data: { ...samples.valid.find((s) => s.data.category === 'computer_attack').data, type: 'attacks_from_resource' },
  errors: [{ path: '/type', keyword: 'enum' }],
});

const notes =
  'NCIRCC changed the computer-incident types (API 1.1.2): removed malware_infrastructure, phishing_resource and ' +
  'spam_distribution; added not_attack_related ("Событие не связано с компьютерной атакой") and attacks_from_resource ' +
  '("Использование контролируемого ресурса для проведения атак"). A test fixture made by editing version 1\'s JSON only.';

const out = path.join(root, 'test/fixtures/rucert-export-v2.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ schema, uiSchema, samples, notes }, null, 2) + '\n');
console.log(`wrote ${path.relative(root, out)}`);
