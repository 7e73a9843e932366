import type { TFunction } from 'i18next';
import type { PartyType } from '../../app/parties';
import { TONE } from '../dispatch/vocabulary';

export const KINDS = ['demand', 'resource'] as const;
export type Kind = (typeof KINDS)[number];
export const ENTRY_STATUSES = ['open', 'matched', 'delivered'] as const;
export const ENTRY_STATUS_COLOURS: Record<string, string> = { open: TONE.blue, matched: TONE.gold, delivered: TONE.green };
export const CLAIM_STATUS_COLOURS: Record<string, string> = { pending: TONE.blue, confirmed: TONE.green, declined: TONE.grey };
export const ORIGINS = ['residents', 'meeting', 'unit'] as const;

/** Which list a party keeps: the committee the demands, a joint-building unit the resources. */
export function ownKind(partyType: PartyType): Kind {
  return partyType === 'joint_building_unit' ? 'resource' : 'demand';
}

/** A delivery as the API records it: when, by which party (its record, not shown), what. */
export interface Delivery {
  at: string;
  by: string;
  note: string;
}

export function parseDelivery(text: string): Delivery | null {
  try {
    const value = JSON.parse(text) as unknown;
    const v = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<Delivery>;
    return typeof v.at === 'string' && typeof v.note === 'string' ? { at: v.at, by: String(v.by ?? ''), note: v.note } : null;
  } catch {
    return null;
  }
}

/** The record behind a global Party id ("Party:<id>" in base64), to tell who recorded a delivery. */
export function partyRecord(globalId: string): string {
  try {
    const decoded = atob(globalId);
    return decoded.startsWith('Party:') ? decoded.slice('Party:'.length) : globalId;
  } catch {
    return globalId;
  }
}

/** The service categories are the projects' (an entry may become a project); any other as typed. */
export function categoryLabel(t: TFunction, category: string): string {
  return t(`projects.category.${category}`, { defaultValue: category });
}
