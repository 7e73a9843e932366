import { formatDate, formatDateTime, formatMoney, formatTime, isMoney, relativeDeadline } from './format';

describe('dates in Asia/Shanghai', () => {
  it('writes an instant as Beijing wall time in both languages', () => {
    expect(formatDateTime('2026-12-01T06:00:00Z', 'zh-CN')).toBe('2026年12月1日 14:00');
    expect(formatDateTime('2026-12-01T06:00:00Z', 'en')).toBe('1 Dec 2026, 14:00');
    expect(formatDateTime('2026-12-01T14:00:00+08:00', 'zh-CN')).toBe('2026年12月1日 14:00');
  });

  it('moves to the next day when UTC evening is Beijing morning', () => {
    expect(formatDate('2026-12-31T17:30:00Z', 'zh-CN')).toBe('2027年1月1日');
    expect(formatTime('2026-12-31T17:30:00Z')).toBe('01:30');
  });

  it('keeps a calendar date as the day it names', () => {
    expect(formatDate('2027-03-31', 'zh-CN')).toBe('2027年3月31日');
    expect(formatDate('2027-03-31', 'en')).toBe('31 Mar 2027');
  });
});

describe('amounts in yuan', () => {
  it('groups thousands and always shows the fen', () => {
    expect(formatMoney('45000')).toBe('¥45,000.00');
    expect(formatMoney('45000.5')).toBe('¥45,000.50');
    expect(formatMoney('1234567.89')).toBe('¥1,234,567.89');
    expect(formatMoney('0.05')).toBe('¥0.05');
    expect(formatMoney('-12.3')).toBe('-¥12.30');
  });

  it('refuses what is not an amount', () => {
    expect(() => formatMoney('12.345')).toThrow();
    expect(isMoney('12.345')).toBe(false);
    expect(isMoney('12.34')).toBe(true);
  });
});

describe('relative deadlines', () => {
  const now = new Date('2026-12-01T06:00:00Z');
  it('counts days, hours and minutes left', () => {
    expect(relativeDeadline('2026-12-04T06:00:00Z', 'zh-CN', now)).toEqual({ text: '还剩 3 天', overdue: false, urgent: false });
    expect(relativeDeadline('2026-12-01T11:00:00Z', 'en', now)).toEqual({ text: '5 hours left', overdue: false, urgent: true });
    expect(relativeDeadline('2026-12-01T06:01:00Z', 'en', now).text).toBe('1 minute left');
  });
  it('says how long ago a passed deadline was', () => {
    expect(relativeDeadline('2026-12-01T04:00:00Z', 'zh-CN', now)).toEqual({ text: '已逾期 2 小时', overdue: true, urgent: false });
    expect(relativeDeadline('2026-11-28T06:00:00Z', 'en', now).text).toBe('3 days overdue');
  });
});
