/** The OCDS codelists' values in words; a value the catalogue lacks is shown as the standard writes it. */
import type { TFunction } from 'i18next';

export function codeText(t: TFunction, list: 'tenderStatus' | 'awardStatus' | 'contractStatus' | 'milestoneStatus' | 'tag' | 'role', code: string): string {
  return t(`public.codes.${list}.${code}`, { defaultValue: code });
}

/** The readable page of one tender's open contracting data. */
export function tenderPath(ocid: string): string {
  return `/open-contracting/tender?ocid=${encodeURIComponent(ocid)}`;
}
