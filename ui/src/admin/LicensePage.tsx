// License: the installed key's state, customer, modules and validity; an admin pastes a new key to install it.
import { useState, type FormEvent } from 'react';
import { api } from '../common/api';
import type { LicenseView } from '../common/api-types';
import { Loading, Notice, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n, type MessageKey } from '../common/i18n';

export function LicensePage() {
  const { t, lang } = useI18n();
  const license = useLoad(() => api.get<LicenseView>('/license'), []);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const install = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.put<LicenseView>('/license', { key: key.trim() });
      setKey('');
      setSaved(true);
      license.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const l = license.data;
  return (
    <section>
      <h1>{t('license.title')}</h1>
      <ProblemBanner error={license.error} />
      {!l && !license.error ? <Loading /> : null}
      {l ? (
        <dl className="facts card" data-testid="license">
          <dt>{t('license.state')}</dt>
          <dd>
            <span className={`badge badge-license-${l.state}`}>{t(`license.state.${l.state}` as MessageKey)}</span>
          </dd>
          {l.licenseId ? (
            <>
              <dt>{t('license.id')}</dt>
              <dd className="mono">{l.licenseId}</dd>
            </>
          ) : null}
          {l.customer ? (
            <>
              <dt>{t('license.customer')}</dt>
              <dd>{l.customer}</dd>
            </>
          ) : null}
          {l.modules ? (
            <>
              <dt>{t('license.modules')}</dt>
              <dd>{l.modules.join(', ') || t('common.none')}</dd>
            </>
          ) : null}
          {l.validFrom ? (
            <>
              <dt>{t('license.validFrom')}</dt>
              <dd>{formatDateTime(l.validFrom, lang)}</dd>
            </>
          ) : null}
          {l.validUntil ? (
            <>
              <dt>{t('license.validUntil')}</dt>
              <dd>{formatDateTime(l.validUntil, lang)}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <form onSubmit={install} className="card">
        <div className="field">
          <label htmlFor="license-key">{t('license.key')}</label>
          <textarea
            id="license-key"
            rows={5}
            className="mono"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-describedby="license-key-help"
            spellCheck={false}
          />
          <div id="license-key-help" className="help-block">
            {t('license.keyHelp')}
          </div>
        </div>
        <ProblemBanner error={error} />
        {saved ? <Notice>{t('license.installed')}</Notice> : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !key.trim()}>
          {t('license.install')}
        </button>
      </form>
    </section>
  );
}
