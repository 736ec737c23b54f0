import { useState, type FormEvent } from 'react';
import { useI18n } from './i18n';
import { ProblemBanner } from './components';
import { useSession } from './session';

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow">
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="signin-token">{t('signin.token')}</label>
          <input
            id="signin-token"
            type="password"
            autoComplete="off"
            required
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </div>
        <ProblemBanner error={error} id="signin-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || !token.trim()}>
          {busy ? t('signin.checking') : t('signin.submit')}
        </button>
      </form>
    </section>
  );
}
