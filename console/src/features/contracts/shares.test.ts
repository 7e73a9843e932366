import { describe, expect, it } from 'vitest';
import { hundredths, termsProblems, totalHundredths } from './shares';

describe('milestone shares as the contracts service checks them', () => {
  it('reads percentages exact to two decimals and refuses the rest', () => {
    expect(hundredths('33.33')).toBe(3333);
    expect(hundredths('25')).toBe(2500);
    expect(hundredths(12.5)).toBe(1250);
    expect(hundredths('33.333')).toBeNull();
    expect(hundredths('-5')).toBeNull();
    expect(hundredths('')).toBeNull();
  });

  it('sums exactly, without floating-point drift', () => {
    expect(totalHundredths(['33.33', '33.33', '33.34'])).toBe(10000);
    expect(totalHundredths(['0.1', '0.2', '99.7'])).toBe(10000);
  });

  it('finds shares not summing to 100, zero shares, dues outside the period and twice-used titles', () => {
    const period = ['2027-01-01', '2027-12-31'] as const;
    expect(termsProblems(...period, [{ title: 'A', dueOn: '2027-03-31', share: '30' }, { title: 'B', dueOn: '2027-12-31', share: '70' }])).toEqual([]);
    expect(termsProblems(...period, [{ title: 'A', dueOn: '2027-03-31', share: '30' }, { title: 'B', dueOn: '2027-12-31', share: '60' }])).toEqual([
      { kind: 'sum', total: '90' },
    ]);
    expect(termsProblems(...period, [{ title: 'A', dueOn: '2028-01-01', share: '0' }, { title: 'A', dueOn: '2027-06-30', share: '100' }])).toEqual([
      { kind: 'share', index: 0 },
      { kind: 'outside', index: 0 },
      { kind: 'duplicate', index: 1 },
    ]);
    expect(termsProblems('2027-12-31', '2027-01-01', [])).toEqual([{ kind: 'period' }]);
  });
});
