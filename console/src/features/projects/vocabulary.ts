/** The words of the committee's projects: service categories (any other is shown as typed) and statuses. */
export const CATEGORIES = [
  'elderly_care',
  'community_health',
  'childcare',
  'disability_support',
  'clean_up',
  'companionship',
  'greening',
  'safety_patrol',
  'legal_aid',
  'culture',
] as const;

export const STATUSES = ['draft', 'published', 'evaluating', 'standstill', 'awarded', 'unsuccessful', 'cancelled'] as const;

export const STATUS_COLOURS: Record<string, string> = {
  draft: 'default',
  published: 'blue',
  evaluating: 'purple',
  standstill: 'gold',
  awarded: 'green',
  unsuccessful: 'red',
  cancelled: 'red',
};
