import { Entity, EntityRepositoryType, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { FormVersionRepository } from './form-version.repository';

/** One published, immutable version of a form definition. Exactly one version of a form is active. */
@Entity({ tableName: 'form_versions', repository: () => FormVersionRepository })
@Unique({ properties: ['formId', 'version'] })
@Unique({ properties: ['formId', 'builtin'] })
export class FormVersion {
  [EntityRepositoryType]?: FormVersionRepository;
  [OptionalProps]?: 'notes' | 'publishedAt' | 'active';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 100 })
  formId!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'json' })
  schema!: Record<string, unknown>;

  @Property({ type: 'json' })
  uiSchema!: Record<string, unknown>;

  @Property({ type: 'json' })
  samples!: Record<string, unknown>;

  @Property({ type: 'text' })
  notes: string = '';

  @Property({ type: 'string', length: 200 })
  author!: string;

  @Property({ type: 'datetime' })
  publishedAt: Date = new Date();

  @Index()
  @Property({ type: 'boolean' })
  active: boolean = false;

  /**
   * The key of a built-in version (schemas/forms/<form>/builtin.json), null for one published by staff: a built-in is
   * inserted once, whatever number it ends up with.
   */
  @Property({ type: 'string', length: 50, nullable: true })
  builtin?: string | null;
}
