/**
 * The publish gate of docs/form-definitions.md: everything a form definition must pass before it can become a version.
 * Input is hostile (any JSON a compliance token can post), so the gate bounds size and depth before anything else,
 * never throws, and reports every problem at once, in a fixed order, each with a JSON Pointer into the submitted
 * definition. Patterns compile only through RE2 (schema-ajv.ts), so wherever one hides (a `$ref` into `examples`,
 * `definitions`, an annotation) it runs in linear time; the gate names those RE2 cannot run.
 */
import type { ValidateFunction } from 'ajv';
import defaultSources from '../../schemas/forms/default-sources.schema.json';
import { SOURCE_OF, specKind, type DefaultSpec } from '../schema/defaults';
import { createSchemaAjv, WIRE_TYPES, X_DEFAULT_META_SCHEMA, X_SUPPLEMENT_META_SCHEMA } from '../schema/schema-ajv';
import { mapAjvErrors } from '../schema/validator';
import { pointer, resolvePointer } from '../schema/json-pointer';
import { checkPattern } from '../schema/regex-safety';
import { isObject } from '../schema/json';
import { lintUiOptions } from '../schema/ui-options';
import { convertWireType, wireFieldOf, type WireType } from '../schema/wire-mapper';

export interface GateProblem {
  /** JSON Pointer into the submitted definition, e.g. "/schema/allOf/2/if". */
  path: string;
  /** Short stable code, e.g. "if-without-required". */
  rule: string;
  message: string;
}

export interface FormSample {
  name: string;
  data: unknown;
}
export interface InvalidFormSample extends FormSample {
  errors: Array<{ path: string; keyword: string }>;
}
export interface FormSamples {
  valid: FormSample[];
  invalid: InvalidFormSample[];
}
export interface FormDefinitionInput {
  schema: unknown;
  uiSchema: unknown;
  samples?: FormSamples | unknown;
}

export const GATE_LIMITS = {
  /** JSON.stringify length of the whole definition. */
  maxChars: 2_000_000,
  /** Nesting of objects and arrays in the whole definition. */
  maxDepth: 64,
  /** Objects, arrays and scalars in the whole definition: bounds the work of the depth walk itself. */
  maxNodes: 500_000,
  /**
   * Options of one oneOf, anyOf or enum. ajv compiles a oneOf/anyOf into code nested one level per option (3,000
   * overflowed the stack; 20,000 answered "Maximum call stack size exceeded") and its compile time grows faster than
   * the list; 300 compile in ~0.2 s and check an invalid value in ~20 ms. The longest list of the built-in versions
   * (regions) has 83.
   */
  maxOptions: 300,
  /** Options of all such lists together: each is checked on every submission. */
  maxOptionsInTotal: 1_500,
  /** Entries of one allOf (the if/then rules): 300 check in ~16 ms. */
  maxRules: 300,
  /** Properties of one object: 500 check in ~15 ms. */
  maxProperties: 500,
  /**
   * RE2 program size of all patterns together. RE2 runs in time linear in the input, times a factor that grows with
   * the program in the worst case (a 14,000-instruction pattern took 0.2 s on 500,000 characters); this bounds the
   * factor for the whole definition. The built-in versions use about 60.
   */
  maxPatternProgram: 10_000,
};

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema';

type Json = Record<string, unknown>;

export function checkDefinition(def: FormDefinitionInput): GateProblem[] {
  try {
    return runGate(def);
  } catch (e) {
    // A bug in a lint rule must not turn a rejected definition into a 500 or an accepted one.
    return [{ path: '', rule: 'internal', message: `the gate could not check this definition: ${(e as Error).message}` }];
  }
}

