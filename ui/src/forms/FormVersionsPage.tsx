// Compliance: every published version of the export form with its notes and author; activate an earlier one.
import { useState } from 'react';
import { api } from '../common/api';
import type { FormVersionSummary } from '../common/api-types';
import { Loading, Notice, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import { Link } from '../common/router';

export function FormVersionsPage() {
  const { t, lang } = useI18n();
  const versions = useLoad(() => api.get<FormVersionSummary[]>('/forms/rucert-export/versions'), []);
  const [error, setError] = useState<unknown>(null);
  const [activated, setActivated] = useState<number | null>(null);

  const activate = async (version: number) => {
    setError(null);
    setActivated(null);
    try {
      await api.post(`/forms/rucert-export/versions/${version}/activate`);
      setActivated(version);
      versions.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <div className="title-row">
        <h1>{t('forms.title')}</h1>
        <Link to="/forms/new" className="btn btn-primary">
          {t('forms.new')}
        </Link>
      </div>
      <ProblemBanner error={versions.error ?? error} />
      {activated !== null ? <Notice>{t('forms.activated', { version: activated })}</Notice> : null}
      {!versions.data && !versions.error ? <Loading /> : null}
      {versions.data ? (
        <table className="table" data-testid="form-versions">
          <thead>
            <tr>
              <th scope="col">{t('forms.col.version')}</th>
              <th scope="col">{t('forms.col.publishedAt')}</th>
              <th scope="col">{t('forms.col.author')}</th>
              <th scope="col">{t('forms.col.notes')}</th>
              <th scope="col">
                <span className="sr-only">{t('forms.activate')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...versions.data].reverse().map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>
                  {v.version} {v.active ? <span className="badge badge-exported">{t('forms.active')}</span> : null}
                </td>
                <td>{formatDateTime(v.publishedAt, lang)}</td>
                <td>{v.author}</td>
                <td className="pre notes">{v.notes}</td>
                <td>
                  {v.active ? null : (
                    <button type="button" className="btn btn-secondary" onClick={() => activate(v.version)} aria-label={`${t('forms.activate')}: ${v.version}`}>
                      {t('forms.activate')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
