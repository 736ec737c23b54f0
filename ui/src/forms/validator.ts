// The rjsf validator for a form definition. Form data is checked by the shared library (src/schema/validator:
// the server's ajv configuration, its error mapping and its Russian messages) against the definition itself, not
// against the display schema rjsf renders, so the browser says exactly what the server would say.
import type { ErrorSchema, RJSFSchema, RJSFValidationError, ValidationData, ValidatorType } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type Ajv from 'ajv';
import { addSchemaFormats, LINEAR_TIME_OPTIONS, SCHEMA_ANNOTATION_KEYWORDS } from '../../../src/schema/schema-ajv';
import { validateData, type FieldError } from '../../../src/schema/validator';
import type { Lang } from '../common/i18n';
import { pointerSegments, type Json } from './definition';

// rjsf also asks its validator small questions about the display schema (which option of a oneOf matches, …);
// those go to its stock ajv8 validator, taught our annotation keywords (as annotations: the shared validator enforces them). It evaluates the definition's patterns on
// the analyst's input too, so it takes the server's linear-time engine and formats: rjsf's own `color` and
// `data-url` formats (backtracking RegExps) and ajv-formats' `url` are not checked (known, always valid: ajv
// neither runs them nor warns about an unknown format).
const UNCHECKED_FORMATS = ['color', 'data-url', 'url'];
const helper = customizeValidator({
  ajvOptionsOverrides: { strict: false, ...LINEAR_TIME_OPTIONS },
  ajvFormatOptions: false,
  extenderFn: (ajv: Ajv) => {
    for (const format of UNCHECKED_FORMATS) ajv.addFormat(format, true);
    addSchemaFormats(ajv);
    for (const keyword of SCHEMA_ANNOTATION_KEYWORDS) if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
    return ajv;
  },
});

export function toErrorSchema(errors: FieldError[]): ErrorSchema {
  const root: Json = {};
  for (const e of errors) {
    let node = root;
    for (const segment of pointerSegments(e.path)) node = node[segment] ??= {};
    (node.__errors ??= []).push(e.message);
  }
  return root as ErrorSchema;
}

export function toRjsfErrors(errors: FieldError[]): RJSFValidationError[] {
  return errors.map((e) => {
    const segments = pointerSegments(e.path);
    const property = segments.length ? `.${segments.join('.')}` : '.';
    return { name: e.keyword, property, message: e.message, stack: `${property} ${e.message}`, params: {}, schemaPath: e.path };
  });
}

/** Validates against `definitionSchema` whatever schema rjsf passes; a definition that does not compile is one error. */
export function createDefinitionValidator(definitionSchema: object, lang: Lang): ValidatorType {
  return {
    validateFormData(formData: unknown): ValidationData<unknown> {
      let errors: FieldError[];
      try {
        errors = validateData(definitionSchema, formData ?? {}, lang);
      } catch (err) {
        errors = [{ path: '', keyword: 'schema', message: (err as Error).message }];
      }
      return { errors: toRjsfErrors(errors), errorSchema: toErrorSchema(errors) };
    },
    isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema) {
      return helper.isValid(schema, formData, rootSchema);
    },
    rawValidation<Result = unknown>(schema: RJSFSchema, formData?: unknown) {
      return helper.rawValidation<Result>(schema, formData);
    },
  };
}
