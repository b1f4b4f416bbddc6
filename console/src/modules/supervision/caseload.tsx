// A probation officer's caseload: each person with where they stand now and their open
// violations, the ones needing attention first.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { api } from '../../api';
import { formatDate, formatNumber, formatTime, t } from '../../i18n';
import * as label from '../../labels';
import { navigate, onLink } from '../../router';
import { standing } from './labels';
import type { CaseloadRow } from './types';

/** Violating now, then open violations, then suspected, then by name. */
function urgency(r: CaseloadRow): number {
  const s = r.status;
  return (s?.violating.length ? 4 : 0) + (r.open_violations ? 2 : 0) + (s?.suspected.length ? 1 : 0);
}

export function CaseloadPage(_: PageProps) {
  const [rows, setRows] = useState<CaseloadRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stop = false;
    const load = () =>
      api<CaseloadRow[]>('GET', '/v1/supervision/persons')
        .then((r) => !stop && (setRows(r), setError(null)))
        .catch((e) => !stop && setError(e.message));
    load();
    // Statuses change with every ping; the caseload is small, so it is read again every 15 s.
    const timer = setInterval(load, 15_000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);

  const sorted = useMemo(
    () => [...(rows ?? [])].sort((a, b) => urgency(b) - urgency(a) || a.person.name.localeCompare(b.person.name)),
    [rows],
  );
  const violating = sorted.filter((r) => r.status?.violating.length).length;
  const open = sorted.reduce((n, r) => n + r.open_violations, 0);

  return (
    <section>
      <div class="page-head">
        <h1>{t('sup.title')}</h1>
        <span class="muted" data-testid="caseload-count">
          {t('sup.persons', { n: sorted.length })}
        </span>
      </div>
      {error && <p class="error">{error}</p>}
      {rows === null && !error && <p class="loading">{t('common.loading')}</p>}
      {rows && (
        <>
          <div class="cards">
            <div class="card">
              <b>{formatNumber(sorted.length)}</b>
              <span>{t('sup.card_persons')}</span>
            </div>
            <div class="card" data-testid="card-violating">
              <b>{formatNumber(violating)}</b>
              <span>{t('sup.card_violating')}</span>
            </div>
            <div class="card" data-testid="card-open">
              <b>{formatNumber(open)}</b>
              <span>{t('sup.card_open')}</span>
            </div>
          </div>
          <table class="grid">
            <thead>
              <tr>
                <th>{t('sup.col_name')}</th>
                <th>{t('sup.col_now')}</th>
                <th>{t('sup.col_last')}</th>
                <th class="num">{t('sup.col_open')}</th>
                <th>{t('sup.col_officer')}</th>
                <th>{t('sup.col_region')}</th>
                <th>{t('sup.col_until')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => {
                const now = standing(r.status);
                const href = '/supervision/' + r.person.id;
                return (
                  <tr key={r.person.id} data-testid="caseload-row" data-person-id={r.person.id} onClick={() => navigate(href)}>
                    <td>
                      <a href={href} onClick={onLink(href)}>
                        {r.person.name}
                      </a>
                    </td>
                    <td>
                      <span class={'badge ' + now.tone} data-testid="standing">
                        {now.text}
                      </span>
                    </td>
                    <td>{formatTime(r.status?.last?.at)}</td>
                    <td class="num">{r.open_violations}</td>
                    <td>{r.person.officer}</td>
                    <td>{label.region(r.person.region)}</td>
                    <td>{formatDate(r.person.term.until)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {sorted.length === 0 && <p class="muted">{t('sup.none')}</p>}
        </>
      )}
    </section>
  );
}
