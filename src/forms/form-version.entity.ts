import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** One published, immutable version of a form definition. Exactly one version of a form is active. */
@Entity({ tableName: 'form_versions' })
@Unique({ properties: ['formId', 'version'] })
export class FormVersion {
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
}
