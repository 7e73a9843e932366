/**
 * How the console writes dates, times and amounts for a person: Asia/Shanghai wall time whatever the
 * browser's zone, and CNY amounts from the API's Money strings without going through a float.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const ZONE = 'Asia/Shanghai';
export type Language = 'zh-CN' | 'en';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function local(value: string | Date) {
  return dayjs(value).tz(ZONE);
}

/** '2026年12月1日' / '1 Dec 2026'. A Date scalar ('2026-12-01') is a calendar day: no zone shift. */
export function formatDate(value: string | Date, language: Language): string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? dayjs(value) : local(value);
  return language === 'zh-CN'
    ? `${d.year()}年${d.month() + 1}月${d.date()}日`
    : `${d.date()} ${MONTHS_EN[d.month()]} ${d.year()}`;
}

/** '2026年12月1日 14:00' / '1 Dec 2026, 14:00', in Asia/Shanghai. */
export function formatDateTime(value: string | Date, language: Language): string {
  const d = local(value);
  const time = d.format('HH:mm');
  return language === 'zh-CN' ? `${formatDate(value, language)} ${time}` : `${formatDate(value, language)}, ${time}`;
}

/** '14:00' in Asia/Shanghai. */
export function formatTime(value: string | Date): string {
  return local(value).format('HH:mm');
}

/** The API's Money ("45000" or "45000.5" or "-12.30", yuan) as '¥45,000.00'. */
export function formatMoney(amount: string, _language?: Language): string {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${grouped}.${fraction.padEnd(2, '0')}`;
}

/** Amounts are typed as strings like the API's; only digits with at most two decimals. */
export function isMoney(text: string): boolean {
  return /^\d+(\.\d{1,2})?$/.test(text.trim());
}

export interface Deadline {
  text: string;
  overdue: boolean;
  /** Less than a day left. */
  urgent: boolean;
}

/** How long until a deadline, in words: '还剩 3 天' / '3 days left', '已逾期 2 小时' / '2 hours overdue'. */
export function relativeDeadline(deadline: string | Date, language: Language, now: Date = new Date()): Deadline {
  const minutes = Math.round((dayjs(deadline).valueOf() - now.getTime()) / 60000);
  const overdue = minutes < 0;
  const span = Math.abs(minutes);
  const [count, unit] =
    span >= 2 * 24 * 60 ? [Math.floor(span / (24 * 60)), 'day'] : span >= 60 ? [Math.floor(span / 60), 'hour'] : [span, 'minute'];
  const zh = { day: '天', hour: '小时', minute: '分钟' }[unit as 'day' | 'hour' | 'minute'];
  const en = `${count} ${unit}${count === 1 ? '' : 's'}`;
  const text =
    language === 'zh-CN'
      ? overdue
        ? `已逾期 ${count} ${zh}`
        : `还剩 ${count} ${zh}`
      : overdue
        ? `${en} overdue`
        : `${en} left`;
  return { text, overdue, urgent: !overdue && minutes < 24 * 60 };
}
