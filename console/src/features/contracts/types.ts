/** The shapes of the contract query's answer that the page's parts take. */
import type { ContractDetailQuery } from '../../gql/graphql';

export type Contract = Extract<NonNullable<ContractDetailQuery['node']>, { __typename: 'Contract' }>;
export type Milestone = Contract['milestones'][number];
export type Amendment = Contract['amendments'][number];
export type Scores = Contract['evaluationSummary']['means'];

export const DIMENSIONS = ['quality', 'timeliness', 'attitude', 'effect'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