function runGate(def: FormDefinitionInput): GateProblem[] {
  if (!isObject(def)) return [{ path: '', rule: 'shape', message: 'a definition is an object {schema, uiSchema, samples?}' }];

  const bounds = checkBounds(def);
  if (bounds) return [bounds];

  const problems: GateProblem[] = [];
  const schema = def.schema;
  if (!isObject(schema)) {
    problems.push({ path: '/schema', rule: 'meta-schema', message: 'the schema must be a JSON object' });
    problems.push(...checkUiSchema(def.uiSchema, {}));
    return problems;
  }

  const tooComplex = checkComplexity(schema, problems);
  const metaOk = checkMetaSchema(schema, problems);
  findDataKeyword(schema, '/schema', problems);
  const badRegex = checkEveryPattern(schema, problems);
  const lint = lintSchema(schema, problems);
  checkWireMapping(schema, problems);
  const annotationsOk = checkAnnotations(schema, problems);

  let validate: ValidateFunction | undefined;
  // a misused annotation of ours is already named with its path; ajv would only repeat it without one
  if (metaOk && !lint.remoteRef && !badRegex && !tooComplex && annotationsOk) {
    try {
      validate = createSchemaAjv().compile(schema);
    } catch (e) {
      problems.push({ path: '/schema', rule: 'strict-compile', message: (e as Error).message });
    }
  }
  if (validate && def.samples !== undefined) {
    replaySamples(schema, validate, def.samples, problems);
  }
  problems.push(...checkUiSchema(def.uiSchema, isObject(schema.properties) ? schema.properties : {}));
  return problems;
}

/** Depth and size, iteratively (a recursive walk is itself what a deep document attacks). */
function checkBounds(def: Json): GateProblem | undefined {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: def, depth: 0, path: '' }];
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (++nodes > GATE_LIMITS.maxNodes) {
      return { path: '', rule: 'too-large', message: `more than ${GATE_LIMITS.maxNodes} values in the definition` };
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= GATE_LIMITS.maxDepth) {
      return { path, rule: 'too-deep', message: `nested deeper than ${GATE_LIMITS.maxDepth} levels` };
    }
    // Every value on the stack and every child will be counted: a document already over the bound is refused before
    // its 600,000-element array is turned into entries and paths.
    const size = Array.isArray(node) ? node.length : Object.keys(node).length;
    if (nodes + stack.length + size > GATE_LIMITS.maxNodes) {
      return { path: '', rule: 'too-large', message: `more than ${GATE_LIMITS.maxNodes} values in the definition` };
    }
    // Pushed in reverse so the first offending path found is the first in document order.
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      stack.push({ node: entries[i][1], depth: depth + 1, path: pointer(path, entries[i][0]) });
    }
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(def);
  } catch (e) {
    return { path: '', rule: 'not-json', message: `the definition is not plain JSON: ${(e as Error).message}` };
  }
  if (text !== undefined && text.length > GATE_LIMITS.maxChars) {
    return { path: '', rule: 'too-large', message: `${text.length} characters of JSON, at most ${GATE_LIMITS.maxChars}` };
  }
  return undefined;
}

/**
 * What ajv's compiled code costs grows with the longest lists of a definition, faster than their length: too many
 * options, rules or properties are refused by name before anything is compiled. Every list in the document is
 * counted, wherever it is (a `$ref` can reach any of them). Iterative; returns whether one was refused.
 */
function checkComplexity(schema: Json, problems: GateProblem[]): boolean {
  const before = problems.length;
  let options = 0;
  const stack: Array<{ node: unknown; path: string }> = [{ node: schema, path: '/schema' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node)) {
      const object = node as Json;
      for (const key of ['oneOf', 'anyOf', 'enum']) {
        const list = object[key];
        if (!Array.isArray(list)) continue;
        options += list.length;
        if (list.length > GATE_LIMITS.maxOptions) {
          problems.push({ path: `${path}/${key}`, rule: 'too-many-options', message: `${list.length} options, at most ${GATE_LIMITS.maxOptions} in one list` });
        }
      }
      if (Array.isArray(object.allOf) && object.allOf.length > GATE_LIMITS.maxRules) {
        problems.push({
          path: `${path}/allOf`,
          rule: 'too-many-rules',
          message: `${object.allOf.length} entries, at most ${GATE_LIMITS.maxRules} in one allOf`,
        });
      }
      const properties = isObject(object.properties) ? Object.keys(object.properties).length : 0;
      if (properties > GATE_LIMITS.maxProperties) {
        problems.push({
          path: `${path}/properties`,
          rule: 'too-many-properties',
          message: `${properties} properties, at most ${GATE_LIMITS.maxProperties} in one object`,
        });
      }
    }
    for (const [key, value] of Object.entries(node)) stack.push({ node: value, path: pointer(path, key) });
  }
  if (problems.length === before && options > GATE_LIMITS.maxOptionsInTotal) {
    problems.push({ path: '/schema', rule: 'too-many-options', message: `${options} options in all lists together, at most ${GATE_LIMITS.maxOptionsInTotal}` });
  }
  return problems.length > before;
}

