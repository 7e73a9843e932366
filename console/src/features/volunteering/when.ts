/** A shift's or an offer's time as a volunteer reads it on a phone: the day, then the hours. */
import { formatDate, formatTime, type Language } from '../../lib/format';

export function timeSpan(startsAt: string, endsAt: string, language: Language): string {
  const sameDay = formatDate(startsAt, language) === formatDate(endsAt, language);
  return sameDay
    ? `${formatDate(startsAt, language)} ${formatTime(startsAt)}–${formatTime(endsAt)}`
    : `${formatDate(startsAt, language)} ${formatTime(startsAt)} – ${formatDate(endsAt, language)} ${formatTime(endsAt)}`;
}

/** The report's month key ('2026-12') as '2026年12月' / 'Dec 2026'. */
export function monthText(key: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return key;
  const [, year, month] = match;
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return language === 'zh-CN' ? `${year}年${Number(month)}月` : `${names[Number(month) - 1]} ${year}`;
}
