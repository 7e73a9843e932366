/** Solid tag colours dark enough for white text at 4.5:1 (AntD's light status tags fall short). */
export const TONE = { blue: '#0958d9', green: '#237804', gold: '#874d00', orange: '#ad4e00', red: '#a8071a', cyan: '#006d75', grey: 'default' } as const;

/** The API's words for requests, offers and shifts, with the colour each status is shown in. */
export const REQUEST_STATUSES = ['draft', 'open', 'filled', 'cancelled'] as const;
export const REQUEST_STATUS_COLOURS: Record<string, string> = { draft: TONE.grey, open: TONE.blue, filled: TONE.green, cancelled: TONE.red };
export const OFFER_STATUS_COLOURS: Record<string, string> = {
  offered: TONE.blue,
  accepted: TONE.green,
  declined: TONE.orange,
  expired: TONE.grey,
  withdrawn: TONE.grey,
};
export const SHIFT_STATUS_COLOURS: Record<string, string> = {
  booked: TONE.blue,
  checked_in: TONE.cyan,
  checked_out: TONE.gold,
  approved: TONE.green,
  no_show: TONE.red,
  cancelled: TONE.grey,
};
/** RequestCategory and RequestPriority, lowercase as the API answers them. */
export const CATEGORIES = ['clean_up', 'companionship', 'appliance_repair', 'free_clinic', 'legal_advice', 'other'] as const;
export const PRIORITIES = ['elderly_living_alone', 'urgent', 'routine'] as const;
export const SKILLS = ['cleaning', 'companionship', 'first_aid', 'appliance_repair', 'legal_advice'] as const;
