// One incident: its facts, the state of its RuCERT export, the Export button (disabled with the reasons when the
// service says the incident is not exportable), for admins the settling of an export whose outcome is unknown, and the
// NCIRCC card of an exported incident or of a message from NCIRCC.
import { lazy, Suspense, useState } from 'react';
import { api } from '../common/api';
import { Loading, ProblemBanner, StateBadge, useLoad } from '../common/components';
import { formatDateTime, useI18n, type MessageKey, type Translate } from '../common/i18n';
import { Link } from '../common/router';
import { hasRole, useSession } from '../common/session';
import { ResolvePanel } from '../admin/ResolvePanel';
import { ExportDialog } from '../export/ExportDialog';
import type { ExportStatus, IncidentView } from '../common/api-types';

// the NCIRCC card's views (chat, files, supplement) load when an exported incident or a message is opened
const NcirccSection = lazy(() => import('../ncircc/NcirccSection').then((m) => ({ default: m.NcirccSection })));

export function reasonText(t: Translate, code: string): string {
  const key = `reason.${code}` as MessageKey;
  const text = t(key);
  return text === key ? code : text;
}

function lastErrorText(e: ExportStatus['lastError']): string | undefined {
  if (!e) return undefined;
  if (typeof e === 'string') return e;
  return [e.code, e.message].filter(Boolean).join(': ') || JSON.stringify(e);
}

export function IncidentPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { role } = useSession();
  const canExport = hasRole(role, 'analyst');
  const incident = useLoad(() => api.get<IncidentView>(`/incidents/${encodeURIComponent(id)}`), [id]);
  const exportView = useLoad(
    () => (canExport ? api.get<ExportStatus>(`/incidents/${encodeURIComponent(id)}/rucert-export`) : Promise.resolve(undefined)),
    [id, canExport],
  );
  const [dialogOpen, setDialogOpen] = useState(false);
  const reload = () => {
    incident.reload();
    exportView.reload();
  };

  if (incident.error) return <ProblemBanner error={incident.error} />;
  if (!incident.data) return <Loading />;
  const i = incident.data;
  const ev = exportView.data;
  const state = ev?.state ?? i.rucertExport.state;
  const identifier = ev?.rucert?.identifier ?? i.rucertExport.identifier;
  const exportedAt = ev?.exportedAt ?? i.rucertExport.exportedAt;
  const reasons = ev && !ev.exportable ? ev.reasons : [];

  return (
    <section>
      <p>
        <Link to="/incidents">← {t('incident.back')}</Link>
      </p>
      <h1>{i.title}</h1>
      <dl className="facts">
        {i.externalId ? (
          <>
            <dt>{t('incident.externalId')}</dt>
            <dd className="mono">{i.externalId}</dd>
          </>
        ) : null}
        <dt>{t('incident.status')}</dt>
        <dd>{t(`status.${i.status}` as MessageKey)}</dd>
        <dt>{t('incident.severity')}</dt>
        <dd>{i.severity ?? t('common.none')}</dd>
        <dt>{t('incident.detectedAt')}</dt>
        <dd>
          <time dateTime={i.detectedAt}>{formatDateTime(i.detectedAt, lang)}</time>
        </dd>
        {i.closedAt ? (
          <>
            <dt>{t('incident.closedAt')}</dt>
            <dd>
              <time dateTime={i.closedAt}>{formatDateTime(i.closedAt, lang)}</time>
            </dd>
          </>
        ) : null}
        {i.description ? (
          <>
            <dt>{t('incident.description')}</dt>
            <dd className="pre">{i.description}</dd>
          </>
        ) : null}
        {i.assets?.length ? (
          <>
            <dt>{t('incident.assets')}</dt>
            <dd>
              <ul className="plain">
                {i.assets.map((a, n) => (
                  <li key={n}>
                    {a.name}
                    {a.fqdn ? <span className="mono"> {a.fqdn}</span> : null}
                    {a.ip ? <span className="mono"> {a.ip}</span> : null}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>

      <section className="card" aria-labelledby="export-heading">
        <h2 id="export-heading">{t('incident.export')}</h2>
        <dl className="facts">
          <dt>{t('incident.exportState')}</dt>
          <dd data-testid="export-state">
            <StateBadge state={state} />
          </dd>
          {identifier ? (
            <>
              <dt>{t('incident.identifier')}</dt>
              <dd className="mono" data-testid="rucert-identifier">
                {identifier}
              </dd>
            </>
          ) : null}
          {exportedAt ? (
            <>
              <dt>{t('incident.exportedAt')}</dt>
              <dd>
                <time dateTime={exportedAt}>{formatDateTime(exportedAt, lang)}</time>
              </dd>
            </>
          ) : null}
          {ev?.exportedBy ? (
            <>
              <dt>{t('incident.exportedBy')}</dt>
              <dd>{ev.exportedBy}</dd>
            </>
          ) : null}
          {ev?.formVersion ? (
            <>
              <dt>{t('incident.formVersion')}</dt>
              <dd>{ev.formVersion}</dd>
            </>
          ) : null}
          {ev?.lastError ? (
            <>
              <dt>{t('incident.lastError')}</dt>
              <dd>{lastErrorText(ev.lastError)}</dd>
            </>
          ) : null}
        </dl>
        {state === 'exported' ? <p data-testid="further-changes">{t('export.furtherChanges')}</p> : null}
        <ProblemBanner error={exportView.error} />
        {canExport ? (
          <>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!ev?.exportable}
              aria-describedby={reasons.length ? 'export-reasons' : undefined}
              onClick={() => setDialogOpen(true)}
            >
              {t('incident.exportButton')}
            </button>
            {reasons.length ? (
              <div id="export-reasons" className="reasons">
                <p>{t('incident.cannotExport')}</p>
                <ul>
                  {reasons.map((r) => (
                    <li key={r} data-reason={r}>
                      {reasonText(t, r)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </>
        ) : (
          <p className="muted">{t('incident.noExportRights')}</p>
        )}
        {role === 'admin' && state === 'unknown' ? <ResolvePanel incidentId={i.id} onResolved={reload} /> : null}
      </section>

      {canExport && (state === 'exported' || i.source === 'ncircc') ? (
        <Suspense fallback={<Loading />}>
          <NcirccSection key={i.id} incidentId={i.id} />
        </Suspense>
      ) : null}

      {dialogOpen && ev ? <ExportDialog incident={i} exportView={ev} onClose={() => setDialogOpen(false)} onExported={() => reload()} /> : null}
    </section>
  );
}
