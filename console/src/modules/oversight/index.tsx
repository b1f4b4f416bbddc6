// Oversight, for the supervising prosecutor: is the audit chain whole, who did what and when,
// which alerts wait for a review past the deadline, and who accessed what how often. Each of
// these reads is itself recorded by the server.
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleModule, PageProps } from '..';
import { api, query } from '../../api';
import { almatyToInstant, formatNumber, formatTime, t } from '../../i18n';
import * as label from '../../labels';
import { onLink } from '../../router';
import type { Alert, AuditRecord, ChainStatus } from '../../types';

interface Access {
  actor: string;
  action: string;
  count: number;
  last_at: string;
}

const emptyFilter = { actor: '', action: '', target: '', since: '', until: '' };

function OversightPage(_: PageProps) {
  const [chain, setChain] = useState<ChainStatus | null>(null);
  const [draft, setDraft] = useState(emptyFilter);
  const [filter, setFilter] = useState(emptyFilter);
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [overdue, setOverdue] = useState<Alert[]>([]);
  const [access, setAccess] = useState<Access[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: Error) => setError(e.message);

  useEffect(() => {
    api<ChainStatus>('GET', '/v1/audit/verify').then(setChain).catch(fail);
    api<Alert[]>('GET', '/v1/alerts' + query({ overdue: true, limit: 200 })).then(setOverdue).catch(fail);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    api<Access[]>('GET', '/v1/audit/access' + query({ since: weekAgo })).then(setAccess).catch(fail);
  }, []);

  useEffect(() => {
    api<AuditRecord[]>(
      'GET',
      '/v1/audit' +
        query({
          actor: filter.actor,
          action: filter.action,
          target: filter.target,
          since: filter.since && almatyToInstant(filter.since),
          until: filter.until && almatyToInstant(filter.until),
          limit: 200,
        }),
    )
      .then(setRecords)
      .catch(fail);
  }, [filter]);

  const set = (k: keyof typeof emptyFilter) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section>
      <div class="page-head">
        <h1>{t('oversight.title')}</h1>
        {chain && (
          <span class={'badge ' + (chain.intact ? 'good' : 'bad')} data-testid="chain-status" title={chain.message}>
            {chain.intact ? t('oversight.chain_ok', { n: formatNumber(chain.records) }) : t('oversight.chain_broken', { seq: chain.first_bad ?? '?' })}
          </span>
        )}
      </div>
      {error && <p class="error">{error}</p>}
      <h2>{t('oversight.log')}</h2>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
        data-testid="audit-filter"
      >
        <label>
          {t('oversight.who')}
          <input name="actor" placeholder="user:…" value={draft.actor} onInput={set('actor')} />
        </label>
        <label>
          {t('oversight.what')}
          <input name="action" placeholder="alert.review" value={draft.action} onInput={set('action')} />
        </label>
        <label>
          {t('oversight.target')}
          <input name="target" placeholder="alert:…" value={draft.target} onInput={set('target')} />
        </label>
        <label>
          {t('oversight.since')}
          <input name="since" type="datetime-local" value={draft.since} onInput={set('since')} />
        </label>
        <label>
          {t('oversight.until')}
          <input name="until" type="datetime-local" value={draft.until} onInput={set('until')} />
        </label>
        <button type="submit">{t('oversight.apply')}</button>
      </form>
      <table class="grid compact" data-testid="audit-rows">
        <thead>
          <tr>
            <th class="num">#</th>
            <th>{t('oversight.when')}</th>
            <th>{t('oversight.who')}</th>
            <th>{t('oversight.what')}</th>
            <th>{t('oversight.target')}</th>
            <th>{t('oversight.details')}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr data-testid="audit-row" data-action={r.action}>
              <td class="num">{r.seq}</td>
              <td>{formatTime(r.at)}</td>
              <td class="mono">{r.actor}</td>
              <td class="mono">{r.action}</td>
              <td class="mono">{r.target}</td>
              <td class="mono details">{JSON.stringify(r.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="cols">
        <div>
          <h2>{t('oversight.overdue')}</h2>
          {overdue.length === 0 ? (
            <p class="muted">{t('oversight.none_overdue')}</p>
          ) : (
            <table class="grid compact" data-testid="overdue-rows">
              <tbody>
                {overdue.map((a) => (
                  <tr>
                    <td>
                      <a href={'/alerts/' + a.id} onClick={onLink('/alerts/' + a.id)}>
                        {t('alert.title', { id: a.id })}
                      </a>
                    </td>
                    <td>{label.region(a.region)}</td>
                    <td>{formatTime(a.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h2>{t('oversight.access')}</h2>
          <table class="grid compact" data-testid="access-rows">
            <thead>
              <tr>
                <th>{t('oversight.who')}</th>
                <th>{t('oversight.what')}</th>
                <th class="num">{t('oversight.count')}</th>
                <th>{t('oversight.last')}</th>
              </tr>
            </thead>
            <tbody>
              {access.map((a) => (
                <tr>
                  <td class="mono">{a.actor}</td>
                  <td class="mono">{a.action}</td>
                  <td class="num">{a.count}</td>
                  <td>{formatTime(a.last_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

const module: ConsoleModule = {
  id: 'oversight',
  nav: 'nav.oversight',
  home: '/oversight',
  routes: [{ pattern: '/oversight', Page: OversightPage }],
};
export default module;