function checkMetaSchema(schema: Json, problems: GateProblem[]): boolean {
  let ok = true;
  const declared = schema.$schema;
  if (typeof declared !== 'string' || declared.replace(/#$/, '') !== DRAFT_07) {
    problems.push({
      path: '/schema/$schema',
      rule: 'meta-schema',
      message: `"$schema" must be "${DRAFT_07}#" (JSON Schema draft-07)`,
    });
    ok = false;
  }
  const meta = createSchemaAjv().getSchema(DRAFT_07)!;
  if (!meta(schema)) {
    ok = false;
    for (const e of meta.errors ?? []) {
      problems.push({ path: '/schema' + e.instancePath, rule: 'meta-schema', message: `${e.keyword}: ${e.message}` });
    }
  }
  return ok;
}

/** `$data` lets submitted data steer validation; it is refused anywhere in the schema, even inside values. */
function findDataKeyword(node: unknown, path: string, problems: GateProblem[]): void {
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    const at = pointer(path, key);
    if (key === '$data') problems.push({ path: at, rule: 'data-keyword', message: '"$data" references are not allowed' });
    findDataKeyword(value, at, problems); // depth is bounded by checkBounds
  }
}

/**
 * Every `pattern` string and `patternProperties` key anywhere in the document, not only under the keywords the lint
 * walks: a `$ref` can make any object a schema (`#/properties/x/examples/0`), so where a pattern could be reached
 * is not worth guessing. A string under a key "pattern" in example data is judged too; that costs nothing but a
 * clear message in the rare case it is not a regular expression RE2 can run. Returns whether one was refused.
 */
function checkEveryPattern(root: unknown, problems: GateProblem[]): boolean {
  const total = { programSize: 0 };
  const refused = judgePatterns(root, '/schema', problems, total);
  if (!refused && total.programSize > GATE_LIMITS.maxPatternProgram) {
    problems.push({
      path: '/schema',
      rule: 'patterns-too-complex',
      message: `the patterns compile to ${total.programSize} RE2 instructions together, at most ${GATE_LIMITS.maxPatternProgram}`,
    });
    return true;
  }
  return refused;
}

