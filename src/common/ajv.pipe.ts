// Request bodies and query strings are validated by ajv against files in schemas/api/, compiled once when the
// pipe is constructed (at module load). Unknown fields are rejected by the schemas (additionalProperties: false).
import { Injectable, PipeTransform } from '@nestjs/common';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchemaAjv } from '../schema/schema-ajv';
import { SCHEMAS_DIR } from './paths';
import { ProblemError } from './problem';

// request bodies use the very ajv configuration of the form definitions: one class, options and formats
const ajv = createSchemaAjv();

const idOf = (name: string) => `urn:rucert-export:api:${name.split('/').pop()}`;

/**
 * Loads `schemas/api/<name>.schema.json` (or `schemas/<folder>/<name>.schema.json` for a name with a folder) once;
 * the same object feeds ajv and the OpenAPI document.
 */
export function apiSchema(name: string): Record<string, unknown> {
  const id = idOf(name);
  const known = ajv.getSchema(id);
  if (known) return known.schema as Record<string, unknown>;
  const file = join(SCHEMAS_DIR, name.includes('/') ? '' : 'api', `${name}.schema.json`);
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  if (schema.$id !== id) throw new Error(`${file} must have $id ${id}`);
  ajv.addSchema(schema);
  return schema;
}

function compiled(name: string): ValidateFunction {
  apiSchema(name);
  return ajv.getSchema(idOf(name))!;
}

/**
 * The validator of one definition of a document of definitions (`apiDefinitionValidator('responses', 'IncidentView')`);
 * throws for a definition the document does not have.
 */
export function apiDefinitionValidator(name: string, definition: string): ValidateFunction {
  apiSchema(name);
  const validate = ajv.getSchema(`${idOf(name)}#/definitions/${definition}`);
  if (!validate) throw new Error(`the API schema ${name} has no definition ${definition}`);
  return validate;
}

/** `new AjvPipe('incident-create')` for a body, `new AjvPipe('incident-list-query', 'request.invalid_query')` for a query. */
@Injectable()
export class AjvPipe<T = unknown> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction;

  constructor(
    readonly schemaName: string,
    private readonly messageKey: 'request.invalid_body' | 'request.invalid_query' = 'request.invalid_body',
  ) {
    this.validate = compiled(schemaName);
  }

  transform(value: unknown): T {
    if (!this.validate(value)) {
      throw new ProblemError(
        'validation_failed',
        this.messageKey,
        {},
        { ajv: { schema: this.validate.schema as object, errors: [...(this.validate.errors ?? [])] } },
      );
    }
    return value as T;
  }
}
