/** The party types of the platform, as the API's viewer names them. */
export const PARTY_TYPES = [
  'residents_committee',
  'owners_committee',
  'property_company',
  'street_office',
  'social_organisation',
  'joint_building_unit',
  'volunteer',
] as const;

export type PartyType = (typeof PARTY_TYPES)[number];

export function isPartyType(value: string): value is PartyType {
  return (PARTY_TYPES as readonly string[]).includes(value);
}