function judgePatterns(node: unknown, path: string, problems: GateProblem[], total: { programSize: number }): boolean {
  if (node === null || typeof node !== 'object') return false;
  let refused = false;
  const judge = (pattern: string, at: string) => {
    const verdict = checkPattern(pattern);
    if (verdict.ok) {
      total.programSize += verdict.programSize;
      return;
    }
    refused = true;
    problems.push({ path: at, rule: verdict.rule, message: `pattern ${JSON.stringify(pattern)}: ${verdict.reason}` });
  };
  if (!Array.isArray(node)) {
    const object = node as Json;
    if (typeof object.pattern === 'string') judge(object.pattern, path + '/pattern');
    if (isObject(object.patternProperties)) {
      for (const key of Object.keys(object.patternProperties)) judge(key, pointer(path + '/patternProperties', key));
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (judgePatterns(value, pointer(path, key), problems, total)) refused = true; // depth is bounded by checkBounds
  }
  return refused;
}

// Where subschemas sit in draft-07, so the walk never mistakes a property named "pattern" for the keyword.
const SCHEMA_KEYWORDS = ['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not'];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf'];
const SCHEMA_MAP_KEYWORDS = ['definitions', 'properties', 'patternProperties', 'dependencies'];
const FIXED_FORMATS = new Set(['date-time', 'date', 'time']);

/**
 * Calls `visit` on every subschema of `root` with its JSON Pointer (under /schema) and whether it is a top-level
 * property, following draft-07's keywords only, so a property named "pattern" is never taken for the keyword.
 */
function walkSchema(root: Json, visit: (node: Json, path: string, topLevel: boolean) => void): void {
  const walk = (node: unknown, path: string, topLevel: boolean): void => {
    if (!isObject(node)) return;
    visit(node, path, topLevel);
    for (const key of SCHEMA_KEYWORDS) walk(node[key], pointer(path, key), false);
    for (const key of SCHEMA_ARRAY_KEYWORDS) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((sub, i) => walk(sub, `${path}/${key}/${i}`, false));
    }
    if (Array.isArray(node.items)) node.items.forEach((sub, i) => walk(sub, `${path}/items/${i}`, false));
    else walk(node.items, path + '/items', false);
    for (const key of SCHEMA_MAP_KEYWORDS) {
      const map = node[key];
      if (isObject(map)) for (const [name, sub] of Object.entries(map)) walk(sub, pointer(path + '/' + key, name), node === root && key === 'properties');
    }
  };
  walk(root, '/schema', false); // depth is bounded by checkBounds
}

function lintSchema(root: Json, problems: GateProblem[]): { remoteRef: boolean } {
  const found = { remoteRef: false };

  walkSchema(root, (node, path) => {
    if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
      found.remoteRef = true;
      problems.push({ path: path + '/$ref', rule: 'remote-ref', message: `only local references ("#/…") are allowed, not ${JSON.stringify(node.$ref)}` });
    }
    if (isObject(node.if) && isObject(node.if.properties)) {
      const required = Array.isArray(node.if.required) ? node.if.required : [];
      const missing = Object.keys(node.if.properties).filter((key) => !required.includes(key));
      if (missing.length > 0) {
        problems.push({
          path: path + '/if',
          rule: 'if-without-required',
          message: `"if" tests ${missing.join(', ')} without listing it in "required", so it also matches when the field is absent`,
        });
      }
    }
    if (isUnboundedString(node)) {
      problems.push({ path, rule: 'string-without-maxLength', message: 'a string needs "maxLength"' });
    }
    if (Array.isArray(node.oneOf)) {
      node.oneOf.forEach((option, i) => {
        if (isObject(option) && 'const' in option && option['x-rucert'] === undefined) {
          problems.push({
            path: `${path}/oneOf/${i}`,
            rule: 'enum-option-without-x-rucert',
            message: `option ${JSON.stringify(option.const)} has no "x-rucert" wire value`,
          });
        }
      });
    }
  });
  return found;
}

function isUnboundedString(node: Json): boolean {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (!types.includes('string') || typeof node.maxLength === 'number') return false;
  if ('const' in node || Array.isArray(node.enum)) return false;
  if (isConstList(node.oneOf) || isConstList(node.anyOf)) return false;
  return !(typeof node.format === 'string' && FIXED_FORMATS.has(node.format));
}

function isConstList(list: unknown): boolean {
  return Array.isArray(list) && list.length > 0 && list.every((o) => isObject(o) && 'const' in o);
}

/**
 * Every declared field, top level and nested (array items, object properties), says where it goes on the wire;
 * an enumeration sent to RuCERT is a oneOf of options, each with its wire value (checked in lintSchema).
 */
