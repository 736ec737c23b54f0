// The audit log, newest first, paged.
import { useState } from 'react';
import { api, query } from '../common/api';
import { Loading, Pager, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import type { AuditPage as AuditPageBody } from '../common/api-types';
import { Link } from '../common/router';

const PAGE = 50;

export function AuditPage() {
  const { t, lang } = useI18n();
  const [offset, setOffset] = useState(0);
  const audit = useLoad(() => api.get<AuditPageBody>(`/audit${query({ limit: PAGE, offset })}`), [offset]);
  const total = audit.data?.total ?? 0;
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <ProblemBanner error={audit.error} />
      {!audit.data && !audit.error ? <Loading /> : null}
      {audit.data ? (
        audit.data.items.length === 0 ? (
          <p>{t('audit.empty')}</p>
        ) : (
          <table className="table" aria-busy={audit.loading}>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.details')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td className="mono">{e.action}</td>
                  <td>
                    {e.incidentId ? (
                      <div>
                        <Link to={`/incidents/${encodeURIComponent(e.incidentId)}`}>{e.incidentId}</Link>
                      </div>
                    ) : null}
                    {e.details && Object.keys(e.details as object).length ? <code className="small details">{JSON.stringify(e.details)}</code> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {total > PAGE ? <Pager offset={offset} size={PAGE} total={total} onChange={setOffset} /> : null}
    </section>
  );
}
