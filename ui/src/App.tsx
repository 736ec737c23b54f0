// The shell: header with language switch and sign-out, navigation by role, and the routes.
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { AuditPage } from './admin/AuditPage';
import { IntegrationPage } from './admin/IntegrationPage';
import { LicensePage } from './admin/LicensePage';
import { TokensPage } from './admin/TokensPage';
import { Loading } from './common/components';
import { SignIn } from './common/SignIn';
import { useI18n, type MessageKey } from './common/i18n';
import { Link, match, navigate, useRoute } from './common/router';
import { hasRole, useSession, type Role } from './common/session';
import { FormVersionsPage } from './forms/FormVersionsPage';
import { IncidentList } from './incidents/IncidentList';
import { IncidentPage } from './incidents/IncidentPage';
import { NotificationsBadge, NotificationsPage, NotificationsProvider } from './ncircc/notifications';

// The form version editor (its panels, the gate, the diff) is compliance staff's alone: loaded on demand, so the
// analyst's pages do not carry it (test/browser/editor-bundle.browser-spec.ts checks the built bundle).
const VersionEditor = lazy(() => import('./forms/VersionEditor').then((m) => ({ default: m.VersionEditor })));

interface NavItem {
  to: string;
  label: MessageKey;
  role: Role;
}

const NAV: NavItem[] = [
  { to: '/incidents', label: 'nav.incidents', role: 'ingest' },
  { to: '/forms', label: 'nav.forms', role: 'compliance' },
  { to: '/admin/license', label: 'nav.license', role: 'admin' },
  { to: '/admin/integration', label: 'nav.integration', role: 'admin' },
  { to: '/admin/tokens', label: 'nav.tokens', role: 'admin' },
  { to: '/admin/audit', label: 'nav.audit', role: 'admin' },
];

function canSee(role: Role | null, needed: Role): boolean {
  return needed === 'ingest' ? !!role : hasRole(role, needed);
}

function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="btn btn-secondary"
      lang={lang === 'en' ? 'ru' : 'en'}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(lang === 'en' ? 'ru' : 'en')}
    >
      {t('lang.switch')}
    </button>
  );
}

function Page({ role, needed, children }: { role: Role | null; needed: Role; children: ReactNode }) {
  const { t } = useI18n();
  if (!canSee(role, needed)) return <p role="alert">{t('common.forbidden')}</p>;
  return <>{children}</>;
}

export function App() {
  const { token, role, signOut } = useSession();
  const { t } = useI18n();
  const route = useRoute();

  useEffect(() => {
    if (token && route.path === '/') navigate('/incidents');
  }, [token, route.path]);

  if (!token) {
    return (
      <>
        <header className="topbar">
          <span className="brand">{t('app.title')}</span>
          <LangSwitch />
        </header>
        <main id="main">
          <SignIn />
        </main>
      </>
    );
  }

  let content: ReactNode;
  let m: Record<string, string> | null;
  const p = route.path;
  if (p === '/' || p === '/incidents') content = <IncidentList params={route.params} />;
  else if ((m = match('/incidents/:id', p))) content = <IncidentPage id={m.id} />;
  else if (p === '/notifications') content = <NotificationsPage />;
  else if (p === '/forms')
    content = (
      <Page role={role} needed="compliance">
        <FormVersionsPage />
      </Page>
    );
  else if (p === '/forms/new')
    content = (
      <Page role={role} needed="compliance">
        <Suspense fallback={<Loading />}>
          <VersionEditor />
        </Suspense>
      </Page>
    );
  else if (p === '/admin/license')
    content = (
      <Page role={role} needed="admin">
        <LicensePage />
      </Page>
    );
  else if (p === '/admin/integration')
    content = (
      <Page role={role} needed="admin">
        <IntegrationPage />
      </Page>
    );
  else if (p === '/admin/tokens')
    content = (
      <Page role={role} needed="admin">
        <TokensPage />
      </Page>
    );
  else if (p === '/admin/audit')
    content = (
      <Page role={role} needed="admin">
        <AuditPage />
      </Page>
    );
  else content = <p>{t('common.notFound')}</p>;

  return (
    <NotificationsProvider>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.label')} className="nav">
          {NAV.filter((item) => canSee(role, item.role)).map((item) => (
            <Link key={item.to} to={item.to} aria-current={p === item.to || p.startsWith(`${item.to}/`) ? 'page' : undefined}>
              {t(item.label)}
            </Link>
          ))}
          <NotificationsBadge current={p === '/notifications'} />
        </nav>
        <span className="session">
          {role ? (
            <span className="role" data-testid="role">
              {t('role.label')}: {t(`role.${role}` as MessageKey)}
            </span>
          ) : null}
          <LangSwitch />
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              signOut();
              navigate('/');
            }}
          >
            {t('signout')}
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </NotificationsProvider>
  );
}
