/**
 * The checks the contracts service makes on a contract's terms, made in the form before the API is
 * asked (services/contracts/domain/common.py and terms.py): each share a positive percentage exact to
 * two decimals, the shares summing to exactly 100, milestones due within the period, titles distinct.
 */

/** A percentage in hundredths ("33.33" → 3333), or null when it is not one the API takes. */
export function hundredths(share: string | number | null | undefined): number | null {
  const text = String(share ?? '').trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** The shares' total in hundredths, counting only the well-formed ones. */
export function totalHundredths(shares: readonly (string | number | null | undefined)[]): number {
  return shares.reduce<number>((sum, share) => sum + (hundredths(share) ?? 0), 0);
}

/** The total said as a percentage: 10000 → "100", 9950 → "99.5". */
export function percentText(total: number): string {
  return String(total / 100);
}

export type TermsProblem =
  | { kind: 'share'; index: number }
  | { kind: 'sum'; total: string }
  | { kind: 'outside'; index: number }
  | { kind: 'duplicate'; index: number }
  | { kind: 'period' };

export interface MilestoneDraft {
  title?: string;
  dueOn?: string;
  share?: string | number | null;
}

/** What the API would refuse in these terms, each with the milestone it concerns. */
export function termsProblems(periodStart: string | undefined, periodEnd: string | undefined, milestones: readonly MilestoneDraft[]): TermsProblem[] {
  const problems: TermsProblem[] = [];
  if (periodStart && periodEnd && periodEnd <= periodStart) problems.push({ kind: 'period' });
  const seen = new Set<string>();
  milestones.forEach((m, index) => {
    const share = hundredths(m.share);
    if (share === null || share <= 0 || share > 10000) problems.push({ kind: 'share', index });
    // ISO dates compare as text.
    if (m.dueOn && periodStart && periodEnd && (m.dueOn < periodStart || m.dueOn > periodEnd)) problems.push({ kind: 'outside', index });
    const title = (m.title ?? '').trim();
    if (title) {
      if (seen.has(title)) problems.push({ kind: 'duplicate', index });
      seen.add(title);
    }
  });
  if (!problems.some((p) => p.kind === 'share') && milestones.length > 0) {
    const total = totalHundredths(milestones.map((m) => m.share));
    if (total !== 10000) problems.push({ kind: 'sum', total: percentText(total) });
  }
  return problems;
}
