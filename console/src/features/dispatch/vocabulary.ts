/** The API's words for requests, offers and shifts, with the colour each status is shown in. */
export const REQUEST_STATUSES = ['draft', 'open', 'filled', 'cancelled'] as const;
export const REQUEST_STATUS_COLOURS: Record<string, string> = { draft: 'default', open: 'processing', filled: 'success', cancelled: 'error' };
export const OFFER_STATUS_COLOURS: Record<string, string> = {
  offered: 'processing',
  accepted: 'success',
  declined: 'warning',
  expired: 'default',
  withdrawn: 'default',
};
export const SHIFT_STATUS_COLOURS: Record<string, string> = {
  booked: 'processing',
  checked_in: 'blue',
  checked_out: 'gold',
  approved: 'success',
  no_show: 'error',
  cancelled: 'default',
};
/** RequestCategory and RequestPriority, lowercase as the API answers them. */
export const CATEGORIES = ['clean_up', 'companionship', 'appliance_repair', 'free_clinic', 'legal_advice', 'other'] as const;
export const PRIORITIES = ['elderly_living_alone', 'urgent', 'routine'] as const;
export const SKILLS = ['cleaning', 'companionship', 'first_aid', 'appliance_repair', 'legal_advice'] as const;
