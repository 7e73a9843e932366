/** Times a person picks are Asia/Shanghai wall times whatever the browser's zone; the API wants an offset. */
import dayjs, { type Dayjs } from 'dayjs';
import { ZONE } from '../../lib/format';

export function toInstant(picked: Dayjs): string {
  return dayjs.tz(picked.format('YYYY-MM-DDTHH:mm'), ZONE).format();
}

/** An API instant as a picker value showing its Asia/Shanghai wall time. */
export function toPicker(instant: string): Dayjs {
  return dayjs(dayjs(instant).tz(ZONE).format('YYYY-MM-DDTHH:mm'));
}
