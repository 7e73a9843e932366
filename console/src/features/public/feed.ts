/**
 * The public JSON the gateway serves without a token: the community's notice board (/notices/<id>)
 * and the open contracting data (/ocds/records, OCDS 1.1.5). The pages read it as machines do.
 */
import { useEffect, useState } from 'react';

export interface MeetingRef {
  title: string;
  starts_at: string;
  location: string;
}

export type BoardNotice =
  | { kind: 'minutes'; title: string; text: string; published_at: string; meeting: MeetingRef }
  | { kind: 'resolution'; resolution_id: string; title: string; text: string; decision_type: string; adopted_at: string; meeting: MeetingRef };

export interface OcdsValue {
  amount: number;
  currency: string;
}

export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
}

export interface OcdsOrganisationRef {
  id: string;
  name?: string;
}

export interface OcdsParty extends OcdsOrganisationRef {
  roles?: string[];
}

export interface OcdsTender {
  id: string;
  title?: string;
  description?: string;
  status?: string;
  statusDetails?: string;
  value?: OcdsValue;
  procurementMethodDetails?: string;
  awardCriteriaDetails?: string;
  eligibilityCriteria?: string;
  tenderPeriod?: OcdsPeriod;
  contractPeriod?: OcdsPeriod;
  numberOfTenderers?: number;
  tenderers?: OcdsOrganisationRef[];
}

export interface OcdsAward {
  id: string;
  title?: string;
  status?: string;
  date?: string;
  value?: OcdsValue;
  description?: string;
  suppliers?: OcdsOrganisationRef[];
}

export interface OcdsMilestone {
  id: string;
  title?: string;
  description?: string;
  dueDate?: string;
  status?: string;
  dateMet?: string;
}

export interface OcdsContract {
  id: string;
  title?: string;
  status?: string;
  value?: OcdsValue;
  period?: OcdsPeriod;
  dateSigned?: string;
  items?: { id: string; description?: string }[];
  milestones?: OcdsMilestone[];
  implementation?: { transactions?: { id: string; date?: string; value?: OcdsValue }[] };
  amendments?: { id: string; date?: string; rationale?: string }[];
}

export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: string[];
  parties?: OcdsParty[];
  planning?: { budget?: { amount?: OcdsValue; description?: string }; rationale?: string };
  tender?: OcdsTender;
  awards?: OcdsAward[];
  contracts?: OcdsContract[];
}

export interface OcdsRecord {
  ocid: string;
  releases: OcdsRelease[];
  compiledRelease: OcdsRelease;
}

export interface RecordPackage {
  publishedDate: string;
  publisher?: { name?: string };
  records: OcdsRecord[];
}

/** An OCDS amount (a JSON number of yuan) as the API's Money string, for lib/format's formatMoney. */
export function moneyString(value: OcdsValue): string {
  return value.amount.toFixed(2);
}

export type Feed<T> = { state: 'loading' } | { state: 'empty' } | { state: 'failed' } | { state: 'loaded'; body: T };

/** GETs a public JSON address; a 404 is an empty answer (nothing published yet), not a failure. */
export function useFeed<T>(url: string | null): Feed<T> {
  const [feed, setFeed] = useState<{ url: string | null; feed: Feed<T> }>({ url: null, feed: { state: 'loading' } });
  useEffect(() => {
    if (url === null) return;
    let live = true;
    fetch(url, { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        const next: Feed<T> =
          response.status === 404 || response.status === 400
            ? { state: 'empty' }
            : response.ok
              ? { state: 'loaded', body: (await response.json()) as T }
              : { state: 'failed' };
        if (live) setFeed({ url, feed: next });
      })
      .catch(() => {
        if (live) setFeed({ url, feed: { state: 'failed' } });
      });
    return () => {
      live = false;
    };
  }, [url]);
  if (url === null) return { state: 'empty' };
  return feed.url === url ? feed.feed : { state: 'loading' };
}
