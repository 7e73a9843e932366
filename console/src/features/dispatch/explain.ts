/**
 * The dispatch explains each offer and each unfilled place in English sentences made of parts
 * joined by "; " (services/volunteers/dispatch/explain.py). In Chinese each part it has a pattern
 * for is said again in Chinese; a part it does not know is kept as the API wrote it. A building the
 * dispatch names by its record is said as "the request's place", never by the record.
 */
import type { TFunction } from 'i18next';
import { formatDate, type Language } from '../../lib/format';

type Rule = [RegExp, (m: RegExpMatchArray, t: TFunction, language: Language) => string];

const skill = (t: TFunction, name: string) => t(`dispatch.skill.${name}`, { defaultValue: name });
// The API writes a day as 2026-12-03: said as the reader says a date.
const day = (text: string | undefined, language: Language) => (text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? formatDate(`${text}T12:00:00+08:00`, language) : (text ?? ''));

const RULES: Rule[] = [
  [/^skill (\S+) level (\d+) ≥ (\d+)$/, (m, t) => t('dispatch.why.skill', { skill: skill(t, m[1] ?? ''), level: m[2], need: m[3] })],
  [/^(\S+) valid until (\S+)$/, (m, t, language) => t('dispatch.why.certificate', { certificate: m[1], until: day(m[2], language) })],
  [/^consented to home visits, identity verified$/, (_m, t) => t('dispatch.why.homeVisit')],
  [/^(\d+) m from building .+$/, (m, t) => t('dispatch.why.distance', { metres: m[1] })],
  [/^([\d.]+) h in the last 30 days$/, (m, t) => t('dispatch.why.recentHours', { hours: m[1] })],
  [/^no no-shows$/, (_m, t) => t('dispatch.why.noNoShows')],
  [/^(\d+) no-shows?$/, (m, t) => t('dispatch.why.noShows', { n: Number(m[1]) })],
  [/^earliest free start (.+)$/, (m, t) => t('dispatch.why.earliest', { when: m[1] })],
  [/^cost ([\d.]+)$/, (m, t) => t('dispatch.why.cost', { cost: m[1] })],
  [/^no volunteers$/, (_m, t) => t('dispatch.whyNot.noVolunteers')],
  [/^(\d+) lacked skill '([^']+)' level ≥ (\d+)$/, (m, t) => t('dispatch.whyNot.skill', { n: Number(m[1]), skill: skill(t, m[2] ?? ''), need: m[3] })],
  [/^(\d+) had no '([^']+)' valid on (\S+)$/, (m, t, language) => t('dispatch.whyNot.certificate', { n: Number(m[1]), certificate: m[2], day: day(m[3], language) })],
  [/^(\d+) had not consented to home visits$/, (m, t) => t('dispatch.whyNot.consent', { n: Number(m[1]) })],
  [/^(\d+) had no verified identity, needed for home visits$/, (m, t) => t('dispatch.whyNot.identity', { n: Number(m[1]) })],
  [/^(\d+) were offered it before$/, (m, t) => t('dispatch.whyNot.offeredBefore', { n: Number(m[1]) })],
  [/^(\d+) would go over their weekly hour cap$/, (m, t) => t('dispatch.whyNot.cap', { n: Number(m[1]) })],
  [/^(\d+) not available (at that time|in that window)$/, (m, t) => t('dispatch.whyNot.unavailable', { n: Number(m[1]) })],
  [/^(\d+) away (that day|on those days)$/, (m, t) => t('dispatch.whyNot.away', { n: Number(m[1]) })],
  [/^(\d+) already booked at an overlapping time$/, (m, t) => t('dispatch.whyNot.booked', { n: Number(m[1]) })],
  [/^(\d+) booked whenever available$/, (m, t) => t('dispatch.whyNot.booked', { n: Number(m[1]) })],
  [/^(?:the one who fit was|the (\d+) who fit were) needed for other places \((.+)\)$/, (m, t) => t('dispatch.whyNot.neededElsewhere', { n: Number(m[1] ?? 1), spread: spread(m[2] ?? '', t) })],
];

function spread(text: string, t: TFunction): string {
  return text
    .split(', ')
    .map((part) => {
      const m = /^(\d+) (.+)$/.exec(part);
      if (!m) return part;
      const kind = { 'of higher priority': 'higher', 'of this request': 'same', 'of equal or lower priority': 'lower', 'left free': 'free' }[m[2] ?? ''];
      return kind ? t(`dispatch.whyNot.spread.${kind}`, { n: Number(m[1]) }) : part;
    })
    .join(t('dispatch.why.separator'));
}

/** The explanation's parts, each in the reader's language where a pattern knows it. */
export function explainParts(text: string, t: TFunction, language: Language): string[] {
  const body = text.replace(/^no volunteer could take this place: /, '');
  return body
    .split('; ')
    .filter((part) => part.length > 0)
    .map((part) => {
      for (const [pattern, say] of RULES) {
        const m = pattern.exec(part);
        if (m) return say(m, t, language);
      }
      return part;
    });
}