function checkWireMapping(root: Json, problems: GateProblem[]): void {
  const visitProperties = (node: unknown, path: string) => {
    if (!isObject(node)) return;
    if (isObject(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        const at = pointer(path + '/properties', name);
        if (!isObject(property)) continue;
        const annotation = property['x-rucert'];
        if (!isObject(annotation) || typeof annotation.field !== 'string' || annotation.field === '') {
          problems.push({ path: at, rule: 'missing-x-rucert', message: `"${name}" has no "x-rucert": {"field": …} wire mapping` });
        }
        if (Array.isArray(property.enum)) {
          problems.push({
            path: at + '/enum',
            rule: 'enum-option-without-x-rucert',
            message: `"${name}" is an enumeration without wire values: use a "oneOf" of {const, title, x-rucert} options`,
          });
        }
        const items = deref(root, property.items);
        if (items && declaredTypes(items).includes('object') && !isObject(items.properties)) {
          problems.push({
            path: at + '/items',
            rule: 'items-without-x-rucert',
            message: `the rows of "${name}" are objects without declared members, so none of them says where it goes on the wire`,
          });
        }
        visitProperties(property, at);
      }
    }
    if (Array.isArray(node.items)) node.items.forEach((item, i) => visitProperties(item, `${path}/items/${i}`));
    else visitProperties(node.items, path + '/items');
  };
  visitProperties(root, '/schema');
}

// ---- our annotations (src/schema/schema-ajv.ts, docs/form-definitions.md) -----------------------------------------

function declaredTypes(node: Json): string[] {
  return (Array.isArray(node.type) ? node.type : [node.type]).filter((t): t is string => typeof t === 'string');
}

/** A local `$ref` followed (its siblings win), as the mapper and ajv see the property. */
function deref(root: Json, schema: unknown): Json | undefined {
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 32; hops++) {
    const { $ref, ...siblings } = current;
    const target = ($ref as string).startsWith('#') ? resolvePointer(root, $ref as string) : undefined;
    current = isObject(target) ? { ...target, ...siblings } : siblings;
  }
  return isObject(current) ? current : undefined;
}

/** The codes of an enumeration (`oneOf` of consts or `enum`), or undefined. */
function enumerationCodes(node: Json): unknown[] | undefined {
  if (isConstList(node.oneOf)) return (node.oneOf as Json[]).map((o) => o.const);
  return Array.isArray(node.enum) ? node.enum : undefined;
}

/** Which wire types each form type can be written as (wire-mapper.ts convertWireType). */
const PRODUCIBLE: Record<string, WireType[]> = {
  string: ['string', 'number', 'integer'], // numbers only from numeric strings: the x-rucert keyword checks each value
  number: ['number', 'string'],
  integer: ['integer', 'number', 'string'],
  boolean: ['boolean', 'string'],
};

const xDefaultShape = createSchemaAjv().compile(X_DEFAULT_META_SCHEMA);
const xSupplementShape = createSchemaAjv().compile(X_SUPPLEMENT_META_SCHEMA);

/** The declaration of a source path in schemas/forms/default-sources.schema.json, or undefined. */
function sourceNode(spec: DefaultSpec): Json | undefined {
  const kind = specKind(spec);
  if (!kind) return undefined;
  let node: unknown = (defaultSources.properties as Json)[SOURCE_OF[kind]];
  for (const segment of spec[kind]!.split('.')) {
    const properties = isObject(node) && isObject(node.properties) ? node.properties : undefined;
    if (!properties || !Object.prototype.hasOwnProperty.call(properties, segment)) return undefined;
    node = properties[segment];
  }
  return isObject(node) ? node : undefined;
}

/**
 * x-not-future only on date-times, x-max-serialized-length a positive integer on a list or object, x-rucert's wire
 * type one the mapper can produce from the property's type, x-default on a top-level property naming a source that
 * exists, in the shape the field takes. Returns false when something here is wrong.
 */
