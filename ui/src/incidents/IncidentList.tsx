// IncidentView register: search, filters and pagination live in the URL (#/incidents?q=…&status=…&offset=…), so a
// filtered list can be bookmarked and the back button works.
import { useState, type FormEvent } from 'react';
import { api, query } from '../common/api';
import { Loading, Pager, ProblemBanner, StateBadge, useLoad } from '../common/components';
import { formatDateTime, useI18n, type MessageKey } from '../common/i18n';
import { Link, navigate } from '../common/router';
import { EXPORT_STATES, type IncidentPage } from '../common/api-types';

const PAGE = 20;

export function IncidentList({ params }: { params: URLSearchParams }) {
  const { t, lang } = useI18n();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const exportState = params.get('exportState') ?? '';
  const source = params.get('source') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const [draft, setDraft] = useState({ q, status, exportState, source });
  const list = useLoad(
    () => api.get<IncidentPage>(`/incidents${query({ q, status, exportState, source, limit: PAGE, offset })}`),
    [q, status, exportState, source, offset],
  );

  const go = (next: Record<string, string | number>) => navigate(`/incidents${query({ q, status, exportState, source, offset, ...next })}`);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    go({ ...draft, offset: 0 });
  };

  const total = list.data?.total ?? 0;
  return (
    <section>
      <h1>{t('incidents.title')}</h1>
      <form className="filters" onSubmit={apply} role="search">
        <div className="field">
          <label htmlFor="incidents-q">{t('incidents.search')}</label>
          <input
            id="incidents-q"
            type="search"
            value={draft.q}
            placeholder={t('incidents.searchPlaceholder')}
            onChange={(e) => setDraft({ ...draft, q: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="incidents-status">{t('incidents.status')}</label>
          <select id="incidents-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">{t('incidents.any')}</option>
            <option value="open">{t('status.open')}</option>
            <option value="closed">{t('status.closed')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="incidents-export-state">{t('incidents.exportState')}</label>
          <select id="incidents-export-state" value={draft.exportState} onChange={(e) => setDraft({ ...draft, exportState: e.target.value })}>
            <option value="">{t('incidents.any')}</option>
            {EXPORT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="incidents-source">{t('incidents.source')}</label>
          <select id="incidents-source" value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })}>
            <option value="">{t('incidents.any')}</option>
            <option value="siem">{t('incidents.source.siem')}</option>
            <option value="ncircc">{t('incidents.source.ncircc')}</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary">
          {t('incidents.apply')}
        </button>
      </form>
      <ProblemBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p className="muted">{t('incidents.empty')}</p>
        ) : (
          <table className="table" aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">{t('incidents.col.title')}</th>
                <th scope="col">{t('incidents.col.severity')}</th>
                <th scope="col">{t('incidents.col.status')}</th>
                <th scope="col">{t('incidents.col.detected')}</th>
                <th scope="col">{t('incidents.col.export')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                    {i.externalId ? <div className="muted small">{i.externalId}</div> : null}
                  </td>
                  <td>{i.severity ?? t('common.none')}</td>
                  <td>{t(`status.${i.status}` as MessageKey)}</td>
                  <td>
                    <time dateTime={i.detectedAt}>{formatDateTime(i.detectedAt, lang)}</time>
                  </td>
                  <td>
                    <StateBadge state={i.rucertExport.state} />
                    {i.rucertExport.identifier ? <div className="small mono">{i.rucertExport.identifier}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {total > 0 ? <Pager offset={offset} size={PAGE} total={total} onChange={(next) => go({ offset: next })} /> : null}
    </section>
  );
}
