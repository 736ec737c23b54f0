// What needs attention about NCIRCC cards: the unread count in the header (read again on every navigation and every
// half minute) and the list, newest first, each linking to its incident and marked read when opened or on request.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, query } from '../common/api';
import { Loading, Pager, ProblemBanner, useLoad } from '../common/components';
import { formatDateTime, useI18n } from '../common/i18n';
import { Link, useRoute } from '../common/router';
import { notificationText } from './labels';
import type { NotificationPage, NotificationView } from '../common/api-types';

/** How often what changes with synchronisation is read again: the unread count, and an open card (NcirccSection). */
export const POLL_MS = 30_000;
const PAGE = 50;

const UnreadContext = createContext<{ unread: number; refresh(): void }>({ unread: 0, refresh: () => {} });

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [unread, setUnread] = useState(0);
  const { path } = useRoute();
  const refresh = useCallback(() => {
    api.get<NotificationPage>(`/notifications${query({ unread: 'true', limit: 1 })}`).then(
      (list) => setUnread(list.unread),
      () => {}, // the badge is a hint: a failed read leaves the last count
    );
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, path]);
  const value = useMemo(() => ({ unread, refresh }), [unread, refresh]);
  return <UnreadContext.Provider value={value}>{children}</UnreadContext.Provider>;
}

/** The header's link to the notifications, with the unread count. */
export function NotificationsBadge({ current }: { current: boolean }) {
  const { t } = useI18n();
  const { unread } = useContext(UnreadContext);
  return (
    <Link to="/notifications" aria-current={current ? 'page' : undefined} data-testid="notifications-link">
      {t('nav.notifications')}
      {unread ? (
        <span className="count-badge" data-testid="unread-count" aria-label={t('notifications.unread', { count: unread })}>
          {unread}
        </span>
      ) : null}
    </Link>
  );
}

export function NotificationsPage() {
  const { t, lang } = useI18n();
  const { refresh } = useContext(UnreadContext);
  const [offset, setOffset] = useState(0);
  const list = useLoad(() => api.get<NotificationPage>(`/notifications${query({ limit: PAGE, offset })}`), [offset]);
  const [error, setError] = useState<unknown>(null);
  const markRead = async (n: NotificationView) => {
    if (n.read) return;
    try {
      await api.post(`/notifications/${encodeURIComponent(n.id)}/read`);
      list.reload();
      refresh();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <h1>{t('notifications.title')}</h1>
      <ProblemBanner error={list.error ?? error} />
      {!list.data ? (
        list.error ? null : (
          <Loading />
        )
      ) : list.data.items.length === 0 ? (
        <p className="muted">{t('notifications.empty')}</p>
      ) : (
        <ul className="plain notifications" data-testid="notifications">
          {list.data.items.map((n) => (
            <li key={n.id} className={n.read ? 'notification' : 'notification unread'} data-read={n.read}>
              <time dateTime={n.createdAt} className="small muted">
                {formatDateTime(n.createdAt, lang)}
              </time>{' '}
              <Link to={`/incidents/${encodeURIComponent(n.incidentId)}`} onClick={() => void markRead(n)}>
                {notificationText(t, lang, n)}
              </Link>
              {!n.read ? (
                <>
                  {' '}
                  <button type="button" className="btn btn-link" onClick={() => void markRead(n)}>
                    {t('notifications.markRead')}
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.total > PAGE ? <Pager offset={offset} size={PAGE} total={list.data.total} onChange={setOffset} /> : null}
    </section>
  );
}
