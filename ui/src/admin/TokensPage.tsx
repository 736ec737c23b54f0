// API tokens: create one with a role (its secret is shown once, here), list them without secrets, revoke.
import { useState, type FormEvent } from 'react';
import { api } from '../common/api';
import { Loading, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n, type MessageKey } from '../common/i18n';
import { ROLES, type Role, type TokenCreated, type TokenView } from '../common/api-types';

export function TokensPage() {
  const { t, lang } = useI18n();
  const tokens = useLoad(() => api.get<TokenView[]>('/tokens'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.post<TokenView & { token: string }>('/tokens', { name: name.trim(), role }));
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: TokenView) => {
    if (!window.confirm(t('tokens.revokeConfirm', { name: token.name }))) return;
    setError(null);
    try {
      await api.del(`/tokens/${encodeURIComponent(token.id)}`);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <h1>{t('tokens.title')}</h1>
      <form onSubmit={create} className="card inline-form">
        <h2>{t('tokens.create')}</h2>
        <div className="field">
          <label htmlFor="token-name">{t('tokens.name')}</label>
          <input id="token-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="token-role">{t('tokens.role')}</label>
          <select id="token-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          {t('tokens.createButton')}
        </button>
      </form>
      <ProblemBanner error={error} />
      {created ? (
        <div className="banner banner-warn" role="status" data-testid="new-token">
          <p>{t('tokens.created')}</p>
          <label htmlFor="new-token-secret">{t('tokens.secret')}</label>{' '}
          <input id="new-token-secret" className="mono wide" readOnly value={created.token} onFocus={(e) => e.target.select()} />{' '}
          <button type="button" className="btn btn-secondary" onClick={() => setCreated(null)}>
            {t('tokens.dismiss')}
          </button>
        </div>
      ) : null}
      <ProblemBanner error={tokens.error} />
      {!tokens.data && !tokens.error ? <Loading /> : null}
      {tokens.data ? (
        tokens.data.length === 0 ? (
          <p>{t('tokens.empty')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.role')}</th>
                <th scope="col">{t('tokens.col.createdAt')}</th>
                <th scope="col">{t('tokens.col.revoked')}</th>
                <th scope="col">
                  <span className="sr-only">{t('tokens.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((tok) => (
                <tr key={tok.id} className={tok.revokedAt ? 'revoked' : undefined}>
                  <td>{tok.name}</td>
                  <td>{t(`role.${tok.role}` as MessageKey)}</td>
                  <td>{formatDateTime(tok.createdAt, lang)}</td>
                  <td>{tok.revokedAt ? formatDateTime(tok.revokedAt, lang) : t('common.none')}</td>
                  <td>
                    {tok.revokedAt ? null : (
                      <button type="button" className="btn btn-link btn-danger" onClick={() => revoke(tok)} aria-label={`${t('tokens.revoke')}: ${tok.name}`}>
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
