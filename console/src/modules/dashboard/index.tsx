// The dashboard: what came in and what it led to, over time. Counts only, no one's data.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleModule, PageProps } from '..';
import { api } from '../../api';
import { formatNumber, t } from '../../i18n';
import { type Series, TimeChart, bucketsBetween } from '../../ui/chart';

interface StatsSeries {
  bucket: 'hour' | 'day';
  from: string;
  to: string;
  events: { at: string; source: string; events: number; hits: number }[];
  alerts: { at: string; created: number; confirmed: number; rejected: number }[];
  precision: { source: string; confirmed: number; rejected: number; precision: number | null }[];
  overdue: { deadline_hours: number; open: number };
  services_provided: number;
}

/** Bucket start as the chart keys it (ISO, milliseconds included). */
const key = (iso: string) => new Date(iso).toISOString();

function DashboardPage(_: PageProps) {
  const [days, setDays] = useState(7);
  const [data, setData] = useState<StatsSeries | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<StatsSeries>('GET', '/v1/stats/series?days=' + days)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e) => setError(e.message));
  }, [days]);

  const charts = useMemo(() => {
    if (!data) return null;
    const buckets = bucketsBetween(data.from, data.to, data.bucket);
    const bySource = new Map<string, Map<string, number>>();
    const hits = new Map<string, number>();
    for (const e of data.events) {
      const m = bySource.get(e.source) ?? new Map();
      m.set(key(e.at), (m.get(key(e.at)) ?? 0) + e.events);
      bySource.set(e.source, m);
      hits.set(key(e.at), (hits.get(key(e.at)) ?? 0) + e.hits);
    }
    const pick = (f: (a: StatsSeries['alerts'][number]) => number) => new Map(data.alerts.map((a) => [key(a.at), f(a)]));
    const events: Series[] = [...bySource].map(([name, values]) => ({ name, values }));
    return {
      buckets,
      events,
      hits: [{ name: t('dash.hits'), values: hits }],
      alerts: [
        { name: t('dash.alerts_created'), values: pick((a) => a.created) },
        { name: t('dash.located'), values: pick((a) => a.confirmed) },
        { name: t('dash.rejected'), values: pick((a) => a.rejected) },
      ],
    };
  }, [data]);

  return (
    <section>
      <div class="page-head">
        <h1>{t('dash.title')}</h1>
        <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))} data-testid="dash-days" aria-label={t('dash.period')}>
          {[1, 7, 30, 90].map((d) => (
            <option value={d}>{d === 1 ? t('dash.last_day') : t('dash.days', { n: d })}</option>
          ))}
        </select>
      </div>
      {error && <p class="error">{error}</p>}
      {data && charts && (
        <>
          <div class="cards">
            <div class="card" data-testid="overdue">
              <b>{formatNumber(data.overdue.open)}</b>
              <span>{t('dash.overdue', { hours: data.overdue.deadline_hours })}</span>
            </div>
            <div class="card">
              <b>{formatNumber(data.events.reduce((s, e) => s + e.events, 0))}</b>
              <span>{t('dash.events')}</span>
            </div>
            <div class="card">
              <b>{formatNumber(data.alerts.reduce((s, a) => s + a.created, 0))}</b>
              <span>{t('dash.alerts_created')}</span>
            </div>
            <div class="card">
              <b>{formatNumber(data.alerts.reduce((s, a) => s + a.confirmed, 0))}</b>
              <span>{t('dash.located')}</span>
            </div>
            <div class="card" data-testid="services-provided">
              <b>{formatNumber(data.services_provided)}</b>
              <span>{t('dash.services_provided')}</span>
            </div>
          </div>
          <div class="charts">
            <TimeChart title={t('dash.events_by_source')} bucket={data.bucket} buckets={charts.buckets} series={charts.events} testId="chart-events" />
            <TimeChart title={t('dash.hits')} bucket={data.bucket} buckets={charts.buckets} series={charts.hits} kind="bars" testId="chart-hits" />
            <TimeChart title={t('dash.alerts')} bucket={data.bucket} buckets={charts.buckets} series={charts.alerts} kind="bars" testId="chart-alerts" />
          </div>
          <h2>{t('dash.precision')}</h2>
          <table class="grid compact" data-testid="precision">
            <thead>
              <tr>
                <th>{t('alerts.col_source')}</th>
                <th class="num">{t('dash.confirmed')}</th>
                <th class="num">{t('dash.rejected')}</th>
                <th class="num">{t('dash.precision_col')}</th>
              </tr>
            </thead>
            <tbody>
              {data.precision.map((p) => (
                <tr>
                  <td>{p.source}</td>
                  <td class="num">{p.confirmed}</td>
                  <td class="num">{p.rejected}</td>
                  <td class="num">{p.precision == null ? '—' : formatNumber(p.precision * 100, 1) + ' %'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

const module: ConsoleModule = {
  id: 'dashboard',
  nav: 'nav.dashboard',
  home: '/dashboard',
  routes: [{ pattern: '/dashboard', Page: DashboardPage }],
};
export default module;
