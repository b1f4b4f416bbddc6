import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure, api } from './api';
import { t } from './i18n';
import type { Session } from './types';

export function SignIn(props: {
  notice: string | null;
  onSignedIn: (s: Session) => void;
  langSwitch: ComponentChildren;
}) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await api<Session>('POST', '/v1/session', { name, password }));
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'account_locked') setError(t('signin.locked'));
      else if (err instanceof ApiFailure && err.status === 401) setError(t('signin.bad_credentials'));
      else setError(t('common.error', { message: String((err as Error).message) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="signin">
      <form onSubmit={submit} data-testid="sign-in-form">
        <div class="signin-head">
          <h1>Iz</h1>
          {props.langSwitch}
        </div>
        <p class="muted">{t('signin.subtitle')}</p>
        {props.notice && <p class="notice">{props.notice}</p>}
        <label>
          {t('signin.name')}
          <input name="name" autocomplete="username" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('signin.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signin.submit')}
        </button>
      </form>
    </div>
  );
}
