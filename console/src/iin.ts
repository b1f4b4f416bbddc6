// The IIN (individual identification number) checked as the server checks it
// (crates/iz-model/src/iin.rs), so a typo shows while typing: twelve digits, a birth date in the
// first six, a century-and-sex digit, and a check digit over the first eleven.
import type { Key } from './i18n';

const FIRST = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** Why `text` is not a valid IIN (a translation key), or null when it is. */
export function iinProblem(text: string): Key | null {
  if (!/^\d*$/.test(text)) return 'iin.digits_only';
  if (text.length !== 12) return 'iin.length';
  const d = [...text].map(Number);
  const century = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 }[d[6]];
  if (!century) return 'iin.century';
  const year = century + d[0] * 10 + d[1];
  const month = d[2] * 10 + d[3];
  const day = d[4] * 10 + d[5];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return 'iin.birth_date';
  const weigh = (w: number[]) => d.slice(0, 11).reduce((sum, x, i) => sum + x * w[i], 0) % 11;
  let check = weigh(FIRST);
  if (check === 10) check = weigh(SECOND);
  if (check === 10) return 'iin.no_check_digit';
  if (check !== d[11]) return 'iin.check_digit';
  return null;
}

/** The birth date an IIN encodes, `YYYY-MM-DD` (for a valid IIN). */
export function iinBirthDate(text: string): string {
  const d = [...text].map(Number);
  const century = d[6] <= 2 ? 1800 : d[6] <= 4 ? 1900 : 2000;
  return `${century + d[0] * 10 + d[1]}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
}
