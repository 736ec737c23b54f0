// The wire object as a readable table: each field with the form label it comes from (via x-rucert.field), values
// as sent, lists and objects nested; the raw JSON underneath for those who want it.
import { useI18n } from '../common/i18n';

function Value({ value }: { value: unknown }) {
  const { t } = useI18n();
  if (value === null || value === undefined) return <span className="muted">{t('common.none')}</span>;
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (Array.isArray(value)) {
    return (
      <ol className="plain-ol">
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    return (
      <dl className="inline-dl">
        {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
          <div key={k}>
            <dt className="mono">{k}</dt>
            <dd>
              <Value value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span className="pre">{String(value)}</span>;
}

export function PayloadView({ payload, labels }: { payload: Record<string, unknown>; labels: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <>
      <table className="table payload" data-testid="payload">
        <thead>
          <tr>
            <th scope="col">{t('export.wireField')}</th>
            <th scope="col">{t('export.value')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(payload).map(([field, value]) => (
            <tr key={field} data-field={field}>
              <th scope="row">
                {labels[field] ? <div>{labels[field]}</div> : null}
                <code className="small">{field}</code>
              </th>
              <td>
                <Value value={value} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{t('export.rawJson')}</summary>
        <pre className="json">{JSON.stringify(payload, null, 2)}</pre>
      </details>
    </>
  );
}
