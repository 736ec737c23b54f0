// One definition of a document of definitions validates on its own; a name the document lacks is a clear error.
import { apiDefinitionValidator } from './ajv.pipe';

describe('apiDefinitionValidator', () => {
  it('validates against the named definition, compiled once', () => {
    const validate = apiDefinitionValidator('responses', 'Problem');
    expect(validate({ type: 'about:blank', title: 'Conflict', status: 409, code: 'conflict', detail: 'taken' })).toBe(true);
    expect(validate({ type: 'about:blank', title: 'Conflict', status: '409', code: 'conflict', detail: 'taken' })).toBe(false);
    expect(apiDefinitionValidator('responses', 'Problem')).toBe(validate);
  });

  it('throws, naming the document and the definition, for a definition the document does not have', () => {
    expect(() => apiDefinitionValidator('responses', 'NoSuchView')).toThrow('the API schema responses has no definition NoSuchView');
  });
});
