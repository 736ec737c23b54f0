// Small shared pieces: problem banners, state badges, loading hooks.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { useI18n, type MessageKey } from './i18n';

/** An error of a request, announced to screen readers; `fieldErrors` lists the problem's `errors[]` too. */
export function ProblemBanner({ error, id, fieldErrors }: { error: unknown; id?: string; fieldErrors?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  let title = t('common.error');
  let detail = String((error as Error)?.message ?? error);
  if (error instanceof ApiError) {
    title = error.problem.title;
    detail = error.problem.detail ?? '';
  }
  return (
    <div className="banner banner-error" role="alert" id={id}>
      <strong>{title}</strong>
      {detail && detail !== title ? <span> {detail}</span> : null}
      {fieldErrors && error instanceof ApiError && error.problem.errors?.length ? (
        <ul>
          {error.problem.errors.map((e, n) => (
            <li key={n}>{e.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({ children, kind = 'ok' }: { children: ReactNode; kind?: 'ok' | 'info' | 'warn' }) {
  return (
    <div className={`banner banner-${kind}`} role="status">
      {children}
    </div>
  );
}

export function StateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  const key = `state.${state}` as MessageKey;
  return <span className={`badge badge-${state}`}>{t(key) === key ? state : t(key)}</span>;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  replace(data: T): void;
}

/** Runs `load` when its dependencies change and on reload(); stale answers are ignored. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error) => mine === seq.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // an answer the page already holds (the saved view a PUT returned): shown at once, and a load still under way
  // cannot overwrite it with what it read before the change
  const replace = useCallback((data: T) => {
    seq.current += 1;
    setState({ data, loading: false });
  }, []);
  return { data: state.data, error: state.error, loading: state.loading, reload, replace };
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

/** Previous and next over a list of `total` items shown `size` at a time from `offset`. */
export function Pager({ offset, size, total, onChange }: { offset: number; size: number; total: number; onChange(offset: number): void }) {
  const { t } = useI18n();
  return (
    <nav className="pager" aria-label={t('common.pagination')}>
      <button type="button" className="btn btn-secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - size))}>
        {t('common.previous')}
      </button>
      <span role="status">{t('common.page', { from: Math.min(offset + 1, total), to: Math.min(offset + size, total), total })}</span>
      <button type="button" className="btn btn-secondary" disabled={offset + size >= total} onClick={() => onChange(offset + size)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
