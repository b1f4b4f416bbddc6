// Words for supervision's codes: what a violation is of, where a person stands, a referral's step.
import { formatNumber, t, tOr } from '../../i18n';
import type { Curfew, Status, ViolationKind } from './types';

export function violation(k: ViolationKind): string {
  switch (k.kind) {
    case 'curfew':
      return t('vk.curfew', { n: k.index + 1 });
    case 'exclusion':
    case 'banned_event':
      return t(('vk.' + k.kind) as 'vk.exclusion', { zone: k.zone });
    case 'banned_place':
      return t('vk.banned_place', { category: k.category });
    case 'signal_loss':
    case 'tamper':
    case 'low_battery':
      return t(('vk.' + k.kind) as 'vk.tamper', { device: k.device });
    default:
      return tOr('vk.' + k.kind, k.kind);
  }
}

/** Where a person stands now, worst first, and the tone of its badge. */
export function standing(s: Status | undefined): { text: string; tone: 'bad' | 'warn' | 'good' | '' } {
  if (!s) return { text: t('sup.now_unknown'), tone: '' };
  const list = (ks: ViolationKind[]) => ks.map(violation).join('; ');
  if (s.violating.length) return { text: t('sup.now_violating', { what: list(s.violating) }), tone: 'bad' };
  if (s.suspected.length) return { text: t('sup.now_suspected', { what: list(s.suspected) }), tone: 'warn' };
  if (s.uncertain.length) return { text: t('sup.now_uncertain', { what: list(s.uncertain) }), tone: 'warn' };
  if (!s.last) return { text: t('sup.now_unknown'), tone: '' };
  return { text: t('sup.now_ok'), tone: 'good' };
}

export function curfew(c: Curfew): string {
  const days = c.days.map((d) => tOr('day.' + d, d)).join(', ');
  return t('sup.curfew_line', { days, start: c.start, end: c.end });
}

export const violationStatus = (s: string) => tOr('vstatus.' + s, s);
export const referralStatus = (s: string) => tOr('rstatus.' + s, s);
export const need = (n: string) => tOr('need.' + n, n);
export const metres = (m: number) => formatNumber(m, 0) + ' ' + t('unit.m');
