// The watch-list: search it, see what expires within a week, and (admins) add an entry with its
// legal basis and expiry, withdraw one with a reason, or import many from CSV with a report of
// every rejected row.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { ApiFailure, type Problem, api, query } from '../../api';
import { formatDate, t } from '../../i18n';
import { iinBirthDate, iinProblem } from '../../iin';
import * as label from '../../labels';
import type { WatchEntry } from '../../types';

type View = 'all' | 'expiring';

export function WatchPage({ session }: PageProps) {
  const admin = session.role === 'admin';
  const [view, setView] = useState<View>('all');
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [entries, setEntries] = useState<WatchEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [panel, setPanel] = useState<'none' | 'add' | 'import'>('none');

  useEffect(() => {
    const params =
      view === 'expiring'
        ? { expiring_within_days: 7, q: search, limit: 500 }
        : { status: 'active', q: search, limit: 500 };
    api<WatchEntry[]>('GET', '/v1/watchlist' + query(params))
      .then((list) => {
        setEntries(list);
        setError(null);
      })
      .catch((e) => setError(e.message));
  }, [view, search, reload]);

  return (
    <section>
      <div class="page-head">
        <h1>{t('watch.title')}</h1>
        {admin && (
          <div class="actions">
            <button type="button" data-testid="watch-add-open" onClick={() => setPanel(panel === 'add' ? 'none' : 'add')}>
              {t('watch.add')}
            </button>
            <button type="button" class="secondary" data-testid="watch-import-open" onClick={() => setPanel(panel === 'import' ? 'none' : 'import')}>
              {t('watch.import')}
            </button>
          </div>
        )}
      </div>
      {panel === 'add' && (
        <AddEntry
          session={session}
          onAdded={() => {
            setPanel('none');
            setReload((n) => n + 1);
          }}
        />
      )}
      {panel === 'import' && <ImportCsv onImported={() => setReload((n) => n + 1)} />}
      <div class="filters">
        <div class="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={view === 'all'} onClick={() => setView('all')} data-testid="watch-tab-all">
            {t('watch.tab_active')}
          </button>
          <button type="button" role="tab" aria-selected={view === 'expiring'} onClick={() => setView('expiring')} data-testid="watch-tab-expiring">
            {t('watch.tab_expiring')}
          </button>
        </div>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(text.trim());
          }}
        >
          <input
            type="search"
            data-testid="watch-search"
            placeholder={t('watch.search_placeholder')}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="secondary">
            {t('watch.search')}
          </button>
        </form>
      </div>
      {error && <p class="error">{error}</p>}
      <table class="grid">
        <thead>
          <tr>
            <th>{t('watch.col_id')}</th>
            <th>{t('field.names')}</th>
            <th>{t('field.iin')}</th>
            <th>{t('alerts.col_category')}</th>
            <th>{t('alerts.col_priority')}</th>
            <th>{t('alert.region')}</th>
            <th>{t('alert.basis')}</th>
            <th>{t('watch.expires')}</th>
            {admin && <th />}
          </tr>
        </thead>
        <tbody data-testid="watch-rows">
          {entries.map((e) => (
            <tr key={e.id} data-testid="watch-row" data-watch-id={e.id}>
              <td class="num">{e.id}</td>
              <td>
                {e.vehicle ? (
                  <span class="mono">{e.vehicle.plate}</span>
                ) : (
                  (e.person.names ?? []).join('; ')
                )}
              </td>
              <td class="mono">{e.person.iin ?? '—'}</td>
              <td>{label.category(e.category)}</td>
              <td>
                <span class={'prio ' + e.priority}>{label.priority(e.priority)}</span>
              </td>
              <td>{label.region(e.region)}</td>
              <td>
                {label.legalBasisKind(e.legal_basis.kind)} <span class="mono">{e.legal_basis.reference}</span>
              </td>
              <td>{formatDate(e.expires_at)}</td>
              {admin && (
                <td>
                  {e.status.state === 'active' && <Withdraw id={e.id} onDone={() => setReload((n) => n + 1)} />}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && !error && <p class="muted">{t('watch.none')}</p>}
    </section>
  );
}

function Withdraw({ id, onDone }: { id: number; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open)
    return (
      <button type="button" class="link" data-testid="withdraw-open" onClick={() => setOpen(true)}>
        {t('watch.withdraw')}
      </button>
    );
  async function submit(e: Event) {
    e.preventDefault();
    if (!reason.trim()) return setError(t('review.reason_required'));
    try {
      await api('DELETE', '/v1/watchlist/' + id, { reason });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form class="inline" onSubmit={submit}>
      <input placeholder={t('review.reason')} data-testid="withdraw-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <button type="submit" data-testid="withdraw-submit">
        {t('watch.withdraw')}
      </button>
      <button type="button" class="link" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
      {error && <span class="error">{error}</span>}
    </form>
  );
}

const blank = {
  kind: 'wanted',
  plate: '',
  vehicle_description: '',
  link_id: '',
  case_reference: '',
  names: '',
  iin: '',
  birth_date: '',
  doc_type: 'id_card',
  doc_number: '',
  basis_kind: 'warrant',
  reference: '',
  authority: '',
  issued_on: '',
  expires: '',
  region: '',
  priority: 'normal',
  category: 'evading_investigation',
};

function AddEntry({ session, onAdded }: { session: PageProps['session']; onAdded: () => void }) {
  const [f, setF] = useState({ ...blank, region: session.region ?? 'KZ-75' });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string | null>(null);
  // Enrolled face templates as the enrolment system exports them: a JSON array of arrays.
  const [faces, setFaces] = useState<number[][]>([]);
  const vehicle = f.kind === 'vehicle';
  const iinError = f.iin ? iinProblem(f.iin) : null;
  const set = (k: keyof typeof blank) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const problemFor = (field: string) => problems.find((p) => p.field === field || p.field?.startsWith(field + '.'));

  async function submit(e: Event) {
    e.preventDefault();
    setProblems([]);
    setError(null);
    const missing: Problem[] = [];
    if (!f.reference.trim() || !f.authority.trim() || !f.issued_on)
      missing.push({ code: 'missing_legal_basis', message: t('watch.basis_required'), field: 'legal_basis' });
    if (!f.expires) missing.push({ code: 'missing_expiry', message: t('watch.expiry_required'), field: 'expires_at' });
    if (iinError && !vehicle) missing.push({ code: 'invalid_iin', message: t(iinError), field: 'person.iin' });
    if (vehicle && !f.plate.trim()) missing.push({ code: 'invalid_plate', message: t('watch.plate_required'), field: 'vehicle.plate' });
    if (vehicle && !f.link_id.trim() && !f.case_reference.trim())
      missing.push({ code: 'missing_field', message: t('watch.link_required'), field: 'link' });
    if (missing.length) return setProblems(missing);
    const body = {
      kind: f.kind,
      person: vehicle
        ? {}
        : {
            iin: f.iin || undefined,
            names: f.names.split(';').map((s) => s.trim()).filter(Boolean),
            birth_date: f.birth_date || undefined,
            documents: f.doc_number ? [{ type: f.doc_type, number: f.doc_number }] : [],
          },
      vehicle: vehicle ? { plate: f.plate.trim(), description: f.vehicle_description.trim() || undefined } : undefined,
      link: vehicle
        ? { watch_id: f.link_id.trim() ? Number(f.link_id) : undefined, case_reference: f.case_reference.trim() || undefined }
        : undefined,
      faces: !vehicle && faces.length ? faces : undefined,
      legal_basis: { kind: f.basis_kind, reference: f.reference, authority: f.authority, issued_on: f.issued_on },
      // An expiry date means the end of that day in Almaty.
      expires_at: f.expires + 'T23:59:59+05:00',
      region: f.region,
      priority: f.priority,
      category: f.category,
    };
    try {
      await api('POST', '/v1/watchlist', body);
      setF({ ...blank, region: f.region });
      setFaces([]);
      onAdded();
    } catch (err) {
      if (err instanceof ApiFailure && err.problems.length) setProblems(err.problems);
      else setError((err as Error).message);
    }
  }

  const Err = ({ field }: { field: string }) => {
    const p = problemFor(field);
    return p ? <span class="error">{label.problem(p)}</span> : null;
  };

  return (
    <form class="panel form-grid" onSubmit={submit} data-testid="watch-add-form">
      <h2>{t('watch.add')}</h2>
      <fieldset class="choice">
        <legend>{t('watch.kind')}</legend>
        {(['wanted', 'vehicle'] as const).map((k) => (
          <label>
            <input type="radio" name="kind" value={k} checked={f.kind === k} onChange={set('kind')} /> {k === 'wanted' ? t('watch.kind_wanted') : t('watch.kind_vehicle')}
          </label>
        ))}
      </fieldset>
      {vehicle && (
        <>
          <label>
            {t('evidence.plate')} *
            <input name="plate" value={f.plate} onInput={set('plate')} placeholder="123 ABC 02" />
            <Err field="vehicle.plate" />
          </label>
          <label>
            {t('alert.vehicle_description')}
            <input name="vehicle_description" value={f.vehicle_description} onInput={set('vehicle_description')} />
          </label>
          <fieldset>
            <legend>{t('alert.linked_to')} *</legend>
            <label>
              {t('watch.link_entry')}
              <input name="link_id" inputMode="numeric" value={f.link_id} onInput={set('link_id')} />
            </label>
            <label>
              {t('watch.link_case')}
              <input name="case_reference" value={f.case_reference} onInput={set('case_reference')} />
            </label>
            <Err field="link" />
          </fieldset>
        </>
      )}
      {!vehicle && (
      <>
      <label>
        {t('field.names')}
        <input name="names" value={f.names} onInput={set('names')} placeholder={t('watch.names_hint')} />
      </label>
      <label>
        {t('field.iin')}
        <input
          name="iin"
          inputMode="numeric"
          maxLength={12}
          value={f.iin}
          onInput={(e) => {
            const iin = e.currentTarget.value.trim();
            setF({ ...f, iin, birth_date: iinProblem(iin) ? f.birth_date : iinBirthDate(iin) });
          }}
          aria-invalid={iinError ? 'true' : 'false'}
        />
        {f.iin && (
          <span class={iinError ? 'error' : 'ok'} data-testid="iin-check">
            {iinError ? t(iinError) : t('iin.valid')}
          </span>
        )}
        <Err field="person.iin" />
      </label>
      <label>
        {t('field.birth_date')}
        <input name="birth_date" type="date" value={f.birth_date} onInput={set('birth_date')} />
      </label>
      <label>
        {t('field.documents')}
        <span class="pair">
          <select value={f.doc_type} onChange={set('doc_type')}>
            {label.DOCUMENT_TYPES.map((d) => (
              <option value={d}>{label.documentType(d)}</option>
            ))}
          </select>
          <input name="doc_number" value={f.doc_number} onInput={set('doc_number')} />
        </span>
      </label>
      <label>
        {t('field.face_templates')}
        <input
          type="file"
          accept=".json,application/json"
          data-testid="watch-faces-file"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return setFaces([]);
            try {
              const parsed = JSON.parse(await file.text());
              if (!Array.isArray(parsed) || !parsed.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number')))
                throw new Error('shape');
              setFaces(parsed);
              setError(null);
            } catch {
              setFaces([]);
              setError(t('watch.faces_bad_file'));
            }
          }}
        />
        <span class="muted" data-testid="watch-faces-count">
          {t('watch.faces_hint', { count: faces.length })}
        </span>
        <Err field="faces" />
      </label>
      </>
      )}
      <fieldset>
        <legend>{t('alert.basis')} *</legend>
        <label>
          {t('basis.kind')}
          <select value={f.basis_kind} onChange={set('basis_kind')}>
            {label.LEGAL_BASIS_KINDS.map((k) => (
              <option value={k}>{label.legalBasisKind(k)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('basis.reference')}
          <input name="reference" value={f.reference} onInput={set('reference')} />
        </label>
        <label>
          {t('basis.authority')}
          <input name="authority" value={f.authority} onInput={set('authority')} />
        </label>
        <label>
          {t('basis.issued_on')}
          <input name="issued_on" type="date" value={f.issued_on} onInput={set('issued_on')} />
        </label>
        <Err field="legal_basis" />
      </fieldset>
      <label>
        {t('watch.expires')} *
        <input name="expires" type="date" value={f.expires} onInput={set('expires')} />
        <Err field="expires_at" />
      </label>
      <label>
        {t('alert.region')}
        <select value={f.region} onChange={set('region')}>
          {label.REGION_CODES.map((r) => (
            <option value={r}>{label.region(r)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('alerts.col_priority')}
        <select value={f.priority} onChange={set('priority')}>
          {label.PRIORITIES.map((p) => (
            <option value={p}>{label.priority(p)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('alerts.col_category')}
        <select value={f.category} onChange={set('category')}>
          {label.CATEGORIES.map((c) => (
            <option value={c}>{label.category(c)}</option>
          ))}
        </select>
      </label>
      {problems
        .filter((p) => !['person.iin', 'legal_basis', 'expires_at', 'vehicle.plate', 'link', 'faces'].some((k) => p.field === k || p.field?.startsWith(k + '.')))
        .map((p) => (
          <p class="error" data-testid="watch-problem">
            {label.problem(p)}
          </p>
        ))}
      {error && <p class="error">{error}</p>}
      <div class="actions">
        <button type="submit" data-testid="watch-add-submit">
          {t('watch.save')}
        </button>
      </div>
    </form>
  );
}

interface ImportReport {
  accepted: { line: number; id: number }[];
  rejected: { line: number; problems: Problem[] }[];
}

function ImportCsv({ onImported }: { onImported: () => void }) {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function upload(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    setError(null);
    setReport(null);
    try {
      const r = await api<ImportReport>('POST', '/v1/watchlist/import', await file.text(), 'text/csv');
      setReport(r);
      onImported();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div class="panel" data-testid="watch-import">
      <h2>{t('watch.import')}</h2>
      <p class="muted">{t('watch.import_hint')}</p>
      <input type="file" accept=".csv,text/csv" onChange={upload} data-testid="watch-import-file" />
      {error && <p class="error">{error}</p>}
      {report && (
        <div data-testid="import-report">
          <p>{t('watch.import_result', { accepted: report.accepted.length, rejected: report.rejected.length })}</p>
          {report.rejected.length > 0 && (
            <table class="grid compact">
              <thead>
                <tr>
                  <th>{t('watch.line')}</th>
                  <th>{t('watch.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rejected.map((r) => (
                  <tr data-testid="import-rejected">
                    <td class="num">{r.line}</td>
                    <td>{r.problems.map(label.problem).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