function checkAnnotations(root: Json, problems: GateProblem[]): boolean {
  const before = problems.length;
  const problem = (path: string, rule: string, message: string) => problems.push({ path, rule, message });

  walkSchema(root, (node, path, topLevel) => {
    const types = declaredTypes(node);
    if ('x-not-future' in node) {
      const at = path + '/x-not-future';
      if (typeof node['x-not-future'] !== 'boolean') problem(at, 'x-not-future-invalid', '"x-not-future" is true or false');
      else if (!(types.length === 1 && types[0] === 'string' && (node.format === 'date-time' || node.format === 'date'))) {
        problem(at, 'x-not-future-not-date-time', '"x-not-future" applies to a string of format "date-time" or "date"');
      }
    }
    if ('x-max-serialized-length' in node) {
      const at = path + '/x-max-serialized-length';
      const limit = node['x-max-serialized-length'];
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
        problem(at, 'x-max-serialized-length-invalid', '"x-max-serialized-length" is a positive integer (characters of JSON)');
      } else if (types.length === 0 || types.some((t) => t !== 'array' && t !== 'object')) {
        problem(at, 'x-max-serialized-length-on-scalar', '"x-max-serialized-length" bounds a list or an object; a string is bounded by "maxLength"');
      }
    }
    const annotation = node['x-rucert'];
    if (isObject(annotation) && 'type' in annotation) checkWireType(node, annotation.type, path + '/x-rucert/type', problem);
    if ('x-default' in node) {
      if (!topLevel) problem(path + '/x-default', 'x-default-not-top-level', '"x-default" applies to a top-level property only');
      else checkDefaultDeclaration(root, node, path + '/x-default', problem);
    }
  });
  checkSupplementDeclaration(root, problem);
  return problems.length === before;
}

