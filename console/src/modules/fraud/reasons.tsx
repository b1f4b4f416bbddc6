// A score's reasons as an analyst checks them: which indicator fired, what was measured, its
// weight and what it added to the score.
import { formatNumber, t, tOr } from '../../i18n';
import type { Reason } from './types';

export const indicator = (name: string) => {
  const side = name.startsWith('payee.') ? 'payee' : name.startsWith('payer.') ? 'payer' : '';
  const bare = side ? name.slice(side.length + 1) : name;
  const words = tOr('indicator.' + bare, bare);
  return side ? t(('fraud.side_' + side) as 'fraud.side_payee', { what: words }) : words;
};

export const tenge = (tiyn: number) => formatNumber(tiyn / 100, 0) + ' ₸';

export function Reasons({ reasons, testId }: { reasons: Reason[]; testId?: string }) {
  const sorted = [...reasons].sort((a, b) => b.contribution - a.contribution);
  return (
    <table class="grid compact" data-testid={testId ?? 'reasons'}>
      <thead>
        <tr>
          <th>{t('fraud.indicator')}</th>
          <th class="num">{t('fraud.value')}</th>
          <th class="num">{t('fraud.weight')}</th>
          <th class="num">{t('fraud.contribution')}</th>
          <th>{t('fraud.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr data-indicator={r.indicator}>
            <td>{indicator(r.indicator)}</td>
            <td class="num">{formatNumber(r.value, 2)}</td>
            <td class="num">{formatNumber(r.weight, 2)}</td>
            <td class="num">{formatNumber(r.contribution, 2)}</td>
            <td>{r.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
