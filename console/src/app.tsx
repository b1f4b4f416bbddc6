// The shell: who is signed in, the navigation their role allows, the language switch, and the
// page for the current path.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, api, setCsrf, whenSignedOut } from './api';
import { LANGS, type Lang, lang, onLangChange, setLang, t } from './i18n';
import * as label from './labels';
import { MODULES } from './modules';
import { matchPath, navigate, onLink, usePath } from './router';
import { SignIn } from './sign-in';
import type { Session } from './types';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [, setLangTick] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const path = usePath();

  useEffect(() => onLangChange(() => setLangTick((n) => n + 1)), []);
  useEffect(() => {
    whenSignedOut(() => {
      setNotice(t('signin.expired'));
      setSession(null);
    });
    api<Session>('GET', '/v1/session')
      .then(signedIn)
      .catch(() => setSession(null));
  }, []);

  function signedIn(s: Session) {
    setCsrf(s.csrf_token);
    setNotice(null);
    setSession(s);
  }

  async function signOut() {
    try {
      await api('DELETE', '/v1/session');
    } catch (e) {
      if (!(e instanceof ApiFailure && e.status === 401)) throw e;
    }
    setSession(null);
    navigate('/sign-in');
  }

  if (session === undefined) return <div class="loading">{t('common.loading')}</div>;
  if (session === null) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(s) => {
          signedIn(s);
          if (path === '/sign-in' || path === '/') navigate(firstPage(s), true);
        }}
        langSwitch={<LangSwitch />}
      />
    );
  }

  const allowed = MODULES.filter((m) => session.pages.includes(m.id));
  if (path === '/' || path === '/sign-in') {
    const home = firstPage(session);
    if (home !== '/') queueMicrotask(() => navigate(home, true));
  }
  let page = <Empty />;
  if (path !== '/' && path !== '/sign-in') {
    page = <NotFound />;
    outer: for (const m of MODULES) {
      for (const r of m.routes) {
        const params = matchPath(r.pattern, path);
        if (params) {
          page = session.pages.includes(m.id) ? <r.Page params={params} session={session} /> : <Forbidden />;
          break outer;
        }
      }
    }
  }

  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="/" onClick={onLink('/')}>
          Iz
        </a>
        <nav aria-label={t('nav.label')}>
          {allowed.map((m) => (
            <a
              href={m.home}
              onClick={onLink(m.home)}
              class={path.startsWith(m.home) ? 'active' : ''}
              data-testid={'nav-' + m.id}
            >
              {t(m.nav)}
            </a>
          ))}
        </nav>
        <div class="who">
          <span data-testid="who">
            {session.name} · {label.role(session.role)}
            {session.region ? ' · ' + label.region(session.region) : ''}
          </span>
          <span class="tz" title={t('common.times_in_almaty')}>
            {t('common.tz')}
          </span>
          <LangSwitch />
          <button type="button" class="link" onClick={signOut} data-testid="sign-out">
            {t('nav.sign_out')}
          </button>
        </div>
      </header>
      <main>{page}</main>
    </div>
  );
}

function firstPage(s: Session): string {
  return MODULES.find((m) => s.pages.includes(m.id))?.home ?? '/';
}

function LangSwitch() {
  return (
    <select
      class="lang"
      aria-label={t('common.language')}
      data-testid="lang"
      value={lang()}
      onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}
    >
      {LANGS.map((l) => (
        <option value={l}>{t(('lang.' + l) as 'lang.en')}</option>
      ))}
    </select>
  );
}

function Empty() {
  return <p class="muted">{t('common.no_pages')}</p>;
}

function NotFound() {
  return (
    <section>
      <h1>{t('common.not_found')}</h1>
    </section>
  );
}

function Forbidden() {
  return (
    <section data-testid="forbidden">
      <h1>{t('common.forbidden')}</h1>
      <p class="muted">{t('common.forbidden_text')}</p>
    </section>
  );
}