/** x-supplement at the root: each rule's `when` a schema of the exported data, its fields top-level wire fields. */
function checkSupplementDeclaration(root: Json, problem: (path: string, rule: string, message: string) => void): void {
  const rules = root['x-supplement'];
  if (rules === undefined) return;
  const at = '/schema/x-supplement';
  if (!xSupplementShape(rules)) {
    problem(at, 'x-supplement-invalid', (xSupplementShape.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
    return;
  }
  const properties = isObject(root.properties) ? root.properties : {};
  (rules as Array<{ when: Json; fields: string[] }>).forEach((rule, i) => {
    try {
      createSchemaAjv().compile({ type: 'object', ...rule.when });
    } catch (e) {
      problem(`${at}/${i}/when`, 'x-supplement-invalid', `"when" is a JSON Schema of the exported data: ${(e as Error).message}`);
    }
    rule.fields.forEach((field, j) => {
      const property = properties[field];
      if (!isObject(property) || wireFieldOf(property) === undefined) {
        problem(`${at}/${i}/fields/${j}`, 'x-supplement-unknown-field', `${field} is not a top-level field of the form sent to NCIRCC`);
      }
    });
  });
}

function checkWireType(node: Json, type: unknown, at: string, problem: (path: string, rule: string, message: string) => void): void {
  if (!WIRE_TYPES.includes(type as WireType)) {
    problem(at, 'wire-type-invalid', `the wire type is one of ${WIRE_TYPES.join(', ')}`);
    return;
  }
  const codes = enumerationCodes(node);
  if (isConstList(node.oneOf)) {
    const bad = (node.oneOf as Json[]).filter((o) => convertWireType(o['x-rucert'], type as WireType) === undefined);
    if (bad.length > 0) {
      problem(at, 'wire-type-mismatch', `the wire values ${bad.map((o) => JSON.stringify(o['x-rucert'])).join(', ')} cannot be sent as ${String(type)}`);
    }
    return;
  }
  const types = declaredTypes(node);
  if (codes === undefined && types.length === 0) {
    problem(at, 'wire-type-mismatch', 'a wire type needs the property\'s own "type" to be declared');
    return;
  }
  const unproducible = types.filter((t) => !(PRODUCIBLE[t] ?? []).includes(type as WireType));
  if (unproducible.length > 0) problem(at, 'wire-type-mismatch', `a ${unproducible.join(' or ')} cannot be sent as ${String(type)}`);
}

function checkDefaultDeclaration(root: Json, node: Json, at: string, problem: (path: string, rule: string, message: string) => void): void {
  const annotation = node['x-default'];
  const list = Array.isArray(annotation) ? annotation : [annotation];
  if (!xDefaultShape(annotation)) {
    // a spec naming no known source is the likeliest slip (a typo, a source that does not exist): say so by name
    const unknownSources = list.flatMap((spec, i) =>
      isObject(spec) && !Object.keys(spec).some((key) => key in SOURCE_OF) ? [Array.isArray(annotation) ? `${at}/${i}` : at] : [],
    );
    for (const path of unknownSources) problem(path, 'x-default-unknown-source', `a default comes from one of ${Object.keys(SOURCE_OF).join(', ')}`);
    if (unknownSources.length === 0) {
      problem(at, 'x-default-invalid', (xDefaultShape.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
    }
    return;
  }
  const property = deref(root, node) ?? node;
  const propertyTypes = declaredTypes(property);
  const isList = propertyTypes.includes('array');
  const itemProperties = isObject(deref(root, property.items)?.properties) ? (deref(root, property.items)!.properties as Json) : {};
  const codes = enumerationCodes(property);

  list.forEach((raw, i) => {
    const spec = raw as DefaultSpec;
    const path = Array.isArray(annotation) ? `${at}/${i}` : at;
    const kind = specKind(spec)!;
    const source = sourceNode(spec);
    if (!source) {
      problem(
        path + '/' + kind,
        kind === 'setting' ? 'x-default-unknown-setting' : 'x-default-unknown-field',
        `${SOURCE_OF[kind]} has no ${JSON.stringify(spec[kind])} (schemas/forms/default-sources.schema.json)`,
      );
      return;
    }
    const sourceIsList = declaredTypes(source).includes('array');
    const listSpec = spec.pick !== undefined || spec.where !== undefined || spec.fill !== undefined;
    if (sourceIsList !== isList || listSpec !== isList || (isList && spec.pick === undefined) || (spec.map !== undefined && isList)) {
      problem(
        path,
        'x-default-list-mismatch',
        isList
          ? 'a list field takes its default from a list source with "pick" (and optionally "where", "fill"), never "map"'
          : 'a single-value field takes its default from a single-value source, without "pick", "where" or "fill"',
      );
      return;
    }
    if (isList) {
      const sourceMembers = isObject(source.items) && isObject(source.items.properties) ? source.items.properties : {};
      const unknown = [
        ...spec.pick!.filter((k) => !(k in sourceMembers) || !(k in itemProperties)).map((k) => `pick "${k}"`),
        ...Object.keys(spec.where ?? {})
          .filter((k) => !(k in sourceMembers))
          .map((k) => `where "${k}"`),
        ...Object.keys(spec.fill ?? {})
          .filter((k) => !spec.pick!.includes(k))
          .map((k) => `fill "${k}"`),
      ];
      if (unknown.length > 0) {
        problem(path, 'x-default-unknown-member', `${unknown.join(', ')}: a member the source rows and the field's rows both have (fill: a picked one)`);
      }
      return;
    }
    if (spec.map !== undefined) {
      const bad = Object.entries(spec.map).filter(([, v]) => (codes ? !codes.includes(v) : !propertyTypes.includes(typeof v)));
      if (bad.length > 0) {
        problem(path + '/map', 'x-default-map-value', `${bad.map(([k, v]) => `${k} → ${JSON.stringify(v)}`).join(', ')}: not a value of the field`);
      }
      return;
    }
    const sourceTypes = declaredTypes(source);
    if (sourceTypes.length > 0 && propertyTypes.length > 0 && !sourceTypes.some((t) => propertyTypes.includes(t))) {
      problem(path, 'x-default-type-mismatch', `${SOURCE_OF[kind]} ${spec[kind]} is a ${sourceTypes.join('/')}, the field a ${propertyTypes.join('/')}`);
    }
  });
}

function replaySamples(schema: Json, validate: ValidateFunction, samples: unknown, problems: GateProblem[]): void {
  if (!isObject(samples) || !Array.isArray(samples.valid) || !Array.isArray(samples.invalid)) {
    problems.push({ path: '/samples', rule: 'sample-shape', message: 'samples are {"valid": [{name, data}], "invalid": [{name, data, errors}]}' });
    return;
  }
  const run = (data: unknown) => (validate(data) ? [] : mapAjvErrors(schema, validate.errors ?? []));
  const describe = (errors: Array<{ path: string; keyword: string }>) => errors.map((e) => `${e.path || '/'} ${e.keyword}`).join('; ');

  samples.valid.forEach((sample, i) => {
    const name = isObject(sample) ? String(sample.name) : String(i);
    const errors = run(isObject(sample) ? sample.data : undefined);
    if (errors.length > 0) {
      problems.push({ path: `/samples/valid/${i}`, rule: 'sample-invalid', message: `valid sample "${name}" fails: ${describe(errors)}` });
    }
  });
  samples.invalid.forEach((sample, i) => {
    const name = isObject(sample) ? String(sample.name) : String(i);
    const errors = run(isObject(sample) ? sample.data : undefined);
    if (errors.length === 0) {
      problems.push({ path: `/samples/invalid/${i}`, rule: 'sample-valid-unexpectedly', message: `invalid sample "${name}" passes validation` });
      return;
    }
    const expected = isObject(sample) && Array.isArray(sample.errors) ? sample.errors : [];
    expected.forEach((want, j) => {
      const hit = isObject(want) && errors.some((e) => e.path === want.path && e.keyword === want.keyword);
      if (!hit) {
        problems.push({
          path: `/samples/invalid/${i}/errors/${j}`,
          rule: 'sample-wrong-error',
          message: `invalid sample "${name}" lacks the expected error ${JSON.stringify(want)}; it gives: ${describe(errors)}`,
        });
      }
    });
  });
}

function checkUiSchema(uiSchema: unknown, properties: Json): GateProblem[] {
  if (!isObject(uiSchema)) return [{ path: '/uiSchema', rule: 'ui-schema', message: 'the UI schema must be a JSON object' }];
  const problems: GateProblem[] = [];
  const known = (field: unknown, path: string) => {
    if (typeof field !== 'string' || !Object.prototype.hasOwnProperty.call(properties, field)) {
      problems.push({ path, rule: 'ui-unknown-field', message: `${JSON.stringify(field)} is not a property of the schema` });
    }
  };
  // only the UI options the form documents (src/schema/ui-options.ts): no markdown, no hidden or custom fields
  for (const p of lintUiOptions(uiSchema, '/uiSchema')) problems.push({ path: p.path, rule: 'ui-option-not-allowed', message: p.message });
  for (const key of Object.keys(uiSchema)) if (!key.startsWith('ui:')) known(key, pointer('/uiSchema', key));
  const order = uiSchema['ui:order'];
  if (order !== undefined) {
    if (!Array.isArray(order)) problems.push({ path: '/uiSchema/ui:order', rule: 'ui-schema', message: '"ui:order" must be an array' });
    else order.forEach((field, i) => field !== '*' && known(field, `/uiSchema/ui:order/${i}`));
  }
  const tabs = uiSchema['ui:tabs'];
  if (tabs !== undefined) {
    if (!Array.isArray(tabs)) {
      problems.push({ path: '/uiSchema/ui:tabs', rule: 'ui-schema', message: '"ui:tabs" must be an array of {id, title, fields}' });
    } else {
      tabs.forEach((tab, i) => {
        if (!isObject(tab) || typeof tab.id !== 'string' || !Array.isArray(tab.fields)) {
          problems.push({ path: `/uiSchema/ui:tabs/${i}`, rule: 'ui-schema', message: 'a tab is {id, title, fields: [names]}' });
          return;
        }
        tab.fields.forEach((field, j) => known(field, `/uiSchema/ui:tabs/${i}/fields/${j}`));
      });
    }
  }
  return problems;
}
