// The evidence of a scored match, as each matcher explains it: the plate's characters aligned
// with the camera's read; the face's score against the threshold that applied; the name tokens
// aligned. Exact identifier matches (IIN, document) need no more than the matched-fields table.
import { formatNumber, t, tOr } from '../../i18n';
import type { StoredHit } from '../../types';

interface PlateExplanation {
  plate: string;
  read: string;
  partial: boolean;
  alignment: { read: string | null; plate: string | null; pairing: string }[];
  similarity: number;
  coverage: number;
  confidence: number;
  score: number;
  /** similarity × coverage: what the threshold applies to. */
  characters?: number;
  threshold?: number;
}

const pct = (x: number) => formatNumber(x * 100, 1) + ' %';

function Plate({ e }: { e: PlateExplanation }) {
  return (
    <div class="evidence" data-testid="plate-evidence">
      <table class="chars">
        <tbody>
          <tr>
            <th>{t('evidence.read')}</th>
            {e.alignment.map((a) => (
              <td class={'ch ' + a.pairing} title={tOr('pairing.' + a.pairing, a.pairing)}>
                {a.read ?? '·'}
              </td>
            ))}
          </tr>
          <tr>
            <th>{t('evidence.plate')}</th>
            {e.alignment.map((a) => (
              <td class={'ch ' + a.pairing} title={tOr('pairing.' + a.pairing, a.pairing)}>
                {a.plate ?? '·'}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <p class="muted">
        {t('evidence.plate_score', {
          similarity: pct(e.similarity),
          coverage: pct(e.coverage),
          confidence: pct(e.confidence),
          score: pct(e.score),
        })}
        {e.characters != null && e.threshold != null
          ? ' · ' + t('evidence.plate_threshold', { characters: pct(e.characters), threshold: pct(e.threshold) })
          : ''}
      </p>
    </div>
  );
}

interface FaceExplanation {
  score: number;
  threshold: number;
  threshold_source?: { from: string; camera?: string; group?: string };
  margin_to_second?: number | null;
}

function Face({ e }: { e: FaceExplanation }) {
  return (
    <div class="evidence" data-testid="face-evidence">
      <div class="meter" role="img" aria-label={t('evidence.face_score', { score: formatNumber(e.score, 3), threshold: formatNumber(e.threshold, 3) })}>
        <span class="bar" style={{ width: Math.max(0, Math.min(1, e.score)) * 100 + '%' }} />
        <span class="mark" style={{ left: Math.max(0, Math.min(1, e.threshold)) * 100 + '%' }} />
      </div>
      <p>
        {t('evidence.face_score', { score: formatNumber(e.score, 3), threshold: formatNumber(e.threshold, 3) })}
        {e.threshold_source
          ? ' · ' + t('evidence.threshold_from', { from: e.threshold_source.camera ?? e.threshold_source.group ?? tOr('threshold.' + e.threshold_source.from, e.threshold_source.from) })
          : ''}
        {e.margin_to_second != null ? ' · ' + t('evidence.margin', { margin: formatNumber(e.margin_to_second, 3) }) : ''}
      </p>
    </div>
  );
}

interface NameExplanation {
  score?: number;
  name_score?: number;
  aligned?: { a: string; b: string; how: string; similarity?: number }[];
  unmatched_a?: string[];
  unmatched_b?: string[];
  birth_date?: string;
  sex?: string;
}

function Names({ e }: { e: NameExplanation }) {
  const rows: { a: string; b: string; how: string; similarity?: number }[] = [
    ...(e.aligned ?? []),
    ...(e.unmatched_a ?? []).map((a) => ({ a, b: '—', how: 'unmatched' })),
    ...(e.unmatched_b ?? []).map((b) => ({ a: '—', b, how: 'unmatched' })),
  ];
  return (
    <div class="evidence" data-testid="name-evidence">
      <table class="grid compact">
        <thead>
          <tr>
            <th>{t('evidence.seen')}</th>
            <th>{t('evidence.listed')}</th>
            <th>{t('alert.how')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.a}</td>
              <td>{r.b}</td>
              <td>
                {tOr('token.' + r.how, r.how)}
                {r.similarity != null ? ' (' + formatNumber(r.similarity, 2) + ')' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        {e.score != null && e.name_score != null
          ? t('evidence.name_score', { name_score: pct(e.name_score), score: pct(e.score) })
          : ''}
        {e.birth_date ? ' · ' + t('evidence.birth_date', { how: tOr('date.' + e.birth_date, e.birth_date) }) : ''}
      </p>
    </div>
  );
}

/** The evidence of one hit, when its matcher explained it. */
export function Evidence({ hit }: { hit: StoredHit }) {
  const e = hit.hit.explanation as any;
  if (!e) return null;
  switch (hit.hit.matcher) {
    case 'plate':
      return <Plate e={e} />;
    case 'face':
      return <Face e={e} />;
    case 'names':
      return <Names e={e} />;
    default:
      return null;
  }
}
