// Small SVG charts over time: no chart library, a few hundred lines fewer to ship.
import { formatNumber, formatTick } from '../i18n';

export interface Series {
  name: string;
  /** Value per bucket start (ISO instant). */
  values: Map<string, number>;
}

const PALETTE = ['#0b5394', '#e8710a', '#188038', '#b3261e', '#8e24aa', '#00838f', '#5f6368', '#c2185b'];

export function TimeChart(props: {
  buckets: string[];
  bucket: 'hour' | 'day';
  series: Series[];
  kind?: 'line' | 'bars';
  title: string;
  testId?: string;
}) {
  const W = 560;
  const H = 180;
  const pad = { l: 44, r: 20, t: 8, b: 22 };
  const n = props.buckets.length;
  const max = niceCeiling(Math.max(1, ...props.series.flatMap((s) => props.buckets.map((b) => s.values.get(b) ?? 0))));
  const x = (i: number) => pad.l + (n <= 1 ? 0 : (i * (W - pad.l - pad.r)) / (n - 1));
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const every = Math.max(1, Math.ceil(n / 8));
  const stepW = (W - pad.l - pad.r) / Math.max(1, n);

  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        {[0, 0.5, 1].map((k) => (
          <g>
            <line x1={pad.l} x2={W - pad.r} y1={y(max * k)} y2={y(max * k)} class="gridline" />
            <text x={pad.l - 4} y={y(max * k) + 4} class="tick" text-anchor="end">
              {formatNumber(max * k, 1)}
            </text>
          </g>
        ))}
        {props.buckets.map((b, i) =>
          i % every === 0 ? (
            <text x={props.kind === 'bars' ? pad.l + stepW * (i + 0.5) : x(i)} y={H - 6} class="tick" text-anchor="middle">
              {formatTick(b, props.bucket)}
            </text>
          ) : null,
        )}
        {props.kind === 'bars'
          ? props.series.map((s, si) =>
              props.buckets.map((b, i) => {
                const v = s.values.get(b) ?? 0;
                const w = (stepW * 0.8) / props.series.length;
                return v ? (
                  <rect x={pad.l + stepW * i + stepW * 0.1 + w * si} y={y(v)} width={Math.max(1, w)} height={H - pad.b - y(v)} fill={PALETTE[si % PALETTE.length]}>
                    <title>{`${s.name}: ${formatNumber(v)}`}</title>
                  </rect>
                ) : null;
              }),
            )
          : props.series.map((s, si) => (
              <polyline
                fill="none"
                stroke={PALETTE[si % PALETTE.length]}
                stroke-width="2"
                points={props.buckets.map((b, i) => `${x(i)},${y(s.values.get(b) ?? 0)}`).join(' ')}
              />
            ))}
      </svg>
      <ul class="legend">
        {props.series.map((s, si) => (
          <li>
            <i style={{ background: PALETTE[si % PALETTE.length] }} />
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The smallest of 1, 2 or 5 times a power of ten that is at least `n`. */
function niceCeiling(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((k) => k * power).find((v) => v >= n) ?? n;
}

/** Bucket starts from `from` to `to`, a bucket apart. */
export function bucketsBetween(from: string, to: string, bucket: 'hour' | 'day'): string[] {
  const step = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const start = Math.floor(new Date(from).getTime() / step) * step;
  const end = new Date(to).getTime();
  const out: string[] = [];
  for (let at = start; at <= end && out.length < 2000; at += step) out.push(new Date(at).toISOString());
  return out;
}
