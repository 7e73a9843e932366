/** The shapes of the organisation's query answers that several components take. */
import type { BiddingProjectQuery, ProviderContractQuery } from '../../gql/graphql';

export type Project = Extract<NonNullable<BiddingProjectQuery['node']>, { __typename: 'Project' }>;
export type Bid = NonNullable<NonNullable<Project['bids']>['edges'][number]>['node'] & {};
export type RankedBid = Project['results'][number];
export type Contract = Extract<NonNullable<ProviderContractQuery['node']>, { __typename: 'Contract' }>;
export type Milestone = Contract['milestones'][number];
