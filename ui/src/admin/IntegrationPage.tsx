// RuCERT integration settings, rendered by rjsf from schemas/integration/rucert-settings.schema.json (the schema the
// service validates PUT bodies with). The token and root CA are write-only: the page shows whether one is stored,
// never a value, and an empty field keeps the stored one. A setting that is the default of an enumeration of the
// active form version (business sector, location) is offered as that field's options, which is exactly what the
// service accepts.
import { useMemo, useState } from 'react';
import settingsSchema from '../../../schemas/integration/rucert-settings.schema.json';
import { settingDefaults } from '../../../src/schema/defaults';
import type { FieldError } from '../../../src/schema/validator';
import { api, ApiError } from '../common/api';
import type { IntegrationCheck, IntegrationView } from '../common/api-types';
import { Loading, Notice, ProblemBanner, useLoad } from '../common/components';
import { useI18n } from '../common/i18n';
import type { Definition, FormData, Json } from '../forms/definition';
import { SchemaForm } from '../forms/SchemaForm';
import type { FormVersion } from '../export/ExportDialog';

// everything the service returns and takes back: a field left out here would be re-filled with its schema default by
// the form after each save, which counts as an edit
const EDITABLE = [
  'enabled',
  'url',
  'companyName',
  'mssp',
  'ownerName',
  'defaultAffectedSystemFunction',
  'defaultLocation',
  'detectionTool',
  'operator',
  'timeoutMs',
  'syncIntervalMs',
  'inboundEnabled',
] as const;

function formDataOf(view: IntegrationView): FormData {
  const data: FormData = {};
  for (const key of EDITABLE) if (view[key] !== null && view[key] !== undefined) data[key] = view[key];
  if (view.configured === false) data.enabled = true;
  return data;
}

const secretTitle = (name: 'token' | 'rootCa', lang: string): string => {
  const prop: Json = settingsSchema.properties[name];
  return (lang === 'ru' ? prop['x-title-ru'] : undefined) ?? prop.title;
};

export function IntegrationPage() {
  const { t, lang } = useI18n();
  const settings = useLoad(() => api.get<IntegrationView>('/integrations/rucert'), []);
  const form = useLoad(() => api.get<FormVersion>('/forms/rucert-export'), []);
  const [data, setData] = useState<FormData | null>(null);
  const [serverErrors, setServerErrors] = useState<FieldError[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<IntegrationCheck | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  const view = settings.data;
  const current = data ?? (view ? formDataOf(view) : null);

  const definition = useMemo<Definition | null>(() => {
    if (!view || !form.data) return null;
    const schema: Json = structuredClone(settingsSchema);
    const formProps: Json = form.data.schema?.properties ?? {};
    // a setting that is the default of an enumeration of the active form (its x-default, or legacy-defaults.json for
    // version 1) must be one of its codes: offer those options
    for (const { setting, field } of settingDefaults(form.data.schema ?? {})) {
      if (schema.properties[setting] && Array.isArray(formProps[field]?.oneOf)) schema.properties[setting].oneOf = formProps[field].oneOf;
    }
    const uiSchema: Json = {
      'ui:order': [
        'enabled',
        'url',
        'token',
        'companyName',
        'mssp',
        'ownerName',
        'defaultAffectedSystemFunction',
        'defaultLocation',
        'detectionTool',
        'operator',
        'timeoutMs',
        'syncIntervalMs',
        'inboundEnabled',
        'rootCa',
        '*',
      ],
      url: { 'ui:placeholder': 'https://lk.cert.gov.ru/api/v2' },
      token: {
        'ui:widget': 'password',
        'ui:autocomplete': 'new-password',
        'ui:placeholder': view.tokenSet ? `•••••• (${t('integration.set')})` : '',
        'ui:help': view.tokenSet ? t('integration.tokenSet') : t('integration.tokenNotSet'),
      },
      rootCa: {
        'ui:widget': 'textarea',
        'ui:options': { rows: 4 },
        'ui:placeholder': view.rootCaSet ? `-----BEGIN CERTIFICATE----- (${t('integration.set')})` : '-----BEGIN CERTIFICATE-----',
        'ui:help': view.rootCaSet ? t('integration.rootCaSet') : t('integration.rootCaNotSet'),
      },
    };
    // rjsf renders a nullable string as a string; null (remove) has its own button below
    schema.properties.rootCa = { ...schema.properties.rootCa, type: 'string' };
    return { schema, uiSchema, trustedUi: true };
  }, [view, form.data, t]);

  const save = async (submitted: FormData, extra: FormData = {}) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    setServerErrors(undefined);
    try {
      const body: FormData = { ...submitted, ...extra };
      for (const secret of ['token', 'rootCa']) if (body[secret] === '' || body[secret] === undefined) delete body[secret];
      const next = await api.put<IntegrationView>('/integrations/rucert', body);
      // the form forgets the secrets it sent: they are never shown again; the page shows the view the service saved
      setData(formDataOf(next));
      settings.replace(next);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed' && err.problem.errors?.length) setServerErrors(err.problem.errors);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const runCheck = async () => {
    setChecking(true);
    setCheck(null);
    setCheckError(null);
    try {
      setCheck(await api.post<IntegrationCheck>('/integrations/rucert/check'));
    } catch (err) {
      setCheckError(err);
    } finally {
      setChecking(false);
    }
  };

  return (
    <section>
      <h1>{t('integration.title')}</h1>
      <ProblemBanner error={settings.error ?? form.error} />
      {!definition || !current ? (
        settings.error || form.error ? null : (
          <Loading />
        )
      ) : (
        <div className="card">
          <p data-testid="stored-secrets">
            {t('integration.storedSecrets')}: {secretTitle('token', lang)} — <strong>{view!.tokenSet ? t('integration.set') : t('integration.notSet')}</strong>;{' '}
            {secretTitle('rootCa', lang)} — <strong>{view!.rootCaSet ? t('integration.set') : t('integration.notSet')}</strong>
          </p>
          <SchemaForm
            definition={definition}
            formData={current}
            onChange={(next) => {
              setSaved(false);
              setData(next);
            }}
            onSubmit={(submitted) => save(submitted)}
            serverErrors={serverErrors}
            idPrefix="integration"
            disabled={busy}
          >
            <ProblemBanner error={error} />
            {saved ? <Notice>{t('integration.saved')}</Notice> : null}
            <div className="actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {busy ? t('common.saving') : t('common.save')}
              </button>
              {view!.rootCaSet ? (
                <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => save(formDataOf(view!), { rootCa: null })}>
                  {t('integration.removeRootCa')}
                </button>
              ) : null}
            </div>
          </SchemaForm>
        </div>
      )}
      <div className="card">
        <button type="button" className="btn btn-secondary" onClick={runCheck} disabled={checking}>
          {checking ? t('integration.checking') : t('integration.check')}
        </button>
        <div aria-live="polite" data-testid="check-result">
          {check ? (
            check.ok ? (
              <Notice>{t('integration.checkOk', { message: check.message })}</Notice>
            ) : (
              <div className="banner banner-error" role="alert">
                {t('integration.checkFailed', { message: `${check.status ? `HTTP ${check.status}: ` : ''}${check.message}` })}
              </div>
            )
          ) : null}
          <ProblemBanner error={checkError} />
        </div>
      </div>
    </section>
  );
}
