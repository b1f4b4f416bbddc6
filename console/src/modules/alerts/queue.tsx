// The duty operator's queue: newest first, live over server-sent events, filtered, and worked
// from the keyboard (↑/↓ or j/k to move, Enter to open).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { api, query } from '../../api';
import { formatTime, t } from '../../i18n';
import * as label from '../../labels';
import { navigate, onLink } from '../../router';
import type { Alert } from '../../types';

interface Filters {
  status: string;
  region: string;
  source: string;
  category: string;
}

function matches(a: Alert, f: Filters): boolean {
  return (
    (!f.status || a.status === f.status) &&
    (!f.region || a.region === f.region) &&
    (!f.source || a.source === f.source) &&
    (!f.category || a.category === f.category)
  );
}

export function AlertQueue({ session }: PageProps) {
  const regional = session.role === 'operator';
  const [filters, setFilters] = useState<Filters>({ status: 'open', region: '', source: '', category: '' });
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [sources, setSources] = useState<string[]>([]);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [live, setLive] = useState<'connecting' | 'live' | 'down'>('connecting');
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const tableRef = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    let stale = false;
    api<Alert[]>('GET', '/v1/alerts' + query({ ...filters, limit: 500 }))
      .then((list) => {
        if (stale) return;
        setAlerts(list.filter((a) => matches(a, filters)));
        setSources((known) => [...new Set([...known, ...list.map((a) => a.source)])].sort());
        setSelected(0);
        setError(null);
      })
      .catch((e) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [filters]);

  useEffect(() => {
    const stream = new EventSource('/v1/alerts/stream');
    stream.onopen = () => setLive('live');
    stream.onerror = () => setLive(stream.readyState === EventSource.CLOSED ? 'down' : 'connecting');
    stream.addEventListener('alert', (e) => {
      const { alert } = JSON.parse((e as MessageEvent).data) as { alert: Alert };
      setSources((known) => (known.includes(alert.source) ? known : [...known, alert.source].sort()));
      setAlerts((list) => {
        const rest = list.filter((a) => a.id !== alert.id);
        return matches(alert, filtersRef.current) ? [alert, ...rest].sort((a, b) => b.id - a.id) : rest;
      });
      setFresh((s) => new Set(s).add(alert.id));
    });
    return () => stream.close();
  }, []);

  function set<K extends keyof Filters>(key: K, value: string) {
    setFilters({ ...filters, [key]: value });
  }

  function onKey(e: KeyboardEvent) {
    if ((e.target as HTMLElement).closest('select, input')) return;
    if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      setSelected((i) => Math.min(i + 1, alerts.length - 1));
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter' && alerts[selected]) {
      navigate('/alerts/' + alerts[selected].id);
    }
  }

  useEffect(() => {
    tableRef.current?.querySelector<HTMLElement>(`tr[data-index="${selected}"]`)?.focus({ preventScroll: false });
  }, [selected]);

  return (
    <section onKeyDown={onKey}>
      <div class="page-head">
        <h1>{t('alerts.title')}</h1>
        <span class={'live ' + live} data-testid="live">
          {t(('alerts.live_' + live) as 'alerts.live_live')}
        </span>
      </div>
      <div class="filters" role="search">
        <label>
          {t('alerts.filter_status')}
          <select data-testid="filter-status" value={filters.status} onChange={(e) => set('status', e.currentTarget.value)}>
            <option value="">{t('common.all')}</option>
            {['open', 'confirmed', 'rejected'].map((s) => (
              <option value={s}>{label.status(s)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('alerts.filter_region')}
          <select
            data-testid="filter-region"
            value={regional ? session.region ?? '' : filters.region}
            disabled={regional}
            onChange={(e) => set('region', e.currentTarget.value)}
          >
            <option value="">{t('common.all')}</option>
            {label.REGION_CODES.map((r) => (
              <option value={r}>{label.region(r)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('alerts.filter_source')}
          <select data-testid="filter-source" value={filters.source} onChange={(e) => set('source', e.currentTarget.value)}>
            <option value="">{t('common.all')}</option>
            {sources.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          {t('alerts.filter_category')}
          <select data-testid="filter-category" value={filters.category} onChange={(e) => set('category', e.currentTarget.value)}>
            <option value="">{t('common.all')}</option>
            {label.CATEGORIES.map((c) => (
              <option value={c}>{label.category(c)}</option>
            ))}
          </select>
        </label>
        <span class="muted hint">{t('alerts.keys')}</span>
      </div>
      {error && <p class="error">{error}</p>}
      <table class="grid">
        <thead>
          <tr>
            <th>{t('alerts.col_priority')}</th>
            <th>{t('alerts.col_category')}</th>
            <th>{t('alerts.col_place')}</th>
            <th>{t('alerts.col_time')}</th>
            <th>{t('alerts.col_source')}</th>
            <th class="num">{t('alerts.col_count')}</th>
            <th>{t('alerts.col_status')}</th>
          </tr>
        </thead>
        <tbody ref={tableRef} data-testid="alert-rows">
          {alerts.map((a, i) => (
            <tr
              key={a.id}
              data-index={i}
              data-testid="alert-row"
              data-alert-id={a.id}
              tabIndex={i === selected ? 0 : -1}
              class={(i === selected ? 'selected ' : '') + (fresh.has(a.id) ? 'fresh' : '')}
              onClick={() => navigate('/alerts/' + a.id)}
              onFocus={() => setSelected(i)}
            >
              <td>
                <span class={'prio ' + a.priority}>{label.priority(a.priority)}</span>
              </td>
              <td>{label.category(a.category)}</td>
              <td>
                <a href={'/alerts/' + a.id} onClick={onLink('/alerts/' + a.id)}>
                  {label.place(a.last_place) === '—' ? label.region(a.region) : label.place(a.last_place)}
                </a>
              </td>
              <td>{formatTime(a.last_seen)}</td>
              <td>{a.source}</td>
              <td class="num">{a.count}</td>
              <td>{label.status(a.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {alerts.length === 0 && !error && <p class="muted" data-testid="no-alerts">{t('alerts.none')}</p>}
    </section>
  );
}
